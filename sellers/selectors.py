"""Read-side queries for sellers, shaped for the pages that use them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.calendar import week_start  # the Iranian week's one home

from .models import (
    Bazaar,
    BazaarSetAside,
    BazaarStall,
    BazaarVisitDay,
    Delegation,
    KowsarCentre,
    MentoringSession,
    Province,
    Requirement,
    RequirementCheck,
    Seller,
    SellerAuditEntry,
    SellerInvitation,
    SellerMember,
    SellerWeekLoad,
)
from .workflow import OPEN_STATUSES

_OPEN_BOOTHS_KEY = "sellers:open-booths:v2"
_PROVINCES_KEY = "sellers:provinces:v1"


def seller_list_public() -> QuerySet[Seller]:
    """Booths the public may see: approved ones only."""
    return Seller.objects.public().select_related("district")


def open_booths() -> tuple[frozenset[int], dict[int, dt.date]]:
    """(partner ids of approved booths, {partner id: holiday_until} of those with a
    holiday date set), as one cache entry, built with one query. Read it once
    and pass it to `partner_holiday_until` to ask many times (the strategy)."""
    booths = cache.get(_OPEN_BOOTHS_KEY)
    if booths is None:
        rows = list(Seller.objects.public().values_list("partner_id", "holiday_until"))
        booths = (
            frozenset(partner_id for partner_id, _ in rows),
            {partner_id: until for partner_id, until in rows if until is not None},
        )
        cache.set(_OPEN_BOOTHS_KEY, booths, 300)
    return booths


def open_partner_ids() -> frozenset[int]:
    """Partner ids of booths that may sell now.

    Read on every price/availability decision, so it is cached as one small set
    and invalidated whenever a seller changes (sellers.receivers).
    """
    return open_booths()[0]


def partner_holiday_until(
    partner_id: int,
    *,
    today: dt.date | None = None,
    booths: tuple[frozenset[int], dict[int, dt.date]] | None = None,
) -> dt.date | None:
    """The date an open booth is on holiday until (inclusive), or None if it is
    working today. From the same cache entry as `open_partner_ids` (or `booths`,
    that entry as read by `open_booths`): no query."""
    until = (booths or open_booths())[1].get(partner_id)
    if not Seller.holiday_covers(until, today or timezone.localdate()):
        return None
    return until


def open_partner_ids_invalidate() -> None:
    cache.delete(_OPEN_BOOTHS_KEY)


def province_list() -> tuple[Province, ...]:
    """Iran's provinces in name order, for every form and address that names one.

    Reference data a migration loads and staff hardly ever touch, read by each
    checkout page: kept in the cache (an hour at most) and dropped whenever a
    province is saved or deleted (sellers.receivers), so a page costs no query.
    """
    provinces = cache.get(_PROVINCES_KEY)
    if provinces is None:
        provinces = tuple(Province.objects.order_by("name"))
        cache.set(_PROVINCES_KEY, provinces, 3600)
    return provinces


def province_by_pk(pk) -> Province | None:
    """The province with this primary key (int or its text), or None."""
    key = str(pk)
    return next((p for p in province_list() if str(p.pk) == key), None)


def province_tehran() -> Province | None:
    return next((p for p in province_list() if p.is_tehran), None)


def province_list_invalidate() -> None:
    cache.delete(_PROVINCES_KEY)


def _week_full_key(week: dt.date) -> str:
    return f"sellers:week-full:{week.isoformat()}"


def partner_ids_week_full(*, today: dt.date | None = None) -> frozenset[int]:
    """Partner ids of booths whose weekly made-to-order capacity is used up this
    week: their made-to-order products cannot be bought until Saturday. One small
    cached set (one query when cold), dropped by order placement and cancellation
    (`week_full_invalidate`)."""
    week = week_start(today or timezone.localdate())
    key = _week_full_key(week)
    full = cache.get(key)
    if full is None:
        full = frozenset(
            SellerWeekLoad.objects.filter(
                week_start=week,
                seller__weekly_capacity__isnull=False,
                units__gte=F("seller__weekly_capacity"),
            ).values_list("seller__partner_id", flat=True)
        )
        cache.set(key, full, 300)
    return full


def week_full_invalidate(*, today: dt.date | None = None) -> None:
    cache.delete(_week_full_key(week_start(today or timezone.localdate())))


def _bazaar_pickups_key(day: dt.date) -> str:
    return f"sellers:bazaar-pickups:{day.isoformat()}"


def bazaar_pickups(*, today: dt.date | None = None) -> dict[int, str]:
    """{seller id: where to collect} for booths with a stall at a bazaar running
    today (`Bazaar.objects.running`): checkout offers them pickup there. One
    cached dict per day (one query when cold), so the basket and checkout pages
    stay at their query counts; dropped when a bazaar or a stall changes
    (`bazaar_pickups_invalidate`). A booth at two running bazaars is offered the
    one that started first."""
    day = today or timezone.localdate()
    key = _bazaar_pickups_key(day)
    pickups = cache.get(key)
    if pickups is None:
        pickups = {}
        stalls = (
            BazaarStall.objects.filter(bazaar__in=Bazaar.objects.running(day))
            .select_related("bazaar")
            .order_by("bazaar__starts_on", "bazaar_id")
        )
        for stall in stalls:
            pickups.setdefault(stall.seller_id, bazaar_pickup_place(stall))
        cache.set(key, pickups, 300)
    return pickups


def bazaar_pickup_place(stall: BazaarStall) -> str:
    """Where a buyer collects at this stall, in Persian: «بازارچهٔ …، بوستان لاله —
    جایگاه ۱، ساعت ۱۰ تا ۲۰». The place is left out when the bazaar's name
    already says it (a bazaar is often named after its park)."""
    from marketplace.persian import to_persian_digits

    bazaar = stall.bazaar
    where = bazaar.name.strip()
    place = bazaar.place.strip()
    if place and place.split("،")[0].strip() not in where:
        where = f"{where}، {place}"
    text = f"{where} — جایگاه {to_persian_digits(stall.stall_number)}"
    hours = bazaar.opening_hours.strip().removeprefix("ساعت").strip()
    if hours:
        text += f"، ساعت {to_persian_digits(hours)}"
    return text


def bazaar_pickups_invalidate(*, today: dt.date | None = None) -> None:
    cache.delete(_bazaar_pickups_key(today or timezone.localdate()))


def bazaar_list_staff() -> QuerySet[Bazaar]:
    """Bazaars for the staff list, newest first, with their stall counts and
    QR visits: one query."""
    return (
        Bazaar.objects.select_related("district")
        .annotate(
            stall_count=Count("stalls", distinct=True),
            visit_total=Coalesce(
                Subquery(
                    BazaarVisitDay.objects.filter(stall__bazaar=OuterRef("pk"))
                    .order_by()
                    .values("stall__bazaar")
                    .annotate(n=Sum("visits"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("-starts_on", "pk")
    )


def bazaar_stalls_staff(bazaar: Bazaar) -> QuerySet[BazaarStall]:
    """A bazaar's stalls for the staff page: booth, visits, set-aside units
    held and units sold at the stall, in one query."""
    return (
        BazaarStall.objects.filter(bazaar=bazaar)
        .select_related("seller")
        .annotate(
            visits=Coalesce(
                Subquery(
                    BazaarVisitDay.objects.filter(stall=OuterRef("pk"))
                    .order_by()
                    .values("stall")
                    .annotate(n=Sum("visits"))
                    .values("n")
                ),
                0,
            ),
            held=Coalesce(
                Subquery(
                    BazaarSetAside.objects.filter(stall=OuterRef("pk"))
                    .order_by()
                    .values("stall")
                    .annotate(n=Sum("units"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("stall_number", "pk")
    )


def seller_stalls(seller: Seller) -> QuerySet[BazaarStall]:
    """Her stalls, the coming and running first (panel), with the bazaar."""
    return (
        BazaarStall.objects.filter(seller=seller)
        .select_related("bazaar", "bazaar__district")
        .order_by("-bazaar__ends_on", "pk")
    )


# --- Staff (programme staff pages; never imported by public code) ---------------


def seller_queue(
    *,
    statuses: Iterable[str] | None = OPEN_STATUSES,
    district_number: int | None = None,
    centre_id: int | None = None,
    programme_id: int | None = None,
    waiting_more_than_days: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Seller]:
    """Sellers for the staff approval queue, longest waiting first.

    One query whatever the number of sellers: district, centre and programme are
    joined; members, ticked checklist items and the owner's phone are annotated.
    `waiting_since` is when she (last) submitted, or when the file was created.
    By default the open statuses (`workflow.OPEN_STATUSES`); `statuses=None`
    means every status.
    """
    owner_phone = (
        SellerMember.objects.filter(seller=OuterRef("pk"), role=SellerMember.Role.OWNER)
        .order_by("pk")
        .values("user__username")[:1]
    )
    applies = Q(requirement_checks__requirement__applies_to="all") | Q(
        requirement_checks__requirement__applies_to=F("kind")
    )
    queryset = (
        Seller.objects.select_related("district", "centre", "programme", "mentor")
        .annotate(
            waiting_since=Coalesce("submitted_at", "created_at"),
            member_count=Count("members", distinct=True),
            checks_done=Count(
                "requirement_checks",
                filter=Q(
                    requirement_checks__done=True,
                    requirement_checks__requirement__is_active=True,
                )
                & applies,
                distinct=True,
            ),
            owner_phone=Subquery(owner_phone),
        )
        .order_by("waiting_since", "pk")
    )
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    if district_number is not None:
        queryset = queryset.filter(district__number=district_number)
    if centre_id is not None:
        queryset = queryset.filter(centre_id=centre_id)
    if programme_id is not None:
        queryset = queryset.filter(programme_id=programme_id)
    if waiting_more_than_days is not None:
        cutoff = (now or timezone.now()) - dt.timedelta(days=waiting_more_than_days)
        queryset = queryset.filter(waiting_since__lte=cutoff)
    return queryset


def requirement_totals() -> dict[str, int]:
    """How many active checklist items each kind of seller has, in one query:
    {"individual": n, "group": m}."""
    counts = dict(
        Requirement.objects.filter(is_active=True)
        .order_by()
        .values_list("applies_to")
        .annotate(n=Count("pk"))
        .values_list("applies_to", "n")
    )
    shared = counts.get(Requirement.AppliesTo.ALL, 0)
    return {kind: shared + counts.get(kind, 0) for kind in Seller.Kind.values}


def seller_for_staff_file(*, seller_id: int) -> Seller | None:
    """One seller with what the staff file page shows (never her case file)."""
    return (
        Seller.objects.select_related(
            "district", "centre", "centre__district", "programme", "mentor", "partner"
        )
        .prefetch_related(
            Prefetch(
                "members", SellerMember.objects.select_related("user").order_by("pk")
            ),
            Prefetch(
                "invitations", SellerInvitation.objects.select_related("invited_by")
            ),
            Prefetch(
                "requirement_checks",
                RequirementCheck.objects.select_related("checked_by"),
            ),
            Prefetch(
                "mentoring_sessions",
                MentoringSession.objects.select_related("recorded_by"),
            ),
            Prefetch("audit_entries", SellerAuditEntry.objects.select_related("actor")),
            "notifications",
        )
        .filter(pk=seller_id)
        .first()
    )


def mentor_candidates() -> QuerySet:
    """Active staff users who may mentor sellers (mentor or review permission,
    directly or through a group, or superusers)."""
    codenames = ["mentor_seller", "review_seller"]
    has_perm = Q(
        user_permissions__content_type__app_label="sellers",
        user_permissions__codename__in=codenames,
    ) | Q(
        groups__permissions__content_type__app_label="sellers",
        groups__permissions__codename__in=codenames,
    )
    return (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .filter(Q(is_superuser=True) | has_perm)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def phone_is_booth_member(phone: str) -> bool:
    """This number (E.164) logs in as a member of some booth."""
    return SellerMember.objects.filter(user__username=phone).exists()


def delegations_live_by_centre(*, centre_id: int | None = None) -> list[tuple]:
    """Live delegations grouped by the booth's Kowsar centre (booths without
    one last): [(centre or None, [delegation, ...]), ...]."""
    delegations = (
        Delegation.objects.filter(Delegation.live_q())
        .select_related("seller__centre__district", "delegate")
        .order_by("seller__centre__name", "seller__brand_name", "pk")
    )
    if centre_id is not None:
        delegations = delegations.filter(seller__centre_id=centre_id)
    groups: dict[int | None, tuple] = {}
    for delegation in delegations:
        centre = delegation.seller.centre
        key = centre.pk if centre else None
        groups.setdefault(key, (centre, []))[1].append(delegation)
    return sorted(groups.values(), key=lambda group: group[0] is None)


def centres_with_delegations() -> QuerySet:
    """The centres whose booths have a live delegation (the staff filter)."""
    return KowsarCentre.objects.filter(
        pk__in=Delegation.objects.filter(Delegation.live_q()).values(
            "seller__centre_id"
        )
    )


def delegated_actions_of(*, user) -> QuerySet:
    """Everything a staff member did for sellers under delegations, across
    booths, newest first ("her own history")."""
    return SellerAuditEntry.objects.filter(delegation__delegate=user).select_related(
        "seller", "actor"
    )
