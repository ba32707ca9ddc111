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
