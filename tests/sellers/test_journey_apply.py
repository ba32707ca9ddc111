"""Journey 1 (DESIGN.md §5): a woman applies on her phone, staff review, set her
mentoring stage and approve; she is told, and her booth goes live."""

import pytest
from django.urls import reverse

from marketplace.accounts import sms
from sellers import services
from sellers.models import Requirement, Seller, SellerAuditEntry
from tests.factories import UserFactory, tehran

pytestmark = pytest.mark.django_db

WIZARD = "apply_wizard_view"


def post_step(client, step: str, data: dict):
    payload = {f"{WIZARD}-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return client.post(reverse("panel:apply"), payload)


def apply_as(client, *, kind, district, centre, programme, brand="چرم دست‌دوز نیلوفر"):
    assert client.get(reverse("panel:apply")).status_code == 200
    post_step(client, "kind", {"kind": kind})
    post_step(client, "brand", {"brand_name": brand, "trade": "چرم‌دوزی"})
    post_step(
        client,
        "place",
        {
            "province": tehran().pk,
            "city": "تهران",
            "district": district.pk,
            "centre": centre.pk,
            "programme": programme.pk,
        },
    )
    post_step(client, "profile", {"neighbourhood": "شهرری", "show_location": "on"})
    return post_step(
        client,
        "story",
        {"story": "از ده سال پیش کیف چرمی می‌دوزم.", "story_consent": "on"},
    )


def test_apply_review_approve_booth_goes_live(
    client,
    staff_d20,
    staff_centre20,
    staff_municipality,
    reviewer,
    django_capture_on_commit_callbacks,
):
    # given a woman logged in with her phone number
    applicant = UserFactory(username="+989121234567")
    client.force_login(applicant)
    assert "شروع ثبت‌نام غرفه" in client.get(reverse("panel:index")).content.decode()

    # when she completes the wizard
    response = apply_as(
        client,
        kind="individual",
        district=staff_d20,
        centre=staff_centre20,
        programme=staff_municipality,
    )
    seller = Seller.objects.get(brand_name="چرم دست‌دوز نیلوفر")
    assert response.status_code == 302
    assert seller.status == Seller.Status.APPLIED
    assert seller.centre == staff_centre20 and seller.story_consent
    # her booth is not public yet
    assert client.get(seller.get_absolute_url()).status_code == 404

    # staff take it into review, tick the checklist, set the mentoring stage, approve
    services.seller_start_review(seller=seller, actor=reviewer)
    for item in Requirement.objects.filter(is_active=True):
        if item.applies_to_seller(seller):
            services.requirement_set(
                seller=seller, requirement=item, done=True, actor=reviewer
            )
    services.mentoring_update(
        seller=seller, actor=reviewer, stage=Seller.MentoringStage.MENTORED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.seller_approve(seller=seller, actor=reviewer)

    # then she is told, by SMS and in her panel, and her booth is live
    seller.refresh_from_db()
    assert seller.status == Seller.Status.APPROVED
    assert any(m.phone == "+989121234567" and "تأیید" in m.text for m in sms.outbox)
    home = client.get(reverse("panel:home", kwargs={"seller_id": seller.pk}))
    assert "غرفهٔ شما تأیید شده" in home.content.decode()
    booth = client.get(seller.get_absolute_url())
    assert booth.status_code == 200
    body = booth.content.decode()
    assert "چرم دست‌دوز نیلوفر" in body
    assert "از ده سال پیش کیف چرمی می‌دوزم." in body
    assert "شهرری" in body
    actions = list(
        SellerAuditEntry.objects.filter(seller=seller).values_list("action", flat=True)
    )
    assert {"apply", "start_review", "approve", "mentoring_stage"} <= set(actions)


def test_group_application_leads_to_member_invitations(
    client, staff_d20, staff_centre20, staff_municipality
):
    owner = UserFactory(username="+989121234568")
    client.force_login(owner)
    response = apply_as(
        client,
        kind="group",
        district=staff_d20,
        centre=staff_centre20,
        programme=staff_municipality,
        brand="کارگاه گروهی قارچ سبز",
    )
    seller = Seller.objects.get(brand_name="کارگاه گروهی قارچ سبز")
    assert seller.kind == "group"
    assert response["Location"] == reverse(
        "panel:members", kwargs={"seller_id": seller.pk}
    )


def test_wizard_rejects_centre_outside_district(client, staff_d20, staff_municipality):
    from sellers.models import District, KowsarCentre

    district4 = District.objects.get_or_create(number=4, defaults={"name": "منطقه ۴"})[
        0
    ]
    far_centre = KowsarCentre.objects.create(
        name="مرکز کوثر تهرانپارس", district=district4
    )
    client.force_login(UserFactory(username="+989121234569"))
    post_step(client, "kind", {"kind": "individual"})
    post_step(client, "brand", {"brand_name": "آشپزخانهٔ مادربزرگ", "trade": "آشپزی"})
    response = post_step(
        client,
        "place",
        {
            "province": tehran().pk,
            "city": "تهران",
            "district": staff_d20.pk,
            "centre": far_centre.pk,
            "programme": staff_municipality.pk,
        },
    )
    assert response.status_code == 200
    assert "این مرکز در منطقهٔ انتخاب‌شده نیست." in response.content.decode()


def test_wizard_rejects_a_logo_that_is_not_an_image(
    client, staff_d20, staff_centre20, staff_municipality
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(UserFactory(username="+989121234570"))
    post_step(client, "kind", {"kind": "individual"})
    post_step(client, "brand", {"brand_name": "دوخت مهر", "trade": "خیاطی"})
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
    fake = SimpleUploadedFile(
        "logo.jpg", b"this is not a picture", content_type="image/jpeg"
    )
    response = client.post(
        reverse("panel:apply"),
        {f"{WIZARD}-current_step": "profile", "profile-logo": fake},
    )
    assert response.status_code == 200
    assert "این فایل عکس نیست" in response.content.decode()


def test_second_open_application_is_refused(
    client, staff_d20, staff_centre20, staff_municipality
):
    client.force_login(UserFactory(username="+989121234571"))
    apply_as(
        client,
        kind="individual",
        district=staff_d20,
        centre=staff_centre20,
        programme=staff_municipality,
        brand="اول",
    )
    apply_as(
        client,
        kind="individual",
        district=staff_d20,
        centre=staff_centre20,
        programme=staff_municipality,
        brand="دوم",
    )
    assert Seller.objects.filter(brand_name="دوم").count() == 0


def test_a_booth_outside_tehran_applies_without_district(client, staff_municipality):
    from sellers.models import Province

    client.force_login(UserFactory(username="+989121234571"))
    post_step(client, "kind", {"kind": "group"})
    post_step(client, "brand", {"brand_name": "گروه همیار اصفهان", "trade": "قلم‌زنی"})
    isfahan = Province.objects.get(code="IR-10")
    post_step(
        client,
        "place",
        {"province": isfahan.pk, "city": "اصفهان", "programme": staff_municipality.pk},
    )
    post_step(client, "profile", {})
    post_step(client, "story", {})
    seller = Seller.objects.get(brand_name="گروه همیار اصفهان")
    assert (seller.province, seller.city, seller.district) == (isfahan, "اصفهان", None)
    assert not seller.in_tehran


def test_a_tehran_booth_needs_its_district(client, staff_municipality):
    client.force_login(UserFactory(username="+989121234572"))
    post_step(client, "kind", {"kind": "individual"})
    post_step(client, "brand", {"brand_name": "دوخت مهر", "trade": "خیاطی"})
    response = post_step(
        client,
        "place",
        {"province": tehran().pk, "city": "تهران", "programme": staff_municipality.pk},
    )
    assert "منطقه را انتخاب کنید." in response.content.decode()


@pytest.mark.parametrize("step", ["9" * 5000, "no-such-step", "\u202eبرند"])
def test_an_unknown_wizard_step_is_a_message_not_a_500(client, step):
    """formtools looked the posted step up in its form list: a KeyError (500)."""
    client.force_login(UserFactory(username="+989121234570"))
    post_step(client, "kind", {"kind": "individual"})
    response = client.post(
        reverse("panel:apply"),
        {f"{WIZARD}-current_step": step, "brand-brand_name": "چرم"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "این صفحه کهنه بود" in body
    assert 'name="brand-brand_name"' in body  # still on the step she was on
    assert not Seller.objects.exists()
