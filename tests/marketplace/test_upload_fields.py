"""Issue 11 item 2: every image a user uploads goes through the one pipeline.

The walk covers every FileField and ImageField of every installed model (ours,
Oscar's, Wagtail's, and any added later): each must save through the media
storage, and an image saved through it, GPS and all, must come out clean under
a random name. A new field with another storage, or a path that skips the
pipeline, fails here.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import DefaultStorage, storages
from django.db import models
from PIL import Image

from marketplace.storage import ImageRefused, MediaStorage, is_generated_name
from tests.catalog.photo_samples import assert_no_metadata, phone_jpeg

#: Fields whose files are written by code from images already cleaned (Wagtail's
#: renditions). Each is named here, so a new one is a decision, not an accident.
GENERATED_FIELDS = {"cms.CustomRendition.file", "wagtailimages.Rendition.file"}


def file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def storage_of(field):
    storage = field.storage
    if isinstance(storage, DefaultStorage):
        return storages["default"]
    return storage


def upload_name(model, field) -> str:
    try:
        return field.generate_filename(model(), "IMG_20250101_gnp.jpg")
    except Exception:  # an upload_to that needs a saved relation (renditions)
        return f"{field.upload_to}/IMG_20250101_gnp.jpg"


def test_the_walk_finds_the_fields_we_know():
    labels = {f"{m._meta.label}.{f.name}" for m, f in file_fields()}
    assert {"sellers.Seller.logo", "catalogue.ProductImage.original"} <= labels
    assert {"cms.CustomImage.file", "catalogue.Category.image"} <= labels


@pytest.mark.parametrize(
    ("model", "field"),
    list(file_fields()),
    ids=[f"{m._meta.label}.{f.name}" for m, f in file_fields()],
)
def test_every_file_field_saves_images_through_the_pipeline(
    model, field, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    label = f"{model._meta.label}.{field.name}"
    storage = storage_of(field)
    assert isinstance(storage, MediaStorage), f"{label} skips the media storage"

    name = upload_name(model, field)
    if is_generated_name(name):
        assert label in GENERATED_FIELDS, f"{label} writes where images are not cleaned"
        return
    assert label not in GENERATED_FIELDS

    saved = storage.save(name, ContentFile(phone_jpeg((800, 600))))
    assert "IMG_20250101" not in saved and "gnp" not in saved
    with storage.open(saved, "rb") as fp:
        data = fp.read()
    assert_no_metadata(data, "jpeg")
    assert Image.open(io.BytesIO(data)).size == (600, 800)  # turned upright


def test_a_fake_or_foreign_image_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = storages["default"]
    with pytest.raises(ImageRefused):
        storage.save("booths/x.jpg", ContentFile(b"\xff\xd8\xff" + b"not a jpeg" * 50))
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ImageRefused):
        storage.save("categories/x.gif", ContentFile(gif.getvalue()))


def test_documents_that_are_not_images_are_kept_as_they_are(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = storages["default"]
    name = storage.save("documents/report.pdf", ContentFile(b"%PDF-1.4 hello"))
    assert name == "documents/report.pdf"
