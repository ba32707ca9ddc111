"""Issue 28 §3: reviews from verified buyers.

Only the signed-in buyer of a delivered part reviews its lines, once per line,
within 60 days; labelling words or contact details hold a review for staff,
who publish or reject it in the moderation queue; held reviews are never
public; the booth's average shows from the third published review; the booth
answers a review once, publicly. Oscar's own review pages stay 404
(tests/catalog/test_oscar_doors.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from orders.models import Review, SellerOrder
from orders.reviews import services
from tests.factories import StaffFactory, UserFactory, grant, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought(db):
    """A booth, three approved products, and a buyer's order of all three
    (one part, three lines), not yet delivered."""
    seller, owner = make_booth("+989121114001", name="سفال مهتاب")
    products = [
        make_product(seller=seller, title=title, num_in_stock=5)
        for title in ("کاسهٔ سفالی", "گلدان آبی", "بشقاب نقاشی")
    ]
    Product.objects.filter(pk__in=[p.pk for p in products]).update(
        moderation_status=Product.Moderation.APPROVED
    )
    buyer = UserFactory(
        username="+989351114001", first_name="مریم", last_name="کاظمیان"
    )
    order = place(basket_with([(p, 1) for p in products], owner=buyer))
    order.user = buyer
    order.save()
    part = order.seller_orders.get()
    lines = {line.product_id: line for line in part.lines.all()}
    return {
        "seller": seller,
        "owner": owner,
        "products": products,
        "buyer": buyer,
        "order": order,
        "part": part,
        "lines": [lines[p.pk] for p in products],
    }


def deliver(part, *, days_ago: float = 1) -> None:
    SellerOrder.objects.filter(pk=part.pk).update(
        status=SellerOrder.Status.DELIVERED,
        delivered_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def review_url(line) -> str:
    return reverse("orders:review", kwargs={"line_id": line.pk})


def post_review(client, line, rating=5, text=""):
    return client.post(review_url(line), {"rating": rating, "text": text})


def order_page(client, order) -> str:
    return client.get(reverse("orders:detail", args=[order.number])).content.decode()


def test_the_buyer_of_a_delivered_part_reviews_each_line_once(bought):
    buyer = as_user(bought["buyer"])
    line = bought["lines"][0]
    # not delivered yet: no link, and the form is a 404
    assert review_url(line) not in order_page(buyer, bought["order"])
    assert buyer.get(review_url(line)).status_code == 404
    assert post_review(buyer, line).status_code == 404
    deliver(bought["part"])
    page = order_page(buyer, bought["order"])
    assert review_url(line) in page and 'data-testid="review-link"' in page
    assert buyer.get(review_url(line)).status_code == 200
    response = post_review(buyer, line, rating=4, text="خیلی ظریف و محکم بود")
    assert response.status_code == 302
    review = Review.objects.get(line=line)
    assert review.status == Review.Status.PUBLISHED
    assert (review.rating, review.seller, review.product) == (
        4,
        bought["seller"],
        bought["products"][0],
    )
    # once per line: the link is gone and a second review is a 404
    assert review_url(line) not in order_page(buyer, bought["order"])
    assert post_review(buyer, line, rating=1).status_code == 404
    assert Review.objects.filter(line=line).count() == 1
    # the other lines of the part are still hers to review
    assert review_url(bought["lines"][1]) in order_page(buyer, bought["order"])


def test_only_the_verified_buyer_may_review(bought):
    deliver(bought["part"])
    line = bought["lines"][0]
    other_buyer = UserFactory(username="+989351114002")
    for client in (Client(), as_user(other_buyer), as_user(bought["owner"])):
        assert client.get(review_url(line)).status_code == 404
        assert post_review(client, line).status_code == 404
    assert not Review.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.review_post(user=other_buyer, line_id=line.pk, rating=5)
    assert refused.value.messages == ["برای این کالا اکنون نمی‌توان نظر داد."]


def test_a_cancelled_part_cannot_be_reviewed(bought):
    SellerOrder.objects.filter(pk=bought["part"].pk).update(
        status=SellerOrder.Status.CANCELLED, cancelled_at=timezone.now()
    )
    assert post_review(as_user(bought["buyer"]), bought["lines"][0]).status_code == 404


@pytest.mark.dates
def test_a_review_is_refused_after_60_days(bought):
    buyer = as_user(bought["buyer"])
    deliver(bought["part"], days_ago=59)
    assert post_review(buyer, bought["lines"][0]).status_code == 302
    deliver(bought["part"], days_ago=61)
    assert review_url(bought["lines"][1]) not in order_page(buyer, bought["order"])
    assert post_review(buyer, bought["lines"][1]).status_code == 404
    assert Review.objects.count() == 1


def test_a_bad_rating_is_a_form_error_not_a_500(bought):
    deliver(bought["part"])
    buyer = as_user(bought["buyer"])
    for rating in ("0", "6", "x", ""):
        response = post_review(buyer, bought["lines"][0], rating=rating)
        assert response.status_code == 200
        assert "امتیاز" in response.content.decode()
    assert not Review.objects.exists()


def test_held_reviews_are_never_public_until_staff_publish_them(bought):
    deliver(bought["part"])
    buyer = as_user(bought["buyer"])
    product = bought["products"][0]
    post_review(buyer, bought["lines"][0], text="کار یک مددجوی زحمت‌کش")
    post_review(buyer, bought["lines"][1], text="شماره‌ام ۰۹۱۲ ۳۴۵ ۶۷۸۹ است")
    labelled, contact = Review.objects.order_by("pk")
    assert labelled.status == contact.status == Review.Status.HELD
    assert "labelling" in labelled.hold_reason
    # contact details are never stored, even held
    assert contact.masked and "۶۷۸۹" not in contact.text
    html = Client().get(product.get_absolute_url()).content.decode()
    assert "مددجو" not in html and 'data-testid="review"' not in html
    assert 'data-testid="review"' not in (
        Client().get(bought["products"][1].get_absolute_url()).content.decode()
    )
    # the booth does not see them yet either
    panel = as_user(bought["owner"]).get(
        reverse("orders_panel:reviews", args=[bought["seller"].pk])
    )
    assert "مددجو" not in panel.content.decode()
    # staff see them in the moderation queue they already use
    staff = as_user(grant(StaffFactory(username="+989120004001"), "review_seller"))
    queue = staff.get(reverse("moderation:queue")).content.decode()
    assert queue.count('data-testid="held-review"') == 2
    assert "مددجو" in queue
    decide = "moderation:review_decide"
    staff.post(reverse(decide, args=[labelled.pk]), {"decision": "reject"})
    staff.post(reverse(decide, args=[contact.pk]), {"decision": "publish"})
    labelled.refresh_from_db()
    contact.refresh_from_db()
    assert labelled.status == Review.Status.REJECTED
    assert contact.status == Review.Status.PUBLISHED
    assert "مددجو" not in Client().get(product.get_absolute_url()).content.decode()
    shown = Client().get(bought["products"][1].get_absolute_url()).content.decode()
    assert "[شماره پنهان شد]" in shown
    # a decided review cannot be decided again
    again = staff.post(reverse(decide, args=[labelled.pk]), {"decision": "publish"})
    assert again.status_code == 302
    labelled.refresh_from_db()
    assert labelled.status == Review.Status.REJECTED
    # only moderators
    assert (
        as_user(bought["buyer"])
        .post(reverse(decide, args=[labelled.pk]), {"decision": "publish"})
        .status_code
        == 403
    )


def test_the_product_page_shows_first_names_and_verified_purchase_newest_first(
    bought,
):
    deliver(bought["part"])
    product = bought["products"][0]
    post_review(as_user(bought["buyer"]), bought["lines"][0], 5, "زیبا و محکم")
    second = UserFactory(username="+989351114003", first_name="زهرا سادات")
    order = place(basket_with([(product, 1)], owner=second))
    order.user = second
    order.save()
    part = order.seller_orders.get()
    deliver(part)
    post_review(as_user(second), part.lines.get(), 3, "کمی دیر رسید")
    html = Client().get(product.get_absolute_url()).content.decode()
    assert html.count('data-testid="review"') == 2
    assert html.count("خرید تأییدشده") >= 2
    assert "مریم" in html and "کاظمیان" not in html
    assert "زهرا" in html and "سادات" not in html
    assert html.index("کمی دیر رسید") < html.index("زیبا و محکم")


def test_the_booth_average_is_hidden_below_three_reviews(bought):
    deliver(bought["part"])
    buyer = as_user(bought["buyer"])
    booth_url = bought["seller"].get_absolute_url()
    product_url = bought["products"][0].get_absolute_url()
    post_review(buyer, bought["lines"][0], 5)
    post_review(buyer, bought["lines"][1], 4)
    # a held review does not count either
    post_review(buyer, bought["lines"][2], 1, "با ۰۹۱۲۳۴۵۶۷۸۹ تماس بگیرید")
    assert services.booth_rating(bought["seller"].pk) is None
    for url in (booth_url, product_url):
        assert 'data-testid="booth-rating"' not in Client().get(url).content.decode()
    services.review_moderate(
        review=Review.objects.get(line=bought["lines"][2]),
        actor=StaffFactory(username="+989120004002"),
        publish=True,
    )
    rating = services.booth_rating(bought["seller"].pk)
    assert (str(rating.average), rating.count) == ("3.3", 3)
    for url in (booth_url, product_url):
        html = Client().get(url).content.decode()
        assert 'data-testid="booth-rating"' in html
        assert "۳" in html.split('data-testid="booth-rating"')[1][:120]


def test_the_booth_answers_a_review_once_publicly(bought):
    deliver(bought["part"])
    post_review(as_user(bought["buyer"]), bought["lines"][0], 4, "خوب بود")
    review = Review.objects.get()
    owner = as_user(bought["owner"])
    seller_id = bought["seller"].pk
    reply_url = reverse("orders_panel:review_reply", args=[seller_id, review.pk])
    page = owner.get(reverse("orders_panel:reviews", args=[seller_id]))
    assert page.status_code == 200 and reply_url in page.content.decode()
    assert owner.post(reply_url, {"text": "سپاس از شما"}).status_code == 302
    assert owner.post(reply_url, {"text": "باز هم سپاس"}).status_code == 302
    review.refresh_from_db()
    assert review.reply == "سپاس از شما" and review.replied_at is not None
    html = Client().get(bought["products"][0].get_absolute_url()).content.decode()
    assert "سپاس از شما" in html and "باز هم سپاس" not in html
    # another booth cannot answer it
    other, other_owner = make_booth("+989121114009", name="گلیم آفتاب")
    foreign = reverse("orders_panel:review_reply", args=[other.pk, review.pk])
    assert as_user(other_owner).post(foreign, {"text": "x"}).status_code == 404


def test_a_published_review_reaches_the_cached_pages(bought, settings):
    """With the catalogue and page caches on (as in production), a review
    published after the pages were cached shows on them at once."""
    settings.LISTING_CACHE_SECONDS = 600
    settings.PAGE_CACHE_SECONDS = 30
    deliver(bought["part"])
    product_url = bought["products"][0].get_absolute_url()
    booth_url = bought["seller"].get_absolute_url()
    for url in (product_url, booth_url):
        assert 'data-testid="review' not in Client().get(url).content.decode()
    buyer = as_user(bought["buyer"])
    for line, rating in zip(bought["lines"], (5, 4, 3), strict=True):
        post_review(buyer, line, rating, "دوخت تمیز")
    assert 'data-testid="review"' in Client().get(product_url).content.decode()
    assert 'data-testid="booth-rating"' in Client().get(booth_url).content.decode()
