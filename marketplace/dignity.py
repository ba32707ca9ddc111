"""The dignity rule's words: the one list of words that label a seller by her
circumstances (head of household, welfare client, former prisoner).

No public page, URL, image name, feed, sitemap, search document, API response or
e-mail to a buyer may contain one. The demo data never writes them into public
text (`marketplace.demo.data`), and the dignity scan fails on any public page or
sitemap URL that shows one (tests/marketplace/test_dignity_scan.py). The words
themselves belong only to staff pages (the case file, the programme).
"""

LABELLING_WORDS: tuple[str, ...] = (
    "سرپرست خانوار",
    "سرپرست‌خانوار",
    "زنان سرپرست",
    "بدسرپرست",
    "بی‌سرپرست",
    "بهزیستی",
    "مددجو",
    "مددجویان",
    "زندانی",
    "زندان",
    "کمیته امداد",
    "آسیب‌دیده",
    "آسیب اجتماعی",
    "نیازمند",
    "head of household",
    "welfare",
    "prisoner",
    "behzisti",
    "sarparast",
)


def _fold(text: str) -> str:
    """Arabic letters to Persian, ZWNJ and runs of spaces to one space, lower
    case: «سرپرست‌خانوار», «سرپرست  خانوار» and «سرپرست خانوار» meet."""
    text = text.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ")
    return " ".join(text.lower().split())


def labelling_words_in(text: str) -> list[str]:
    """The labelling words `text` holds (the scan of what people write where
    others read it: messages between a buyer and a booth, held for staff when
    this is not empty)."""
    folded = _fold(text)
    return [word for word in LABELLING_WORDS if _fold(word) in folded]
