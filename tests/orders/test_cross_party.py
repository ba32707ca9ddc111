"""Cross-party access: every inbox URL and part id, opened by another booth, a
member of another group, the buyer and an anonymous visitor, is a 404, and every
POST changes nothing; a buyer opening another buyer's order, or a tampered
guest link, is a 404."""

import pytest
from django.conf import settings
from django.urls import reverse

from orders.models import LedgerEntry, SellerOrder, SellerOrderEvent
from orders.notifications import buyer_link_token
from sellers.models import DeliveryOption, Seller, SellerMember
from tests.factories import SellerMemberFactory, UserFactory, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db

ACTIONS = ["accept", "decline", "ready", "ship", "deliver", "cancel", "expire"]


@pytest.fixture
def cross_party_world(db):
    booth, owner = make_booth("+989121111111", name="چرم نیلوفر")
    other, other_owner = make_booth(
        "+989122222222", name="گروه همیار مهر", kind=Seller.Kind.GROUP
    )
    other_member = UserFactory(username="+989122222223")
    SellerMemberFactory(seller=other, user=other_member, role=SellerMember.Role.MEMBER)
    buyer = UserFactory(username="+989351112233")
    from orders.services import BuyerData

    product = make_product(seller=booth, title="کیف")
    order = place(
        basket_with([(product, 1)], owner=buyer),
        buyer=BuyerData(user=buyer, name="مریم", phone="+989351112233"),
    )
    part = order.seller_orders.get()
    return {
        "booth": booth,
        "part": part,
        "order": order,
        "parties": {
            "other booth owner": other_owner,
            "other group member": other_member,
            "buyer": buyer,
            "anonymous": None,
        },
    }


def snapshot():
    return (
        list(
            SellerOrder.objects.values_list(
                "pk", "status", "tracking_code", "decline_reason"
            )
        ),
        SellerOrderEvent.objects.count(),
        LedgerEntry.objects.count(),
        list(DeliveryOption.objects.order_by("pk").values_list("fee", "is_active")),
        list(Seller.objects.values_list("weekly_capacity", flat=True)),
    )


def test_panel_urls_send_an_anonymous_visitor_to_log_in(client, cross_party_world):
    """Like every panel page (`PanelMixin`): the same redirect for any booth, so
    it confirms nothing, and nothing changes."""
    sid, pid = cross_party_world["booth"].pk, cross_party_world["part"].pk
    login = reverse(settings.LOGIN_URL)
    before = snapshot()
    for url in [
        reverse("orders_panel:inbox", args=[sid]),
        reverse("orders_panel:part", args=[sid, pid]),
        reverse("orders_panel:ledger", args=[sid]),
        reverse("orders_panel:delivery", args=[sid]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    for action in ACTIONS:
        url = reverse("orders_panel:part_action", args=[sid, pid, action])
        response = client.post(url, {"reason": "x"})
        assert response.status_code == 302, url
    assert snapshot() == before


@pytest.mark.parametrize("party", ["other booth owner", "other group member", "buyer"])
def test_panel_urls_are_404_for_everyone_else(client, cross_party_world, party):
    user = cross_party_world["parties"][party]
    if user is not None:
        client.force_login(user)
    sid, pid = cross_party_world["booth"].pk, cross_party_world["part"].pk
    gets = [
        reverse("orders_panel:inbox", args=[sid]),
        reverse("orders_panel:part", args=[sid, pid]),
        reverse("orders_panel:slip", args=[sid, pid]),
        reverse("orders_panel:ledger", args=[sid]),
        reverse("orders_panel:delivery", args=[sid]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    before = snapshot()
    posts = [reverse("orders_panel:part_action", args=[sid, pid, a]) for a in ACTIONS]
    posts.append(reverse("orders_panel:delivery", args=[sid]))
    for url in posts:
        response = client.post(
            url, {"reason": "x", "tracking_code": "1", "post-fee": "1"}
        )
        assert response.status_code == 404, url
    assert snapshot() == before


def test_another_booths_part_id_under_her_own_booth_is_404(client, cross_party_world):
    other_owner = cross_party_world["parties"]["other booth owner"]
    other = other_owner.seller_memberships.get().seller
    client.force_login(other_owner)
    pid = cross_party_world["part"].pk
    assert (
        client.get(reverse("orders_panel:part", args=[other.pk, pid])).status_code
        == 404
    )
    assert (
        client.get(reverse("orders_panel:slip", args=[other.pk, pid])).status_code
        == 404
    )
    before = snapshot()
    for action in ACTIONS:
        url = reverse("orders_panel:part_action", args=[other.pk, pid, action])
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert snapshot() == before


def test_a_buyer_opening_another_buyers_order_gets_404(client, cross_party_world):
    order, part = cross_party_world["order"], cross_party_world["part"]
    client.force_login(UserFactory(username="+989359999999"))
    assert client.get(reverse("orders:detail", args=[order.number])).status_code == 404
    before = snapshot()
    for action in ("cancel", "deliver", "accept"):
        url = reverse("orders:part_action", args=[order.number, part.pk, action])
        assert client.post(url).status_code == 404
    assert snapshot() == before
    # the owner herself sees it
    client.force_login(cross_party_world["parties"]["buyer"])
    assert client.get(reverse("orders:detail", args=[order.number])).status_code == 200


def test_a_tampered_guest_link_is_404(client, cross_party_world):
    order, part = cross_party_world["order"], cross_party_world["part"]
    token = buyer_link_token(order)
    assert client.get(reverse("orders:track", args=[token])).status_code == 200
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("orders:track", args=[tampered])).status_code == 404
    before = snapshot()
    url = reverse("orders:track_action", args=[tampered, part.pk, "cancel"])
    assert client.post(url).status_code == 404
    assert snapshot() == before
    # a part id that is not this order's, through a valid link: 404 too
    url = reverse("orders:track_action", args=[token, part.pk + 999, "cancel"])
    assert client.post(url).status_code == 404
    assert snapshot() == before


def test_oscar_account_order_and_address_pages_lead_to_ours(client, cross_party_world):
    client.force_login(cross_party_world["parties"]["buyer"])
    response = client.get("/accounts/orders/")
    assert response.status_code == 302 and response.url == reverse("orders:history")
    response = client.get("/accounts/addresses/")
    assert response.status_code == 302 and response.url == reverse("orders:addresses")
    history = client.get(reverse("orders:history")).content.decode()
    from marketplace.persian import to_persian_digits

    assert to_persian_digits(cross_party_world["order"].number) in history
    assert "چرم نیلوفر" in history
