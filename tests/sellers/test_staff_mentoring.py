"""Mentoring on the staff pages: stage, mentor, the dated session log, and who
may record them."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.persian import format_jalali, to_persian_digits
from sellers.models import MentoringSession, Seller, SellerAuditEntry
from tests.factories import UserFactory
from tests.sellers.staff_fixtures import file_url, messages_of

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

M = Seller.MentoringStage


def mentoring_url(seller) -> str:
    return reverse("sellers_staff:mentoring", kwargs={"seller_id": seller.pk})


def test_reviewer_sets_stage_and_mentor_and_both_are_audited(
    client, staff_reviewer, staff_mentor, staff_seller
):
    client.force_login(staff_reviewer)
    # when the reviewer moves her to "in training" with a mentor, from her file
    response = client.post(
        mentoring_url(staff_seller),
        {
            "form": "stage",
            "stage": M.IN_TRAINING,
            "mentor": staff_mentor.pk,
            "return_to": "file",
        },
    )
    # then she is back on the file, and both are saved
    assert response.status_code == 302
    assert response["Location"] == file_url(staff_seller) + "#mentoring"
    staff_seller.refresh_from_db()
    assert staff_seller.mentoring_stage == M.IN_TRAINING
    assert staff_seller.mentor == staff_mentor
    # and audited
    stage_entry = SellerAuditEntry.objects.get(
        seller=staff_seller, action="mentoring_stage"
    )
    # in the stage columns; the status columns keep her (unchanged) status
    assert (stage_entry.from_stage, stage_entry.to_stage) == (
        M.ENROLLED,
        M.IN_TRAINING,
    )
    assert stage_entry.from_status == stage_entry.to_status == staff_seller.status
    assert stage_entry.actor == staff_reviewer
    assert SellerAuditEntry.objects.filter(
        seller=staff_seller, action="mentor_assign"
    ).exists()
    # and the file shows the stage change in Persian words
    body = client.get(file_url(staff_seller)).content.decode()
    assert "تغییر مرحلهٔ همراهی" in body
    assert "ثبت‌نام ← در حال آموزش" in body
    assert "مریم منتور" in body


def test_mentor_only_staff_use_the_mentoring_page(client, staff_mentor, staff_seller):
    client.force_login(staff_mentor)
    # a mentor may open the mentoring page but not the file
    assert client.get(mentoring_url(staff_seller)).status_code == 200
    assert client.get(file_url(staff_seller)).status_code == 403
    # and her changes bring her back to the mentoring page
    response = client.post(
        mentoring_url(staff_seller),
        {"form": "stage", "stage": M.MENTORED, "return_to": "file"},
    )
    assert response["Location"] == mentoring_url(staff_seller)
    staff_seller.refresh_from_db()
    assert staff_seller.mentoring_stage == M.MENTORED


@pytest.mark.parametrize(
    "data",
    [
        {"form": "stage", "stage": "graduated"},
        {"form": "stage", "stage": M.MENTORED, "mentor": "NOT_STAFF"},
        {"form": "stage", "stage": M.MENTORED, "mentor": "abc"},
    ],
)
def test_invalid_stage_or_mentor_is_refused(client, staff_reviewer, staff_seller, data):
    data = dict(data)
    if data.get("mentor") == "NOT_STAFF":
        data["mentor"] = UserFactory(username="+989127770123").pk
    client.force_login(staff_reviewer)
    response = client.post(mentoring_url(staff_seller), data)
    assert response.status_code == 400
    assert "نامعتبر" in response.content.decode() or "کارشناسان" in (
        response.content.decode()
    )
    staff_seller.refresh_from_db()
    assert staff_seller.mentoring_stage == M.ENROLLED
    assert staff_seller.mentor is None
    assert not SellerAuditEntry.objects.filter(seller=staff_seller).exists()


def test_add_a_session_with_an_iso_date(client, staff_reviewer, staff_seller):
    client.force_login(staff_reviewer)
    held_on = timezone.localdate() - dt.timedelta(days=3)
    # when a session is recorded with the date the browser's date picker sends
    response = client.post(
        mentoring_url(staff_seller),
        {
            "form": "session",
            "held_on": held_on.isoformat(),
            "topic": "قیمت‌گذاری محصولات",
            "notes": "هزینهٔ مواد را حساب کردیم.",
            "next_step": "عکاسی از محصولات",
            "return_to": "file",
        },
    )
    # then it is in her log, recorded by the reviewer
    assert response.status_code == 302
    session = MentoringSession.objects.get(seller=staff_seller)
    assert session.held_on == held_on
    assert session.topic == "قیمت‌گذاری محصولات"
    assert session.next_step == "عکاسی از محصولات"
    assert session.recorded_by == staff_reviewer
    # and the file shows it with a Jalali date
    body = client.get(file_url(staff_seller)).content.decode()
    assert format_jalali(held_on) in body
    assert "عکاسی از محصولات" in body


def test_add_a_session_with_a_jalali_date_in_persian_digits(
    client, staff_reviewer, staff_seller
):
    client.force_login(staff_reviewer)
    held_on = timezone.localdate() - dt.timedelta(days=40)
    j = jdatetime.date.fromgregorian(date=held_on)
    response = client.post(
        mentoring_url(staff_seller),
        {
            "form": "session",
            "held_on": to_persian_digits(f"{j.year}/{j.month:02d}/{j.day:02d}"),
            "topic": "آموزش",
        },
    )
    assert response.status_code == 302
    assert MentoringSession.objects.get(seller=staff_seller).held_on == held_on


@pytest.mark.parametrize(
    ("held_on", "error"),
    [
        ("TOMORROW", "آینده"),
        ("", "تاریخ جلسه را وارد کنید"),
        ("2024-02-30", "تقویم"),
        ("دیروز", "تقویم"),
    ],
)
def test_bad_session_dates_are_refused(
    client, staff_reviewer, staff_seller, held_on, error
):
    if held_on == "TOMORROW":
        held_on = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(staff_reviewer)
    response = client.post(
        mentoring_url(staff_seller),
        {"form": "session", "held_on": held_on, "topic": "آموزش"},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert any("جلسه ثبت نشد" in text for text in messages_of(response))
    assert not MentoringSession.objects.filter(seller=staff_seller).exists()


def test_session_needs_a_topic(client, staff_reviewer, staff_seller):
    client.force_login(staff_reviewer)
    response = client.post(
        mentoring_url(staff_seller),
        {"form": "session", "held_on": timezone.localdate().isoformat(), "topic": " "},
    )
    assert response.status_code == 400
    assert "موضوع جلسه را بنویسید" in response.content.decode()
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize("who", ["staff_customer", "staff_plain"])
def test_mentoring_needs_the_mentor_or_review_permission(
    client, request, staff_seller, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(mentoring_url(staff_seller)).status_code == 403
    response = client.post(
        mentoring_url(staff_seller),
        {
            "form": "session",
            "held_on": timezone.localdate().isoformat(),
            "topic": "آموزش",
        },
    )
    assert response.status_code == 403
    assert not MentoringSession.objects.exists()
    response = client.post(
        mentoring_url(staff_seller), {"form": "stage", "stage": M.INDEPENDENT}
    )
    assert response.status_code == 403
    staff_seller.refresh_from_db()
    assert staff_seller.mentoring_stage == M.ENROLLED
