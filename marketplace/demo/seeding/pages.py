"""The demo's Wagtail pages: the home page's blocks, the pages of words, two
stories told with consent, and a page for each bazaar.

Idempotent like the rest of `seed_demo`: pages are found by slug under their
parent and left as they are when they exist (editors' changes survive a
re-run); only what is missing is created and published. The bazaars
themselves (`sellers.Bazaar`, with stalls and stall sales) are seeded by the
bazaar operations; if none exist yet, three are made here by name (one running,
two coming), so the two seeds compose in either order.

Dignity: every text here names the work and the place, never the women's
circumstances or a welfare programme (`marketplace.dignity`); the dignity scan
renders these pages.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.models import (
    BazaarIndexPage,
    BazaarPage,
    BazaarPageGalleryImage,
    CustomImage,
    HomePage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
    StoryPageGalleryImage,
)
from marketplace.demo import data
from marketplace.demo.images import render_product_picture
from marketplace.demo.seeding.bazaars import DEMO_BAZAARS, bazaar_plan_fields
from sellers import services as seller_services
from sellers.models import Bazaar, Seller, SellerMember

HOME_BLOCKS = [
    ("heading", "دست‌سازه‌ها، از خانه به خانه"),
    (
        "paragraph",
        "<p>دستاورد بازارچهٔ آنلاین کسب‌وکارهای خانگی زنان تهران و کارگاه‌های گروهی "
        "سراسر ایران است. هر غرفه یک کسب‌وکار واقعی است: لباس، خوراکی خانگی، "
        "سفال، چرم و زیورآلات، ساخته‌شده با حوصله و مهارت.</p>",
    ),
    (
        "quote",
        {
            "text": "هر سفارش یعنی یک روز کار بیشتر در کارگاهی که در خانه ساخته‌ایم.",
            "attribution": "یکی از غرفه‌داران دستاورد",
        },
    ),
]

#: (slug, title, summary, paragraphs): the pages of words under the home page.
STANDARD_PAGES = (
    (
        "about",
        "دربارهٔ دستاورد",
        "بازارچهٔ آنلاین دستاوردهای زنان شهر تهران",
        (
            "دستاورد جایی است برای دیدن و خریدن کار دست زنانی که کسب‌وکارشان را در "
            "خانه ساخته‌اند. از یک سبد خرید، از چند غرفه خرید کنید؛ هر غرفه سفارش "
            "خودش را آماده و ارسال می‌کند.",
            "ما از غرفه‌ها فقط همان را نشان می‌دهیم که به آن افتخار می‌کنند: کارشان، "
            "نام غرفه‌شان، و اگر خودشان بخواهند محله و داستانشان.",
        ),
    ),
    (
        "programmes",
        "همراهان دستاورد",
        "آموزش، مشاوره و بازارچه‌ها در کنار غرفه‌داران",
        (
            "غرفه‌داران دستاورد در مراکز توانمندسازی کوثر در ۲۲ منطقهٔ تهران آموزش "
            "کسب‌وکار می‌بینند و در کارگاه‌ها و دوره‌های «کار تو خونمونه» کنار هم "
            "یاد می‌گیرند. کارگاه‌های گروهی از شهرهای دیگر ایران هم با یک غرفهٔ "
            "مشترک اینجا هستند.",
            "بازارچه‌های دستاوردهای زنان شهر تهران در بوستان‌ها و فرهنگسراها برپا "
            "می‌شوند تا خریداران کارها را از نزدیک ببینند.",
        ),
    ),
    (
        "sell",
        "فروش در دستاورد",
        "چطور غرفه باز کنیم",
        (
            "با شمارهٔ موبایل ثبت‌نام کنید، غرفه‌تان را معرفی کنید و عکس کارهایتان "
            "را با گوشی بفرستید. کارشناسان ما درخواست را بررسی می‌کنند و در راه "
            "همراهتان هستند.",
            "سفارش‌ها در پنل غرفه می‌رسند؛ هر هفته هر قدر سفارش سفارشی که "
            "می‌توانید بپذیرید، همان‌قدر می‌گیرید.",
        ),
    ),
    (
        "contact",
        "تماس با ما",
        "پرسش و پیشنهاد",
        (
            "برای پرسش دربارهٔ سفارش‌ها از صفحهٔ سفارش خود پیام بدهید. برای "
            "همکاری و برپایی بازارچه با ما در تماس باشید: support@dastavard.example",
        ),
    ),
    (
        "terms",
        "قوانین خرید و فروش",
        "آنچه خریدار و غرفه‌دار باید بدانند",
        (
            "قیمت‌ها به تومان است. هر غرفه سفارش خودش را جدا ارسال می‌کند و "
            "پیگیری هر بخش سفارش جداست.",
        ),
    ),
    (
        "privacy",
        "حریم خصوصی",
        "از اطلاعات شما چه نگه می‌داریم",
        (
            "نشانی و شمارهٔ شما فقط برای رساندن سفارش به غرفه‌ای داده می‌شود که از "
            "آن خرید کرده‌اید، و پس از پایان سفارش از دید غرفه برداشته می‌شود.",
            "در صفحه‌های عمومی سایت از غرفه‌داران چیزی جز کار، نام غرفه و آنچه "
            "خودشان خواسته‌اند نشان داده نمی‌شود.",
        ),
    ),
)

GALLERY_TITLES = ("عکس بازارچه ۱", "عکس بازارچه ۲", "عکس بازارچه ۳")


def _paragraphs(*texts: str) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


def _child(parent: Page, slug: str):
    return parent.get_children().filter(slug=slug).specific().first()


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _ensure_gallery() -> list[CustomImage]:
    """A few demo photos, stored once (through the media storage's pipeline:
    no metadata, random names)."""
    images = []
    for index, title in enumerate(GALLERY_TITLES):
        image = CustomImage.objects.filter(title=title).first()
        if image is None:
            trade = data.TRADES[index % len(data.TRADES)]
            image = CustomImage.objects.create(
                title=title,
                alt_text="غرفه‌ها و کارها در بازارچه",
                file=ImageFile(
                    io.BytesIO(render_product_picture(trade, index)),
                    name=f"{uuid.uuid4().hex}.jpg",
                ),
            )
        images.append(image)
    return images


def _ensure_bazaars(today: dt.date) -> None:
    if Bazaar.objects.exists():
        return
    for plan in DEMO_BAZAARS:
        Bazaar.objects.get_or_create(
            name=plan.name, defaults=bazaar_plan_fields(plan, today)
        )


def _story_sellers() -> list[Seller]:
    """The first approved individual booth and the first approved group."""
    chosen = []
    for kind in (Seller.Kind.INDIVIDUAL, Seller.Kind.GROUP):
        seller = (
            Seller.objects.filter(status=Seller.Status.APPROVED, kind=kind)
            .order_by("pk")
            .first()
        )
        if seller is not None:
            chosen.append(seller)
    return chosen


def _story_text(seller: Seller) -> list[str]:
    trade = seller.trade or "کار دست"
    if seller.kind == Seller.Kind.GROUP:
        return [
            f"«{seller.brand_name}» کارگاهی گروهی است: چند زن که {trade} را با هم "
            "پیش می‌برند و هر کدام بخشی از کار را به عهده دارند.",
            "از سفارش‌های کوچک همسایه‌ها شروع کردند و حالا کارشان را در بازارچه‌ها "
            "و در دستاورد می‌فروشند.",
        ]
    return [
        f"«{seller.brand_name}» در یک اتاق خانه شروع شد: {trade}، اول برای "
        "خانواده و دوستان.",
        "با آموزش‌های کسب‌وکار یاد گرفت کارش را قیمت بگذارد و عکس خوب بگیرد؛ "
        "حالا از سراسر ایران سفارش می‌گیرد.",
    ]


def seed_pages(*, today: dt.date | None = None) -> dict[str, int]:
    """Create what is missing of the demo's pages; returns counts of what was
    created, by page type."""
    today = today or timezone.localdate()
    created = {"standard": 0, "story": 0, "bazaar": 0}
    home = HomePage.objects.get()
    gallery = _ensure_gallery()

    if not home.body:
        home.body = [
            (kind, RichText(value) if kind == "paragraph" else value)
            for kind, value in HOME_BLOCKS
        ]
        home.save_revision().publish()

    for slug, title, summary, paragraphs in STANDARD_PAGES:
        if _child(home, slug) is None:
            page = StandardPage(
                title=title,
                slug=slug,
                summary=summary,
                body=_paragraphs(*paragraphs),
                show_in_menus=True,
            )
            _publish(home, page)
            created["standard"] += 1

    stories = _child(home, "stories") or _publish(
        home,
        StoryIndexPage(
            title="داستان غرفه‌ها",
            slug="stories",
            show_in_menus=True,
            intro="<p>غرفه‌داران دستاورد از کارشان می‌گویند؛ هر داستان با اجازهٔ "
            "خودشان منتشر شده است.</p>",
        ),
    )
    for seller in _story_sellers():
        if StoryPage.objects.filter(seller=seller).exists():
            continue
        owner = (
            SellerMember.objects.filter(seller=seller, role=SellerMember.Role.OWNER)
            .select_related("user")
            .first()
        )
        if owner is None:
            continue
        seller = seller_services.seller_story_consent_set(
            seller=seller, actor=owner.user, consent=True
        )
        page = StoryPage(
            title=f"داستان {seller.brand_name}",
            slug=f"story-{seller.slug}"[:80],
            seller=seller,
            summary=f"{seller.brand_name}، از {seller.trade or 'کار دست'} تا یک غرفهٔ آنلاین",
            body=_paragraphs(*_story_text(seller)),
        )
        page.gallery_images = [StoryPageGalleryImage(image=gallery[0])]
        _publish(stories, page)
        created["story"] += 1

    _ensure_bazaars(today)
    bazaars = _child(home, "bazaars") or _publish(
        home,
        BazaarIndexPage(
            title="بازارچه‌ها",
            slug="bazaars",
            show_in_menus=True,
            intro="<p>بازارچه‌های دستاوردهای زنان شهر تهران: کارها را از نزدیک "
            "ببینید و از خود غرفه‌داران بخرید.</p>",
        ),
    )
    with_pages = set(BazaarPage.objects.values_list("bazaar_id", flat=True))
    for index, bazaar in enumerate(Bazaar.objects.order_by("starts_on", "pk")):
        if bazaar.pk in with_pages:
            continue
        page = BazaarPage(
            title=bazaar.name,
            slug=f"bazaar-{bazaar.pk}",
            bazaar=bazaar,
            intro="<p>غرفه‌داران دستاورد با کارهای تازه می‌آیند: لباس، خوراکی "
            "خانگی، سفال و زیورآلات.</p>",
        )
        page.gallery_images = [
            BazaarPageGalleryImage(image=image, caption="از بازارچهٔ پیشین")
            for image in gallery[index % 2 : index % 2 + 2]
        ]
        _publish(bazaars, page)
        created["bazaar"] += 1
    return created
