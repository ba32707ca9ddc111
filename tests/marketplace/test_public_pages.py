"""Smoke tests: every public page answers, in Persian, right to left."""

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, SellerFactory, StaffFactory, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_product_shop():
    category = CategoryFactory(name="صنایع دستی", slug="sanaye-dasti")
    seller = SellerFactory(brand_name="کارگاه گروهی قارچ سبز", slug="gharch-sabz")
    product = make_product(seller=seller, category=category, title="قارچ صدفی تازه")
    return {"category": category, "seller": seller, "product": product}


def public_urls(shop):
    return [
        "/",
        reverse("catalogue:index"),
        shop["category"].get_absolute_url(),
        shop["product"].get_absolute_url(),
        shop["seller"].get_absolute_url(),
        reverse("basket:summary"),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        reverse("accounts:otp_request"),
    ]


def test_every_public_page_renders_rtl_persian(client, one_product_shop):
    for url in public_urls(one_product_shop):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert 'lang="fa"' in body and 'dir="rtl"' in body, url
        assert "دستاورد" in body, url


def test_home_page_is_wagtail_root_with_newest_work(client, one_product_shop):
    response = client.get("/")
    body = response.content.decode()
    assert "بازارچه دستاوردهای زنان شهر تهران" in body
    assert "قارچ صدفی تازه" in body
    assert "صنایع دستی" in body  # category menu


def test_home_page_query_count_is_constant(
    client, one_product_shop, django_assert_max_num_queries
):
    for i in range(20):
        make_product(seller=one_product_shop["seller"], title=f"محصول {i}")
    client.get("/")
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200


def test_no_page_loads_assets_from_a_cdn(client, one_product_shop):
    for url in public_urls(one_product_shop):
        body = client.get(url).content.decode()
        for host in ("googleapis", "cdnjs", "jsdelivr", "unpkg", "bootstrapcdn"):
            assert host not in body, (url, host)


def test_sitemap_lists_public_things_only(client, one_product_shop):
    hidden = SellerFactory(status="suspended", slug="hidden-booth")
    make_product(seller=hidden, title="پنهان")
    body = client.get("/sitemap.xml").content.decode()
    assert one_product_shop["product"].get_absolute_url() in body
    assert "hidden-booth" not in body


def test_unknown_booth_and_unapproved_booth_are_404(client):
    pending = SellerFactory(status="in_review", slug="pending-booth")
    assert client.get("/booth/nobody/").status_code == 404
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_staff_open_oscar_dashboard_and_wagtail_admin(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    # Oscar's index sends staff to the staff home (issue 27).
    assert client.get(reverse("dashboard:index")).url == reverse("reports:home")
    assert client.get(reverse("reports:home")).status_code == 200
    assert client.get(reverse("dashboard:order-list")).status_code == 200
    assert client.get("/cms-admin/").status_code == 200


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_add_to_basket_then_basket_shows_toman(client, one_product_shop):
    product = one_product_shop["product"]
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True
    )
    assert response.status_code == 200
    body = client.get(reverse("basket:summary")).content.decode()
    assert product.title in body
    assert "۱۲۵٬۰۰۰ تومان" in body


def test_oscar_email_login_and_registration_lead_to_phone_login(client):
    login = client.get("/accounts/login/?next=/basket/")
    assert login.status_code == 302
    assert login["Location"] == reverse("accounts:login") + "?next=/basket/"
    assert client.get("/accounts/register/")["Location"] == reverse("accounts:signup")
