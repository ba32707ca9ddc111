"""Error pages are ours, in Persian, in the storefront layout, with DEBUG off.

Django renders 404.html and 403.html with the request, 400.html and 500.html
without it (500.html with an empty context: the page must not need a context
processor, the database or URL reversing, since any of them may be what failed).
"""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.marketplace.error_urls")]


@pytest.fixture
def client_seeing_errors(settings):
    """A client that gets the error page, as a visitor would, instead of the exception."""
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/__fail__/400/", 400, "این درخواست را نمی‌توانیم بفهمیم"),
        ("/__fail__/403/", 403, "دسترسی به این صفحه را ندارید"),
        ("/no-such-page/", 404, "این صفحه پیدا نشد"),
        ("/catalogue/no-such-product_999999/", 404, "این صفحه پیدا نشد"),
        ("/__fail__/500/", 500, "مشکلی پیش آمد"),
    ],
)
def test_error_page_is_persian_in_the_storefront_layout(
    client_seeing_errors, path, status, heading
):
    response = client_seeing_errors.get(path)

    assert response.status_code == status
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body
    assert f"<h1>{heading}</h1>" in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert "/static/css/site.css" in body
    # Nothing of Django's own (English) pages.
    assert "Traceback" not in body and "Not Found" not in body
    assert "Server Error" not in body and "Bad Request" not in body


def test_500_page_renders_with_an_empty_context(settings):
    """As django.views.defaults.server_error renders it: no request, no context."""
    from django.template import loader

    body = loader.get_template("500.html").render()

    assert "<h1>مشکلی پیش آمد</h1>" in body
    assert "{%" not in body and "{{" not in body


def test_csrf_failure_page_is_persian(client_seeing_errors):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/account/login/", {"phone": "09120000000"})

    assert response.status_code == 403
    assert "این فرم دیگر معتبر نیست" in response.content.decode()
