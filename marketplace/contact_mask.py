"""No contact details cross a message: phone numbers, e-mail addresses and
links typed into a conversation between a buyer and a booth are masked on both
sides, and the sender is told why (`contact_mask`).

Phones are found however they are written: Latin, Persian (۰۹۱۲) or
Arabic-Indic (٠٩١٢) digits, with spaces, dashes, dots or brackets between
groups, with +98 / 0098, and spelled out with Persian (or English) number
words («صفر نهصد و دوازده …»). A run of number pieces joined only by such
separators is a phone when it holds at least `PHONE_MIN_DIGITS` digits; a
thousands separator (٬ or ,) and a date's slash break a run, so a price
(«۱٬۵۰۰٬۰۰۰ تومان») or a date («۱۴۰۵/۰۹/۱۵») stays as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A run of number pieces with at least this many digits is a phone number
#: (an Iranian landline without its area code has 8).
PHONE_MIN_DIGITS = 8

PHONE_MASK = "[شماره پنهان شد]"
EMAIL_MASK = "[ایمیل پنهان شد]"
LINK_MASK = "[نشانی پنهان شد]"

_ONES = {
    "صفر": 0,
    "یک": 1,
    "يك": 1,
    "دو": 2,
    "سه": 3,
    "چهار": 4,
    "چار": 4,
    "پنج": 5,
    "شش": 6,
    "شیش": 6,
    "هفت": 7,
    "هشت": 8,
    "نه": 9,
    "zero": 0,
    "oh": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TENS = {
    "ده": 10,
    "یازده": 11,
    "دوازده": 12,
    "سیزده": 13,
    "چهارده": 14,
    "پانزده": 15,
    "پونزده": 15,
    "شانزده": 16,
    "شونزده": 16,
    "هفده": 17,
    "هیفده": 17,
    "هجده": 18,
    "هیجده": 18,
    "نوزده": 19,
    "بیست": 20,
    "سی": 30,
    "چهل": 40,
    "پنجاه": 50,
    "شصت": 60,
    "هفتاد": 70,
    "هشتاد": 80,
    "نود": 90,
}
_HUNDREDS = {
    "صد": 100,
    "یکصد": 100,
    "دویست": 200,
    "سیصد": 300,
    "چهارصد": 400,
    "پانصد": 500,
    "پونصد": 500,
    "ششصد": 600,
    "شیشصد": 600,
    "هفتصد": 700,
    "هشتصد": 800,
    "نهصد": 900,
}
NUMBER_WORDS = {**_ONES, **_TENS, **_HUNDREDS}

_DIGITS = "0-9۰-۹٠-٩"
_TOKEN = re.compile(
    rf"(?P<digits>[{_DIGITS}]+)"
    r"|(?P<word>[A-Za-z]+|[\u0600-\u065F\u066A-\u06EF\u06FA-\u06FF]+)"
    r"|(?P<sep>[\s\-‐‑–—_.()\[\]+*~\u200c\u200f\u200e]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_JOINERS = {"و"}

_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+\s*(?:@|\(at\)|\[at\]|\sat\s|\sاَت\s|\sات\s|\sاتساین\s)\s*"
    r"[A-Za-z0-9\-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\sdot\s|\sدات\s)\s*[A-Za-z0-9\-]+)+",
    re.IGNORECASE,
)
_TLDS = r"(?:ir|com|net|org|me|info|io|co|shop|app|xyz|site|online|store|link)"
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
    rf"(?:\.|\s*(?:\bdot\b|دات)\s*){_TLDS}\b(?:/\S*)?"
    r"|\b[A-Za-z0-9\-]+\s*(?:دات|\bdot\b)\s*(?:کام|آی\s?آر|نت)"
    r"|(?<![\w@])@[A-Za-z0-9_.]{3,}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: frozenset[str]  # "phone", "email", "link"

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where the runs of number pieces with enough digits are."""
    spans: list[tuple[int, int]] = []
    run_start = run_end = None
    digits = 0
    last_value: int | None = None  # the previous number word, for «نهصد و دوازده»
    joined = False  # a «و» since the previous piece

    def close():
        nonlocal run_start, run_end, digits, last_value, joined
        if run_start is not None and digits >= PHONE_MIN_DIGITS:
            start = run_start
            if start > 0 and text[start - 1] == "+":
                start -= 1
            spans.append((start, run_end))
        run_start = run_end = None
        digits = 0
        last_value = None
        joined = False

    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        piece = match.group()
        if kind == "digits":
            if run_start is None:
                run_start = match.start()
            run_end = match.end()
            digits += len(piece)
            last_value = None
            joined = False
        elif kind == "word" and piece.lower() in NUMBER_WORDS:
            value = NUMBER_WORDS[piece.lower()]
            if run_start is None:
                run_start = match.start()
            # «نهصد و دوازده» is one number of three digits, not five
            if not (joined and last_value is not None and last_value > value):
                digits += len(str(value))
            run_end = match.end()
            last_value = value
            joined = False
        elif kind == "word" and piece in _JOINERS and run_start is not None:
            joined = True
        elif kind == "sep":
            continue
        else:
            close()
    close()
    return spans


def contact_mask(text: str) -> Masked:
    """`text` with every phone number, e-mail address and link replaced by a
    Persian mark, and which kinds were found (to tell the sender why)."""
    kinds: set[str] = set()

    def sub(pattern, mask, kind, value):
        def replace(match):
            kinds.add(kind)
            return mask

        return pattern.sub(replace, value)

    text = sub(_EMAIL, EMAIL_MASK, "email", text)
    text = sub(_LINK, LINK_MASK, "link", text)
    spans = _phone_spans(text)
    if spans:
        kinds.add("phone")
        for start, end in reversed(spans):
            text = text[:start] + PHONE_MASK + text[end:]
    return Masked(text=text, kinds=frozenset(kinds))


_KIND_WORDS = {"phone": "شماره تلفن", "email": "ایمیل", "link": "نشانی اینترنتی"}


def contact_mask_notice(kinds) -> str:
    """Why part of her message was hidden, in Persian."""
    named = "، ".join(_KIND_WORDS[k] for k in ("phone", "email", "link") if k in kinds)
    return (
        f"{named} در پیام پنهان شد: برای امنیت خریدار و فروشنده، گفت‌وگو و خرید "
        "فقط در دستاورد انجام می‌شود."
    )
