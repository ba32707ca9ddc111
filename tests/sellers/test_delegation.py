"""Issue 28 §1, assisted selling: a seller lets her mentor work in parts of her
panel for her, on the record.

- every panel URL that names a booth, for a mentor holding a delegation of
  each area alone: the pages of that area open, every other one is a 404 (GET
  and POST); and after the end date and after the withdrawal, all are 404;
- the grant and the withdrawal: owners only, her mentor or a mentor of her
  centre only, at most 90 days; audited and sent to her by SMS;
- what the mentor does is on the booth's file "by mentor X for seller Y", in
  her own history across booths, on the seller's list, and in the summary at
  the seller's next login.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from catalog.models import Product
from orders.conversations.services import thread_for_part
from orders.models import SellerOrder
from sellers import permissions, services
from sellers.models import (
    BazaarStall,
    Delegation,
    SellerAuditEntry,
    SellerMember,
)
from tests.bazaars.conftest import make_bazaar
from tests.factories import (
    SellerFactory,
    StaffFactory,
    UserFactory,
    grant,
    make_product,
)
from tests.orders.conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db

ALL_AREAS = list(Delegation.Area.values)

#: Every panel URL name that names a booth → the delegable area it belongs to
#: (None: members only). A new panel URL fails `test_every_panel_url_has_an_area`
#: until it is put here.
PANEL_AREAS: dict[str, str | None] = {
    "panel:home": None,
    "panel:resubmit": None,
    "panel:members": None,
    "panel:payout": None,
    "panel:holiday": None,
    "panel:story": None,
    "panel:notifications": None,
    "panel:delegation": None,
    "panel:bazaars": "stalls",
    "panel:bazaar_stall": "stalls",
    "panel:bazaar_poster": "stalls",
    "catalog_panel:product_list": "products",
    "catalog_panel:product_create": "products",
    "catalog_panel:product_update": "products",
    "catalog_panel:product_photos": "products",
    "catalog_panel:product_pause": "products",
    "catalog_panel:product_unpause": "products",
    "catalog_panel:product_duplicate": "products",
    "catalog_panel:product_delete": "products",
    "orders_panel:inbox": "inbox",
    "orders_panel:part": "inbox",
    "orders_panel:slip": "inbox",
    "orders_panel:part_action": "inbox",
    "orders_panel:part_thread": "inbox",
    "orders_panel:threads": "inbox",
    "orders_panel:thread": "inbox",
    "orders_panel:thread_report": "inbox",
    "orders_panel:reviews": "inbox",
    "orders_panel:review_reply": "inbox",
    "orders_panel:ledger": None,
    "orders_panel:delivery": "delivery",
}
#: Panel URLs that name no booth (they act on the signed-in user alone).
NO_BOOTH = {"panel:index", "panel:apply", "panel:invitation_accept"}


def panel_url_names() -> set[str]:
    resolver = get_resolver()
    names = set()
    for namespace in ("panel", "catalog_panel", "orders_panel"):
        for pattern in resolver.namespace_dict[namespace][1].url_patterns:
            if getattr(pattern, "name", None):
                names.add(f"{namespace}:{pattern.name}")
    return names


@dataclass
class Booth:
    seller: object
    owner: object
    mentor: object
    product: Product
    part: SellerOrder
    stall: BazaarStall
    thread: object

    def url(self, name: str) -> str:
        kwargs = {"seller_id": self.seller.pk}
        route = next(
            p
            for p in get_resolver().namespace_dict[name.split(":")[0]][1].url_patterns
            if f"{name.split(':')[0]}:{getattr(p, 'name', '')}" == name
        )
        keys = set(route.pattern.converters)
        values = {
            "product_id": self.product.pk,
            "part_id": self.part.pk,
            "stall_id": self.stall.pk,
            "thread_id": self.thread.pk,
            # POST-only: the permission check answers before the review is
            # looked up (tests/orders/test_reviews.py has real ones)
            "review_id": 1,
            "action": "accept",
        }
        kwargs.update({key: values[key] for key in keys if key in values})
        return reverse(name, kwargs=kwargs)


def mentor_user(phone: str, **names):
    return grant(StaffFactory(username=phone, **names), "mentor_seller")


@pytest.fixture
def booth(bracelet_category) -> Booth:
    seller, owner = make_booth("+989121110001", name="چرم نیلوفر")
    owner.first_name, owner.last_name = "نیلوفر", "احمدی"
    owner.save()
    mentor = mentor_user("+989120001001", first_name="شیرین", last_name="کارگر")
    seller.mentor = mentor
    seller.save(update_fields=["mentor"])
    product = make_product(
        seller=seller, title="کیف چرمی", num_in_stock=20, category=bracelet_category
    )
    order = place(basket_with([(product, 1)]))
    stall = BazaarStall.objects.create(
        bazaar=make_bazaar(), seller=seller, stall_number="7"
    )
    part = order.seller_orders.get()
    thread = thread_for_part(seller_order=part, side="booth", user=owner)
    return Booth(seller, owner, mentor, product, part, stall, thread)


def delegate(booth: Booth, areas, *, days: int = 30, to=None) -> Delegation:
    return services.delegation_grant(
        seller=booth.seller,
        actor=booth.owner,
        delegate=to or booth.mentor,
        areas=areas,
        ends_on=timezone.localdate() + dt.timedelta(days=days),
    )


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- every panel URL -----------------------------------------------------------


def test_every_panel_url_has_an_area():
    names = panel_url_names()
    assert names - NO_BOOTH == set(PANEL_AREAS), (
        "a panel URL without a delegation area: add it to PANEL_AREAS "
        f"({sorted(names - NO_BOOTH - set(PANEL_AREAS))})"
    )


def _opens(client: Client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.dates
@pytest.mark.parametrize("area", ALL_AREAS)
def test_a_mentor_reaches_exactly_the_areas_she_was_given(booth, area):
    delegate(booth, [area])
    client = as_user(booth.mentor)
    for name, url_area in PANEL_AREAS.items():
        url = booth.url(name)
        status = _opens(client, url)
        if url_area == area:
            # POST-only buttons answer 405 to a GET: past the permission check
            assert status in (200, 302, 405), (name, status)
        else:
            assert status == 404, (name, status)
            assert client.post(url, {}).status_code == 404, name


@pytest.mark.dates
def test_a_mentor_without_a_delegation_gets_404_everywhere(booth):
    client = as_user(booth.mentor)
    for name in PANEL_AREAS:
        assert _opens(client, booth.url(name)) == 404, name


@pytest.mark.dates
def test_after_the_end_date_every_page_is_404(booth):
    delegate(booth, ALL_AREAS, days=3)
    client = as_user(booth.mentor)
    assert _opens(client, booth.url("catalog_panel:product_list")) == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=4, hours=1)):
        client = as_user(booth.mentor)  # a fresh staff session (30-minute idle limit)
        for name in PANEL_AREAS:
            assert _opens(client, booth.url(name)) == 404, name


@pytest.mark.dates
def test_after_the_withdrawal_every_page_is_404(
    booth, sms_outbox, django_capture_on_commit_callbacks
):
    delegation = delegate(booth, ALL_AREAS)
    client = as_user(booth.mentor)
    assert _opens(client, booth.url("orders_panel:inbox")) == 200
    owner = as_user(booth.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            reverse("panel:delegation", kwargs={"seller_id": booth.seller.pk}),
            {"op": "withdraw", "delegation_id": delegation.pk},
        )
    assert response.status_code == 302
    for name in PANEL_AREAS:
        assert _opens(client, booth.url(name)) == 404, name
    entry = SellerAuditEntry.objects.filter(action="delegation_withdraw").get()
    assert entry.actor == booth.owner and entry.seller == booth.seller
    assert "شیرین کارگر" in entry.reason
    assert any(
        m.phone == booth.owner.username and "پس گرفته شد" in m.text for m in sms_outbox
    )


@pytest.mark.dates
def test_a_staff_member_who_lost_the_mentoring_role_loses_the_delegation(booth):
    delegate(booth, ALL_AREAS)
    booth.mentor.user_permissions.clear()
    client = as_user(booth.mentor)
    assert _opens(client, booth.url("catalog_panel:product_list")) == 404


@pytest.mark.dates
def test_another_booths_delegation_opens_nothing_here(booth):
    other, other_owner = make_booth("+989121110002", name="قارچ سبز")
    other.mentor = booth.mentor
    other.save(update_fields=["mentor"])
    services.delegation_grant(
        seller=other,
        actor=other_owner,
        delegate=booth.mentor,
        areas=ALL_AREAS,
        ends_on=timezone.localdate() + dt.timedelta(days=10),
    )
    client = as_user(booth.mentor)
    for name in PANEL_AREAS:
        assert _opens(client, booth.url(name)) == 404, name


@pytest.mark.dates
def test_the_banner_names_both_and_the_nav_shows_only_her_areas(booth):
    delegate(booth, ["products"])
    page = as_user(booth.mentor).get(booth.url("catalog_panel:product_list"))
    html = page.content.decode()
    assert 'data-testid="delegation-banner"' in html
    assert "شیرین کارگر" in html and "چرم نیلوفر" in html
    for hidden in ("panel:payout", "panel:members", "panel:delegation"):
        assert booth.url(hidden) not in html
    assert booth.url("orders_panel:inbox") not in html


# --- granting ---------------------------------------------------------------------


@pytest.mark.dates
def test_the_owner_grants_from_her_panel_audited_and_by_sms(
    booth, sms_outbox, django_capture_on_commit_callbacks
):
    client = as_user(booth.owner)
    url = reverse("panel:delegation", kwargs={"seller_id": booth.seller.pk})
    page = client.get(url)
    assert "شیرین کارگر" in page.content.decode()
    ends = timezone.localdate() + dt.timedelta(days=90)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "op": "grant",
                "delegate": booth.mentor.pk,
                "areas": ["products", "inbox"],
                "ends_on": ends.isoformat(),
            },
        )
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.areas == ["products", "inbox"] and delegation.ends_on == ends
    entry = SellerAuditEntry.objects.get(action="delegation_grant")
    assert entry.actor == booth.owner and entry.delegation is None
    assert "محصولات" in entry.reason and "سفارش‌ها" in entry.reason
    texts = [m.text for m in sms_outbox if m.phone == booth.owner.username]
    assert any("شیرین کارگر" in t and "اجازه دادید" in t for t in texts)


@pytest.mark.dates
def test_more_than_90_days_is_refused_with_a_persian_message(booth):
    client = as_user(booth.owner)
    response = client.post(
        reverse("panel:delegation", kwargs={"seller_id": booth.seller.pk}),
        {
            "op": "grant",
            "delegate": booth.mentor.pk,
            "areas": ["products"],
            "ends_on": (timezone.localdate() + dt.timedelta(days=91)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "۹۰ روز" in response.content.decode()
    assert not Delegation.objects.exists()


@pytest.mark.dates
def test_only_her_mentor_or_a_mentor_of_her_centre(booth):
    stranger = mentor_user("+989120001002", first_name="غریبه")
    colleague = mentor_user("+989120001003", first_name="همکار")
    neighbour = SellerFactory(
        centre=booth.seller.centre, district=booth.seller.district
    )
    neighbour.mentor = colleague
    neighbour.save(update_fields=["mentor"])
    candidates = services.delegation_candidates(seller=booth.seller)
    assert {u.pk for u in candidates} == {booth.mentor.pk, colleague.pk}
    with pytest.raises(ValidationError) as error:
        delegate(booth, ["products"], to=stranger)
    assert "منتور شما" in str(error.value)
    assert delegate(booth, ["products"], to=colleague).delegate == colleague


@pytest.mark.dates
def test_a_member_who_is_not_an_owner_cannot_grant(booth):
    member = UserFactory(username="+989121110009")
    SellerMember.objects.create(seller=booth.seller, user=member, role="member")
    response = as_user(member).post(
        reverse("panel:delegation", kwargs={"seller_id": booth.seller.pk}),
        {
            "op": "grant",
            "delegate": booth.mentor.pk,
            "areas": ["products"],
            "ends_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 404
    assert not Delegation.objects.exists()


@pytest.mark.dates
def test_a_delegate_never_gets_the_payout_members_or_the_case_file(booth):
    delegate(booth, ALL_AREAS)
    stand_in = permissions.membership_for(
        booth.mentor, booth.seller.pk, area="products"
    )
    assert stand_in.pk is None and stand_in.delegation is not None
    for area in (None, "payout", "members", "casefile"):
        with pytest.raises(Http404):
            permissions.membership_for(booth.mentor, booth.seller.pk, area=area)
    with pytest.raises(Http404):
        services.payout_details_update(
            seller=booth.seller,
            actor=booth.mentor,
            account_holder="x",
            sheba="IR820540102680020817909002",
        )


# --- what she does, on the record --------------------------------------------------


def _mentor_lists_and_accepts(booth, bracelet_category) -> Client:
    client = as_user(booth.mentor)
    response = client.post(
        booth.url("catalog_panel:product_create"),
        {
            "title": "کیف پول چرمی",
            "description": "چرم طبیعی",
            "category": str(bracelet_category.pk),
            "price": "۲۵۰٬۰۰۰",
            "fulfilment": "ready",
            "num_in_stock": "۳",
            "preparation_days": "",
            "materials": "چرم",
            "shipping_weight_grams": "۲۰۰",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(booth.url("orders_panel:part_action"))
    assert response.status_code == 302
    return client


@pytest.mark.dates
def test_every_action_is_on_the_file_by_mentor_for_seller(booth, bracelet_category):
    delegation = delegate(booth, ["products", "inbox"])
    _mentor_lists_and_accepts(booth, bracelet_category)
    booth.part.refresh_from_db()
    assert booth.part.status == SellerOrder.Status.ACCEPTED
    product = Product.objects.get(title="کیف پول چرمی")
    assert product.created_by == booth.mentor
    rows = SellerAuditEntry.objects.filter(delegation=delegation).order_by("pk")
    assert [(r.action, r.actor_id, r.seller_id) for r in rows] == [
        ("product_create", booth.mentor.pk, booth.seller.pk),
        ("order_accept", booth.mentor.pk, booth.seller.pk),
    ]
    # her own history, across booths
    staff = grant(StaffFactory(username="+989120001099"), "mentor_seller")
    history = as_user(staff).get(
        reverse("sellers_staff:mentor_actions", kwargs={"user_id": booth.mentor.pk})
    )
    html = history.content.decode()
    assert history.status_code == 200
    assert "ثبت محصول" in html and "پذیرش سفارش" in html and "چرم نیلوفر" in html
    # delegations per centre
    page = as_user(staff).get(
        reverse("sellers_staff:delegations") + f"?centre={booth.seller.centre_id}"
    )
    assert page.status_code == 200
    assert booth.seller.centre.name in page.content.decode()
    assert "شیرین کارگر" in page.content.decode()
    # the seller's list of what was done for her
    mine = as_user(booth.owner).get(
        reverse("panel:delegation", kwargs={"seller_id": booth.seller.pk})
    )
    listed = mine.content.decode()
    assert "ثبت محصول" in listed and "پذیرش سفارش" in listed
    assert "شیرین کارگر" in listed
    # the staff file says it too
    file_page = as_user(grant(staff, "review_seller")).get(
        reverse("sellers_staff:file", kwargs={"seller_id": booth.seller.pk})
    )
    assert "به جای چرم نیلوفر" in file_page.content.decode()


@pytest.mark.dates
def test_her_own_actions_are_not_marked_as_delegated(booth, bracelet_category):
    delegate(booth, ["products"])
    client = as_user(booth.owner)
    client.post(booth.url("catalog_panel:product_pause"))
    entry = SellerAuditEntry.objects.get(action="product_pause")
    assert entry.delegation is None and entry.actor == booth.owner


def test_staff_pages_of_delegations_need_the_mentoring_permission(booth):
    nobody = StaffFactory(username="+989120001098")
    for url in (
        reverse("sellers_staff:delegations"),
        reverse("sellers_staff:mentor_actions", kwargs={"user_id": booth.mentor.pk}),
    ):
        assert as_user(nobody).get(url).status_code == 403
        assert Client().get(url).status_code == 302


@pytest.mark.dates
def test_the_summary_at_her_next_login_once(booth, bracelet_category):
    booth.owner.set_password("pass-1234-word")
    booth.owner.save()
    delegate(booth, ["products", "inbox"])
    _mentor_lists_and_accepts(booth, bracelet_category)
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"phone": "09121110001", "password": "pass-1234-word"},
        follow=True,
    )
    html = response.content.decode()
    assert "۱ محصول افزوده شد، ۱ سفارش پذیرفته شد" in html
    assert "چرم نیلوفر" in html
    client.logout()
    again = client.post(
        reverse("accounts:login"),
        {"phone": "09121110001", "password": "pass-1234-word"},
        follow=True,
    )
    assert "محصول افزوده شد" not in again.content.decode()


def test_the_summary_counts_by_kind():
    entries = [
        SellerAuditEntry(action=a)
        for a in ("product_create",) * 3 + ("order_accept",) * 2 + ("stall_sale",)
    ]
    assert services.delegation.delegated_summary(entries) == (
        "۳ محصول افزوده شد، ۲ سفارش پذیرفته شد، ۱ فروش در بازارچه ثبت شد"
    )


@pytest.mark.dates
def test_the_mentor_finds_her_booths_at_the_panel_index(booth):
    delegate(booth, ["products"])
    html = as_user(booth.mentor).get(reverse("panel:index")).content.decode()
    assert "کار به جای فروشنده" in html and "چرم نیلوفر" in html
    assert booth.url("catalog_panel:product_list") in html


@pytest.mark.dates
def test_a_mentor_answering_a_buyer_is_on_the_file(booth):
    delegation = delegate(booth, ["inbox"])
    response = as_user(booth.mentor).post(
        booth.url("orders_panel:thread"), {"text": "آماده است، فردا می‌فرستیم."}
    )
    assert response.status_code == 302
    (entry,) = SellerAuditEntry.objects.filter(delegation=delegation)
    assert entry.action == "order_message" and entry.actor == booth.mentor
    assert booth.thread.messages.get().sender == booth.mentor


@pytest.mark.dates
def test_a_mentor_without_her_second_factor_is_sent_to_it(booth):
    delegate(booth, ["products"])
    client = Client()
    assert client.login(phone=booth.mentor.username, password="pass-1234-word")
    response = client.get(booth.url("catalog_panel:product_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:staff_otp"))
