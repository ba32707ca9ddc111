"""`manage.py seed_demo`: deterministic, idempotent, additive, dignified."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalog.models import (
    Category,
    Product,
    ProductCategory,
    ProductClass,
    ProductImage,
)
from marketplace.demo import data as demo_data
from marketplace.demo.seeding.plans import (
    ProductSeller,
    plan_products,
    plan_sellers,
)
from marketplace.dignity import LABELLING_WORDS
from sellers.models import (
    CaseFile,
    District,
    KowsarCentre,
    Programme,
    Seller,
    SellerMember,
)
from sellers.partner.models import StockRecord
from sellers.selectors import open_partner_ids

pytestmark = pytest.mark.django_db

# The two years of history (issue 27) have their own test (tests/reports/test_demo_history.py).
SMALL = {"products": 40, "sellers": 8, "picture_pool": 8, "history_orders": 0}


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **{**SMALL, **options})
    return out.getvalue()


def snapshot() -> dict:
    """The key facts of the seeded data, in a stable order."""
    return {
        "sellers": list(
            Seller.objects.order_by("slug").values_list(
                "slug",
                "brand_name",
                "status",
                "kind",
                "district__number",
                "centre__name",
                "programme__code",
                "partner__name",
                "story",
            )
        ),
        "members": sorted(
            Counter(SellerMember.objects.values_list("seller__slug", flat=True)).items()
        ),
        "products": list(
            Product.objects.order_by("upc").values_list(
                "id", "upc", "title", "description", "is_public", "slug", "date_created"
            )
        ),
        "stock": list(
            StockRecord.objects.order_by("partner_sku").values_list(
                "partner_sku",
                "price",
                "num_in_stock",
                "partner__code",
                "price_currency",
            )
        ),
        "categories": list(
            ProductCategory.objects.order_by("product__upc").values_list(
                "product__upc", "category__name"
            )
        ),
        "images": list(
            ProductImage.objects.order_by("product__upc").values_list(
                "product__upc", "original"
            )
        ),
        "users": list(
            get_user_model()
            .objects.order_by("username")
            .values_list("username", "email", "is_staff")
        ),
        "counts": {
            model.__name__: model.objects.count()
            for model in (District, Programme, KowsarCentre, Category, CaseFile)
        },
    }


def test_a_second_run_changes_nothing():
    seed()
    first = snapshot()

    output = seed(verbose=True)

    assert snapshot() == first
    assert "nothing, all present" in output
    assert len(first["products"]) == 40
    assert len(first["sellers"]) == 8


def test_more_products_later_adds_only_the_missing_ones():
    seed(products=25)
    before = snapshot()["products"]

    seed(products=40)

    after = snapshot()["products"]
    assert len(after) == 40
    assert after[:25] == before
    assert StockRecord.objects.count() == ProductImage.objects.count() == 40


def test_product_and_seller_n_do_not_depend_on_the_requested_totals():
    assert plan_sellers(8) == plan_sellers(20)[:8]
    sellers = [
        ProductSeller(
            partner_id=n, trade=trade, leaf_category_ids=(1, 2, 3, 4), weight=n
        )
        for n, trade in enumerate(demo_data.TRADES, start=1)
    ]
    pictures = {trade.key: [f"{trade.key}.jpg"] for trade in demo_data.TRADES}
    short = list(plan_products(30, sellers, pictures))
    long = list(plan_products(50, sellers, pictures, skip={1, 2}))
    assert long[:28] == short[2:]


def test_each_product_picture_follows_what_the_product_is():
    """An embroidered wallet of the handicrafts trade shows a bag, not its
    trade's bowl; every product shows its own kind's pictures once the pool
    has them all (issue 24 §3.8)."""
    sellers = [
        ProductSeller(
            partner_id=n, trade=trade, leaf_category_ids=(1, 2, 3, 4), weight=1
        )
        for n, trade in enumerate(demo_data.TRADES, start=1)
    ]
    by_partner = {seller.partner_id: seller.trade for seller in sellers}
    kinds = demo_data.picture_kinds()
    pictures = {
        demo_data.picture_key(trade, motif): [f"{trade.key}:{motif}.jpg"]
        for trade, motif in kinds
    }
    seen = set()
    for plan in plan_products(2000, sellers, pictures):
        trade = by_partner[plan.partner_id]
        motif = plan.picture.removesuffix(".jpg").split(":")[1]
        seen.add((trade.key, motif))
        if "کیف" in plan.title:
            assert motif == "bag", plan.title
        if "عروسک" in plan.title:
            assert motif == "doll", plan.title
        if "تابلو" in plan.title:
            assert motif == "frame", plan.title
    assert ("handicrafts", "bag") in seen and ("home_decor", "frame") in seen
    # Each trade's own motif first: a pool of one picture per trade still
    # gives every product a picture of its trade.
    assert [kind[0] for kind in kinds[: len(demo_data.TRADES)]] == list(
        demo_data.TRADES
    )


def test_districts_programmes_and_the_93_kowsar_centres():
    seed(sellers=1, products=0)

    assert list(District.objects.values_list("number", flat=True)) == list(range(1, 23))
    assert District.objects.get(number=7).name == "منطقه ۷"
    assert District.objects.get(number=22).name == "منطقه ۲۲"
    assert set(Programme.objects.values_list("code", flat=True)) == {
        "municipality",
        "behzisti",
        "other",
    }
    per_district = Counter(
        KowsarCentre.objects.values_list("district__number", flat=True)
    )
    assert sum(per_district.values()) == 93
    assert per_district[20] == 18
    assert per_district[4] == 8
    others = {n: c for n, c in per_district.items() if n not in (4, 20)}
    assert len(others) == 20 and sum(others.values()) == 67
    assert max(others.values()) < 8
    assert all(
        name.startswith("مرکز توانمندسازی کوثر ")
        for name in KowsarCentre.objects.values_list("name", flat=True)
    )


def test_categories_and_product_class():
    seed(sellers=1, products=0)

    roots = list(Category.get_root_nodes().values_list("name", flat=True))
    assert sorted(roots) == sorted(
        [
            "پوشاک و خیاطی",
            "خوراکی‌های خانگی",
            "صنایع دستی",
            "قارچ",
            "چرم",
            "منسوجات و بافتنی",
            "زیورآلات",
            "دکوراسیون خانه",
        ]
    )
    for root in Category.get_root_nodes():
        assert root.get_children_count() >= 3
    leather = Category.get_root_nodes().get(name="چرم")
    assert {"کیف", "کمربند", "دستبند چرم"} <= {c.name for c in leather.get_children()}
    product_class = ProductClass.objects.get(slug="handmade")
    assert product_class.track_stock


def _tree_is_sound() -> bool:
    return not any(Category.find_problems())


def test_the_category_tree_goes_after_roots_staff_already_made():
    Category.add_root(name="هدیه", slug="gifts")

    seed(sellers=1, products=0)

    assert _tree_is_sound()
    assert Category.get_root_nodes().count() == 9
    assert Category.get_first_root_node().name == "هدیه"


def test_a_partial_category_tree_is_completed_not_duplicated():
    leather = Category.add_root(name="چرم", slug="leather")
    leather.add_child(name="کیف", slug="bags")

    seed(sellers=1, products=0)

    assert _tree_is_sound()
    assert Category.objects.filter(name="چرم").count() == 1
    assert Category.objects.filter(name="کیف").count() == 1
    assert Category.get_root_nodes().count() == 8


def test_sellers_members_partners_and_logins():
    output = seed()

    sellers = list(Seller.objects.select_related("partner", "district", "centre"))
    assert {s.kind for s in sellers} == {Seller.Kind.INDIVIDUAL, Seller.Kind.GROUP}
    assert Counter(s.status for s in sellers)[Seller.Status.APPROVED] >= 5
    assert len({s.partner_id for s in sellers}) == len(sellers)
    for seller in sellers:
        assert seller.partner.name == seller.brand_name
        if seller.centre is not None:
            assert seller.centre.district_id == seller.district_id
        roles = Counter(seller.members.values_list("role", flat=True))
        assert roles[SellerMember.Role.OWNER] == 1
        if seller.kind == Seller.Kind.GROUP:
            assert 5 <= sum(roles.values()) <= 7
        else:
            assert sum(roles.values()) == 1

    User = get_user_model()
    for username, email in User.objects.values_list("username", "email"):
        assert re.fullmatch(r"\+989\d{9}", username)
        assert email
    owner = SellerMember.objects.filter(role=SellerMember.Role.OWNER).first().user
    mobile = "0" + owner.username[3:]
    assert authenticate(username=mobile, password=demo_data.DEMO_PASSWORD) == owner
    staff = User.objects.get(email=demo_data.STAFF_EMAIL)
    assert staff.is_superuser and staff.is_staff
    assert staff.check_password(demo_data.DEMO_PASSWORD)
    assert User.objects.get(email=demo_data.BUYER_EMAIL).check_password(
        demo_data.DEMO_PASSWORD
    )
    assert demo_data.STAFF_MOBILE in output and "/dashboard/" in output
    assert "/cms-admin/" in output and demo_data.DEMO_PASSWORD in output


def test_the_summary_is_short_and_its_logins_work(client, settings):
    """The default output is a short summary whose every login works as printed
    (the mobile number: the login form refuses an e-mail) and which says where
    SMS codes go under `make run`; the demo orders' messages are not printed."""
    settings.SMS_BACKEND = "marketplace.accounts.sms.ConsoleSmsBackend"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command(
            "seed_demo", stdout=out, stderr=err, site_address="127.0.0.1:8123", **SMALL
        )
    output = out.getvalue()
    assert len(output.splitlines()) <= 12, output
    assert not re.search(r"----- SMS to \+98\d", output)  # no order's SMS
    assert "e-mail" not in output
    assert err.getvalue() == ""  # no progress bars
    assert "printed in the terminal that runs the server" in output
    assert "http://127.0.0.1:8123/" in output
    mobiles = re.findall(r"\b09\d{9}\b", output)
    assert demo_data.STAFF_MOBILE in mobiles and demo_data.BUYER_MOBILE in mobiles
    for mobile in mobiles:
        client.logout()
        response = client.post(
            reverse("accounts:login"),
            {"phone": mobile, "password": demo_data.DEMO_PASSWORD},
        )
        assert response.status_code == 302, (mobile, response.content.decode()[:300])
    client.logout()
    refused = client.post(
        reverse("accounts:login"),
        {"phone": demo_data.BUYER_EMAIL, "password": demo_data.DEMO_PASSWORD},
    )
    assert refused.status_code == 200


def test_verbose_prints_the_details():
    output = seed(verbose=True)
    assert "product images:" in output and "bazaars:" in output


def test_every_product_has_one_stock_record_category_and_picture(media_root):
    seed()

    products = Product.objects.prefetch_related(
        "stockrecords__partner__seller", "categories", "images"
    )
    now = timezone.now()
    dates = set()
    for product in products:
        (record,) = product.stockrecords.all()
        (category,) = product.categories.all()
        (image,) = product.images.all()
        seller = record.partner.seller
        assert re.fullmatch(r"DV\d{7}", product.upc)
        assert record.partner_sku == product.upc
        assert record.price_currency == "IRR"
        assert Decimal(350_000) <= record.price <= Decimal(25_000_000)
        assert record.price % 10_000 == 0
        assert 0 <= record.num_in_stock <= 30
        assert category.is_leaf()
        assert category.get_parent().name == _trade_category(seller)
        assert image.display_order == 0
        assert (media_root / image.original.name).is_file()
        # WebP and JPEG at every photo size, as a seller's own photo has.
        assert set(image.variants) == set(settings.PRODUCT_PHOTO_SIZES)
        for size, variant in image.variants.items():
            side = min(settings.PRODUCT_PHOTO_SIZES[size], 600)
            assert (variant["width"], variant["height"]) == (side, side)
            for fmt in ("webp", "jpeg"):
                stored = media_root / variant[fmt]
                assert Image.open(stored).format == fmt.upper()
                assert Image.open(stored).size == (side, side)
        assert now - product.date_created <= timezone.timedelta(days=366)
        dates.add(product.date_created)
    assert len(dates) > 1


def _trade_category(seller: Seller) -> str:
    return next(
        t.category_name for t in demo_data.TRADES if t.occupation == seller.trade
    )


def test_no_public_text_or_file_name_mentions_welfare():
    seed(sellers=24, products=120)

    public_texts = [
        *Seller.objects.values_list("brand_name", flat=True),
        *Seller.objects.values_list("slug", flat=True),
        *Seller.objects.values_list("story", flat=True),
        *Seller.objects.values_list("logo", flat=True),
        *Seller.objects.values_list("partner__name", flat=True),
        *Seller.objects.values_list("partner__code", flat=True),
        *Product.objects.values_list("title", flat=True),
        *Product.objects.values_list("slug", flat=True),
        *Product.objects.values_list("description", flat=True),
        *ProductImage.objects.values_list("original", flat=True),
        *Category.objects.values_list("name", flat=True),
        *Category.objects.values_list("description", flat=True),
    ]
    for text in public_texts:
        for word in LABELLING_WORDS:
            assert word not in text.lower(), (word, text)
    # The staff-only facts do exist, where they belong.
    assert CaseFile.objects.filter(head_of_household=True).exists()


def test_caches_are_dropped_so_approved_booths_can_sell_at_once():
    assert open_partner_ids() == frozenset()

    seed()

    approved = set(
        Seller.objects.filter(status=Seller.Status.APPROVED).values_list(
            "partner_id", flat=True
        )
    )
    assert approved and open_partner_ids() == approved


@pytest.mark.parametrize(
    "options",
    [
        {"products": 100_001},
        {"products": -1},
        {"sellers": 0},
        {"picture_pool": 3},
        {"site_address": "dastavard.ir:80"},
        {"site_address": "127.0.0.1"},
    ],
)
def test_out_of_range_options_are_refused(options):
    with pytest.raises(CommandError):
        seed(**options)


def test_demo_orders_in_every_state_and_idempotent():
    from orders.models import LedgerEntry, Order, SellerOrder

    seed(orders=16)
    statuses = set(SellerOrder.objects.values_list("status", flat=True))
    # Every status but "awaiting payment": that is a card part's, and the demo
    # runs without Stripe keys (no card option; tests/orders/test_card_payments.py).
    assert statuses == {s.value for s in SellerOrder.Status} - {"awaiting_payment"}
    assert set(SellerOrder.objects.values_list("cancelled_by", flat=True)) >= {
        "seller",
        "buyer",
        "system",
    }
    count = Order.objects.count()
    assert count == 16
    assert Order.objects.filter(user__username="+989120000200").exists()
    assert LedgerEntry.objects.exists()
    seed(orders=16)
    assert Order.objects.count() == count


def test_the_demo_seller_logins_find_their_inbox_and_ledger_full():
    """Whoever logs in as the seller accounts `seed_demo` prints sees parts in
    every state and a ledger, not an empty inbox."""
    import re

    from orders.models import LedgerEntry, SellerOrder

    out = seed(orders=16)
    mobiles = re.findall(r"(?:individual|group) seller owner: (09\d{9})", out)
    assert len(mobiles) == 2, out
    for mobile in mobiles:
        booth = Seller.objects.get(
            members__role="owner", members__user__username="+98" + mobile[1:]
        )
        statuses = set(
            SellerOrder.objects.filter(seller=booth).values_list("status", flat=True)
        )
        # 16 orders: 8 parts each, one per scenario (marketplace.demo.orders.SCENARIOS)
        assert statuses >= {"new", "accepted", "delivered", "cancelled"}, statuses
        assert statuses & {"ready", "shipped"}, statuses
        cancelled_by = set(
            SellerOrder.objects.filter(seller=booth).values_list(
                "cancelled_by", flat=True
            )
        )
        assert cancelled_by >= {"seller", "buyer", "system"}, cancelled_by
        assert LedgerEntry.objects.filter(seller=booth).exists()


def test_demo_bazaars_one_running_two_coming_with_stalls_and_sales(client):
    from django.utils.html import escape

    from cms.models import BazaarPage
    from marketplace.dignity import LABELLING_WORDS
    from orders.models import LedgerEntry, StallSale
    from sellers.models import Bazaar, BazaarSetAside, BazaarStall

    seed()
    phases = sorted(b.phase() for b in Bazaar.objects.all())
    assert phases == ["coming", "coming", "running"]
    running = Bazaar.objects.running().get()
    assert running.stalls.count() >= 3
    assert all(s.seller.status == "approved" for s in BazaarStall.objects.all())
    assert BazaarSetAside.objects.filter(stall__bazaar=running).exists()
    sales = StallSale.objects.filter(stall__bazaar=running)
    assert sales.exists()
    assert LedgerEntry.objects.filter(stall_sale__in=sales).count() == 2 * sales.count()
    for bazaar in Bazaar.objects.all():
        assert not any(word in bazaar.name for word in LABELLING_WORDS)
        # Every demo bazaar has its map link, and its page shows it.
        assert bazaar.map_url.startswith("https://www.openstreetmap.org/")
        page = BazaarPage.objects.get(bazaar=bazaar)
        body = client.get(page.url).content.decode()
        assert f'href="{escape(bazaar.map_url)}"' in body and "مسیر روی نقشه" in body
    counts = (Bazaar.objects.count(), BazaarStall.objects.count(), sales.count())
    seed()
    assert (
        Bazaar.objects.count(),
        BazaarStall.objects.count(),
        sales.count(),
    ) == counts


def test_applications_in_the_queue_waited_days_to_a_few_weeks():
    """The approval queue shows how long each application has waited: «۵۰۲ روز»
    read as a broken queue (issue 24 §3.8)."""
    from sellers.workflow import OPEN_STATUSES

    waiting = [p for p in plan_sellers(200) if p.status in OPEN_STATUSES]
    assert waiting
    assert all(1 <= p.created_days_ago <= 28 for p in waiting), [
        p.created_days_ago for p in waiting
    ]
    assert all(0 < p.decided_days_after < p.created_days_ago for p in waiting)


@pytest.mark.parametrize(
    "today",
    [
        dt.date(2026, 12, 7),  # 16 Azar: Nowruz is months away
        dt.date(2027, 1, 10),  # 20 Dey
        dt.date(2027, 3, 12),  # 21 Esfand: this year's has begun, so next year's
        dt.date(2027, 3, 25),  # 5 Farvardin
        dt.date(2027, 8, 1),  # Mordad
    ],
)
def test_the_nowruz_bazaar_is_held_in_late_esfand(today):
    """A «نوروزی» bazaar seeded in Dey was dated in Dey (issue 24 §3.8)."""
    import jdatetime

    from marketplace.demo.seeding.bazaars import DEMO_BAZAARS, bazaar_plan_dates

    (nowruz,) = [plan for plan in DEMO_BAZAARS if "نوروزی" in plan.name]
    start, end = bazaar_plan_dates(nowruz, today)
    first = jdatetime.date.fromgregorian(date=start)
    last = jdatetime.date.fromgregorian(date=end)
    assert (first.month, first.day) == (12, 20)
    assert last.month == 12 and last.year == first.year
    assert today <= start <= today + dt.timedelta(days=366)
    # the others are relative to the day of seeding, none named for a season
    for plan in DEMO_BAZAARS:
        if plan is not nowruz:
            assert bazaar_plan_dates(plan, today)[0] == today + dt.timedelta(
                days=plan.starts_in
            )
