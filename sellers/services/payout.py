"""Payout details: where the booth's money goes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from marketplace.persian import to_latin_digits
from marketplace.text import plain_text

from .. import audit
from ..models import Seller
from ._guards import require_owner


def _iban_ok(iban: str) -> bool:
    """ISO 13616 mod-97 check."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


@audit.workflow
def payout_details_update(
    *, seller: Seller, actor: User, account_holder: str, sheba: str
) -> Seller:
    """Only owners change where the booth's money goes. Sheba: IR + 24 digits."""
    require_owner(seller=seller, actor=actor)
    sheba = to_latin_digits(sheba).replace(" ", "").replace("-", "").upper()
    if not sheba.startswith("IR"):
        sheba = "IR" + sheba
    if len(sheba) != 26 or not sheba[2:].isdigit() or not _iban_ok(sheba):
        raise ValidationError(
            {"sheba": "شماره شبا باید IR و ۲۴ رقم باشد و درست وارد شده باشد."}
        )
    seller.payout_account_holder = plain_text(account_holder, multiline=False)
    seller.payout_sheba = sheba
    seller.save(update_fields=["payout_account_holder", "payout_sheba"])
    audit.record(seller=seller, actor=actor, action="payout_update")
    return seller
