"""Reviews from verified buyers: the one home of their rules (issue 28 §3).

- **Who may review** (`review_line_for`): only the buyer of a delivered part
  (the signed-in owner of its order), one review per line, within
  `REVIEW_DAYS` of the delivery. Anyone else, another part, an undelivered
  part or a late one: no line (the views answer 404).
- **Before publication** (`review_post`): the text is passed through the
  contact mask (`marketplace.contact_mask`: stored masked) and the dignity scan
  (`marketplace.dignity`). A review with labelling words or contact details is
  held for staff (`Review.Status.HELD`), who publish or reject it in the
  moderation queue (`review_moderate`). A held review is never public.
- **The booth's answer** (`review_reply`): once, public, on a published review.
- **What the storefront shows** (`reviews_for_product`, `booth_rating`): a
  product's published reviews newest first with the buyer's first name only;
  the booth's average and count of published reviews, hidden (None) below
  `RATING_MIN_COUNT`. The pages read them through the catalogue cache
  (`product_reviews_for_page`, `booth_rating_for_page`), tagged with the
  product's and the booth's listing versions, which publishing, answering and
  moderating bump: a warm product page still costs no query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from catalog.cache_version import (
    catalog_cached,
    depends_on,
    listing_booth_version,
    product_version,
)
from marketplace.contact_mask import contact_mask
from marketplace.dignity import labelling_words_in
from marketplace.text import plain_text

from ..models import Line, SellerOrder
from .models import Review

REVIEW_DAYS = 60
RATING_MIN_COUNT = 3
TEXT_MAX = 2000
REPLY_MAX = 1000

HELD_NOTICE = "نظر شما پیش از انتشار را یکی از کارشناسان می‌بیند؛ به‌زودی منتشر می‌شود."


@dataclass(frozen=True)
class BoothRating:
    average: Decimal
    count: int


# --- who ---------------------------------------------------------------------------


def review_window_open(part: SellerOrder, *, now: dt.datetime | None = None) -> bool:
    """A delivered part can be reviewed for REVIEW_DAYS after its delivery."""
    if part.status != SellerOrder.Status.DELIVERED or part.delivered_at is None:
        return False
    now = now or timezone.now()
    return now - part.delivered_at <= dt.timedelta(days=REVIEW_DAYS)


def review_line_for(*, user, line_id: int) -> Line | None:
    """The line this signed-in buyer may review now, or None: her own order's
    line, in a delivered part, within the window, not yet reviewed."""
    if not getattr(user, "is_authenticated", False):
        return None
    line = (
        Line.objects.select_related("seller_order", "order", "product", "seller")
        .filter(pk=line_id, order__user=user, seller_order__isnull=False)
        .first()
    )
    if line is None or not review_window_open(line.seller_order):
        return None
    if Review.objects.filter(line=line).exists():
        return None
    return line


def reviewable_line_ids(*, user, parts) -> set[int]:
    """The lines of these parts (of one order) its buyer may still review: her
    order page's review links, in one query whatever the number of parts."""
    if not getattr(user, "is_authenticated", False):
        return set()
    open_parts = [part.pk for part in parts if review_window_open(part)]
    if not open_parts:
        return set()
    return set(
        Line.objects.filter(
            seller_order__in=open_parts, order__user=user, review__isnull=True
        ).values_list("pk", flat=True)
    )


# --- writing -----------------------------------------------------------------------


def review_post(*, user, line_id: int, rating: int, text: str = "") -> Review:
    """Her review of one delivered line (`review_line_for` says who may). The
    text is stored masked; labelling words or contact details hold it for
    staff. A second review of the same line is refused."""
    line = review_line_for(user=user, line_id=line_id)
    if line is None:
        raise ValidationError("برای این کالا اکنون نمی‌توان نظر داد.")
    if not 1 <= int(rating) <= 5:
        raise ValidationError("امتیاز باید از ۱ تا ۵ باشد.")
    text = plain_text(text or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationError("متن نظر بلندتر از اندازه است.")
    masked = contact_mask(text)
    reasons = []
    if labelling_words_in(text):
        reasons.append("labelling")
    if masked.kinds:
        reasons.append("contact")
    review = Review(
        line=line,
        seller_order=line.seller_order,
        seller=line.seller or line.seller_order.seller,
        product=line.product,
        buyer=user,
        buyer_first_name=_first_name(user),
        rating=int(rating),
        text=masked.text,
        masked=bool(masked.kinds),
        status=Review.Status.HELD if reasons else Review.Status.PUBLISHED,
        hold_reason=",".join(reasons),
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:  # a double click: the line is reviewed
        raise ValidationError("برای این کالا پیش‌تر نظر داده‌اید.") from error
    return review


def review_reply(*, review: Review, seller, user, text: str) -> Review:
    """The booth's one public answer to a published review of its own."""
    if review.seller_id != seller.pk:
        raise ValidationError("این نظر از غرفهٔ شما نیست.")
    if review.status != Review.Status.PUBLISHED:
        raise ValidationError("به این نظر هنوز نمی‌توان پاسخ داد.")
    text = plain_text(text or "").strip()
    if not text:
        raise ValidationError("متن پاسخ خالی است.")
    if len(text) > REPLY_MAX:
        raise ValidationError("متن پاسخ بلندتر از اندازه است.")
    if labelling_words_in(text):
        raise ValidationError("این پاسخ واژه‌هایی دارد که در دستاورد منتشر نمی‌شوند.")
    text = contact_mask(text).text
    now = timezone.now()
    updated = Review.objects.filter(pk=review.pk, replied_at__isnull=True).update(
        reply=text, replied_at=now, replied_by=user
    )
    if not updated:
        raise ValidationError("به این نظر پیش‌تر پاسخ داده‌اید.")
    review.refresh_from_db()
    return review


def review_moderate(*, review: Review, actor, publish: bool) -> Review:
    """Staff publish or reject a held review (only a held one)."""
    updated = Review.objects.filter(pk=review.pk, status=Review.Status.HELD).update(
        status=Review.Status.PUBLISHED if publish else Review.Status.REJECTED,
        moderated_at=timezone.now(),
        moderated_by=actor,
    )
    if not updated:
        raise ValidationError("این نظر دیگر در انتظار بررسی نیست.")
    review.refresh_from_db()
    return review


# --- reading -----------------------------------------------------------------------


def reviews_held() -> QuerySet[Review]:
    """The moderation queue's held reviews, oldest first."""
    return (
        Review.objects.filter(status=Review.Status.HELD)
        .select_related("seller", "product", "buyer")
        .order_by("created_at", "pk")
    )


def reviews_for_product(product_id: int, *, limit: int = 50) -> list[Review]:
    """A product's published reviews, newest first."""
    return list(
        Review.objects.filter(
            product_id=product_id, status=Review.Status.PUBLISHED
        ).order_by("-created_at", "-pk")[:limit]
    )


def reviews_for_booth(seller) -> QuerySet[Review]:
    """The booth's reviews in her panel (held ones are not hers to see yet)."""
    return (
        Review.objects.filter(seller=seller, status=Review.Status.PUBLISHED)
        .select_related("product", "buyer")
        .order_by("-created_at", "-pk")
    )


def booth_rating(seller_id: int) -> BoothRating | None:
    """The booth's average of published reviews and their count, or None below
    RATING_MIN_COUNT (too few to mean anything)."""
    row = Review.objects.filter(
        seller_id=seller_id, status=Review.Status.PUBLISHED
    ).aggregate(average=Avg("rating"), count=Count("pk"))
    if row["count"] < RATING_MIN_COUNT:
        return None
    average = Decimal(str(row["average"])).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return BoothRating(average=average, count=row["count"])


def _first_name(user) -> str:
    return (getattr(user, "first_name", "") or "").strip().split(" ")[0][:150]


def buyer_first_name(review: Review) -> str:
    """Only her first name, as she wrote the review, is ever shown («خریدار»
    without one)."""
    return review.buyer_first_name or "خریدار"


# --- the storefront's pieces, through the catalogue cache ---------------------------


@dataclass(frozen=True)
class ShownReview:
    """What a public page shows of a review (her first name, never more)."""

    rating: int
    text: str
    first_name: str
    created_at: dt.datetime
    reply: str
    replied_at: dt.datetime | None


@dataclass(frozen=True)
class ShownRating:
    rating: BoothRating | None


def _page_piece(key: str, build, versions: list[str]):
    seconds = getattr(settings, "LISTING_CACHE_SECONDS", 0)
    if not seconds:
        depends_on(versions)
        return build()
    return catalog_cached(key, build, seconds, versions=versions)


def product_reviews_for_page(*, product_id: int, partner_id: int) -> list[ShownReview]:
    """`reviews_for_product` as the product page shows it, cached under the
    product's and its booth's listing versions."""

    def build() -> list[ShownReview]:
        return [
            ShownReview(
                rating=r.rating,
                text=r.text,
                first_name=buyer_first_name(r),
                created_at=r.created_at,
                reply=r.reply,
                replied_at=r.replied_at,
            )
            for r in reviews_for_product(product_id)
        ]

    return _page_piece(
        f"reviews:v1:{int(product_id)}",
        build,
        [product_version(product_id), listing_booth_version(partner_id)],
    )


def booth_rating_for_page(*, seller_id: int, partner_id: int) -> BoothRating | None:
    """`booth_rating`, cached under the booth's listing version."""
    shown = _page_piece(
        f"booth-rating:v1:{int(seller_id)}",
        lambda: ShownRating(rating=booth_rating(seller_id)),
        [listing_booth_version(partner_id)],
    )
    return shown.rating
