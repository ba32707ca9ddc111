"""The media storage: where every public file is saved, and the last gate of the
image pipeline (`marketplace.images`).

Whatever model field saves a file here (a booth logo, a Wagtail image, one of
Oscar's category or attribute images, any field added later), an image is saved
only as the pipeline's output: bytes made by `image_render` (`CleanImage`) are
kept as they are; anything else whose first bytes say it is an image is put
through `image_clean` (checked, upright, sRGB, no metadata) and saved under a
random name. A file that says it is an image but fails the pipeline is refused.
Files that are not images (Wagtail documents) are kept as they are.

Two kinds of names are written by code, not by people, and skip the pipeline:
Wagtail's renditions and sorl-thumbnail's thumbnails (`is_generated_name`), made
from originals that were cleaned here; the demo data's pictures are `CleanImage`.
"""

from __future__ import annotations

import posixpath
import uuid

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage

from .images import CleanImage, ImageRejected, image_clean, image_name, image_sniff

#: Wagtail's renditions, `images/<name>.<filter>.<ext>`, straight in that folder.
RENDITIONS_PREFIX = "images/"


def is_generated_name(name: str) -> bool:
    """Names written by code from images already cleaned here: Wagtail's
    renditions and sorl-thumbnail's thumbnails (Oscar's basket and dashboard;
    THUMBNAIL_PREFIX). Both look the file up again by the name they chose, so
    it must not change."""
    from django.conf import settings

    if name.startswith(RENDITIONS_PREFIX) and "/" not in name[len(RENDITIONS_PREFIX) :]:
        return True
    return name.startswith(getattr(settings, "THUMBNAIL_PREFIX", "cache/"))


# Other image formats (GIF, BMP, TIFF, ICO, PSD, JPEG 2000, AVIF and other ISO
# BMFF images): they must not slip through as "not an image"; the pipeline
# refuses them.
_OTHER_IMAGE_MAGIC = (
    b"GIF8",
    b"BM",
    b"II*\0",
    b"MM\0*",
    b"\0\0\1\0",
    b"8BPS",
    b"\0\0\0\x0cjP",
    b"\xff\x4f\xff\x51",
)


def _looks_like_image(content) -> bool:
    """True if the first bytes say image: a format the pipeline reads, or one of
    the other image formats it refuses."""
    content.seek(0)
    head = content.read(16)
    content.seek(0)
    return bool(
        image_sniff(head) or head.startswith(_OTHER_IMAGE_MAGIC) or head[4:8] == b"ftyp"
    )


class ImageRefused(SuspiciousFileOperation):
    """An upload that says it is an image but is not one the pipeline accepts."""


class ImagePipelineMixin:
    """A storage whose `save` runs images through the pipeline (see the module
    docstring): the local `MediaStorage` and the object storage's public bucket
    (`marketplace.object_storage.PublicMediaStorage`)."""

    def save(self, name, content, max_length=None):
        if name and not isinstance(content, CleanImage):
            normalized = str(name).replace("\\", "/").lstrip("/")
            if not is_generated_name(normalized) and _looks_like_image(content):
                try:
                    clean = image_clean(content)
                except ImageRejected as exc:
                    raise ImageRefused(exc.message) from exc
                directory = posixpath.dirname(normalized) or "uploads"
                name, content = image_name(directory, "jpg"), clean
        return super().save(name, content, max_length=max_length)


class MediaStorage(ImagePipelineMixin, FileSystemStorage):
    """FileSystemStorage under MEDIA_ROOT whose `save` runs images through the
    pipeline."""


#: STORAGES alias of the wizard's uploads when a settings module names one
#: (object storage); else the local `WizardUploadStorage`.
WIZARD_STORAGE_ALIAS = "wizard_uploads"


def wizard_upload_storage():
    """Where the application wizard keeps an upload between its steps."""
    from django.conf import settings
    from django.core.files.storage import storages

    if WIZARD_STORAGE_ALIAS in settings.STORAGES:
        return storages[WIZARD_STORAGE_ALIAS]
    return WizardUploadStorage()


class WizardUploadStorage(FileSystemStorage):
    """Where the application wizard keeps an upload between its steps: outside
    MEDIA_ROOT (`WIZARD_UPLOAD_ROOT`, no URL at all), under a random name.

    formtools deletes a file when its wizard ends (`storage.reset()` on done);
    `sellers.tasks.wizard_uploads_sweep` deletes the ones abandoned wizards leave.
    """

    def __init__(self, **kwargs):
        from django.conf import settings

        super().__init__(location=settings.WIZARD_UPLOAD_ROOT, **kwargs)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Wizard uploads are private and have no URL.")

    def save(self, name, content, max_length=None):
        # Nothing of her file's name (`IMG_20250101_…`, her name) is kept.
        return super().save(uuid.uuid4().hex, content, max_length=max_length)
