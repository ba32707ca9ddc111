"""Issue 24 §1.6: Wagtail documents (HTML, SVG) were served inline from
/media/documents/ on the site's own address, where an uploaded page could run
script. They leave only through Wagtail's view, as downloads, and the direct
media path does not serve them (`make run`; the web server in production)."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "evil.html": b"<html><body><script>alert(document.cookie)</script></body></html>",
    "evil.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(document.cookie)</script></svg>"
    ),
    "notice.pdf": b"%PDF-1.4\n%%EOF\n",
}


@pytest.fixture
def media_served(settings):
    """The URLconf as `make run` builds it (SERVE_MEDIA on)."""
    import marketplace.urls

    settings.SERVE_MEDIA = True
    importlib.reload(marketplace.urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA = django_settings.SERVE_MEDIA
    importlib.reload(marketplace.urls)
    clear_url_caches()


def upload(name: str):
    return get_document_model().objects.create(
        title=name, file=ContentFile(DOCUMENTS[name], name=name)
    )


def body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_documents_are_served_as_downloads_through_wagtails_view(client, name):
    document = upload(name)
    assert document.url.startswith("/documents/")
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == DOCUMENTS[name]


@pytest.mark.parametrize("name", ["evil.html", "evil.svg"])
def test_the_media_path_does_not_serve_documents(client, media_served, name):
    document = upload(name)
    assert document.file.name.startswith("documents/")
    for path in (
        f"/media/{document.file.name}",
        f"/media/images/../{document.file.name}",
        f"/media/DOCUMENTS/{document.file.name.split('/', 1)[1]}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert DOCUMENTS[name] not in body(response)


def test_other_media_is_still_served_under_make_run(client, media_served):
    from django.core.files.storage import FileSystemStorage

    name = FileSystemStorage().save("cache/hello.txt", ContentFile(b"hello"))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert body(response) == b"hello"
