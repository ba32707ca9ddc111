"""Where raw photo uploads wait for processing: private, never served.

A seller's upload is kept as she sent it (with its EXIF, GPS included) only until
`catalog.photos.photo_process` has turned it into clean web pictures, then it is
deleted. So it must never be reachable by URL: it lives outside MEDIA_ROOT, in
`PRODUCT_PHOTO_PRIVATE_ROOT`, and this storage has no URL at all.

Past one machine the web servers and the Celery workers must share it: point the
`product_photo_sources` entry of STORAGES at a private bucket (django-storages)
instead of this local directory.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages

STORAGE_ALIAS = "product_photo_sources"


class PrivateUploadStorage(FileSystemStorage):
    """A directory outside MEDIA_ROOT, read from settings on every use (so tests
    can point it at a temporary directory)."""

    @property
    def base_location(self):
        return self._value_or_setting(
            self._location, settings.PRODUCT_PHOTO_PRIVATE_ROOT
        )

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Raw photo uploads are private and have no URL.")


_fallback = PrivateUploadStorage()


def photo_source_storage():
    """The storage of raw uploads: STORAGES["product_photo_sources"] if a settings
    module defines it, else the private directory."""
    try:
        return storages[STORAGE_ALIAS]
    except InvalidStorageError:
        return _fallback
