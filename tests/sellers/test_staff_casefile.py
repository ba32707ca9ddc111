"""The case file on the staff pages: only with `sellers.view_casefile`, every read
logged, never on the seller's file page without that permission, never cached."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sellers.models import CaseFile, CaseFileAccess
from tests.factories import CaseFileFactory, grant
from tests.sellers.staff_fixtures import file_url, messages_of

pytestmark = pytest.mark.django_db

# Unique markers: if any of them shows up on a page, the case file leaked.
MARKERS = {
    "welfare_case_number": "CASE-MARKER-7f3a91",
    "insurance": "INSURANCE-MARKER-b2c4",
    "referral_source": "REFERRAL-MARKER-d5e6",
    "notes": "NOTES-MARKER-0a1b2c",
}


@pytest.fixture
def case_file(staff_seller):
    return CaseFileFactory(seller=staff_seller, head_of_household=True, **MARKERS)


def case_file_url(seller) -> str:
    return reverse("sellers_staff:case_file", kwargs={"seller_id": seller.pk})


def test_file_page_without_permission_shows_nothing_of_the_case_file(
    client, staff_reviewer, staff_seller, case_file
):
    # given a reviewer without `view_casefile`
    client.force_login(staff_reviewer)
    # when she opens the seller's file
    response = client.get(file_url(staff_seller))
    body = response.content.decode()
    # then none of the case file's values, labels or links appear
    assert response.status_code == 200
    for marker in MARKERS.values():
        assert marker not in body
    assert "سرپرست خانوار" not in body
    assert case_file_url(staff_seller) not in body
    assert "پروندهٔ محرمانه" not in body
    # and opening the file logged no read
    assert not CaseFileAccess.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_case_file_url_is_403_without_permission(
    client, staff_reviewer, staff_seller, case_file, method
):
    client.force_login(staff_reviewer)
    response = getattr(client, method)(
        case_file_url(staff_seller), {"insurance": "changed"}
    )
    assert response.status_code == 403
    for marker in MARKERS.values():
        assert marker not in response.content.decode()
    case_file.refresh_from_db()
    assert case_file.insurance == MARKERS["insurance"]
    assert not CaseFileAccess.objects.exists()


@pytest.mark.parametrize("who", ["staff_customer", "staff_plain", "staff_mentor"])
def test_case_file_url_is_403_for_others(client, request, staff_seller, case_file, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(case_file_url(staff_seller)).status_code == 403
    assert not CaseFileAccess.objects.exists()


def test_anonymous_is_sent_to_login(client, staff_seller, case_file):
    response = client.get(case_file_url(staff_seller))
    assert response.status_code == 302
    assert MARKERS["welfare_case_number"] not in response.content.decode()


def test_file_page_with_permission_links_but_does_not_read(
    client, staff_reader, staff_seller, case_file
):
    client.force_login(staff_reader)
    body = client.get(file_url(staff_seller)).content.decode()
    # the link is there; the values are not (they live on the logged page only)
    assert case_file_url(staff_seller) in body
    for marker in MARKERS.values():
        assert marker not in body
    assert not CaseFileAccess.objects.exists()


def test_each_read_is_logged_once(client, staff_reader, staff_seller, case_file):
    client.force_login(staff_reader)
    # when the reader opens the case file twice
    first = client.get(case_file_url(staff_seller))
    second = client.get(case_file_url(staff_seller))
    # then she sees it, and each GET wrote exactly one access row, with her name
    assert first.status_code == second.status_code == 200
    body = second.content.decode()
    for marker in MARKERS.values():
        assert marker in body
    accesses = list(CaseFileAccess.objects.filter(case_file=case_file))
    assert len(accesses) == 2
    assert {access.user for access in accesses} == {staff_reader}
    assert {access.purpose for access in accesses} == {"view"}
    # and the access log is on the page (who)
    assert "زهرا کارشناس" in body


def test_case_file_page_is_never_cached_or_indexed(
    client, staff_reader, staff_seller, case_file
):
    client.force_login(staff_reader)
    response = client.get(case_file_url(staff_seller))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_reader_without_change_permission_sees_no_form_and_cannot_post(
    client, staff_reviewer, staff_seller, case_file
):
    grant(staff_reviewer, "view_casefile")
    client.force_login(staff_reviewer)
    body = client.get(case_file_url(staff_seller)).content.decode()
    assert 'data-testid="case-file-form"' not in body
    response = client.post(case_file_url(staff_seller), {"insurance": "changed"})
    assert response.status_code == 403
    case_file.refresh_from_db()
    assert case_file.insurance == MARKERS["insurance"]


def test_editor_changes_the_case_file_and_it_is_logged(
    client, staff_reader, staff_seller, case_file
):
    client.force_login(staff_reader)
    response = client.post(
        case_file_url(staff_seller),
        {
            "welfare_case_number": "B-1402-778",
            "insurance": "تأمین اجتماعی",
            "referral_source": "مددکار مرکز کوثر",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    assert any("پرونده ذخیره شد" in text for text in messages_of(response))
    case_file.refresh_from_db()
    assert case_file.head_of_household is False  # unticked box
    assert case_file.welfare_case_number == "B-1402-778"
    assert case_file.insurance == "تأمین اجتماعی"
    assert (
        CaseFileAccess.objects.filter(purpose="change", user=staff_reader).count() == 1
    )


def test_too_long_values_are_refused_without_saving(
    client, staff_reader, staff_seller, case_file
):
    client.force_login(staff_reader)
    response = client.post(
        case_file_url(staff_seller), {"welfare_case_number": "x" * 65}
    )
    assert response.status_code == 400
    case_file.refresh_from_db()
    assert case_file.welfare_case_number == MARKERS["welfare_case_number"]
    assert not CaseFileAccess.objects.filter(purpose="change").exists()


def test_case_file_is_created_empty_on_first_read(client, staff_reader, staff_seller):
    client.force_login(staff_reader)
    assert client.get(case_file_url(staff_seller)).status_code == 200
    case_file = CaseFile.objects.get(seller=staff_seller)
    assert case_file.accesses.count() == 1


def test_queue_and_public_booth_never_show_the_case_file(
    client, staff_reader, staff_seller, case_file
):
    from sellers.models import Seller

    Seller.objects.filter(pk=staff_seller.pk).update(status=Seller.Status.APPROVED)
    client.force_login(staff_reader)
    queue = client.get(reverse("sellers_staff:queue"), {"status": "all"})
    client.logout()
    booth = client.get(reverse("sellers:booth", kwargs={"slug": staff_seller.slug}))
    for response in (queue, booth):
        assert response.status_code == 200
        for marker in MARKERS.values():
            assert marker not in response.content.decode()
    assert not CaseFileAccess.objects.exists()


def test_django_admin_has_the_reference_data_but_never_the_case_file():
    from django.contrib import admin

    from sellers.models import District, KowsarCentre, Programme, Requirement

    registry = admin.site._registry
    for model in (Requirement, District, Programme, KowsarCentre):
        assert model in registry
    assert CaseFile not in registry
    assert CaseFileAccess not in registry
