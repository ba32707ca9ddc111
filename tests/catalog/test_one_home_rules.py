"""The catalogue rules that have one home: "live product"
(`ProductQuerySet.live()` / `Product.is_live`) and "on holiday on a date"
(`Seller.holiday_covers`), and every place that used to restate them."""

import datetime as dt
import itertools

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
