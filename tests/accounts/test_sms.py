"""The SMS interface other apps use: `send_sms`, and the backends behind it."""

from __future__ import annotations

import pytest
from django.core import checks

from marketplace.accounts import sms
from marketplace.accounts.checks import check_sms_backend
from marketplace.accounts.phone import InvalidPhoneNumber


def test_send_sms_records_the_message_with_the_normalised_number(outbox):
    message = sms.send_sms(phone="۰۹۱۲-۱۲۳-۴۵۶۷", text="سفارش تازه‌ای دارید.")

    assert outbox == [message]
    assert message.phone == "+989121234567"
    assert message.text == "سفارش تازه‌ای دارید."


def test_send_sms_refuses_a_number_that_is_not_a_mobile(outbox):
    with pytest.raises(InvalidPhoneNumber):
        sms.send_sms(phone="021 8877 6655", text="x")
    assert outbox == []


def test_console_backend_prints_the_message(settings, capsys, outbox):
    settings.SMS_BACKEND = "marketplace.accounts.sms.ConsoleSmsBackend"

    sms.send_sms(phone="09121234567", text="کد تأیید شما: 123456")

    printed = capsys.readouterr().out
    assert "+989121234567" in printed
    assert "کد تأیید شما: 123456" in printed
    assert outbox == []


def test_the_backend_is_chosen_by_setting(settings):
    settings.SMS_BACKEND = "marketplace.accounts.sms.ConsoleSmsBackend"
    assert isinstance(sms.get_sms_backend(), sms.ConsoleSmsBackend)
    settings.SMS_BACKEND = "marketplace.accounts.sms.RecordingSmsBackend"
    assert isinstance(sms.get_sms_backend(), sms.RecordingSmsBackend)


def test_deploy_check_warns_about_a_development_backend(settings):
    settings.SMS_BACKEND = "marketplace.accounts.sms.ConsoleSmsBackend"
    warnings = check_sms_backend(None)
    assert [w.id for w in warnings] == ["accounts.W001"]
    assert all(isinstance(w, checks.Warning) for w in warnings)

    settings.SMS_BACKEND = "somewhere.gateway.KavenegarSmsBackend"
    assert check_sms_backend(None) == []
