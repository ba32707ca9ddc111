"""Her story on the public site: published only while she consents."""

from __future__ import annotations

from django.contrib.auth.models import User

from .. import audit
from ..models import Seller
from ..signals import story_consent_changed
from ._guards import require_owner


@audit.workflow
def seller_story_consent_set(*, seller: Seller, actor: User, consent: bool) -> Seller:
    """Give or withdraw her consent to her story being public. Owners only.

    The rule: a story about her (her booth's story text, a story page about her
    or her group) is public only while `Seller.story_consent` holds. Withdrawing
    takes effect in this transaction: `story_consent_changed` is sent before it
    commits, and the pages that react (`cms.receivers`) unpublish her story
    pages and drop the cached pages with it, so a refusal to unpublish rolls the
    withdrawal back instead of leaving a page up. Audited.
    """
    require_owner(seller=seller, actor=actor)
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    changed = seller.story_consent != consent
    if changed:
        seller.story_consent = consent
        seller.save(update_fields=["story_consent"])
    # Audited even when unchanged (a form sent twice): she said it again.
    audit.record(
        seller=seller,
        actor=actor,
        action="story_consent_given" if consent else "story_consent_withdrawn",
    )
    if changed:
        story_consent_changed.send(sender=Seller, seller=seller, consent=consent)
    return seller
