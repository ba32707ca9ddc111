"""Issue 26: media on S3-compatible object storage (MEDIA_STORAGE=s3): public
media in a public bucket through the image pipeline, private files in a
private bucket, reachable only through short-lived signed URLs. moto plays
the S3 server in process."""

import io
import urllib.parse

import pytest
from django.core.files.base import ContentFile
from PIL import Image

pytest.importorskip("moto")
from moto import mock_aws  # noqa: E402

from marketplace import object_storage  # noqa: E402
from marketplace.storage import ImageRefused  # noqa: E402


@pytest.fixture
def s3(settings):
    settings.MEDIA_STORAGE = "s3"
    settings.AWS_S3_ENDPOINT_URL = ""
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"  # noqa: S105
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_STORAGE_BUCKET_NAME = "dastavard-media"
    settings.AWS_PRIVATE_BUCKET_NAME = "dastavard-private"
    settings.AWS_S3_CUSTOM_DOMAIN = None
    settings.PRIVATE_MEDIA_URL_SECONDS = 120
    with mock_aws():
        client = object_storage.s3_client()
        client.create_bucket(Bucket="dastavard-media")
        client.create_bucket(Bucket="dastavard-private")
        yield client


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (35.0, 41.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_public_media_go_through_the_image_pipeline(s3):
    storage = object_storage.PublicMediaStorage()
    name = storage.save("booths/IMG_maryam.jpg", ContentFile(jpeg_with_gps()))
    # A random name (nothing of hers), cleaned: no metadata left.
    assert name.startswith("booths/") and "maryam" not in name
    body = s3.get_object(Bucket="dastavard-media", Key=name)["Body"].read()
    assert Image.open(io.BytesIO(body)).getexif().get(0x8825) is None
    url = storage.url(name)
    assert "X-Amz-Signature" not in url and "Signature" not in url
    assert "/dastavard-media/" in url


def test_a_fake_image_is_refused(s3):
    storage = object_storage.PublicMediaStorage()
    with pytest.raises(ImageRefused):
        storage.save("booths/x.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"))


def test_private_files_have_only_short_lived_signed_urls(s3):
    wizard = object_storage.WizardUploadS3Storage()
    name = wizard.save("IMG_2025_maryam.png", ContentFile(b"logo bytes"))
    assert "maryam" not in name
    with pytest.raises(ValueError, match="private"):
        wizard.url(name)
    photos = object_storage.PhotoSourceStorage()
    raw = photos.save("raw.jpg", ContentFile(b"raw bytes"))
    with pytest.raises(ValueError, match="private"):
        photos.url(raw)
    # Stored in the private bucket, under their prefixes, not the public one.
    keys = {
        o["Key"] for o in s3.list_objects_v2(Bucket="dastavard-private")["Contents"]
    }
    assert keys == {f"wizard/{name}", f"photo-sources/{raw}"}
    assert "Contents" not in s3.list_objects_v2(Bucket="dastavard-media")

    url = object_storage.private_url(f"wizard/{name}", seconds=60)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    default = object_storage.private_url(f"wizard/{name}")
    assert urllib.parse.parse_qs(urllib.parse.urlparse(default).query)[
        "X-Amz-Expires"
    ] == ["120"]


def test_the_wizard_sweep_works_on_the_bucket(s3, settings):
    """The hourly sweep of abandoned wizard uploads lists and deletes in the
    bucket when the settings name it (marketplace.storage.wizard_upload_storage)."""
    import datetime as dt

    from django.core.files.storage import storages
    from django.utils import timezone

    from sellers.tasks import wizard_uploads_sweep_now

    settings.STORAGES = {
        **settings.STORAGES,
        "wizard_uploads": {
            "BACKEND": "marketplace.object_storage.WizardUploadS3Storage"
        },
    }
    storages._storages.pop("wizard_uploads", None)
    storage = storages["wizard_uploads"]
    storage.save("a.png", ContentFile(b"old"))
    settings.WIZARD_UPLOAD_MAX_AGE_HOURS = 1
    assert wizard_uploads_sweep_now(now=timezone.now() + dt.timedelta(hours=2)) == 1
    assert "Contents" not in s3.list_objects_v2(Bucket="dastavard-private")


def test_two_app_servers_with_object_storage_pass_the_deploy_check(settings):
    from django.core import checks

    settings.APP_SERVERS = 2
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "marketplace.object_storage.PublicMediaStorage"},
        "product_photo_sources": {
            "BACKEND": "marketplace.object_storage.PhotoSourceStorage"
        },
        "wizard_uploads": {
            "BACKEND": "marketplace.object_storage.WizardUploadS3Storage"
        },
    }
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "marketplace.E015" not in ids
