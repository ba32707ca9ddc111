"""Driving the checkout with Django's test client."""

from __future__ import annotations

import re

from django.urls import reverse

from marketplace.accounts import sms
from sellers.models import Province

ADDRESS = {
    "city": "تهران",
    "district": "6",
    "neighbourhood": "یوسف‌آباد",
    "street": "خیابان فتحی شقاقی، پلاک ۱۲",
    "postcode": "۱۴۳۱۶۵۳۱۱۱",
    "recipient_name": "مریم احمدی",
    "recipient_phone": "۰۹۳۵۱۱۱۲۲۳۳",
}


def address_data(**overrides):
    data = {"province": Province.objects.get(code=Province.TEHRAN_CODE).pk, **ADDRESS}
    data.update(overrides)
    return data


def last_code(phone: str) -> str:
    text = next(m.text for m in reversed(sms.outbox) if m.phone == phone)
    digits = re.search(r"(\d{6})", text)
    return digits.group(1)


def guest_through_who(client, phone="09351112233", email=""):
    response = client.post(
        reverse("checkout:index"),
        {"name": "مریم احمدی", "phone": phone, "email": email},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    code = last_code("+98" + phone[1:])
    response = client.post(reverse("checkout:code"), {"code": code})
    assert response.url == reverse("checkout:shipping-address")


def choose_all(client, kind="post", method="cod"):
    page = client.get(reverse("checkout:payment-method"))
    seller_ids = re.findall(r'name="part-(\d+)"', page.content.decode())
    data = {f"part-{sid}": f"{kind}:{method}" for sid in set(seller_ids)}
    return client.post(reverse("checkout:payment-method"), data)
