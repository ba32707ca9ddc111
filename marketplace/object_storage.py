"""Media on S3-compatible object storage (django-storages + boto3), when
`MEDIA_STORAGE=s3` (issue 26; `make run` keeps the local disk).

Two buckets: `AWS_STORAGE_BUCKET_NAME` holds what anyone may see (product
photos' variants, logos, Wagtail images), read straight from the bucket's
public URL; `AWS_PRIVATE_BUCKET_NAME` holds what only a permission check may
hand out (raw photo uploads, the wizard's files, case-file attachments), read
only through short-lived signed URLs.
"""

from __future__ import annotations

from django.conf import settings


def s3_client(*, timeout: float | None = None):
    """A boto3 S3 client on the configured endpoint (no retries when `timeout`
    is given: the readiness check wants an answer, not patience)."""
    import boto3
    from botocore.config import Config

    options = {"signature_version": "s3v4", "s3": {"addressing_style": "path"}}
    if timeout is not None:
        options |= {
            "connect_timeout": timeout,
            "read_timeout": timeout,
            "retries": {"max_attempts": 1, "mode": "standard"},
        }
    return boto3.client(
        "s3",
        endpoint_url=settings.AWS_S3_ENDPOINT_URL or None,
        aws_access_key_id=settings.AWS_ACCESS_KEY_ID or None,
        aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY or None,
        region_name=settings.AWS_S3_REGION_NAME or None,
        config=Config(**options),
    )


def buckets_head(*, timeout: float) -> None:
    """Raise unless both buckets answer (the readiness check)."""
    client = s3_client(timeout=timeout)
    for bucket in (settings.AWS_STORAGE_BUCKET_NAME, settings.AWS_PRIVATE_BUCKET_NAME):
        client.head_bucket(Bucket=bucket)
