"""Text hygiene (`marketplace.text.plain_text`): markup, control characters and
bidirectional controls never reach what a seller's text is stored as, while the
zero-width non-joiner of Persian spelling stays."""

import pytest

from marketplace.text import as_sentence, plain_text
from sellers import services
from sellers.models import Seller
from tests.factories import DistrictFactory, ProgrammeFactory, UserFactory

BIDI_CONTROLS = [
    "\u202a",  # LRE
    "\u202b",  # RLE
    "\u202c",  # PDF
    "\u202d",  # LRO
    "\u202e",  # RLO
    "\u2066",  # LRI
    "\u2067",  # RLI
    "\u2068",  # FSI
    "\u2069",  # PDI
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u061c",  # ALM
]
ZWNJ = "\u200c"


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_bidirectional_controls_are_removed(control):
    assert plain_text(f"کیف{control} چرمی{control}", multiline=False) == "کیف چرمی"
    assert plain_text(f"خط یک{control}\nخط دو") == "خط یک\nخط دو"


def test_a_trojan_source_title_reads_as_typed():
    # RLO ... PDF would show "۰۰۰٬۵۱ :تمیق" reversed around a price.
    assert plain_text("قیمت: \u202e۱۵٬۰۰۰\u202c تومان") == "قیمت: ۱۵٬۰۰۰ تومان"


def test_the_zero_width_non_joiner_of_persian_spelling_stays():
    assert plain_text(f"دست{ZWNJ}دوز می{ZWNJ}شود") == f"دست{ZWNJ}دوز می{ZWNJ}شود"


def test_markup_and_control_characters_are_removed():
    assert plain_text("<b>کیف</b>\x00 &lt;script&gt;alert(1)&lt;/script&gt;") == "کیف"


@pytest.mark.django_db
def test_booth_text_is_stored_as_plain_text():
    user = UserFactory(username="+989121234567")
    seller = services.seller_apply(
        user=user,
        application=services.Application(
            kind=Seller.Kind.INDIVIDUAL,
            brand_name="<i>چرم</i> \u202eنیلوفر\u202c",
            trade="چرم\u200fدوزی <script>x</script>",
            district=DistrictFactory(),
            programme=ProgrammeFactory(),
            neighbourhood="<a href='x'>نارمک</a>\u2066",
            story=f"از <b>سال</b> ۱۳۹۵\x07 دست{ZWNJ}دوز\u202b",
        ),
    )
    seller.refresh_from_db()
    assert seller.brand_name == "چرم نیلوفر"
    assert seller.trade == "چرمدوزی"
    assert seller.neighbourhood == "نارمک"
    assert seller.story == f"از سال ۱۳۹۵ دست{ZWNJ}دوز"


@pytest.mark.django_db
def test_product_and_holiday_text_is_stored_without_bidi_controls(shop_categories):
    from catalog.services import ProductData, product_create
    from tests.factories import seller_with_owner

    seller, owner = seller_with_owner("+989121234568")
    product = product_create(
        seller=seller,
        actor=owner,
        data=ProductData(
            title="دستبند \u202eچرم\u202c",
            description=f"دوخت دست\u2067ی{ZWNJ}\u2069",
            category=shop_categories["bracelet"],
            price_rials=1_500_000,
            num_in_stock=2,
            materials="چرم\u200e گاوی",
        ),
    )
    product.refresh_from_db()
    assert product.title == "دستبند چرم"
    assert product.description == f"دوخت دستی{ZWNJ}"
    assert product.materials == "چرم گاوی"


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("مواد اولیه تمام شده است", "مواد اولیه تمام شده است."),
        ("  تمام شد.  ", "تمام شد."),
        ("چرا؟", "چرا؟"),
        ("تمام شد!", "تمام شد!"),
        ("گفت «تمام شد.»", "گفت «تمام شد.»"),
        ("تمام شد،", "تمام شد."),
        ("تمام شد:", "تمام شد."),
        ("", ""),
        ("  ", ""),
    ],
)
def test_as_sentence_ends_a_typed_reason_once(typed, sentence):
    assert as_sentence(typed) == sentence
