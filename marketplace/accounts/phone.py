"""Iranian mobile numbers: one canonical form for every way people type them.

A user's `username` is her mobile number in E.164 form, `+989xxxxxxxxx`. Every
phone number that enters the system (forms, services, the SMS interface) goes
through `normalize_phone` first, so `09121234567`, `9121234567`, `+98 912 123 4567`,
`0098-912-123-4567` and `۰۹۱۲۱۲۳۴۵۶۷` are all the same account.

Only mobile numbers are accepted: after the country code, a 9 followed by nine
digits. We deliberately do not check the operator prefix (0910-0919, 0990-0999,
…) against a list: operators open new prefixes, and a stale list would lock women
out. The `phonenumbers` library is therefore not used.
"""

from __future__ import annotations

from marketplace.persian import to_latin_digits, to_persian_digits

#: Longest raw input we look at. Anything longer is refused before any work.
MAX_RAW_LENGTH = 40

# Characters people (and keyboards, and copy-paste from chats) put inside a number.
_SEPARATORS = (
    " \t\n\r\v\f"
    "\u00a0"  # no-break space
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"  # spaces
    "\u202f\u205f\u3000"  # narrow no-break, medium mathematical, ideographic space
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u0640"  # dashes, minus, tatweel
    "()[].,/\u060c\u066b\u066c"  # brackets, dots, Arabic comma and separators
)
# Invisible formatting characters: ZWNJ/ZWJ/ZWSP, bidi marks, embeddings,
# isolates and the byte-order mark.
_INVISIBLE = (
    "\u200b\u200c\u200d"  # ZWSP, ZWNJ, ZWJ
    "\u200e\u200f\u061c"  # LRM, RLM, ALM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # BOM / zero-width no-break space
)
_CLEAN = str.maketrans(dict.fromkeys(_SEPARATORS + _INVISIBLE) | {"＋": "+"})

EXAMPLE = "۰۹۱۲۱۲۳۴۵۶۷"
MESSAGES = {
    "empty": "شماره موبایل را وارد کنید.",
    "characters": f"شماره موبایل فقط از رقم تشکیل می‌شود؛ مثلاً {EXAMPLE}.",
    "foreign": "فقط شماره موبایل‌های ایران پذیرفته می‌شود.",
    "landline": (
        "شماره تلفن ثابت پذیرفته نمی‌شود؛ "
        f"شماره موبایل خود را وارد کنید (مثلاً {EXAMPLE})."
    ),
    "not_mobile": "این شماره موبایل نیست؛ شماره موبایل با ۰۹ شروع می‌شود.",
    "too_short": f"شماره موبایل کوتاه است؛ شماره موبایل ۱۱ رقم دارد، مثلاً {EXAMPLE}.",
    "too_long": f"شماره موبایل بلند است؛ شماره موبایل ۱۱ رقم دارد، مثلاً {EXAMPLE}.",
}


class InvalidPhoneNumber(ValueError):
    """The input is not an Iranian mobile number. `str(exc)` is a Persian message
    fit to show the person who typed it; `code` says which rule failed."""

    def __init__(self, code: str):
        self.code = code
        self.message = MESSAGES[code]
        super().__init__(self.message)


def normalize_phone(raw: str) -> str:
    """Return the Iranian mobile number in `raw` as `+989xxxxxxxxx`.

    Accepted: `09…`, `9…`, `+98…`, `0098…`, `98…` (12 digits), and `+98 0…`;
    Persian (۰-۹) or Arabic (٠-٩) digits; spaces, dashes, dots, brackets, ZWNJ and
    bidi marks anywhere. Refused with `InvalidPhoneNumber`: empty input, letters or
    other symbols, foreign country codes, landlines, numbers not starting with 9
    after the country code, and anything but exactly ten national digits.
    """
    if raw is None or not str(raw).strip():
        raise InvalidPhoneNumber("empty")
    raw = str(raw)
    if len(raw) > MAX_RAW_LENGTH:
        raise InvalidPhoneNumber("too_long")
    text = to_latin_digits(raw).translate(_CLEAN)
    if not text:
        raise InvalidPhoneNumber("empty")

    plus = text.startswith("+")
    digits = text[1:] if plus else text
    if not digits:
        raise InvalidPhoneNumber("too_short")
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidPhoneNumber("characters")

    if plus:
        if not digits.startswith("98"):
            raise InvalidPhoneNumber("foreign")
        national = digits[2:]
    elif digits.startswith("0098"):
        national = digits[4:]
    elif digits.startswith("00"):
        raise InvalidPhoneNumber("foreign")
    elif digits.startswith("98") and len(digits) == 12:
        national = digits[2:]
    else:
        national = digits
    # The trunk prefix: `09…` at home, and the common `+98 09…` slip.
    if national.startswith("0"):
        national = national[1:]

    if not national:
        raise InvalidPhoneNumber("too_short")
    if not national.startswith("9"):
        if len(national) == 10 and national[0] != "0":
            raise InvalidPhoneNumber("landline")  # area code + 8 digits, e.g. 21…
        raise InvalidPhoneNumber("not_mobile")
    if len(national) < 10:
        raise InvalidPhoneNumber("too_short")
    if len(national) > 10:
        raise InvalidPhoneNumber("too_long")
    return "+98" + national


def is_valid_phone(raw: str) -> bool:
    try:
        normalize_phone(raw)
    except InvalidPhoneNumber:
        return False
    return True


def format_phone_for_display(e164: str) -> str:
    """`+989121234567` → `۰۹۱۲ ۱۲۳ ۴۵۶۷`, the way Iranians write a mobile number.

    Accepts any form `normalize_phone` accepts. In RTL text wrap the result in
    `<bdi dir="ltr">` so the groups keep their order (the `phone_display` filter
    in `accounts_phone` does).
    """
    national = "0" + normalize_phone(e164)[3:]
    return to_persian_digits(f"{national[:4]} {national[4:7]} {national[7:]}")


def format_phone_for_input(value: str) -> str:
    """`+989121234567` → `۰۹۱۲۱۲۳۴۵۶۷`: how a number we hold is put back into a
    field (the field accepts this form and the international one alike). Not a
    mobile number: returned unchanged, so what she typed is never lost."""
    try:
        return to_persian_digits("0" + normalize_phone(value)[3:])
    except InvalidPhoneNumber:
        return value


def mask_phone_for_display(e164: str) -> str:
    """`+989121234567` → `۰۹۱۲ *** ۴۵۶۷`: a number shown after its owner's details
    stopped being visible (wrap in `<bdi dir="ltr">` like the full form)."""
    try:
        national = "0" + normalize_phone(e164)[3:]
    except InvalidPhoneNumber:
        return "***"
    return to_persian_digits(f"{national[:4]} *** {national[7:]}")


def mask_phone(e164: str) -> str:
    """`+989121234567` → `+98912***4567`, for logs."""
    return f"{e164[:6]}***{e164[-4:]}" if len(e164) >= 10 else "***"
