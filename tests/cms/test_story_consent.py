"""The consent rule: a story page is public only while her booth consents.

She gives and withdraws consent from her panel (`/panel/<id>/story/`, through
`sellers.services.seller_story_consent_set`); the sellers domain never imports
the pages, `cms.receivers` reacts to its signal. Withdrawal unpublishes at once,
in the same transaction, and the page answers 404, also to a visitor the page
cache served a moment before."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cms.models import StoryPage
from sellers import services
from sellers.models import SellerAuditEntry, SellerMember
from tests.factories import (
    SellerMemberFactory,
    StaffFactory,
    UserFactory,
    seller_with_owner,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consenting_booth():
    seller, owner = seller_with_owner(
        "+989121110000", brand_name="سفالینهٔ مهتاب", story_consent=True
    )
    return seller, owner


def story_for(seller, story_index, *, publish=True) -> StoryPage:
    page = StoryPage(
        title=f"داستان {seller.brand_name}",
        slug=f"story-{seller.pk}",
        seller=seller,
        summary="از یک اتاق خانه تا یک غرفه",
        body=[("paragraph", "<p>کار با گل از کودکی.</p>")],
        live=False,
    )
    story_index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def anonymous_get(client, url):
    client.cookies.clear()
    return client.get(url)


def test_a_story_with_consent_is_published_and_listed(
    client, consenting_booth, story_index
):
    seller, _ = consenting_booth
    page = story_for(seller, story_index)
    response = anonymous_get(client, page.url)
    assert response.status_code == 200
    assert "کار با گل از کودکی." in response.content.decode()
    assert page.title in anonymous_get(client, story_index.url).content.decode()
    assert page.url in anonymous_get(client, "/sitemap.xml").content.decode()


def test_a_story_without_consent_cannot_be_published(consenting_booth, story_index):
    seller, _ = consenting_booth
    seller.story_consent = False
    seller.save()
    page = story_for(seller, story_index, publish=False)
    with pytest.raises(ValidationError):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live is False


def test_the_editor_may_save_a_draft_but_not_publish_without_consent(
    client, consenting_booth, story_index
):
    seller, _ = consenting_booth
    seller.story_consent = False
    seller.save()
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("wagtailadmin_pages:add", args=("cms", "storypage", story_index.pk))
    form = {
        "title": "داستان سفالینه",
        "slug": "story-draft",
        "seller": seller.pk,
        "summary": "",
        "body-count": "0",
        "gallery_images-TOTAL_FORMS": "0",
        "gallery_images-INITIAL_FORMS": "0",
        "gallery_images-MIN_NUM_FORMS": "0",
        "gallery_images-MAX_NUM_FORMS": "1000",
    }
    refused = client.post(url, form | {"action-publish": "action-publish"})
    assert refused.status_code == 200  # the form again, with the reason
    assert "اجازهٔ انتشار داستانش را نداده" in refused.content.decode()
    assert not StoryPage.objects.filter(slug="story-draft").exists()

    saved = client.post(url, form)
    assert saved.status_code == 302
    draft = StoryPage.objects.get(slug="story-draft")
    assert draft.live is False


def test_withdrawal_from_her_panel_unpublishes_at_once_under_a_warm_cache(
    client, consenting_booth, story_index, page_cache, django_assert_num_queries
):
    seller, owner = consenting_booth
    page = story_for(seller, story_index)
    booth_url = seller.get_absolute_url()
    seller.story = "داستان غرفه در صفحهٔ غرفه"
    seller.save()
    # Warm: the story, its index and her booth page come from the cache.
    for url in (page.url, story_index.url, booth_url):
        assert anonymous_get(client, url).status_code == 200
    with django_assert_num_queries(0):
        assert anonymous_get(client, page.url).status_code == 200

    # She withdraws her consent from her panel.
    client.force_login(owner)
    response = client.post(
        reverse("panel:story", kwargs={"seller_id": seller.pk}), {"op": "withdraw"}
    )
    assert response.status_code == 302
    client.logout()

    page.refresh_from_db()
    seller.refresh_from_db()
    assert seller.story_consent is False and page.live is False
    assert anonymous_get(client, page.url).status_code == 404
    assert page.title not in anonymous_get(client, story_index.url).content.decode()
    assert (
        "داستان غرفه در صفحهٔ غرفه"
        not in anonymous_get(client, booth_url).content.decode()
    )
    assert (
        f"/stories/{page.slug}/"
        not in anonymous_get(client, "/sitemap.xml").content.decode()
    )
    assert SellerAuditEntry.objects.filter(
        seller=seller, action="story_consent_withdrawn"
    ).exists()


def test_a_live_story_whose_consent_is_gone_is_never_served(
    client, consenting_booth, story_index
):
    seller, _ = consenting_booth
    page = story_for(seller, story_index)
    # Even if consent disappears by a path that sends no signal (a bulk update),
    # the page is not shown.
    type(seller).objects.filter(pk=seller.pk).update(story_consent=False)
    assert anonymous_get(client, page.url).status_code == 404


def test_giving_consent_again_does_not_publish_by_itself(
    client, consenting_booth, story_index
):
    seller, owner = consenting_booth
    page = story_for(seller, story_index)
    services.seller_story_consent_set(seller=seller, actor=owner, consent=False)
    services.seller_story_consent_set(seller=seller, actor=owner, consent=True)
    page.refresh_from_db()
    assert page.live is False  # editors publish it again, with her
    page.get_latest_revision().publish()
    assert anonymous_get(client, page.url).status_code == 200


def test_only_an_owner_gives_or_withdraws_consent(
    client, consenting_booth, story_index
):
    seller, _ = consenting_booth
    page = story_for(seller, story_index)
    member = UserFactory(username="+989121112222")
    SellerMemberFactory(seller=seller, user=member, role=SellerMember.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.seller_story_consent_set(seller=seller, actor=member, consent=False)
    client.force_login(member)
    url = reverse("panel:story", kwargs={"seller_id": seller.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"op": "withdraw"}).status_code == 403
    page.refresh_from_db()
    seller.refresh_from_db()
    assert page.live is True and seller.story_consent is True
    # Another booth's owner does not even see the page.
    _, stranger = seller_with_owner("+989121113333")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
