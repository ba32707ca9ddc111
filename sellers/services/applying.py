"""Applying: a woman (or a group's owner) asks for a booth."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from oscar.apps.partner.models import Partner

from marketplace.images import image_clean, image_name
from marketplace.text import plain_text

from .. import audit
from ..models import District, KowsarCentre, Programme, Province, Seller, SellerMember
from ..selectors import province_tehran
from ..workflow import OPEN_STATUSES, transition_named


@dataclass(frozen=True)
class Application:
    """What a woman (or a group's owner) tells us when she applies."""

    kind: str
    brand_name: str
    trade: str
    district: District | None
    programme: Programme
    centre: KowsarCentre | None = None
    # Behzisti's groups are nationwide: a province and city; the district and
    # centre only in Tehran. None = Tehran (the programme's home).
    province: Province | None = None
    city: str = ""
    neighbourhood: str = ""
    show_location: bool = False
    story: str = ""
    story_consent: bool = False


def _unique_slug(brand_name: str) -> str:
    base = slugify(brand_name, allow_unicode=True)[:120] or "booth"
    slug, n = base, 1
    while Seller.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@audit.workflow
def seller_apply(*, user: User, application: Application, logo=None) -> Seller:
    """Create a seller in status `applied`, with the applicant as its owner.

    Rules: the centre, when given, must be in the chosen district; one user may
    own at most one application that is still open (`workflow.OPEN_STATUSES`);
    her booth's name, trade, neighbourhood and story are stored as plain text
    (`marketplace.text.plain_text`), and the name must not be empty after that.
    """
    if application.centre and (
        application.district is None
        or application.centre.district_id != application.district.pk
    ):
        raise ValidationError({"centre": "مرکز انتخاب‌شده در این منطقه نیست."})
    brand_name = plain_text(application.brand_name, multiline=False)
    if not brand_name:
        raise ValidationError({"brand_name": "نام غرفه را بنویسید."})
    if SellerMember.objects.filter(
        user=user, role=SellerMember.Role.OWNER, seller__status__in=OPEN_STATUSES
    ).exists():
        raise ValidationError("شما یک درخواست در حال بررسی دارید.")
    applied = transition_named("apply")
    partner = Partner.objects.create(name=brand_name[:128])
    now = timezone.now()
    seller = Seller.objects.create(
        partner=partner,
        kind=application.kind,
        brand_name=brand_name,
        slug=_unique_slug(brand_name),
        trade=plain_text(application.trade, multiline=False),
        province=application.province or province_tehran(),
        city=application.city or "تهران",
        district=application.district,
        centre=application.centre,
        programme=application.programme,
        neighbourhood=plain_text(application.neighbourhood, multiline=False),
        show_location=application.show_location,
        story=plain_text(application.story),
        story_consent=application.story_consent,
        status=applied.target,
        created_at=now,
        submitted_at=now,
    )
    if logo:
        seller.logo.save(
            image_name("booths", "jpg"),
            image_clean(logo, longest=settings.BOOTH_LOGO_SIDE),
            save=True,
        )
    SellerMember.objects.create(seller=seller, user=user, role=SellerMember.Role.OWNER)
    partner.users.add(user)
    audit.record(
        seller=seller,
        actor=user,
        action=applied.action,
        from_status="",
        to_status=applied.target,
    )
    return seller
