"""Media on S3-compatible object storage (django-storages + boto3), when
`MEDIA_STORAGE=s3` (issue 26; `make run` keeps the local disk).

Two buckets: `AWS_STORAGE_BUCKET_NAME` holds what anyone may see (product
photos' variants, logos, Wagtail images), read straight from the bucket's
public URL; `AWS_PRIVATE_BUCKET_NAME` holds what only a permission check may
hand out (raw photo uploads, the wizard's files, case-file attachments), read
only through short-lived signed URLs.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from storages.backends.s3 import S3Storage

from .storage import ImagePipelineMixin


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


# --- the storages (settings: STORAGES when MEDIA_STORAGE=s3) ---------------------


def _common() -> dict:
    return {
        "endpoint_url": settings.AWS_S3_ENDPOINT_URL or None,
        "access_key": settings.AWS_ACCESS_KEY_ID or None,
        "secret_key": settings.AWS_SECRET_ACCESS_KEY or None,
        "region_name": settings.AWS_S3_REGION_NAME or None,
        "addressing_style": "path",
        "signature_version": "s3v4",
        # Names are random (the image pipeline, the wizard): never overwrite.
        "file_overwrite": False,
    }


class PublicMediaStorage(ImagePipelineMixin, S3Storage):
    """The public bucket: product photo variants, booth logos, Wagtail images.
    Every image saved here goes through the image pipeline first; URLs are
    plain (no signature), for the browser to fetch from the bucket or a CDN."""

    def __init__(self, **kwargs):
        super().__init__(
            **{
                **_common(),
                "bucket_name": settings.AWS_STORAGE_BUCKET_NAME,
                "querystring_auth": False,
                "custom_domain": settings.AWS_S3_CUSTOM_DOMAIN,
                "url_protocol": settings.AWS_S3_URL_PROTOCOL,
                "default_acl": None,
                **kwargs,
            }
        )


class PrivateStorage(S3Storage):
    """The private bucket: nothing in it is readable without a signature, and
    a signed URL expires after `PRIVATE_MEDIA_URL_SECONDS`. Hand one out only
    after the permission check (`private_url`)."""

    def __init__(self, **kwargs):
        super().__init__(
            **{
                **_common(),
                "bucket_name": settings.AWS_PRIVATE_BUCKET_NAME,
                "querystring_auth": True,
                "querystring_expire": settings.PRIVATE_MEDIA_URL_SECONDS,
                "default_acl": "private",
                **kwargs,
            }
        )


class PhotoSourceStorage(PrivateStorage):
    """Raw photo uploads (EXIF and GPS still in them) until processed: no URL
    at all, like `catalog.storage.PrivateUploadStorage` on the local disk."""

    def __init__(self, **kwargs):
        super().__init__(**{"location": "photo-sources", **kwargs})

    def url(self, name, *args, **kwargs):
        raise ValueError("Raw photo uploads are private and have no URL.")


class WizardUploadS3Storage(PrivateStorage):
    """The application wizard's uploads between steps (see
    `marketplace.storage.WizardUploadStorage`): random names, no URL."""

    def __init__(self, **kwargs):
        super().__init__(**{"location": "wizard", **kwargs})

    def url(self, name, *args, **kwargs):
        raise ValueError("Wizard uploads are private and have no URL.")

    def save(self, name, content, max_length=None):
        return super().save(uuid.uuid4().hex, content, max_length=max_length)


def private_url(name: str, *, seconds: int | None = None) -> str:
    """A signed URL to one private file, valid `seconds` (default
    `PRIVATE_MEDIA_URL_SECONDS`). Call it only after the permission check of
    whoever asked; the URL is the permission."""
    storage = PrivateStorage()
    return storage.url(name, expire=seconds or settings.PRIVATE_MEDIA_URL_SECONDS)
