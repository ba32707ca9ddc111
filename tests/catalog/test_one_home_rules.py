"""The rules that have one home: "live product" (`ProductQuerySet.live()` /
`Product.is_live`), "on holiday on a date" (`Seller.holiday_covers`), "booth
open" (`Seller.is_public` / `Seller.objects.public()`), "buyable"
(`sellers.partner.strategy.purchase_blocker`), "made to order"
(`Product.is_made_to_order`), toman ↔ rial (`marketplace.persian`), the district
list (`marketplace.forms.DISTRICTS`), Jalali dates typed by people
(`marketplace.forms.PersianDateField`) and the Iranian week
(`orders.calendar.week_start`); and every place that used to restate them."""

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.cards import product_cards
from catalog.models import Product
from catalog.selectors import product_list_public
from sellers.models import Seller
from sellers.partner.strategy import Selector
from sellers.selectors import partner_holiday_until
from tests.factories import SellerFactory, make_product, seller_with_owner

pytestmark = pytest.mark.django_db

M = Product.Moderation
HOLIDAY_TAG = "در تعطیلات تا"

# Every combination of the fields the rule reads.
STATES = list(
    itertools.product(
        [True, False],  # is_public
        [False, True],  # is_paused
        [False, True],  # deleted
        list(M.values),  # moderation
    )
)


def _product_in_state(seller, is_public, is_paused, deleted, moderation) -> Product:
    product = make_product(seller=seller, is_public=is_public)
    Product.objects.filter(pk=product.pk).update(
        is_paused=is_paused,
        deleted_at=timezone.now() if deleted else None,
        moderation_status=moderation,
    )
    product.refresh_from_db()
    return product


def test_live_queryset_and_is_live_agree_for_every_state():
    seller = SellerFactory()
    products = {state: _product_in_state(seller, *state) for state in STATES}
    live_ids = set(Product.objects.live().values_list("pk", flat=True))
    for (is_public, is_paused, deleted, moderation), product in products.items():
        expected = (
            is_public and not is_paused and not deleted and moderation == M.APPROVED
        )
        assert product.is_live is expected, (is_public, is_paused, deleted, moderation)
        assert (product.pk in live_ids) is expected


def test_the_public_listing_and_the_strategy_apply_the_live_rule():
    seller = SellerFactory()
    products = {state: _product_in_state(seller, *state) for state in STATES}
    listed = set(product_list_public().values_list("pk", flat=True))
    strategy = Selector().strategy()
    for product in products.values():
        assert (product.pk in listed) is product.is_live
        info = strategy.fetch_for_product(product)
        assert info.availability.is_available_to_buy is product.is_live


def test_the_panel_marks_live_only_what_is_live(client):
    seller, owner = seller_with_owner("+989121110000")
    live = make_product(seller=seller, title="کیف زنده")
    hidden = make_product(seller=seller, title="کیف پنهان", is_public=False)
    client.force_login(owner)
    body = client.get(
        reverse("catalog_panel:product_list", kwargs={"seller_id": seller.pk})
    ).content.decode()
    rows = {
        title: body.split(title, 1)[1].split("</li>", 1)[0]
        for title in (live.title, hidden.title)
    }
    assert "state-live" in rows[live.title]
    assert "state-live" not in rows[hidden.title]


# --- on holiday, on a date --------------------------------------------------------


@pytest.mark.parametrize(
    ("until_offset", "on_holiday"),
    [(None, False), (-1, False), (0, True), (1, True), (30, True)],
)
@pytest.mark.dates
def test_holiday_covers_through_its_last_day(until_offset, on_holiday):
    day = timezone.localdate()
    until = None if until_offset is None else day + dt.timedelta(days=until_offset)
    assert Seller.holiday_covers(until, day) is on_holiday
    assert Seller(holiday_until=until).on_holiday(day) is on_holiday


def test_the_strategy_and_the_booth_page_ask_the_same_rule(client, monkeypatch):
    seller = SellerFactory(holiday_until=timezone.localdate())
    product = make_product(seller=seller)
    assert seller.on_holiday_today
    assert partner_holiday_until(seller.partner_id) == seller.holiday_until
    info = Selector().strategy().fetch_for_product(product)
    assert info.availability.code == "holiday"
    assert (
        'data-testid="holiday"'
        in client.get(seller.get_absolute_url()).content.decode()
    )

    tomorrow = seller.holiday_until + dt.timedelta(days=1)
    assert partner_holiday_until(seller.partner_id, today=tomorrow) is None
    assert not seller.on_holiday(tomorrow)


def _an_hour_into(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(1, 0)))


def test_a_holiday_that_ended_an_hour_ago_shows_no_tag_from_a_warm_card_cache(
    settings, monkeypatch, django_assert_num_queries
):
    settings.CARD_CACHE_SECONDS = 600
    today = timezone.localdate()
    seller = SellerFactory(holiday_until=today)  # her last day off is today
    product = make_product(seller=seller)
    (card,) = product_cards([product.pk])  # renders and caches the card
    assert HOLIDAY_TAG in card

    # An hour after midnight, her holiday ended an hour ago. The card is still
    # in the cache (no query renders it again), and it shows no holiday.
    later = _an_hour_into(today + dt.timedelta(days=1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_assert_num_queries(0):
        (card,) = product_cards([product.pk])
    assert HOLIDAY_TAG not in card
    assert product.title in card


def test_a_holiday_that_just_started_shows_on_a_card_cached_before_it(settings):
    settings.CARD_CACHE_SECONDS = 600
    seller = SellerFactory()
    product = make_product(seller=seller)
    (card,) = product_cards([product.pk])
    assert HOLIDAY_TAG not in card

    seller.holiday_until = timezone.localdate() + dt.timedelta(days=3)
    seller.save()
    (card,) = product_cards([product.pk])
    assert HOLIDAY_TAG in card


def test_cards_with_the_cache_off_decide_the_holiday_the_same_way(
    settings, monkeypatch
):
    settings.CARD_CACHE_SECONDS = 0
    today = timezone.localdate()
    product = make_product(seller=SellerFactory(holiday_until=today))
    assert HOLIDAY_TAG in product_cards([product.pk])[0]
    later = _an_hour_into(today + dt.timedelta(days=1))
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert HOLIDAY_TAG not in product_cards([product.pk])[0]


# --- smaller ones -----------------------------------------------------------------


def test_one_district_list_with_persian_digits_for_buyers_and_staff(client):
    from catalog.forms import ProductFilterForm
    from marketplace.forms import DISTRICT_CHOICES
    from sellers.forms_staff import QueueFilterForm

    assert ProductFilterForm().fields["district"].choices == DISTRICT_CHOICES
    assert QueueFilterForm().fields["district"].choices == DISTRICT_CHOICES
    body = client.get(reverse("catalogue:index")).content.decode()
    assert "منطقه ۲۲" in body
    assert "منطقه 22" not in body


@pytest.mark.dates
@pytest.mark.parametrize("typing", ["jalali-persian", "jalali-short", "iso"])
@pytest.mark.parametrize(("offset", "future"), [(-3, False), (0, False), (3, True)])
def test_one_persian_date_field_for_the_holiday_and_mentoring_forms(
    typing, offset, future
):
    import jdatetime

    from marketplace.persian import to_persian_digits
    from sellers.forms_staff import MentoringSessionForm
    from sellers.panel.forms import HolidayForm

    expected = timezone.localdate() + dt.timedelta(days=offset)
    j = jdatetime.date.fromgregorian(date=expected)
    typed = {
        "jalali-persian": to_persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}"),
        "jalali-short": f"{j.year}-{j.month}-{j.day}",
        "iso": expected.isoformat(),
    }[typing]
    holiday = HolidayForm({"until": typed})
    assert holiday.is_valid(), holiday.errors
    assert holiday.cleaned_data["until"] == expected
    session = MentoringSessionForm({"held_on": typed, "topic": "قیمت"})
    # a future date is refused by the form's own rule, not by the parser
    assert session.is_valid() is not future
    if future:
        assert "آینده" in session.errors["held_on"][0]
    else:
        assert session.cleaned_data["held_on"] == expected
    assert type(holiday.fields["until"]) is type(session.fields["held_on"])


# --- one home, checked in the source -------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("catalog", "cms", "marketplace", "orders", "sellers")


def _sources(*, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Project source files by path (migrations and the demo data left out: the
    seed data writes booths in every state on purpose)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = path.relative_to(ROOT).as_posix()
            if "/migrations/" in name or name.startswith("marketplace/demo/"):
                continue
            if name in skip:
                continue
            found[name] = path.read_text(encoding="utf-8")
    return found


def _where(pattern: str, *, skip: tuple[str, ...] = ()) -> list[str]:
    regex = re.compile(pattern)
    return sorted(
        f"{name}:{number}"
        for name, text in _sources(skip=skip).items()
        for number, line in enumerate(text.splitlines(), start=1)
        if regex.search(line)
    )


def test_the_source_walk_reads_the_project():
    sources = _sources()
    assert "orders/parts.py" in sources and "sellers/models.py" in sources
    assert len(sources) > 150


def test_booth_open_is_written_once():
    """Nothing compares a booth's status with "approved" but its home."""
    inline = r"status\w*\s*(==|!=|=)\s*((Seller\.)?Status|S)\.APPROVED"
    literal = r"""status\w*\s*(==|!=|=)\s*["']approved["']"""
    assert _where(inline) == []
    assert _where(literal) == []
    # The pattern does find the old spelling.
    assert re.search(inline, "seller.status != Seller.Status.APPROVED")


@pytest.mark.parametrize("status", list(Seller.Status.values))
def test_booth_open_queryset_and_property_agree(status):
    seller = SellerFactory(status=status)
    assert seller.is_public is (status == Seller.Status.APPROVED)
    assert Seller.objects.public().filter(pk=seller.pk).exists() is seller.is_public
    assert (
        Seller.objects.filter(Seller.public_q(), pk=seller.pk).exists()
        is seller.is_public
    )


# Every fact "buyable" reads: booth status, holiday, product live, made to order
# with her week full or not.
BUYABLE_STATES = list(
    itertools.product(
        [Seller.Status.APPROVED, Seller.Status.SUSPENDED],
        [False, True],  # on holiday today
        [True, False],  # product live
        [False, True],  # made to order
        [False, True],  # her week is full
    )
)


@pytest.mark.parametrize(
    ("status", "on_holiday", "live", "made_to_order", "week_full"), BUYABLE_STATES
)
def test_the_strategy_and_the_basket_parts_agree_on_buyable(
    status, on_holiday, live, made_to_order, week_full
):
    """`orders.parts.line_problem` (basket, checkout, placement) and the partner
    strategy (every page) give the same answer from the same facts."""
    from orders.calendar import week_start
    from orders.parts import line_problem
    from sellers.models import SellerWeekLoad
    from sellers.selectors import open_partner_ids_invalidate, week_full_invalidate

    today = timezone.localdate()
    seller = SellerFactory(
        status=status,
        holiday_until=today + dt.timedelta(days=2) if on_holiday else None,
        weekly_capacity=3,
    )
    product = make_product(seller=seller, made_to_order=made_to_order)
    if not live:
        Product.objects.filter(pk=product.pk).update(is_paused=True)
        product.refresh_from_db()
    if week_full:
        SellerWeekLoad.objects.create(
            seller=seller, week_start=week_start(today), units=3
        )
    open_partner_ids_invalidate()
    week_full_invalidate()

    stockrecord = product.stockrecords.get()
    problem = line_problem(
        product=product,
        stockrecord=stockrecord,
        seller=seller,
        quantity=1,
        week_units_left=0 if week_full else 3,
        today=today,
    )
    info = Selector().strategy().fetch_for_product(product, stockrecord)
    expected = (
        status == Seller.Status.APPROVED
        and not on_holiday
        and live
        and not (made_to_order and week_full)
    )
    assert (problem is None) is expected, problem
    assert info.availability.is_available_to_buy is expected
    if status == Seller.Status.APPROVED and on_holiday:
        assert info.availability.code == "holiday"


def test_buyable_is_decided_in_one_place():
    """`orders.parts` restates none of the rule: it asks `purchase_blocker`."""
    parts = (ROOT / "orders/parts.py").read_text(encoding="utf-8")
    assert "purchase_blocker(" in parts
    for restated in ("holiday_covers", "moderation_status", "is_paused", "deleted_at"):
        assert restated not in parts, restated


def test_made_to_order_has_one_source_of_truth():
    """`Product.fulfilment` is the truth (`Product.is_made_to_order`); the product
    class's `track_stock`, which Oscar reads, is derived from it by
    `catalog.services` and agrees."""
    from catalog.services import _product_class

    F = Product.Fulfilment
    for fulfilment in F.values:
        product = Product(fulfilment=fulfilment)
        product_class = _product_class(fulfilment)
        assert product.is_made_to_order is (fulfilment == F.MADE_TO_ORDER)
        assert product_class.track_stock is not product.is_made_to_order
    # Our code never reads the class to decide.
    assert (
        _where(r"track_stock", skip=("catalog/services.py", "catalog/models.py")) == []
    )
    assert _where(r"""(==|!=)\s*["']made_to_order["']""") == []


def test_toman_and_rial_are_converted_in_one_place():
    assert (
        _where(r"RIALS_PER_TOMAN|\*\s*10\b|/\s*10\b", skip=("marketplace/persian.py",))
        == []
    )


def test_the_exchange_rate_form_parses_with_the_shared_fields():
    from marketplace.forms import PersianDateField, TomanField
    from orders.forms import ExchangeRateForm

    fields = ExchangeRateForm.base_fields
    assert isinstance(fields["toman"], TomanField)
    assert isinstance(fields["effective_on"], PersianDateField)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    from marketplace.persian import format_jalali_numeric

    form = ExchangeRateForm(
        {"toman": "۱۰۵٬۰۰۰", "effective_on": format_jalali_numeric(yesterday)}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"toman": 1_050_000, "effective_on": yesterday}


def test_the_panel_fee_is_parsed_by_the_toman_field():
    from orders.views.panel import _money

    assert _money("۱۲۳٬۰۰۰") == 1_230_000
    assert _money("") is None
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _money("ده")
    assert error.value.messages == ["مبلغ را با عدد و به تومان بنویسید."]


def test_one_district_list_everywhere():
    from catalog.search.forms import SearchForm
    from marketplace.forms import DISTRICTS
    from orders.checkout.forms import AddressForm

    assert SearchForm.base_fields["district"].choices[1:] == DISTRICTS
    assert AddressForm.base_fields["district"].choices[1:] == DISTRICTS
    assert DISTRICTS[-1] == ("22", "منطقه ۲۲")
    assert _where(r"range\(1,\s*23\)", skip=("marketplace/forms.py",)) == []


def test_jalali_dates_are_parsed_in_one_place():
    assert _where(r"jdatetime\.date\(", skip=("marketplace/forms.py",)) == []


def test_the_iranian_week_starts_in_one_place():
    from orders import calendar
    from sellers import selectors

    assert selectors.week_start is calendar.week_start
    assert calendar.week_start(dt.date(2026, 12, 11)) == dt.date(2026, 12, 5)  # Fri
    assert calendar.week_start(dt.date(2026, 12, 5)) == dt.date(2026, 12, 5)  # Sat
    assert _where(r"weekday\(\)\s*-", skip=("orders/calendar.py",)) == []
