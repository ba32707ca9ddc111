"""Issue 11 item 15: staff pages answered 500 when a user behind a nullable link
(the mentor who recorded a session, whoever ticked a checklist item or acted in
the history) had been deleted. Every staff page renders with every optional
relation empty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sellers.models import (
    MentoringSession,
    Requirement,
    RequirementCheck,
    Seller,
    SellerAuditEntry,
)
from tests.factories import SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orphaned_seller():
    """A booth whose mentor, recorder, checker and actor users are all deleted,
    with no centre and nothing optional filled in."""
    gone = UserFactory(username="+989120009998")
    seller = SellerFactory(
        status=Seller.Status.IN_REVIEW, centre=None, mentor=gone, neighbourhood=""
    )
    MentoringSession.objects.create(
        seller=seller,
        held_on=timezone.localdate() - dt.timedelta(days=90),
        topic="قیمت‌گذاری",
        recorded_by=gone,
    )
    requirement = Requirement.objects.filter(is_active=True).first()
    if requirement is not None:
        RequirementCheck.objects.create(
            seller=seller, requirement=requirement, done=True, checked_by=gone
        )
    SellerAuditEntry.objects.create(
        seller=seller, actor=gone, action="apply", from_status="", to_status="applied"
    )
    gone.delete()
    seller.refresh_from_db()
    assert seller.mentor is None
    return seller


def staff_urls(seller) -> list[str]:
    return [
        reverse("sellers_staff:queue"),
        reverse("sellers_staff:queue") + "?status=in_review",
        reverse("sellers_staff:file", kwargs={"seller_id": seller.pk}),
        reverse("sellers_staff:mentoring", kwargs={"seller_id": seller.pk}),
        reverse("sellers_staff:case_file", kwargs={"seller_id": seller.pk}),
        reverse("moderation:queue"),
    ]


def test_every_staff_page_renders_with_its_optional_relations_empty(
    client, orphaned_seller
):
    admin = UserFactory(username="+989120000001", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in staff_urls(orphaned_seller):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    page = client.get(
        reverse("sellers_staff:mentoring", kwargs={"seller_id": orphaned_seller.pk})
    )
    assert page.status_code == 200
    assert "قیمت‌گذاری" in page.content.decode()
