"""Copy both media buckets to a directory and back (scripts/backup, scripts/restore)
when MEDIA_STORAGE=s3: `python scripts/media_copy.py download|upload DIR`.

The bucket names and endpoint come from the same environment as the settings.
"""

import os
import sys
from pathlib import Path

import boto3


def client():
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID") or None,
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
    )


def buckets() -> list[str]:
    return [
        os.environ.get("AWS_STORAGE_BUCKET_NAME", "dastavard-media"),
        os.environ.get("AWS_PRIVATE_BUCKET_NAME", "dastavard-private"),
    ]


def download(target: Path) -> None:
    s3 = client()
    for bucket in buckets():
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                path = target / bucket / item["Key"]
                path.parent.mkdir(parents=True, exist_ok=True)
                s3.download_file(bucket, item["Key"], str(path))


def upload(source: Path) -> None:
    s3 = client()
    for bucket in buckets():
        root = source / bucket
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            s3.upload_file(str(path), bucket, path.relative_to(root).as_posix())


if __name__ == "__main__":
    action, directory = sys.argv[1], Path(sys.argv[2])
    {"download": download, "upload": upload}[action](directory)
