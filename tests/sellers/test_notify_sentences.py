"""What the booth is told, built around a reviewer's reason, ends as a sentence
(issue 24 §3.5)."""

import pytest

from marketplace.accounts import sms
from sellers.models import SellerNotification
from sellers.services import seller_request_changes

pytestmark = pytest.mark.django_db


def test_the_reason_for_changes_is_told_as_a_sentence(
    seller_a, reviewer, django_capture_on_commit_callbacks
):
    seller, owner = seller_a
    seller.status = "in_review"
    seller.save()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seller_request_changes(seller=seller, actor=reviewer, reason="عکس‌ها تاریک است")
    told = "درخواست غرفهٔ شما به اصلاح نیاز دارد: عکس‌ها تاریک است."
    assert SellerNotification.objects.get(seller=seller).text == told
    assert [m.text for m in sms.outbox if m.phone == owner.username] == [
        f"دستاورد: {told}"
    ]
