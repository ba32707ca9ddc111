"""Issue 11: booth logos through the image pipeline (item 2), the wizard's
uploads kept private and cleaned away (item 3), invitations that cannot be an
SMS cannon (item 7) and invitees' numbers for owners only (item 17)."""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from marketplace.accounts import sms
from sellers import services
from sellers.models import Seller, SellerMember
from sellers.tasks import wizard_uploads_sweep_now
from tests.catalog.photo_samples import assert_no_metadata, phone_jpeg, upload
from tests.factories import SellerFactory, SellerMemberFactory, UserFactory, tehran
from tests.sellers.test_journey_apply import WIZARD, post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WIZARD_UPLOAD_ROOT = tmp_path / "wizard"
    return tmp_path


def wizard_until_logo(client, staff_d20, staff_centre20, staff_municipality, logo):
    client.get(reverse("panel:apply"))
    post_step(client, "kind", {"kind": "individual"})
    post_step(client, "brand", {"brand_name": "گلیم نیلوفر", "trade": "گلیم‌بافی"})
    post_step(
        client,
        "place",
        {
            "province": tehran().pk,
            "city": "تهران",
            "district": staff_d20.pk,
            "centre": staff_centre20.pk,
            "programme": staff_municipality.pk,
        },
    )
    return client.post(
        reverse("panel:apply"),
        {
            f"{WIZARD}-current_step": "profile",
            "profile-neighbourhood": "",
            "profile-logo": logo,
        },
    )


def files_under(path) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs]


def test_the_logo_is_published_clean_and_the_wizard_file_is_private_and_gone(
    client, media, staff_d20, staff_centre20, staff_municipality
):
    client.force_login(UserFactory(username="+989121234567"))
    response = wizard_until_logo(
        client,
        staff_d20,
        staff_centre20,
        staff_municipality,
        upload(phone_jpeg((1600, 1200))),
    )
    assert response.status_code == 200
    # Between steps: private, under a random name, nothing under MEDIA_ROOT.
    waiting = files_under(media / "wizard")
    assert len(waiting) == 1 and "IMG_" not in waiting[0]
    assert files_under(media / "media") == []
    assert client.get("/media/wizard-tmp/IMG_20240305_102030.jpg").status_code == 404

    post_step(client, "story", {"story": ""})
    seller = Seller.objects.get(brand_name="گلیم نیلوفر")
    data = seller.logo.read()
    assert_no_metadata(data, "jpeg")
    picture = Image.open(io.BytesIO(data))
    assert max(picture.size) <= 512 and picture.height > picture.width  # upright
    assert "IMG_" not in seller.logo.name and f"{seller.pk:x}-" not in seller.logo.name
    assert files_under(media / "wizard") == []  # deleted when the wizard ended


def test_a_logo_that_is_not_an_image_gets_a_persian_message(
    client, media, staff_d20, staff_centre20, staff_municipality
):
    client.force_login(UserFactory(username="+989121234567"))
    response = wizard_until_logo(
        client,
        staff_d20,
        staff_centre20,
        staff_municipality,
        upload(b"<svg onload=alert(1)>"),
    )
    assert "این فایل عکس نیست" in response.content.decode()


def test_abandoned_wizard_uploads_are_swept(media, settings):
    storage_root = media / "wizard"
    storage_root.mkdir(parents=True)
    old, new = storage_root / "a", storage_root / "b"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    # Both ages from the test's clock (which a --clock run moves), not the
    # disk's: the file just written is as old as "now", the other two days.
    now = time.time()
    os.utime(new, (now, now))
    os.utime(old, (now - 2 * 86400, now - 2 * 86400))
    assert wizard_uploads_sweep_now() == 1
    assert not old.exists() and new.exists()
    assert "sellers.tasks.wizard_uploads_sweep" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_stored_logos_are_cleaned_by_the_command(media):
    seller = SellerFactory()
    dirty = storages["default"]
    # Written straight to disk, as the old code did (bypassing the pipeline).
    path = media / "media" / "booths" / f"{seller.pk:x}-1700000000.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(phone_jpeg((800, 600)))
    Seller.objects.filter(pk=seller.pk).update(logo=f"booths/{path.name}")

    call_command("booth_logos_clean")

    seller.refresh_from_db()
    assert seller.logo.name != f"booths/{path.name}"
    assert not path.exists()
    with dirty.open(seller.logo.name, "rb") as fp:
        assert_no_metadata(fp.read(), "jpeg")


# --- invitations (item 7) -----------------------------------------------------------


def group(status):
    seller = SellerFactory(kind=Seller.Kind.GROUP, status=status)
    owner = UserFactory(username="+989120000100")
    SellerMemberFactory(seller=seller, user=owner, role=SellerMember.Role.OWNER)
    return seller, owner


@pytest.mark.parametrize(
    "status",
    [Seller.Status.REJECTED, Seller.Status.SUSPENDED, Seller.Status.APPLIED],
)
def test_only_approved_or_in_review_booths_invite(status):
    seller, owner = group(status)
    with pytest.raises(ValidationError):
        services.member_invite(
            seller=seller, actor=owner, phone="+989121110000", role="member"
        )
    assert sms.outbox == []


def test_invite_and_cancel_cannot_repeat_the_sms(django_capture_on_commit_callbacks):
    seller, owner = group(Seller.Status.APPROVED)
    sent = 0
    for _ in range(6):
        try:
            with django_capture_on_commit_callbacks(execute=True):
                invitation = services.member_invite(
                    seller=seller, actor=owner, phone="+989121110000", role="member"
                )
        except ValidationError:
            break
        sent += 1
        services.invitation_cancel(
            seller=seller, actor=owner, invitation_id=invitation.pk
        )
    assert sent == 2
    assert len(sms.outbox) == 2


def test_a_booth_invites_a_few_numbers_a_day():
    seller, owner = group(Seller.Status.IN_REVIEW)
    seller.invitations.all().delete()
    made = 0
    for n in range(8):
        try:
            invitation = services.member_invite(
                seller=seller, actor=owner, phone=f"+98912111{n:04d}", role="member"
            )
        except ValidationError:
            break
        made += 1
        services.invitation_cancel(
            seller=seller, actor=owner, invitation_id=invitation.pk
        )
    assert made == 5
    seller.invitations.update(created_at=timezone.now() - dt.timedelta(days=31))
    services.member_invite(
        seller=seller, actor=owner, phone="+989121119999", role="member"
    )


# --- invitees' numbers (item 17) -----------------------------------------------------


def test_pending_invitees_numbers_are_for_owners_only(client):
    seller, owner = group(Seller.Status.APPROVED)
    member = UserFactory(username="+989120000200")
    SellerMemberFactory(seller=seller, user=member, role=SellerMember.Role.MEMBER)
    services.member_invite(
        seller=seller, actor=owner, phone="+989121234999", role="member"
    )
    url = reverse("panel:members", kwargs={"seller_id": seller.pk})
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "+989121234999" not in text and "9121234999" not in text
    client.force_login(owner)
    assert "۰۹۱۲ ۱۲۳ ۴۹۹۹" in client.get(url).content.decode()
