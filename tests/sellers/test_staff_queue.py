"""The staff approval queue: who may open it, its filters, its order, its Persian
presentation and its constant number of SQL queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from marketplace.persian import format_jalali
from sellers.models import KowsarCentre, Requirement, RequirementCheck, Seller
from tests.factories import DistrictFactory
from tests.sellers.staff_fixtures import make_seller, messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

QUEUE = reverse("sellers_staff:queue")
S = Seller.Status


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days, hours=1)


def brands(response) -> list[str]:
    return [seller.brand_name for seller in response.context["sellers"]]


@pytest.fixture
def queue_sellers(
    staff_d20, staff_d4, staff_municipality, staff_behzisti, staff_centre20
):
    """Six sellers across statuses, districts, centres, programmes and waits."""
    common = {"district": staff_d20, "programme": staff_municipality}
    return {
        "applied_old": make_seller(
            brand_name="قدیمی", status=S.APPLIED, submitted_at=days_ago(40), **common
        ),
        "in_review": make_seller(
            brand_name="در بررسی",
            status=S.IN_REVIEW,
            submitted_at=days_ago(10),
            centre=staff_centre20,
            **common,
        ),
        "changes": make_seller(
            brand_name="اصلاحی",
            status=S.CHANGES_REQUESTED,
            submitted_at=days_ago(3),
            district=staff_d4,
            programme=staff_behzisti,
            kind=Seller.Kind.GROUP,
        ),
        "applied_new": make_seller(
            brand_name="تازه", status=S.APPLIED, submitted_at=days_ago(0), **common
        ),
        "approved": make_seller(
            brand_name="تأییدشده",
            status=S.APPROVED,
            submitted_at=days_ago(60),
            **common,
        ),
        "rejected": make_seller(
            brand_name="ردشده", status=S.REJECTED, submitted_at=days_ago(20), **common
        ),
    }


# --- access --------------------------------------------------------------------------


def test_anonymous_user_is_sent_to_login(client):
    # given no one is logged in
    # when the queue is opened
    response = client.get(QUEUE)
    # then she is redirected to the login page, which brings her back
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert "next=/staff/sellers/" in response["Location"]


@pytest.mark.parametrize("who", ["staff_customer", "staff_plain", "staff_mentor"])
def test_users_without_review_permission_get_403(client, request, who):
    # given a buyer, a staff member without seller permissions, or a mentor only
    client.force_login(request.getfixturevalue(who))
    # when they open the queue
    response = client.get(QUEUE)
    # then it is forbidden
    assert response.status_code == 403


def test_queue_page_is_not_cached_or_indexed(client, staff_reviewer, queue_sellers):
    client.force_login(staff_reviewer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


# --- default list and presentation ------------------------------------------------


def test_default_queue_shows_waiting_files_longest_waiting_first(
    client, staff_reviewer, queue_sellers
):
    # given sellers in every status
    client.force_login(staff_reviewer)
    # when the queue is opened without filters
    response = client.get(QUEUE)
    # then only applied / in review / changes requested show, oldest first
    assert brands(response) == ["قدیمی", "در بررسی", "اصلاحی", "تازه"]


def test_queue_card_shows_persian_facts(client, staff_reviewer, queue_sellers):
    client.force_login(staff_reviewer)
    body = client.get(QUEUE).content.decode()
    oldest = queue_sellers["applied_old"]
    # brand, kind, programme, status, mentoring stage
    assert "قدیمی" in body
    assert "گروه همیار" in body and "فردی" in body
    assert "شهرداری تهران" in body
    assert "ثبت‌نام شده" in body
    assert "مرکز کوثر باقرشهر" in body
    # the submitted date in Jalali and the waiting time in Persian digits
    assert format_jalali(oldest.submitted_at) in body
    assert "۴۰ روز" in body
    # the file page is linked
    assert reverse("sellers_staff:file", kwargs={"seller_id": oldest.pk}) in body


# --- filters --------------------------------------------------------------------------


def test_status_filter_all_and_single(client, staff_reviewer, queue_sellers):
    client.force_login(staff_reviewer)
    everything = brands(client.get(QUEUE, {"status": "all"}))
    assert everything == ["تأییدشده", "قدیمی", "ردشده", "در بررسی", "اصلاحی", "تازه"]
    assert brands(client.get(QUEUE, {"status": "approved"})) == ["تأییدشده"]
    assert brands(client.get(QUEUE, {"status": "in_review"})) == ["در بررسی"]


def test_district_filter(client, staff_reviewer, queue_sellers):
    client.force_login(staff_reviewer)
    assert brands(client.get(QUEUE, {"district": "4"})) == ["اصلاحی"]
    assert brands(client.get(QUEUE, {"district": "20", "status": "rejected"})) == [
        "ردشده"
    ]


def test_centre_filter(client, staff_reviewer, queue_sellers, staff_centre20):
    client.force_login(staff_reviewer)
    response = client.get(QUEUE, {"centre": str(staff_centre20.pk)})
    assert brands(response) == ["در بررسی"]


def test_programme_filter(client, staff_reviewer, queue_sellers, staff_behzisti):
    client.force_login(staff_reviewer)
    response = client.get(QUEUE, {"programme": str(staff_behzisti.pk)})
    assert brands(response) == ["اصلاحی"]


@pytest.mark.parametrize(
    ("waiting", "expected"),
    [
        ("7", ["قدیمی", "در بررسی"]),
        ("14", ["قدیمی"]),
        ("30", ["قدیمی"]),
    ],
)
def test_waiting_time_filter(client, staff_reviewer, queue_sellers, waiting, expected):
    client.force_login(staff_reviewer)
    assert brands(client.get(QUEUE, {"waiting": waiting})) == expected


def test_waiting_time_counts_from_creation_when_never_submitted(
    client, staff_reviewer, staff_d20, staff_municipality
):
    # given a file created 20 days ago with no submission date
    make_seller(
        brand_name="بی‌تاریخ",
        submitted_at=None,
        created_at=days_ago(20),
        district=staff_d20,
        programme=staff_municipality,
    )
    client.force_login(staff_reviewer)
    # when staff ask for files waiting more than 14 days
    response = client.get(QUEUE, {"waiting": "14"})
    # then it is there, waiting 20 days
    assert brands(response) == ["بی‌تاریخ"]
    assert "۲۰ روز" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"district": "99"},
        {"district": "<script>"},
        {"centre": "abc"},
        {"centre": "999999"},
        {"programme": "-1"},
        {"waiting": "5"},
        {"status": "deleted"},
        {"page": "zzz"},
        {"page": "999"},
    ],
)
def test_bad_filter_values_show_a_persian_message_not_an_error(
    client, staff_reviewer, queue_sellers, params
):
    client.force_login(staff_reviewer)
    # when a filter has a value that is not one of its choices
    response = client.get(QUEUE, params)
    # then the page still answers, with the default list
    assert response.status_code == 200
    assert set(brands(response)) <= {"قدیمی", "در بررسی", "اصلاحی", "تازه"}
    if "page" not in params:
        assert brands(response) == ["قدیمی", "در بررسی", "اصلاحی", "تازه"]
        # and a Persian message names the ignored filter
        assert any("نادیده گرفته شدند" in text for text in messages_of(response))


def test_one_bad_filter_keeps_the_good_ones(client, staff_reviewer, queue_sellers):
    client.force_login(staff_reviewer)
    response = client.get(QUEUE, {"district": "4", "waiting": "banana"})
    assert brands(response) == ["اصلاحی"]
    assert any("مدت انتظار" in text for text in messages_of(response))


# --- pagination and query count ---------------------------------------------------


def _many(count: int) -> None:
    first_item = Requirement.objects.filter(is_active=True).first()
    centres = [
        KowsarCentre.objects.create(
            name=f"مرکز {n}", district=DistrictFactory(number=n + 1)
        )
        for n in range(3)
    ]
    for n in range(count):
        seller = make_seller(
            owner_phone=f"+98912555{n:04d}",
            brand_name=f"غرفه {n:02d}",
            centre=centres[n % 3],
            district=centres[n % 3].district,
            kind=Seller.Kind.GROUP if n % 2 else Seller.Kind.INDIVIDUAL,
            submitted_at=days_ago(n),
        )
        RequirementCheck.objects.create(
            seller=seller, requirement=first_item, done=True
        )


def test_queue_is_paginated_by_25(client, staff_reviewer):
    _many(30)
    client.force_login(staff_reviewer)
    first = client.get(QUEUE)
    second = client.get(QUEUE, {"page": "2"})
    assert len(brands(first)) == 25
    assert len(brands(second)) == 5
    # the longest waiting (submitted 29 days ago) comes first
    assert brands(first)[0] == "غرفه 29"
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_queue_runs_a_constant_number_of_queries(
    client, staff_reviewer, django_assert_num_queries, count
):
    # given 3 or 30 waiting sellers, with owners, centres and ticked checklist items
    _many(count)
    client.force_login(staff_reviewer)
    client.get(QUEUE)  # warm up whatever the session or the basket create once
    # when the queue is opened
    # then the number of queries does not depend on how many sellers there are
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert response.status_code == 200
    assert len(brands(response)) == min(count, 25)


# session, user, user and group permissions (4), the staff second factor's device
# (django-otp, 1); the seller count, the checklist
# totals and the page of sellers, with district/centre/programme joined and members,
# ticks and the owner's phone annotated (3); the header's basket count none (cached
# per buyer, one query on a miss; Oscar's notifications are counted only where a
# template shows them); the centres and programmes of the filter selects (2).
QUEUE_QUERIES = 10


def test_wagtail_menu_links_reviewers_to_the_queue(rf, staff_reviewer, staff_plain):
    from sellers.wagtail_hooks import register_seller_queue_menu_item

    item = register_seller_queue_menu_item()
    assert str(item.url) == QUEUE
    request = rf.get("/cms-admin/")
    request.user = staff_reviewer
    assert item.is_shown(request)
    request.user = staff_plain
    assert not item.is_shown(request)
