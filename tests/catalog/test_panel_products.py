"""The seller panel's products: the services behind it, its pages and form (Persian
digits, made-to-order, photos), cross-seller 404s on every product URL, seller
text kept plain, and constant query counts."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import get_resolver, reverse
from oscar.apps.basket.models import Line

from catalog import services
from catalog.models import Product, ProductImage
from catalog.selectors import product_list_public
from sellers.models import SellerAuditEntry
from sellers.partner.models import StockRecord
from sellers.partner.strategy import Selector
from tests.catalog.panel_fixtures import (
    BAD_PHOTO_MESSAGE,
    approved_product,
    create_product,
    jpeg,
    not_an_image,
    product_data,
)
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

M = Product.Moderation


def public_ids() -> set[int]:
    return set(product_list_public().values_list("pk", flat=True))


def list_url(seller) -> str:
    return reverse("catalog_panel:product_list", kwargs={"seller_id": seller.pk})


def product_url(name: str, seller, product) -> str:
    return reverse(
        f"catalog_panel:{name}",
        kwargs={"seller_id": seller.pk, "product_id": product.pk},
    )


def form_post(category, **overrides) -> dict:
    data = {
        "title": "کیف چرمی دوشی",
        "description": "چرم طبیعی، آستر پارچه‌ای",
        "category": str(category.pk),
        "price": "۱۵۰٬۰۰۰",
        "fulfilment": "ready",
        "num_in_stock": "۱۲",
        "preparation_days": "",
        "materials": "چرم گاوی",
        "shipping_weight_grams": "۴۵۰",
    }
    data.update(overrides)
    return data


# --- services ---------------------------------------------------------------------------


def test_create_ready_made_product_with_its_one_stock_record(
    panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = create_product(seller, owner, bracelet_category)

    record = StockRecord.objects.get(product=product)
    assert record.partner_id == seller.partner_id
    assert record.price_currency == "IRR"
    assert record.price == Decimal(1_500_000)
    assert record.num_in_stock == 5
    assert product.product_class.slug == "handmade"
    assert product.product_class.track_stock
    assert product.is_public and not product.is_paused
    assert product.slug  # Oscar made one from the title
    assert product.created_by == owner
    assert list(product.categories.all()) == [bracelet_category]


def test_made_to_order_product_can_be_bought_without_stock(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(
        seller,
        owner,
        bracelet_category,
        fulfilment=Product.Fulfilment.MADE_TO_ORDER,
        num_in_stock=7,  # ignored for made-to-order
        preparation_days=5,
    )
    record = StockRecord.objects.get(product=product)
    assert record.num_in_stock is None
    assert product.preparation_days == 5
    assert product.product_class.slug == "made-to-order"
    assert not product.product_class.track_stock

    info = Selector().strategy().fetch_for_product(product)
    assert info.availability.is_available_to_buy
    assert info.availability.is_purchase_permitted(3)[0]

    buyer = UserFactory(username="+989351234567")
    client.force_login(buyer)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2})
    assert Line.objects.filter(product=product, quantity=2).exists()


def test_ready_and_made_to_order_need_their_own_number(panel_booth, bracelet_category):
    seller, owner = panel_booth
    with pytest.raises(ValidationError) as error:
        create_product(seller, owner, bracelet_category, num_in_stock=None)
    assert "num_in_stock" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        create_product(
            seller,
            owner,
            bracelet_category,
            fulfilment=Product.Fulfilment.MADE_TO_ORDER,
            preparation_days=None,
        )
    assert "preparation_days" in error.value.error_dict
    assert not Product.objects.exists()


def test_first_listings_wait_for_review_then_go_live_at_once(
    settings, panel_booth, bracelet_category, moderator
):
    settings.FIRST_LISTINGS_REVIEWED = 2
    seller, owner = panel_booth
    first = create_product(seller, owner, bracelet_category, title="اول")
    second = create_product(seller, owner, bracelet_category, title="دوم")
    third = create_product(seller, owner, bracelet_category, title="سوم")
    # pending listings do not count: she needs two approved ones
    assert [p.moderation_status for p in (first, second, third)] == [M.PENDING] * 3
    assert public_ids() == set()

    services.product_moderate(product=first, actor=moderator, approve=True)
    services.product_moderate(product=second, actor=moderator, approve=True)
    fourth = create_product(seller, owner, bracelet_category, title="چهارم")
    assert fourth.moderation_status == M.APPROVED
    assert public_ids() == {first.pk, second.pk, fourth.pk}


def test_returned_product_goes_back_to_review_when_she_edits_it(
    panel_booth, bracelet_category, moderator
):
    seller, owner = panel_booth
    product = create_product(seller, owner, bracelet_category)
    services.product_moderate(
        product=product,
        actor=moderator,
        approve=False,
        note="عکس تاریک است؛ کنار پنجره عکس بگیرید",
    )
    product.refresh_from_db()
    assert product.moderation_status == M.RETURNED

    services.product_update(
        product=product,
        actor=owner,
        data=product_data(bracelet_category, title="دستبند چرم (عکس تازه)"),
    )
    product.refresh_from_db()
    assert product.moderation_status == M.PENDING
    assert product.title == "دستبند چرم (عکس تازه)"


def test_update_changes_price_stock_category_and_fulfilment(
    panel_booth, shop_categories
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, shop_categories["bracelet"])
    services.product_update(
        product=product,
        actor=owner,
        data=product_data(
            shop_categories["bag"],
            price_rials=2_000_000,
            fulfilment=Product.Fulfilment.MADE_TO_ORDER,
            preparation_days=10,
        ),
    )
    product.refresh_from_db()
    record = StockRecord.objects.get(product=product)
    assert record.price == Decimal(2_000_000)
    assert record.num_in_stock is None
    assert product.product_class.slug == "made-to-order"
    assert list(product.categories.all()) == [shop_categories["bag"]]
    assert product.moderation_status == M.APPROVED  # approved stays approved


def test_stock_cannot_go_below_units_in_open_orders(panel_booth, bracelet_category):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category, num_in_stock=5)
    StockRecord.objects.filter(product=product).update(num_allocated=3)
    with pytest.raises(ValidationError):
        services.product_update(
            product=product,
            actor=owner,
            data=product_data(bracelet_category, num_in_stock=2),
        )
    assert StockRecord.objects.get(product=product).num_in_stock == 5


def test_kind_cannot_switch_while_units_are_in_open_orders(
    client, panel_booth, bracelet_category
):
    """Units held for open orders were taken as ready-made: switching to
    made-to-order would strand them (issue 25 §6). The form says why and
    keeps what she typed; nothing changes."""
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category, num_in_stock=5)
    StockRecord.objects.filter(product=product).update(num_allocated=2)
    with pytest.raises(ValidationError) as error:
        services.product_update(
            product=product,
            actor=owner,
            data=product_data(
                bracelet_category,
                fulfilment=Product.Fulfilment.MADE_TO_ORDER,
                preparation_days=4,
            ),
        )
    assert "fulfilment" in error.value.error_dict

    client.force_login(owner)
    data = form_post(bracelet_category, fulfilment="made_to_order")
    data["preparation_days"] = "۴"
    data["num_in_stock"] = ""
    response = client.post(product_url("product_update", seller, product), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "۲ عدد از این محصول در سفارش‌های تحویل‌نشده است؛ تا تحویل یا لغو آن‌ها "
        "نوع آماده‌سازی را نمی‌توان تغییر داد." in page
    )
    product.refresh_from_db()
    assert product.fulfilment == Product.Fulfilment.READY
    assert product.product_class.track_stock

    # Once the orders are closed, she may switch.
    StockRecord.objects.filter(product=product).update(num_allocated=0)
    response = client.post(product_url("product_update", seller, product), data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.fulfilment == Product.Fulfilment.MADE_TO_ORDER


def test_pause_unpause_duplicate_and_delete_and_the_public_catalogue(
    panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    ProductImage.objects.create(
        product=product, original="products/a.jpg", display_order=0
    )
    assert public_ids() == {product.pk}

    services.product_pause(product=product, actor=owner)
    assert public_ids() == set()
    services.product_unpause(product=product, actor=owner)
    assert public_ids() == {product.pk}

    copy = services.product_duplicate(product=product, actor=owner)
    assert copy.title == "دستبند چرم دست‌دوز (کپی)"
    assert copy.is_paused
    assert copy.pk not in public_ids()
    assert StockRecord.objects.get(product=copy).price == Decimal(1_500_000)
    assert list(copy.categories.all()) == [bracelet_category]
    assert [i.original.name for i in copy.images.all()] == ["products/a.jpg"]

    services.product_delete(product=product, actor=owner)
    product.refresh_from_db()
    assert product.deleted_at is not None
    assert product.is_public  # soft: the row stays, the public query drops it
    assert public_ids() == set()
    assert SellerAuditEntry.objects.filter(
        seller=seller, action="product_delete"
    ).exists()


def test_group_member_adds_products_and_is_recorded(
    client, group_booth, bracelet_category
):
    seller, owner, member = group_booth
    product = create_product(seller, member, bracelet_category)
    assert product.created_by == member

    # the group sees who listed it; the public product page does not
    Product.objects.filter(pk=product.pk).update(moderation_status=M.APPROVED)
    client.force_login(owner)
    panel = client.get(list_url(seller)).content.decode()
    assert "زهرا نوری" in panel
    client.logout()
    public = client.get(product.get_absolute_url())
    assert public.status_code == 200
    assert "زهرا" not in public.content.decode()
    assert member.username not in public.content.decode()


def test_members_delete_only_their_own_listings_owners_any(
    group_booth, bracelet_category
):
    seller, owner, member = group_booth
    by_owner = create_product(seller, owner, bracelet_category, title="کار مدیر")
    by_member = create_product(seller, member, bracelet_category, title="کار عضو")

    with pytest.raises(PermissionDenied):
        services.product_delete(product=by_owner, actor=member)
    services.product_delete(product=by_member, actor=member)
    services.product_delete(product=by_owner, actor=owner)
    assert Product.objects.filter(deleted_at__isnull=True).count() == 0


def test_outsiders_cannot_touch_a_product(panel_booth, group_booth, bracelet_category):
    seller, owner = panel_booth
    _, other_owner, _ = group_booth
    product = create_product(seller, owner, bracelet_category)
    for call in (
        services.product_pause,
        services.product_unpause,
        services.product_duplicate,
        services.product_delete,
    ):
        with pytest.raises(PermissionDenied):
            call(product=product, actor=other_owner)
    with pytest.raises(PermissionDenied):
        services.product_create(
            seller=seller,
            actor=other_owner,
            data=product_data(bracelet_category),
        )
    product.refresh_from_db()
    assert not product.is_paused and product.deleted_at is None


# --- seller text is plain text -------------------------------------------------------

XSS = {
    "title": "دستبند <script>alert(1)</script>",
    "description": 'چرم <img src=x onerror=alert(1)> طبیعی <a href="javascript:alert(1)">اینجا</a>',
    "materials": "javascript:alert(1) <b onmouseover=alert(1)>چرم</b>",
}


class _LivePayloads(HTMLParser):
    """Collects what the browser would run: <script> bodies, event-handler
    attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(1)" in data:
            self.found.append(f"<script>{data}")


def _assert_no_live_payload(body: str) -> None:
    """No payload as markup: a script, an event handler, a javascript: URL.
    (Escaped, as text, they are harmless: `&lt;img onerror=…&gt;` in a textarea
    is only what she typed.)"""
    parser = _LivePayloads()
    parser.feed(body)
    assert parser.found == []
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body


def test_seller_text_is_stored_without_tags(panel_booth, bracelet_category):
    seller, owner = panel_booth
    product = create_product(seller, owner, bracelet_category, **XSS)
    assert product.title == "دستبند"
    assert "<" not in product.description and "onerror" not in product.description
    assert product.description.startswith("چرم") and "اینجا" in product.description
    assert product.materials == "javascript:alert(1) چرم"  # harmless as text


def test_escaped_tags_cannot_come_back_and_plain_signs_survive(
    panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = create_product(
        seller,
        owner,
        bracelet_category,
        title="&lt;script&gt;alert(1)&lt;/script&gt;دستبند",
        description="سایز < ۴۰ & رنگ قهوه‌ای",
    )
    assert product.title == "دستبند"
    assert product.description == "سایز < ۴۰ & رنگ قهوه‌ای"


def test_xss_payloads_never_reach_the_page_unescaped(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    client.force_login(owner)
    client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        form_post(bracelet_category, **XSS),
    )
    product = Product.objects.get()
    Product.objects.filter(pk=product.pk).update(moderation_status=M.APPROVED)
    # and even text written around the services (e.g. by a script) is escaped
    raw = approved_product(seller, owner, bracelet_category, title="x")
    Product.objects.filter(pk=raw.pk).update(
        title=XSS["title"], description=XSS["description"], materials=XSS["materials"]
    )
    pages = [
        client.get(list_url(seller)),
        client.get(product_url("product_update", seller, raw)),
        client.get(product.get_absolute_url()),
        client.get(raw.get_absolute_url()),
        client.get(reverse("catalogue:index")),
    ]
    for response in pages:
        assert response.status_code == 200
        _assert_no_live_payload(response.content.decode())
    assert "&lt;script&gt;alert(1)" in pages[0].content.decode()


# --- the form and its pages ---------------------------------------------------------


def test_form_takes_persian_digits_and_separators(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    client.force_login(owner)
    response = client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        form_post(bracelet_category),
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(seller)
    product = Product.objects.get()
    record = StockRecord.objects.get(product=product)
    assert record.price == Decimal(1_500_000)  # ۱۵۰٬۰۰۰ toman
    assert record.num_in_stock == 12
    assert product.shipping_weight_grams == 450
    assert product.created_by == owner
    page = client.get(list_url(seller)).content.decode()
    assert "۱۵۰٬۰۰۰ تومان" in page
    assert "در انتظار بررسی" in page


@pytest.mark.parametrize("price", ["صد و پنجاه هزار", "150k", "۱۵۰٬۰۰۰٫۵۰ دلار"])
def test_price_that_is_not_a_number_gets_a_persian_message(
    client, panel_booth, bracelet_category, price
):
    seller, owner = panel_booth
    client.force_login(owner)
    response = client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        form_post(bracelet_category, price=price),
    )
    assert response.status_code == 200
    assert "مبلغ را فقط با عدد وارد کنید" in response.content.decode()
    assert not Product.objects.exists()


def test_a_price_beyond_the_column_is_refused_in_persian(
    client, panel_booth, bracelet_category
):
    """Issue 24 §1.1: one billion toman passed the checks and overflowed the
    price column on PostgreSQL (a 500)."""
    seller, owner = panel_booth
    client.force_login(owner)
    url = reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk})
    response = client.post(url, form_post(bracelet_category, price="۱٬۰۰۰٬۰۰۰٬۰۰۰"))
    assert response.status_code == 200
    assert "قیمت یک محصول حداکثر ۹۰۰٬۰۰۰٬۰۰۰ تومان است" in response.content.decode()
    assert not Product.objects.exists()


def test_zero_price_and_missing_numbers_are_refused(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    client.force_login(owner)
    url = reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk})
    body = client.post(url, form_post(bracelet_category, price="۰")).content.decode()
    assert "قیمت باید بیشتر از صفر باشد" in body
    body = client.post(
        url, form_post(bracelet_category, num_in_stock="")
    ).content.decode()
    assert "تعداد موجود را بنویسید" in body
    body = client.post(
        url, form_post(bracelet_category, fulfilment="made_to_order")
    ).content.decode()
    assert "چند روز طول می‌کشد" in body
    assert not Product.objects.exists()


def test_made_to_order_through_the_form(client, panel_booth, bracelet_category):
    seller, owner = panel_booth
    client.force_login(owner)
    client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        form_post(
            bracelet_category,
            fulfilment="made_to_order",
            num_in_stock="",
            preparation_days="۵",
        ),
    )
    product = Product.objects.get()
    assert product.fulfilment == "made_to_order"
    assert product.preparation_days == 5
    assert "سفارشی، ۵ روز" in client.get(list_url(seller)).content.decode()


def test_category_select_offers_leaves_grouped_by_trade(
    client, panel_booth, shop_categories
):
    seller, owner = panel_booth
    client.force_login(owner)
    body = client.get(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk})
    ).content.decode()
    assert '<optgroup label="چرم">' in body
    assert '<optgroup label="پوشاک">' in body
    assert f'value="{shop_categories["bracelet"].pk}"' in body
    assert f'value="{shop_categories["leather"].pk}"' not in body  # not a leaf
    assert 'type="file" name="photos"' in body and "multiple" in body
    assert 'accept="image/*,.heic,.heif,image/heic,image/heif"' in body


def test_photos_are_stored_in_the_order_chosen(
    client, panel_booth, bracelet_category, fake_photos
):
    seller, owner = panel_booth
    client.force_login(owner)
    data = form_post(bracelet_category)
    data["photos"] = [jpeg("front.jpg"), jpeg("back.jpg")]
    response = client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        data,
    )
    assert response.status_code == 302
    product = Product.objects.get()
    assert fake_photos.stored == [
        (product.pk, "front.jpg", 0),
        (product.pk, "back.jpg", 1),
    ]
    # more photos from the edit page go after them
    edit = form_post(bracelet_category)
    edit["photos"] = [jpeg("side.jpg")]
    client.post(product_url("product_update", seller, product), edit)
    assert fake_photos.stored[-1] == (product.pk, "side.jpg", 2)


def test_a_bad_photo_shows_the_persian_message_and_saves_nothing(
    client, panel_booth, bracelet_category, fake_photos
):
    seller, owner = panel_booth
    client.force_login(owner)
    data = form_post(bracelet_category)
    data["photos"] = [jpeg("ok.jpg"), not_an_image("bad.jpg")]
    response = client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        data,
    )
    assert response.status_code == 200
    assert BAD_PHOTO_MESSAGE in response.content.decode()
    assert not Product.objects.exists()
    assert fake_photos.stored == []


def test_at_most_eight_photos(client, panel_booth, bracelet_category, fake_photos):
    seller, owner = panel_booth
    client.force_login(owner)
    data = form_post(bracelet_category)
    data["photos"] = [jpeg(f"{i}.jpg") for i in range(9)]
    response = client.post(
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
        data,
    )
    assert "حداکثر ۸ عکس" in response.content.decode()
    assert not Product.objects.exists()

    product = approved_product(seller, owner, bracelet_category)
    for position in range(7):
        ProductImage.objects.create(
            product=product, original=f"p/{position}.jpg", display_order=position
        )
    data = form_post(bracelet_category)
    data["photos"] = [jpeg("a.jpg"), jpeg("b.jpg")]
    response = client.post(product_url("product_update", seller, product), data)
    assert "حداکثر ۸ عکس" in response.content.decode()
    assert product.images.count() == 7


def test_reorder_and_remove_photos_with_number_boxes(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    a, b, c = (
        ProductImage.objects.create(
            product=product, original=f"p/{name}.jpg", display_order=i
        )
        for i, name in enumerate("abc")
    )
    client.force_login(owner)
    url = product_url("product_photos", seller, product)
    page = client.get(url).content.decode()
    assert f'name="position-{a.pk}"' in page
    response = client.post(
        url,
        {
            f"position-{a.pk}": "۳",
            f"position-{b.pk}": "1",
            f"position-{c.pk}": "2",
            f"remove-{c.pk}": "1",
        },
    )
    assert response.status_code == 302
    assert [
        (i.pk, i.display_order) for i in product.images.order_by("display_order")
    ] == [
        (b.pk, 0),
        (a.pk, 1),
    ]


def test_list_shows_states_note_member_stock_and_placeholder(
    client, group_booth, bracelet_category, moderator
):
    seller, owner, member = group_booth
    live = approved_product(seller, owner, bracelet_category, title="فعال‌ها")
    paused = approved_product(seller, owner, bracelet_category, title="متوقف‌ها")
    services.product_pause(product=paused, actor=owner)
    returned = create_product(seller, member, bracelet_category, title="برگشتی")
    services.product_moderate(
        product=returned, actor=moderator, approve=False, note="عکس تاریک است"
    )
    create_product(seller, member, bracelet_category, title="منتظر")
    ProductImage.objects.create(
        product=live,
        original="p/live.jpg",
        display_order=0,
        state=ProductImage.State.READY,
    )
    client.force_login(member)
    body = client.get(list_url(seller)).content.decode()
    assert body.count('data-testid="panel-product"') == 4
    for badge in ("فعال", "متوقف", "برگشت برای اصلاح", "در انتظار بررسی"):
        assert badge in body
    assert "عکس تاریک است" in body
    assert "مریم احمدی" in body and "زهرا نوری" in body
    assert "موجودی: ۵" in body
    assert "img-placeholder" in body
    # a member sees delete only on what she listed
    assert body.count("بله، حذف شود") == 2


def test_list_is_paginated_by_twenty(client, panel_booth, bracelet_category):
    seller, owner = panel_booth
    for i in range(21):
        approved_product(seller, owner, bracelet_category, title=f"محصول {i}")
    client.force_login(owner)
    first = client.get(list_url(seller)).content.decode()
    second = client.get(list_url(seller) + "?page=2").content.decode()
    assert first.count('data-testid="panel-product"') == 20
    assert second.count('data-testid="panel-product"') == 1


def test_the_list_shows_a_change_at_once_though_its_ids_are_cached(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    for i in range(20):
        approved_product(seller, owner, bracelet_category, title=f"محصول {i}")
    client.force_login(owner)
    assert "صفحهٔ" not in client.get(list_url(seller)).content.decode()
    newest = approved_product(seller, owner, bracelet_category, title="کیف تازه")
    first = client.get(list_url(seller)).content.decode()
    assert first.index("کیف تازه") < first.index("محصول 19")  # newest first
    assert "صفحهٔ ۱ از ۲" in first
    services.product_pause(product=newest, actor=owner)
    assert "فعال کردن" in client.get(list_url(seller)).content.decode()
    services.product_delete(product=newest, actor=owner)
    again = client.get(list_url(seller)).content.decode()
    assert "کیف تازه" not in again and "صفحهٔ" not in again


def test_deleted_products_leave_the_panel_and_their_urls_404(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    client.force_login(owner)
    client.post(product_url("product_delete", seller, product))
    assert (
        'data-testid="panel-product"'
        not in client.get(list_url(seller)).content.decode()
    )
    assert client.get(product_url("product_update", seller, product)).status_code == 404


def test_action_urls_are_post_only(client, panel_booth, bracelet_category):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    client.force_login(owner)
    for name in (
        "product_pause",
        "product_unpause",
        "product_duplicate",
        "product_delete",
    ):
        assert client.get(product_url(name, seller, product)).status_code == 405
    product.refresh_from_db()
    assert not product.is_paused and product.deleted_at is None
    assert Product.objects.count() == 1


def test_anonymous_user_is_sent_to_login(client, panel_booth):
    seller, _ = panel_booth
    response = client.get(list_url(seller))
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- another booth's product is a 404, never data ----------------------------------------


def catalog_panel_patterns() -> list[tuple[str, bool]]:
    """(url name, names a product) for every catalog_panel URL, read from the URL
    configuration so a new page is covered automatically."""
    panel = get_resolver().namespace_dict["catalog_panel"][1]
    return [
        (f"catalog_panel:{pattern.name}", "product_id" in str(pattern.pattern))
        for pattern in panel.url_patterns
    ]


def test_every_catalog_panel_url_is_discovered():
    names = {name for name, _ in catalog_panel_patterns()}
    assert {
        "catalog_panel:product_list",
        "catalog_panel:product_create",
        "catalog_panel:product_update",
        "catalog_panel:product_photos",
        "catalog_panel:product_pause",
        "catalog_panel:product_unpause",
        "catalog_panel:product_duplicate",
        "catalog_panel:product_delete",
    } <= names


def _snapshot(seller):
    products = Product.objects.filter(stockrecords__partner_id=seller.partner_id)
    return sorted(
        (
            p.pk,
            p.title,
            p.is_paused,
            p.deleted_at,
            p.moderation_status,
            str(p.stockrecords.get().price),
            tuple(p.images.values_list("pk", "display_order")),
        )
        for p in products
    )


def test_another_booths_product_is_404_on_every_panel_url(
    client, panel_booth, group_booth, bracelet_category
):
    # given booth A's owner, and booth B with a product and a photo
    seller_a, owner_a = panel_booth
    seller_b, owner_b, _ = group_booth
    own = approved_product(seller_a, owner_a, bracelet_category, title="مال خودش")
    theirs = approved_product(seller_b, owner_b, bracelet_category, title="مال دیگری")
    photo = ProductImage.objects.create(
        product=theirs, original="p/theirs.jpg", display_order=0
    )
    before = _snapshot(seller_b)
    client.force_login(owner_a)
    post = form_post(bracelet_category, title="ربوده")
    post.update({f"position-{photo.pk}": "5", f"remove-{photo.pk}": "1"})

    checked = 0
    for name, names_product in catalog_panel_patterns():
        if names_product:
            attempts = [
                # her own panel, their product id
                {"seller_id": seller_a.pk, "product_id": theirs.pk},
                # their panel, their product id
                {"seller_id": seller_b.pk, "product_id": theirs.pk},
                # their panel, her own product id
                {"seller_id": seller_b.pk, "product_id": own.pk},
            ]
        else:
            attempts = [{"seller_id": seller_b.pk}]
        for kwargs in attempts:
            url = reverse(name, kwargs=kwargs)
            # when she opens or posts to it
            get = client.get(url)
            posted = client.post(url, post)
            # then it does not exist for her, and shows nothing of theirs
            assert get.status_code == 404, url
            assert posted.status_code == 404, url
            for response in (get, posted):
                body = response.content.decode()
                assert "مال دیگری" not in body
                assert seller_b.brand_name not in body
            checked += 1
    assert checked >= 3 * 6 + 2
    # and nothing of booth B changed, nothing was added to it
    assert _snapshot(seller_b) == before
    assert not Product.objects.filter(title="ربوده").exists()


def test_a_user_of_no_booth_gets_404(client, panel_booth, bracelet_category):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    client.force_login(UserFactory(username="+989359999999"))
    assert client.get(list_url(seller)).status_code == 404
    assert client.post(product_url("product_pause", seller, product)).status_code == 404
    product.refresh_from_db()
    assert not product.is_paused


# --- Oscar's dashboard: staff yes, sellers no ------------------------------------------


def test_staff_manage_panel_products_in_oscars_dashboard_sellers_do_not(
    client, panel_booth, bracelet_category
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, bracelet_category)
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "login" in response.get("Location", "login")

    staff = StaffFactory(username="+989120000077", is_superuser=True)
    client.force_login(staff)
    assert client.get(url).status_code == 200


# --- query counts ----------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 25])
def test_product_list_query_count_is_constant(
    client, group_booth, bracelet_category, django_assert_num_queries, count
):
    seller, owner, member = group_booth
    for i in range(count):
        product = approved_product(
            seller, member if i % 2 else owner, bracelet_category, title=f"کار {i}"
        )
        ProductImage.objects.create(
            product=product, original=f"p/{i}.jpg", display_order=0
        )
    client.force_login(owner)
    url = list_url(seller)
    client.get(url)
    # session, user, membership (+seller, district); products (+member, product
    # class), stock records, images (her listing's ids and count are cached);
    # the page frame none: the header's basket count is cached per buyer (one
    # query on a miss; Oscar's unread notifications are counted only where a
    # template shows them)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("photos", [1, 8])
def test_edit_and_photo_pages_query_count_is_constant(
    client, panel_booth, shop_categories, django_assert_max_num_queries, photos
):
    seller, owner = panel_booth
    product = approved_product(seller, owner, shop_categories["bracelet"])
    for i in range(photos):
        ProductImage.objects.create(
            product=product, original=f"p/{i}.jpg", display_order=i
        )
    client.force_login(owner)
    for url in (
        product_url("product_update", seller, product),
        product_url("product_photos", seller, product),
        reverse("catalog_panel:product_create", kwargs={"seller_id": seller.pk}),
    ):
        client.get(url)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
