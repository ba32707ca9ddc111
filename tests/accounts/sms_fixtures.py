"""The SMS fixture shared by the account, order and bazaar tests, registered once
for the whole suite as a pytest plugin (`pytest_plugins` in tests/conftest.py).

Not autouse here: each folder that wants it turns it on in its conftest (its
`_sms_at_once`), and a test module that tests the real wait overrides it
(tests/accounts/test_sms_after_response.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def sms_at_commit_run_at_once(monkeypatch):
    """The test database never commits, so SMS queued "after commit"
    (`marketplace.accounts.services.sms_send_later`, the one-time codes among
    them) are sent at once here, and tests read the outbox right after the
    call."""
    monkeypatch.setattr(
        "marketplace.accounts.services._after_commit", lambda callback: callback()
    )
