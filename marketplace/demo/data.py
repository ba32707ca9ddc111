"""Static Persian demo data for `manage.py seed_demo`.

Everything here is what a real small Persian brand would show about itself: its
craft, its goods, its neighbourhood. Rules (THE DIGNITY RULE, shared/DOMAIN.md):

- No brand name, slug, product title, description, story or image name may say or
  imply a programme, a welfare case, heads of household or prison. The words in
  `FORBIDDEN_PUBLIC_WORDS` must never appear in any public text built from here;
  tests/marketplace/test_seed_demo.py checks every generated string.
- Programme names and case-file wording live only in `PROGRAMMES` and the
  `CASE_FILE_*` tuples, which the seeder writes to staff-only records.

Prices are whole rials (1 toman = 10 rials).
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.dignity import LABELLING_WORDS
from marketplace.persian import to_persian_digits as persian_digits

# Words that must never appear in public demo text (brand names, slugs, titles,
# descriptions, stories, image file names): the dignity rule's one list.
FORBIDDEN_PUBLIC_WORDS = LABELLING_WORDS

# --- Programmes (staff-only) --------------------------------------------------

PROGRAMMES = (
    ("municipality", "مرکز امور زنان و خانواده شهرداری تهران"),
    ("behzisti", "سازمان بهزیستی"),
    ("other", "سایر"),
)

# --- Districts, neighbourhoods and Kowsar centres --------------------------------

DISTRICT_COUNT = 22
KOWSAR_CENTRE_COUNT = 93

# District number -> how many Kowsar centres it has. District 20 has the most (18)
# and district 4 the next most (8), as reported in 1402; the other 67 are spread
# over the remaining 20 districts. The total must stay 93.
KOWSAR_CENTRES_PER_DISTRICT = {
    1: 2,
    2: 3,
    3: 2,
    4: 8,
    5: 4,
    6: 2,
    7: 3,
    8: 3,
    9: 4,
    10: 4,
    11: 3,
    12: 4,
    13: 3,
    14: 4,
    15: 4,
    16: 4,
    17: 4,
    18: 4,
    19: 4,
    20: 18,
    21: 3,
    22: 3,
}

# Neighbourhoods (محله‌ها) of each district, used for centre names, sellers'
# neighbourhoods and centre addresses.
NEIGHBOURHOODS = {
    1: ("تجریش", "نیاوران", "زعفرانیه", "دزاشیب", "چیذر", "اوین"),
    2: ("سعادت‌آباد", "شهرک غرب", "گیشا", "طرشت", "فرحزاد", "تهران‌ویلا"),
    3: ("ونک", "قلهک", "داوودیه", "ظفر", "اختیاریه", "دروس"),
    4: (
        "تهرانپارس",
        "مجیدیه",
        "حکیمیه",
        "شمیران‌نو",
        "لویزان",
        "قنات‌کوثر",
        "کوهسار",
        "شمس‌آباد",
        "اوقاف",
    ),
    5: ("پونک", "جنت‌آباد", "شهران", "اکباتان", "مرادآباد", "کن"),
    6: ("یوسف‌آباد", "امیرآباد", "فاطمی", "کشاورز", "ولیعصر", "جمالزاده"),
    7: ("نظام‌آباد", "سهروردی", "شارق", "امجدیه", "بهار", "خواجه نصیر"),
    8: ("نارمک", "وحیدیه", "مدائن", "لشکر", "تسلیحات", "کرمان"),
    9: ("استاد معین", "دستغیب", "مهرآباد جنوبی", "شمشیری", "امامزاده عبدالله"),
    10: ("سلسبیل", "هفت‌چنار", "زنجان جنوبی", "کارون", "بریانک"),
    11: ("امیریه", "منیریه", "جمهوری", "راه‌آهن", "هلال احمر", "قلمستان"),
    12: ("بازار", "پامنار", "سنگلج", "عودلاجان", "امامزاده یحیی", "بهارستان"),
    13: ("پیروزی", "نیروی هوایی", "زینبیه", "سرخه‌حصار", "دماوند"),
    14: ("شهرابی", "نبرد", "آهنگ", "مینابی", "دولاب", "پرستار"),
    15: ("خاوران", "مسعودیه", "افسریه", "مشیریه", "کیانشهر", "اتابک"),
    16: ("نازی‌آباد", "یاخچی‌آباد", "خزانه", "بعثت", "جوادیه", "علی‌آباد"),
    17: ("ابوذر", "زمزم", "آذری", "گلچین", "باغ آذری", "وصفنارد"),
    18: ("یافت‌آباد", "شهرک ولیعصر", "خلیج فارس", "صاحب‌الزمان", "شادآباد"),
    19: ("شهرک شریعتی", "اسماعیل‌آباد", "خانی‌آباد نو", "نعمت‌آباد", "دولتخواه"),
    20: (
        "شهر ری",
        "دولت‌آباد",
        "ابن‌بابویه",
        "صفائیه",
        "ظهیرآباد",
        "سیزده آبان",
        "باقرآباد",
        "عباس‌آباد",
        "جوانمرد قصاب",
        "فیروزآبادی",
        "امین‌آباد",
        "منصوریه",
        "عظیم‌آباد",
        "قلعه‌نو",
        "شهرک بهشتی",
        "تقی‌آباد",
        "اقدسیه ری",
        "والفجر",
    ),
    21: ("تهرانسر", "شهرک استقلال", "ویلا شهر", "شهرک دریا", "چیتگر شمالی"),
    22: ("شهرک راه‌آهن", "پیکانشهر", "شهرک گلستان", "دریاچه چیتگر", "زیبادشت"),
}

CENTRE_NAME_TEMPLATE = "مرکز توانمندسازی کوثر {neighbourhood}"
CENTRE_ADDRESS_TEMPLATE = (
    "تهران، {district}، محلهٔ {neighbourhood}، خیابان {street}، پلاک {plate}"
)
STREET_NAMES = (
    "بهار",
    "گلستان",
    "نسترن",
    "لاله",
    "سرو",
    "ارغوان",
    "شقایق",
    "اقاقیا",
    "صنوبر",
    "یاس",
)


def district_name(number: int) -> str:
    """«منطقه ۷» for district 7."""
    return f"منطقه {persian_digits(number)}"


# --- Trades: categories, product title parts, brands, stories ---------------------


@dataclass(frozen=True)
class Subcategory:
    """A leaf category and the parts its product titles are built from.

    A title is `pattern` filled with one noun, one quality and one finish, e.g.
    «دستبند چرم» + «طبیعی» + «قهوه‌ای». Prices are whole rials.
    """

    name: str
    slug: str
    nouns: tuple[str, ...]
    qualities: tuple[str, ...]
    finishes: tuple[str, ...]
    min_price: int
    max_price: int
    pattern: str = "{noun} {quality} {finish}"


@dataclass(frozen=True)
class Trade:
    """One line of work: a root category, what a booth in it is called, what its
    goods are described with and how its demo pictures look."""

    key: str
    category_name: str
    category_slug: str
    category_description: str
    occupation: str  # Seller.trade, e.g. «چرم‌دوزی»
    subcategories: tuple[Subcategory, ...]
    description_sentences: tuple[str, ...]
    # (Persian template, Latin slug template); both take {name}.
    individual_brands: tuple[tuple[str, str], ...]
    # (Persian template, Latin slug template); both take {word}.
    group_brands: tuple[tuple[str, str], ...]
    story_sentences: tuple[str, ...]
    motif: str  # demo_images draws this shape
    palette: tuple[str, ...]  # accent colours for pictures and logos


COLOURS_FABRIC = (
    "سرمه‌ای",
    "کرم",
    "طوسی",
    "زیتونی",
    "گلبهی",
    "مشکی",
    "آبی آسمانی",
    "زرشکی",
)
COLOURS_LEATHER = ("قهوه‌ای", "مشکی", "عسلی", "زرشکی", "کرم", "سرمه‌ای", "خردلی")
COLOURS_YARN = ("کرم", "طوسی", "خردلی", "سبز یشمی", "صورتی", "آبی نفتی", "قرمز")
JAR_SIZES = ("شیشهٔ ۵۰۰ گرمی", "شیشهٔ یک کیلویی", "شیشهٔ ۷۰۰ گرمی")

TRADES: tuple[Trade, ...] = (
    Trade(
        key="clothing",
        category_name="پوشاک و خیاطی",
        category_slug="clothing-sewing",
        category_description=(
            "لباس‌هایی که در خانه، با حوصله و اندازهٔ دقیق دوخته شده‌اند."
        ),
        occupation="خیاطی",
        subcategories=(
            Subcategory(
                name="مانتو",
                slug="manteau",
                nouns=("مانتو", "مانتوی جلوباز", "مانتوی تابستانی"),
                qualities=("نخی", "کتان", "لینن", "سوزن‌دوزی‌شده"),
                finishes=COLOURS_FABRIC,
                min_price=3_500_000,
                max_price=15_000_000,
            ),
            Subcategory(
                name="روسری و شال",
                slug="scarves",
                nouns=("روسری", "شال", "مینی‌اسکارف"),
                qualities=("نخی", "ابریشمی", "ململ", "چاپ دستی"),
                finishes=COLOURS_FABRIC,
                min_price=1_200_000,
                max_price=5_000_000,
            ),
            Subcategory(
                name="لباس کودک",
                slug="kids-clothing",
                nouns=("پیراهن دخترانه", "سرهمی نوزادی", "جلیقهٔ بچگانه"),
                qualities=("پنبه‌ای", "نخی", "گلدوزی‌شده"),
                finishes=COLOURS_FABRIC,
                min_price=900_000,
                max_price=4_500_000,
            ),
            Subcategory(
                name="پیراهن و دامن",
                slug="dresses",
                nouns=("پیراهن بلند", "تونیک", "دامن پلیسه"),
                qualities=("سنتی", "یراق‌دوزی‌شده", "نخی"),
                finishes=COLOURS_FABRIC,
                min_price=2_500_000,
                max_price=12_000_000,
            ),
        ),
        description_sentences=(
            "الگو و برش با اندازه‌های استاندارد انجام شده و دوخت‌ها دوبل است.",
            "پارچه پیش از برش آب‌دیده شده تا پس از شست‌وشو آب نرود.",
            "برای سفارش اندازهٔ خاص، پیش از خرید پیام بدهید.",
            "با آب سرد و دور ملایم شسته شود و پشت‌ورو اتو شود.",
            "سردوزی‌ها تمیز و لبه‌ها با دست پاک‌دوزی شده‌اند.",
        ),
        individual_brands=(
            ("دوخت {name}", "dookht-{name}"),
            ("خیاطی {name}", "khayati-{name}"),
            ("سوزن و نخ {name}", "soozan-o-nakh-{name}"),
            ("مزون کوچک {name}", "mezon-koochak-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی دوخت {word}", "kargah-dookht-{word}"),
            ("خیاط‌خانهٔ {word}", "khayatkhaneh-{word}"),
        ),
        story_sentences=(
            "خیاطی را از مادرم یاد گرفتم و سال‌ها برای خانواده و همسایه‌ها می‌دوختم.",
            "هر لباس را خودم از برش تا اتوی آخر انجام می‌دهم.",
            "بیشتر مشتری‌هایم از راه دهان‌به‌دهان و سفارش دوباره آمده‌اند.",
        ),
        motif="dress",
        palette=("#8e5c6b", "#5b7a8c", "#c98b6b", "#6f8f72", "#a06fa0", "#3f5a7a"),
    ),
    Trade(
        key="food",
        category_name="خوراکی‌های خانگی",
        category_slug="homemade-food",
        category_description=(
            "ترشی، مربا، شیرینی و سبزی خشک به روش خانگی و با مواد تازه."
        ),
        occupation="آشپزی",
        subcategories=(
            Subcategory(
                name="ترشی و شور",
                slug="pickles",
                nouns=("ترشی لیته", "ترشی مخلوط", "سیر ترشی", "خیارشور", "ترشی بندری"),
                qualities=("خانگی", "کم‌نمک", "با سرکهٔ انگور"),
                finishes=JAR_SIZES,
                min_price=350_000,
                max_price=2_500_000,
                pattern="{noun} {quality}، {finish}",
            ),
            Subcategory(
                name="مربا",
                slug="jams",
                nouns=(
                    "مربای بالنگ",
                    "مربای به",
                    "مربای هویج",
                    "مربای آلبالو",
                    "مربای انجیر",
                ),
                qualities=("خانگی", "کم‌شیرین", "بدون نگه‌دارنده"),
                finishes=JAR_SIZES,
                min_price=400_000,
                max_price=2_000_000,
                pattern="{noun} {quality}، {finish}",
            ),
            Subcategory(
                name="شیرینی خانگی",
                slug="homemade-sweets",
                nouns=("کلوچه", "نان برنجی", "نان نخودچی", "کیک یزدی", "باقلوا"),
                qualities=("خانگی", "هل‌دار", "زعفرانی", "با روغن حیوانی"),
                finishes=("جعبهٔ ۵۰۰ گرمی", "جعبهٔ یک کیلویی"),
                min_price=800_000,
                max_price=4_000_000,
                pattern="{noun} {quality}، {finish}",
            ),
            Subcategory(
                name="سبزی خشک و رشته",
                slug="dried-herbs",
                nouns=("سبزی قورمه خشک", "سبزی آش", "رشتهٔ آش", "کشک محلی", "لواشک آلو"),
                qualities=("خانگی", "تازه", "محلی"),
                finishes=("بستهٔ ۲۵۰ گرمی", "بستهٔ ۵۰۰ گرمی"),
                min_price=350_000,
                max_price=1_800_000,
                pattern="{noun} {quality}، {finish}",
            ),
        ),
        description_sentences=(
            "در آشپزخانهٔ خانگی و در ظرف‌های دربسته و استریل آماده می‌شود.",
            "مواد اولیه هر هفته تازه از بازار تره‌بار خریده می‌شود.",
            "بدون رنگ و طعم‌دهندهٔ مصنوعی.",
            "پس از باز کردن در یخچال نگه‌داری شود.",
            "سفارش‌ها به ترتیب ثبت، تازه پخته و ارسال می‌شوند.",
        ),
        individual_brands=(
            ("آشپزخانهٔ {name}", "ashpazkhaneh-{name}"),
            ("سفرهٔ {name}", "sofreh-{name}"),
            ("مربای خانگی {name}", "moraba-{name}"),
            ("شیرینی خانگی {name}", "shirini-{name}"),
        ),
        group_brands=(
            ("آشپزخانهٔ گروهی {word}", "ashpazkhaneh-goroohi-{word}"),
            ("سفرهٔ {word}", "sofreh-{word}"),
        ),
        story_sentences=(
            "دستور پخت‌ها یادگار مادربزرگ است و هنوز همان‌طور می‌پزیم.",
            "اول برای مهمانی‌های فامیل می‌پختم و کم‌کم سفارش همسایه‌ها زیاد شد.",
            "هر شیشه را خودم پر و برچسب می‌زنم.",
        ),
        motif="jar",
        palette=("#c0504d", "#e39b3b", "#7a9a3a", "#b5651d", "#8c3b5e", "#d4a017"),
    ),
    Trade(
        key="handicrafts",
        category_name="صنایع دستی",
        category_slug="handicrafts",
        category_description="سفال، سوزن‌دوزی و عروسک‌های دست‌ساز، هر کدام یک نسخه.",
        occupation="صنایع دستی",
        subcategories=(
            Subcategory(
                name="سفال و سرامیک",
                slug="pottery",
                nouns=("کاسهٔ سفالی", "بشقاب سفالی", "گلدان سفالی", "ماگ سرامیکی"),
                qualities=("لعاب‌دار", "نقاشی‌شده با دست", "طرح کاشی"),
                finishes=("فیروزه‌ای", "لاجوردی", "کرم", "آجری", "سبز"),
                min_price=600_000,
                max_price=6_000_000,
            ),
            Subcategory(
                name="سوزن‌دوزی",
                slug="needlework",
                nouns=("تابلو سوزن‌دوزی", "کیف پول سوزن‌دوزی", "رومیزی سوزن‌دوزی"),
                qualities=("دست‌دوز", "طرح سنتی", "ابریشمی"),
                finishes=("قرمز", "سرمه‌ای", "مشکی", "سبز"),
                min_price=1_500_000,
                max_price=12_000_000,
            ),
            Subcategory(
                name="عروسک و کاردستی",
                slug="dolls",
                nouns=("عروسک پارچه‌ای", "عروسک بافتنی", "جاکلیدی نمدی"),
                qualities=("دست‌دوز", "نمدی", "با لباس محلی"),
                finishes=("کوچک", "متوسط", "بزرگ"),
                min_price=450_000,
                max_price=3_500_000,
            ),
        ),
        description_sentences=(
            "تمام مراحل ساخت با دست انجام شده و هر قطعه کمی با دیگری فرق دارد.",
            "طرح‌ها از نقش‌های سنتی ایرانی الهام گرفته‌اند.",
            "برای هدیه، در جعبهٔ مقوایی ساده بسته‌بندی می‌شود.",
            "رنگ‌ها ثابت‌اند و با دستمال مرطوب تمیز می‌شوند.",
        ),
        individual_brands=(
            ("نگارخانهٔ {name}", "negarkhaneh-{name}"),
            ("هنر دست {name}", "honar-dast-{name}"),
            ("سفالینهٔ {name}", "sofalineh-{name}"),
            ("کارگاه کوچک {name}", "kargah-koochak-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی هنر {word}", "kargah-honar-{word}"),
            ("دست‌های {word}", "dastha-{word}"),
        ),
        story_sentences=(
            "از نوجوانی عاشق نقش‌های کاشی بودم و حالا آن‌ها را روی سفال می‌کشم.",
            "کارگاهم یک اتاق کوچک رو به حیاط است.",
            "هر کار چند روز زمان می‌برد و عجله‌ای در کار نیست.",
        ),
        motif="pottery",
        palette=("#1f7a8c", "#2e4a8b", "#c1693c", "#4f8a5b", "#b08a3e", "#7b3f61"),
    ),
    Trade(
        key="mushroom",
        category_name="قارچ",
        category_slug="mushrooms",
        category_description="قارچ تازه و خشک از سالن‌های کوچک پرورش، با برداشت روز.",
        occupation="پرورش قارچ",
        subcategories=(
            Subcategory(
                name="قارچ تازه",
                slug="fresh-mushrooms",
                nouns=("قارچ دکمه‌ای", "قارچ صدفی", "قارچ صدفی صورتی"),
                qualities=("تازه", "درجه‌یک", "برداشت روز"),
                finishes=("بستهٔ ۵۰۰ گرمی", "بستهٔ یک کیلویی", "جعبهٔ دو کیلویی"),
                min_price=350_000,
                max_price=2_000_000,
                pattern="{noun} {quality}، {finish}",
            ),
            Subcategory(
                name="قارچ خشک",
                slug="dried-mushrooms",
                nouns=("قارچ خشک اسلایس", "پودر قارچ", "قارچ صدفی خشک"),
                qualities=("خشک‌شده در سایه", "بدون افزودنی"),
                finishes=("بستهٔ ۱۰۰ گرمی", "بستهٔ ۲۵۰ گرمی"),
                min_price=400_000,
                max_price=2_500_000,
                pattern="{noun} {quality}، {finish}",
            ),
            Subcategory(
                name="کیت پرورش قارچ",
                slug="growing-kits",
                nouns=(
                    "کیت پرورش قارچ صدفی",
                    "بستهٔ آمادهٔ کشت قارچ",
                    "کمپوست قارچ دکمه‌ای",
                ),
                qualities=("خانگی", "آمادهٔ برداشت", "با راهنمای کاشت"),
                finishes=("کوچک", "متوسط", "بزرگ"),
                min_price=900_000,
                max_price=4_000_000,
            ),
        ),
        description_sentences=(
            "برداشت صبح همان روز ارسال و در بستهٔ هوادار بسته‌بندی می‌شود.",
            "در سالن کوچک و تمیز، بدون سم و با کمپوست استاندارد پرورش یافته است.",
            "قارچ تازه تا چهار روز در یخچال تازه می‌ماند.",
            "برای سوپ، خوراک و پیتزای خانگی مناسب است.",
        ),
        individual_brands=(
            ("قارچ تازهٔ {name}", "gharch-tazeh-{name}"),
            ("سالن قارچ {name}", "salon-gharch-{name}"),
            ("مزرعهٔ کوچک {name}", "mazraeh-koochak-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی قارچ {word}", "kargah-gharch-{word}"),
            ("مزرعهٔ قارچ {word}", "mazraeh-gharch-{word}"),
        ),
        story_sentences=(
            "پرورش قارچ را در یک دورهٔ آموزشی یاد گرفتم و زیرزمین خانه را سالن کردم.",
            "هر روز صبح زود برداشت می‌کنیم تا قارچ تازه به دست مشتری برسد.",
            "حالا رستوران‌های محله هم از ما خرید می‌کنند.",
        ),
        motif="mushroom",
        palette=("#a67c52", "#8d6e63", "#c9a27e", "#6d4c41", "#b98b6e", "#9c7a5b"),
    ),
    Trade(
        key="leather",
        category_name="چرم",
        category_slug="leather",
        category_description=(
            "کیف، کمربند و دستبند از چرم طبیعی، با دوخت دست و نخ مومی."
        ),
        occupation="چرم‌دوزی",
        subcategories=(
            Subcategory(
                name="کیف",
                slug="bags",
                nouns=("کیف دستی", "کیف دوشی", "کیف پول", "کیف کارت", "کیف لپ‌تاپ"),
                qualities=("چرم طبیعی", "دست‌دوز", "چرم گاوی", "چرم بزی"),
                finishes=COLOURS_LEATHER,
                min_price=1_500_000,
                max_price=25_000_000,
            ),
            Subcategory(
                name="کمربند",
                slug="belts",
                nouns=("کمربند", "کمربند زنانه", "کمربند مردانه"),
                qualities=("چرم طبیعی", "دست‌دوز", "با سگک برنجی"),
                finishes=COLOURS_LEATHER,
                min_price=1_200_000,
                max_price=6_000_000,
            ),
            Subcategory(
                name="دستبند چرم",
                slug="leather-bracelets",
                nouns=("دستبند چرم", "دستبند چرم بافت", "دستبند چرم دوبل"),
                qualities=("طبیعی", "دست‌دوز", "با پلاک نقره"),
                finishes=COLOURS_LEATHER,
                min_price=350_000,
                max_price=2_500_000,
            ),
        ),
        description_sentences=(
            "تمام دوخت‌ها با دست و با نخ مومی انجام شده است.",
            "لبه‌ها با رنگ چرم پرداخت شده‌اند و با گذشت زمان زیباتر می‌شوند.",
            "چرم طبیعی است؛ تفاوت جزئی رنگ و بافت نشانهٔ طبیعی بودن آن است.",
            "دور از آب و آفتاب مستقیم نگه‌داری شود و سالی یک بار واکس بخورد.",
            "امکان حک نام روی محصول با سفارش قبلی وجود دارد.",
        ),
        individual_brands=(
            ("چرم دست‌دوز {name}", "charm-dastdooz-{name}"),
            ("چرمینهٔ {name}", "charmineh-{name}"),
            ("کیف و کمربند {name}", "kif-o-kamarband-{name}"),
            ("چرم {name}", "charm-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی چرم {word}", "kargah-charm-{word}"),
            ("چرم‌دوزان {word}", "charmdoozan-{word}"),
        ),
        story_sentences=(
            "اولین کیف را برای دخترم دوختم و حالا هر ماه ده‌ها سفارش دارم.",
            "چرم را از بازار تهران انتخاب می‌کنم و برش و دوخت همه در خانه انجام می‌شود.",
            "دوخت دست کند است، اما سال‌ها دوام می‌آورد.",
        ),
        motif="bag",
        palette=("#7b4a2d", "#3b2a20", "#b7793f", "#6e1f2b", "#a0522d", "#2f3b52"),
    ),
    Trade(
        key="textiles",
        category_name="منسوجات و بافتنی",
        category_slug="textiles-knitwear",
        category_description=(
            "بافتنی‌های گرم، گلیم و جاجیم و رومیزی، بافته و دوخته با دست."
        ),
        occupation="بافندگی",
        subcategories=(
            Subcategory(
                name="بافتنی",
                slug="knitwear",
                nouns=("شال‌گردن بافتنی", "کلاه بافتنی", "ژاکت بافتنی", "دستکش بافتنی"),
                qualities=("دستباف", "پشمی", "قلاب‌بافی"),
                finishes=COLOURS_YARN,
                min_price=600_000,
                max_price=8_000_000,
            ),
            Subcategory(
                name="گلیم و جاجیم",
                slug="kilims",
                nouns=("گلیم", "جاجیم", "گبه", "روفرشی"),
                qualities=("دستباف", "پشم طبیعی", "رنگ گیاهی"),
                finishes=("یک در یک‌ونیم متر", "دو در سه متر", "کناره"),
                min_price=3_000_000,
                max_price=25_000_000,
            ),
            Subcategory(
                name="رومیزی و کوسن",
                slug="table-linen",
                nouns=("رومیزی", "کوسن", "رانر", "دستمال‌سفره"),
                qualities=("ترمه", "قلمکار", "گلدوزی‌شده", "کتان"),
                finishes=COLOURS_FABRIC,
                min_price=500_000,
                max_price=6_000_000,
            ),
        ),
        description_sentences=(
            "با نخ مرغوب و بافت یکدست؛ پرز نمی‌دهد.",
            "با آب ولرم و شوینده ملایم با دست شسته شود.",
            "رنگ‌ها با رنگ‌های گیاهی ثابت شده‌اند.",
            "هر قطعه حدود یک هفته زمان بافت دارد.",
        ),
        individual_brands=(
            ("بافتنی {name}", "baftani-{name}"),
            ("دستباف {name}", "dastbaf-{name}"),
            ("گره و نخ {name}", "gereh-o-nakh-{name}"),
            ("کاموای {name}", "kamva-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی بافت {word}", "kargah-baft-{word}"),
            ("دار قالی {word}", "dar-ghali-{word}"),
        ),
        story_sentences=(
            "بافتن را از مادربزرگم یاد گرفتم؛ زمستان‌ها کنار کرسی می‌بافتیم.",
            "حالا هر فصل طرح‌های تازه می‌بافم و رنگ‌ها را خودم انتخاب می‌کنم.",
            "کاموا را از بهترین تولیدی‌های کشور می‌خرم.",
        ),
        motif="kilim",
        palette=("#9b2d30", "#2f5d62", "#d9a441", "#5c3c6e", "#3d6b45", "#c26a3d"),
    ),
    Trade(
        key="jewellery",
        category_name="زیورآلات",
        category_slug="jewellery",
        category_description="گردنبند، گوشواره و دستبند دست‌ساز با مس، نقره و سنگ.",
        occupation="زیورآلات دست‌ساز",
        subcategories=(
            Subcategory(
                name="گردنبند",
                slug="necklaces",
                nouns=("گردنبند", "آویز", "گردنبند بلند"),
                qualities=("سنگ فیروزه", "مهره‌ای", "مسی", "نقره"),
                finishes=("ظریف", "طرح سنتی", "طرح هندسی"),
                min_price=500_000,
                max_price=9_000_000,
            ),
            Subcategory(
                name="گوشواره",
                slug="earrings",
                nouns=("گوشواره", "گوشوارهٔ آویز", "گوشوارهٔ میخی"),
                qualities=("مسی", "برنجی", "میناکاری", "مهره‌ای"),
                finishes=("فیروزه‌ای", "لاجوردی", "طلایی", "سبز"),
                min_price=400_000,
                max_price=5_000_000,
            ),
            Subcategory(
                name="انگشتر و دستبند",
                slug="rings-bracelets",
                nouns=("انگشتر", "دستبند", "پابند"),
                qualities=("نقره", "سنگ عقیق", "مهره‌ای", "مسی"),
                finishes=("ظریف", "طرح سنتی", "قابل تنظیم"),
                min_price=400_000,
                max_price=8_000_000,
            ),
        ),
        description_sentences=(
            "با دست ساخته و پرداخت شده و در کیسهٔ پارچه‌ای کوچک ارسال می‌شود.",
            "قفل و اتصالات ضدزنگ است.",
            "دور از عطر و آب نگه‌داری شود تا براق بماند.",
            "سنگ‌ها طبیعی‌اند و رنگ هر کدام کمی متفاوت است.",
        ),
        individual_brands=(
            ("زیورآلات {name}", "zivar-{name}"),
            ("گالری کوچک {name}", "galery-koochak-{name}"),
            ("مهره و مس {name}", "mohreh-o-mes-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی زیور {word}", "kargah-zivar-{word}"),
            ("نقره‌کاران {word}", "noghrehkaran-{word}"),
        ),
        story_sentences=(
            "ساخت زیورآلات را با چند مهره و یک انبردست شروع کردم.",
            "حالا مس و نقره را خودم شکل می‌دهم و هر طرح را فقط چند بار می‌سازم.",
            "بیشتر مشتری‌ها برای هدیه سفارش می‌دهند.",
        ),
        motif="beads",
        palette=("#1a8a8a", "#b8860b", "#2c4f9e", "#b5523b", "#5f7f3a", "#8a2f5b"),
    ),
    Trade(
        key="home_decor",
        category_name="دکوراسیون خانه",
        category_slug="home-decor",
        category_description="شمع، تابلو و سبدهای دست‌ساز برای خانه‌ای گرم‌تر.",
        occupation="دکوراسیون و کاردستی",
        subcategories=(
            Subcategory(
                name="شمع",
                slug="candles",
                nouns=("شمع معطر", "شمع استوانه‌ای", "جاشمعی"),
                qualities=("دست‌ساز", "موم سویا", "با رایحهٔ گل محمدی"),
                finishes=("سفید", "کرم", "صورتی", "سبز پسته‌ای", "آبی"),
                min_price=350_000,
                max_price=3_000_000,
            ),
            Subcategory(
                name="تابلو و دیوارکوب",
                slug="wall-art",
                nouns=("تابلو مکرومه", "دیوارکوب", "تابلو نقاشی"),
                qualities=("دست‌ساز", "طرح گل و مرغ", "مینیاتوری"),
                finishes=("کوچک", "متوسط", "بزرگ"),
                min_price=800_000,
                max_price=15_000_000,
            ),
            Subcategory(
                name="سبد و ظروف",
                slug="baskets",
                nouns=("سبد حصیری", "سبد مکرومه", "جادستمالی", "زیرلیوانی"),
                qualities=("دستباف", "حصیری", "چوبی"),
                finishes=("طبیعی", "کرم", "قهوه‌ای"),
                min_price=350_000,
                max_price=4_000_000,
            ),
        ),
        description_sentences=(
            "با مواد طبیعی و دست ساخته شده است.",
            "مناسب هدیهٔ خانهٔ نو و تزئین طاقچه و میز.",
            "ابعاد دقیق در عکس دوم آمده است؛ برای اندازهٔ دیگر پیام بدهید.",
            "با دستمال خشک گردگیری شود.",
        ),
        individual_brands=(
            ("خانهٔ {name}", "khaneh-{name}"),
            ("شمع‌سازی {name}", "shamsazi-{name}"),
            ("گوشهٔ دنج {name}", "gousheh-denj-{name}"),
        ),
        group_brands=(
            ("کارگاه گروهی خانهٔ {word}", "kargah-khaneh-{word}"),
            ("هنر خانهٔ {word}", "honar-khaneh-{word}"),
        ),
        story_sentences=(
            "شمع‌سازی را برای دل خودم شروع کردم و حالا کار اصلی‌ام شده است.",
            "هر چیز را اول برای خانهٔ خودم می‌سازم و اگر خوب بود برای فروش.",
            "بسته‌بندی‌ها را با کاغذ بازیافتی و دست انجام می‌دهم.",
        ),
        motif="candle",
        palette=("#c77d8a", "#7e9f8a", "#d6a05c", "#6b7fb0", "#a3785b", "#8f6fa8"),
    ),
)

TRADES_BY_KEY = {trade.key: trade for trade in TRADES}

# A product's picture follows what it is, not only its trade: an embroidered
# wallet of the handicrafts trade is drawn as a bag, not as its trade's bowl.
# The first word found in the product's noun wins; otherwise the trade's motif.
NOUN_MOTIFS: tuple[tuple[str, str], ...] = (
    ("کیف", "bag"),
    ("تابلو", "frame"),
    ("دیوارکوب", "frame"),
    ("عروسک", "doll"),
    ("جاکلیدی", "doll"),
    ("رومیزی", "kilim"),
    ("دستبند", "beads"),
    ("جاشمعی", "candle"),
    ("سبد", "pottery"),
    ("جادستمالی", "pottery"),
    ("زیرلیوانی", "pottery"),
)


def motif_for(trade: Trade, noun: str) -> str:
    """The shape a product's demo picture draws, from its noun."""
    return next((m for word, m in NOUN_MOTIFS if word in noun), trade.motif)


def picture_key(trade: Trade, motif: str) -> str:
    """The pool a picture is dealt from: the trade's own motif keeps the trade's
    key (the names of pictures already written stay the same)."""
    return trade.key if motif == trade.motif else f"{trade.key}-{motif}"


def picture_kinds() -> list[tuple[Trade, str]]:
    """Every (trade, motif) a product can show: each trade's own motif first, so
    a pool as small as the number of trades still has one picture per trade."""
    extra = [
        (trade, motif)
        for trade in TRADES
        for motif in dict.fromkeys(
            motif_for(trade, noun) for sub in trade.subcategories for noun in sub.nouns
        )
        if motif != trade.motif
    ]
    return [(trade, trade.motif) for trade in TRADES] + extra


# Brands handed out first in their (trade, kind) line, before the composed ones:
# (Persian name, Latin slug).
SIGNATURE_BRANDS = {
    ("leather", "individual"): (("چرم دست‌دوز نیلوفر", "charm-dastdooz-niloufar"),),
    ("food", "individual"): (("آشپزخانهٔ مادربزرگ", "ashpazkhaneh-madarbozorg"),),
    ("mushroom", "group"): (("کارگاه گروهی قارچ سبز", "kargah-gharch-sabz"),),
}

# Women's first names (Persian, Latin for slugs).
FIRST_NAMES = (
    ("نیلوفر", "niloufar"),
    ("مریم", "maryam"),
    ("زهرا", "zahra"),
    ("فاطمه", "fatemeh"),
    ("سمیه", "somayeh"),
    ("لیلا", "leila"),
    ("مهسا", "mahsa"),
    ("نرگس", "narges"),
    ("شیرین", "shirin"),
    ("پریسا", "parisa"),
    ("الهام", "elham"),
    ("معصومه", "masoumeh"),
    ("طاهره", "tahereh"),
    ("آزاده", "azadeh"),
    ("سارا", "sara"),
    ("مینا", "mina"),
    ("فرشته", "fereshteh"),
    ("اکرم", "akram"),
    ("زینب", "zeinab"),
    ("منیژه", "manijeh"),
    ("ثریا", "soraya"),
    ("پروانه", "parvaneh"),
    ("گلاره", "gelareh"),
    ("شهلا", "shahla"),
    ("ژاله", "zhaleh"),
    ("نسرین", "nasrin"),
    ("ریحانه", "reyhaneh"),
    ("هانیه", "hanieh"),
    ("رعنا", "raana"),
    ("صدیقه", "sedigheh"),
)

SURNAMES = (
    "احمدی",
    "محمدی",
    "حسینی",
    "رضایی",
    "کریمی",
    "موسوی",
    "جعفری",
    "صادقی",
    "رحیمی",
    "قاسمی",
    "نوری",
    "هاشمی",
    "عباسی",
    "کاظمی",
    "مرادی",
    "اکبری",
    "نجفی",
    "سلیمانی",
    "یزدانی",
    "شریفی",
    "فراهانی",
    "قربانی",
    "زارعی",
    "طاهری",
    "میرزایی",
)

# Words that name a group's workshop (Persian, Latin for slugs).
GROUP_WORDS = (
    ("سبز", "sabz"),
    ("بهار", "bahar"),
    ("آفتاب", "aftab"),
    ("پرستو", "parastoo"),
    ("ارغوان", "arghavan"),
    ("همدلی", "hamdeli"),
    ("شقایق", "shaghayegh"),
    ("نسترن", "nastaran"),
    ("افرا", "afra"),
    ("مهتاب", "mahtab"),
    ("نارون", "naroon"),
    ("یاس", "yas"),
    ("سپیده", "sepideh"),
    ("چکاوک", "chakavak"),
    ("باران", "baran"),
)

GROUP_STORY_OPENINGS = (
    "ما {count} زن از یک محله‌ایم که از سال {year} کنار هم کار می‌کنیم.",
    "گروه ما از سال {year} با {count} عضو شروع به کار کرد"
    " و هر کدام یک مرحله از کار را بر عهده داریم.",
)
GROUP_STORY_CLOSINGS = (
    "کیفیت هر محصول را پیش از ارسال با هم بررسی می‌کنیم.",
    "درآمد کارگاه را به‌طور مساوی میان اعضا تقسیم می‌کنیم.",
)
INDIVIDUAL_STORY_OPENING = "از سال {year} در خانه‌ام در محلهٔ {neighbourhood} کار می‌کنم."
INDIVIDUAL_STORY_OPENING_NO_PLACE = "از سال {year} کارگاهم در خانه است."

# --- Staff-only case-file values -------------------------------------------------

CASE_NUMBER_PREFIX = {"municipality": "ش", "behzisti": "ب", "other": "س"}
CASE_FILE_INSURANCE = (
    "تأمین اجتماعی",
    "بیمهٔ سلامت",
    "بیمهٔ زنان خانه‌دار",
    "ندارد",
)
CASE_FILE_REFERRALS = (
    "کلینیک مددکاری اجتماعی",
    "اتاق خانواده‌یار منطقه",
    "مرکز توانمندسازی کوثر",
    "معرفی از سوی اعضای گروه",
)
CASE_FILE_NOTES = (
    "دادهٔ نمایشی. نیازسنجی مددکاری انجام شد؛ دورهٔ کسب‌وکار خانگی را گذرانده است.",
    "دادهٔ نمایشی. پیگیری ماهانه؛ نیاز به آموزش عکاسی محصول.",
    "دادهٔ نمایشی. مشاورهٔ بازاریابی برای بازارچهٔ فصلی پیشنهاد شد.",
)

# --- Logins -----------------------------------------------------------------------

# The one password of every demo login; printed by seed_demo, never used in production.
DEMO_PASSWORD = "dastavard-demo"  # noqa: S105
DEMO_EMAIL_DOMAIN = "dastavard.test"
STAFF_MOBILE = "09120000100"
STAFF_EMAIL = f"staff@{DEMO_EMAIL_DOMAIN}"
BUYER_MOBILE = "09120000200"
BUYER_EMAIL = f"buyer@{DEMO_EMAIL_DOMAIN}"
# Iranian mobile prefixes (after «09»); seller logins cycle through them.
MOBILE_OPERATOR_CODES = ("12", "19", "35", "36", "10", "01", "02", "30", "33", "39")

# --- Staff-side workflow records (staff and seller panels only) ---------------------

# Banks' three-digit codes inside a Sheba number (IR + 2 check digits + 22 digits).
SHEBA_BANK_CODES = ("012", "016", "017", "018", "055", "056", "062", "070")

MENTORING_TOPICS = (
    (
        "عکاسی محصول با گوشی",
        "نور پنجره و پس‌زمینهٔ ساده تمرین شد.",
        "بارگذاری عکس‌های تازه",
    ),
    (
        "قیمت‌گذاری و محاسبهٔ سود",
        "هزینهٔ مواد و ساعت کار برای سه محصول حساب شد.",
        "بازبینی قیمت‌ها",
    ),
    ("بسته‌بندی و ارسال", "بسته‌بندی ایمن برای ارسال پستی بررسی شد.", "خرید کارتن مناسب"),
    (
        "آماده‌شدن برای بازارچهٔ فصلی",
        "فهرست محصولات و موجودی غرفه تنظیم شد.",
        "ثبت‌نام در بازارچه",
    ),
    (
        "نوشتن توضیح محصول",
        "توضیح کوتاه، جنس و روش نگه‌داری برای هر محصول نوشته شد.",
        "تکمیل توضیحات",
    ),
)
