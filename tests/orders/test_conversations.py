"""Issue 28 §2: messages between a buyer and a booth.

Asking on a product (signed in, and a guest proving her mobile by code), the
booth's «پیام‌ها» tab with unread counts, the owners' SMS at most once an hour
per thread, contact masking on both sides, the dignity hold, reports and the
staff read log, one photo without EXIF, the hourly limit per sender, and a
part's thread closing 60 days after the part ended. Cross-party access is in
`test_conversations_cross_party.py`."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from orders.conversations import services
from orders.conversations.models import (
    BOOTH,
    BUYER,
    Thread,
    ThreadMessage,
    ThreadReadLog,
)
from orders.models import SellerOrder
from sellers.models import SellerMember
from tests.catalog.photo_samples import assert_no_metadata, phone_jpeg, upload
from tests.factories import StaffFactory, UserFactory, grant, make_product

from .conftest import basket_with, make_booth, place

pytestmark = pytest.mark.django_db

PHONE = "0912 345 6789"


@pytest.fixture
def talk(db):
    seller, owner = make_booth("+989121113001", name="چرم نیلوفر")
    member = UserFactory(username="+989121113002")
    SellerMember.objects.create(seller=seller, user=member, role="member")
    product = make_product(seller=seller, title="کیف چرمی", num_in_stock=5)
    buyer = UserFactory(username="+989351113001", first_name="مریم")
    staff = grant(StaffFactory(username="+989120003001"), "review_seller")
    return {
        "seller": seller,
        "owner": owner,
        "member": member,
        "product": product,
        "buyer": buyer,
        "staff": staff,
    }


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client, product, text, **extra):
    return client.post(
        reverse("orders:ask", kwargs={"product_id": product.pk}),
        {"text": text, **extra},
    )


def owner_sms(outbox, owner) -> list:
    return [m for m in outbox if m.phone == owner.username and "پیام تازه" in m.text]


def test_a_signed_in_buyer_asks_and_every_member_sees_it_unread(
    talk, sms_outbox, django_capture_on_commit_callbacks
):
    buyer = as_user(talk["buyer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(buyer, talk["product"], "این کیف رنگ قهوه‌ای هم دارد؟")
    thread = Thread.objects.get()
    assert response["Location"] == reverse("orders:thread", args=[thread.pk])
    assert thread.buyer == talk["buyer"] and thread.seller == talk["seller"]
    assert len(owner_sms(sms_outbox, talk["owner"])) == 1
    for user in (talk["owner"], talk["member"]):
        listing = as_user(user).get(
            reverse("orders_panel:threads", args=[talk["seller"].pk])
        )
        assert "کیف چرمی" in listing.content.decode()
        assert "۱ تازه" in listing.content.decode()
    inbox = as_user(talk["member"]).get(
        reverse("orders_panel:inbox", args=[talk["seller"].pk])
    )
    assert "پیام‌ها (۱)" in inbox.content.decode()
    # the booth answers; the buyer then has one unread
    booth = as_user(talk["owner"])
    booth.post(
        reverse("orders_panel:thread", args=[talk["seller"].pk, thread.pk]),
        {"text": "بله، دو رنگ داریم."},
    )
    assert services.booth_unread_total(seller=talk["seller"]) == 0
    mine = buyer.get(reverse("orders:threads")).content.decode()
    assert "۱ تازه" in mine
    page = buyer.get(reverse("orders:thread", args=[thread.pk])).content.decode()
    assert "بله، دو رنگ داریم." in page
    assert talk["owner"].username not in page and "۰۹۱۲ ۱۱۱ ۳۰۰۱" not in page


@pytest.mark.dates
def test_the_owners_get_one_sms_an_hour_per_thread(
    talk, sms_outbox, django_capture_on_commit_callbacks
):
    buyer = as_user(talk["buyer"])
    with django_capture_on_commit_callbacks(execute=True):
        ask(buyer, talk["product"], "سلام")
    thread = Thread.objects.get()
    url = reverse("orders:thread", args=[thread.pk])
    with django_capture_on_commit_callbacks(execute=True):
        buyer.post(url, {"text": "دوباره سلام"})
        buyer.post(url, {"text": "هنوز منتظرم"})
    assert len(owner_sms(sms_outbox, talk["owner"])) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        later = as_user(talk["buyer"])
        with django_capture_on_commit_callbacks(execute=True):
            later.post(url, {"text": "یک ساعت گذشت"})
    assert len(owner_sms(sms_outbox, talk["owner"])) == 2
    # the booth's own messages never text the owners
    with django_capture_on_commit_callbacks(execute=True):
        as_user(talk["member"]).post(
            reverse("orders_panel:thread", args=[talk["seller"].pk, thread.pk]),
            {"text": "پاسخ غرفه"},
        )
    assert len(owner_sms(sms_outbox, talk["owner"])) == 2


def test_contact_details_are_masked_on_both_sides_and_the_sender_told(talk):
    buyer = as_user(talk["buyer"])
    ask(buyer, talk["product"], f"شمارهٔ من {PHONE} است")
    thread = Thread.objects.get()
    page = buyer.get(reverse("orders:thread", args=[thread.pk])).content.decode()
    assert "شماره پنهان شد" in page and "پنهان شد: برای امنیت" in page
    booth = as_user(talk["owner"])
    response = booth.post(
        reverse("orders_panel:thread", args=[talk["seller"].pk, thread.pk]),
        {"text": "به maryam@example.com یا instagram.com/niloofar پیام بدهید"},
        follow=True,
    )
    html = response.content.decode()
    assert "ایمیل" in html and "پنهان شد: برای امنیت" in html
    stored = list(ThreadMessage.objects.values_list("text", flat=True))
    assert all("345" not in t and "@" not in t and "instagram" not in t for t in stored)
    assert ThreadMessage.objects.filter(masked=True).count() == 2
    assert response.status_code == 200


def test_a_message_with_labelling_words_is_held_for_staff(talk):
    buyer = as_user(talk["buyer"])
    ask(buyer, talk["product"], "شنیدم فروشنده سرپرست خانوار است، درست است؟")
    thread = Thread.objects.get()
    message = thread.messages.get()
    assert message.held
    booth_page = as_user(talk["owner"]).get(
        reverse("orders_panel:thread", args=[talk["seller"].pk, thread.pk])
    )
    assert "سرپرست" not in booth_page.content.decode()
    assert services.booth_unread_total(seller=talk["seller"]) == 0
    # the sender sees her own message, marked as waiting
    mine = buyer.get(reverse("orders:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="message-held"' in mine
    staff = as_user(talk["staff"])
    listing = staff.get(reverse("orders_staff:threads")).content.decode()
    assert "کیف چرمی" in listing
    staff.get(reverse("orders_staff:thread", args=[thread.pk]))
    staff.post(
        reverse("orders_staff:message_moderate", args=[thread.pk, message.pk, "drop"])
    )
    message.refresh_from_db()
    assert message.dropped
    assert ThreadReadLog.objects.filter(thread=thread, user=talk["staff"]).count() == 2


def test_a_reported_thread_is_read_by_staff_with_a_read_log(talk):
    buyer = as_user(talk["buyer"])
    ask(buyer, talk["product"], "سلام، اندازهٔ ۴۰ دارید؟")
    thread = Thread.objects.get()
    staff = as_user(talk["staff"])
    # not reported: staff neither list nor read it
    assert "کیف چرمی" not in staff.get(reverse("orders_staff:threads")).content.decode()
    assert (
        staff.get(reverse("orders_staff:thread", args=[thread.pk])).status_code == 404
    )
    assert not ThreadReadLog.objects.exists()
    as_user(talk["owner"]).post(
        reverse("orders_panel:thread_report", args=[talk["seller"].pk, thread.pk]),
        {"reason": "پیام‌های آزاردهنده"},
    )
    thread.refresh_from_db()
    assert thread.reported_by == BOOTH and thread.report_reason == "پیام‌های آزاردهنده"
    page = staff.get(reverse("orders_staff:thread", args=[thread.pk]))
    assert page.status_code == 200 and "اندازهٔ ۴۰" in page.content.decode()
    (read,) = ThreadReadLog.objects.all()
    assert read.user == talk["staff"] and read.thread == thread
    # staff without the permission: 403
    other = StaffFactory(username="+989120003002")
    assert (
        as_user(other).get(reverse("orders_staff:thread", args=[thread.pk])).status_code
        == 403
    )


def test_one_photo_per_message_without_exif(talk):
    buyer = as_user(talk["buyer"])
    ask(buyer, talk["product"], "این رنگ را می‌خواهم", photo=upload(phone_jpeg()))
    message = ThreadMessage.objects.get()
    assert message.photo
    with default_storage.open(message.photo.name, "rb") as f:
        data = f.read()
    assert_no_metadata(data, "jpeg")
    assert "IMG_" not in message.photo.name
    refused = ask(buyer, talk["product"], "x", photo=upload(b"not an image", "a.jpg"))
    assert refused.status_code == 200 and ThreadMessage.objects.count() == 1


def test_a_sender_is_limited_per_hour(talk):
    buyer = as_user(talk["buyer"])
    ask(buyer, talk["product"], "پرسش ۱")
    thread = Thread.objects.get()
    url = reverse("orders:thread", args=[thread.pk])
    for n in range(services.MESSAGES_PER_HOUR - 1):
        buyer.post(url, {"text": f"پیام {n}"})
    assert thread.messages.count() == services.MESSAGES_PER_HOUR
    response = buyer.post(url, {"text": "یکی بیشتر"})
    assert response.status_code == 200
    assert "کمی بعد دوباره" in response.content.decode()
    assert thread.messages.count() == services.MESSAGES_PER_HOUR


@pytest.mark.dates
def test_a_part_thread_closes_60_days_after_the_part_ended(talk):
    order = place(basket_with([(talk["product"], 1)], owner=talk["buyer"]))
    order.user = talk["buyer"]
    order.save()
    part = order.seller_orders.get()
    buyer = as_user(talk["buyer"])
    response = buyer.post(reverse("orders:part_thread", args=[part.pk]))
    thread = Thread.objects.get(seller_order=part)
    assert response["Location"] == reverse("orders:thread", args=[thread.pk])
    assert thread.buyer == talk["buyer"]
    # the booth reaches the same thread from the part
    booth = as_user(talk["owner"])
    again = booth.post(
        reverse("orders_panel:part_thread", args=[talk["seller"].pk, part.pk])
    )
    assert again["Location"].endswith(f"/messages/{thread.pk}/")
    SellerOrder.objects.filter(pk=part.pk).update(
        status=SellerOrder.Status.DELIVERED,
        delivered_at=timezone.now() - dt.timedelta(days=59),
    )
    ok = buyer.post(reverse("orders:thread", args=[thread.pk]), {"text": "ممنون"})
    assert ok.status_code == 302
    SellerOrder.objects.filter(pk=part.pk).update(
        delivered_at=timezone.now() - dt.timedelta(days=61)
    )
    closed = buyer.post(reverse("orders:thread", args=[thread.pk]), {"text": "باز؟"})
    assert closed.status_code == 200
    assert "بسته شده" in closed.content.decode()
    assert thread.messages.count() == 1


def test_a_guest_proves_her_mobile_by_code_then_asks(talk, sms_outbox):
    guest = Client()
    response = ask(
        guest, talk["product"], "برای دخترم سایز کوچک دارید؟", phone="09351113999"
    )
    assert response["Location"] == reverse(
        "orders:ask_code", kwargs={"product_id": talk["product"].pk}
    )
    assert not Thread.objects.exists()
    (sms,) = [m for m in sms_outbox if m.phone == "+989351113999"]
    code = re.search(r"\d{6}", sms.text).group()
    wrong = guest.post(
        reverse("orders:ask_code", kwargs={"product_id": talk["product"].pk}),
        {"code": "000000" if code != "000000" else "111111"},
    )
    assert wrong.status_code == 200 and not Thread.objects.exists()
    done = guest.post(
        reverse("orders:ask_code", kwargs={"product_id": talk["product"].pk}),
        {"code": code},
    )
    thread = Thread.objects.get()
    assert done["Location"] == reverse("orders:thread", args=[thread.pk])
    assert thread.buyer is None and thread.guest_phone == "+989351113999"
    assert guest.get(reverse("orders:thread", args=[thread.pk])).status_code == 200
    assert "کیف چرمی" in guest.get(reverse("orders:threads")).content.decode()
    # the booth never sees her number
    page = as_user(talk["owner"]).get(
        reverse("orders_panel:thread", args=[talk["seller"].pk, thread.pk])
    )
    assert "3999" not in page.content.decode() and "۳۹۹۹" not in page.content.decode()
    # another visitor, without her code: 404
    assert Client().get(reverse("orders:thread", args=[thread.pk])).status_code == 404


def test_the_product_page_offers_ask_the_seller(talk):
    from catalog.models import Product

    Product.objects.filter(pk=talk["product"].pk).update(
        moderation_status=Product.Moderation.APPROVED
    )
    html = Client().get(talk["product"].get_absolute_url()).content.decode()
    assert reverse("orders:ask", kwargs={"product_id": talk["product"].pk}) in html
    assert "از فروشنده بپرسید" in html


def test_a_member_cannot_ask_her_own_booth(talk):
    response = ask(as_user(talk["member"]), talk["product"], "سلام")
    assert response.status_code == 200 and not Thread.objects.exists()


def test_threads_have_a_side(talk):
    thread = services.thread_start_on_product(
        product=talk["product"], seller=talk["seller"], buyer=talk["buyer"], text="س"
    ).message.thread
    assert services.thread_side(thread, user=talk["buyer"]) == BUYER
    assert services.thread_side(thread, user=talk["member"]) == BOOTH
    assert services.thread_side(thread, user=talk["staff"]) is None
