"""A 320 px phone: no page scrolls sideways, tap targets are 44 px, text fields
have visible borders, focus shows, and a failed save puts her on the errors.

axe-core audits every page visited here too (tests/browser/accessibility.py).
"""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from catalog import photos
from catalog.models import Category, ProductImage
from sellers.models import SellerMember
from tests.browser.staff import pass_staff_second_factor
from tests.catalog import photo_samples as samples
from tests.conftest import PHONE
from tests.factories import SellerFactory, StaffFactory, UserFactory, make_product

pytestmark = pytest.mark.browser

PASSWORD = "pass-1234-word"  # noqa: S105  (tests.factories.UserFactory's)
SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 640}}
TAP = 44


def _contrast(rgb_a: str, rgb_b: str) -> float:
    def luminance(css: str) -> float:
        values = [int(v) / 255 for v in css[css.index("(") + 1 : -1].split(",")[:3]]
        linear = [
            v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the 320px screen"


def _heights(locator) -> list[float]:
    return [
        box["height"]
        for box in locator.evaluate_all(
            "els => els.map(e => e.getBoundingClientRect())"
        )
    ]


def _login(page, base_url: str, phone: str, next_url: str, staff: bool = False) -> None:
    page.goto(f"{base_url}/account/login/?next={next_url}")
    page.get_by_label("شماره موبایل").fill(phone)
    page.get_by_label("رمز عبور").fill(PASSWORD)
    page.get_by_role("button", name="ورود", exact=True).click()
    if staff:
        pass_staff_second_factor(page, phone)
    page.wait_for_url(f"**{next_url}")


@pytest.fixture
def photographed_jewellery_shop(transactional_db):
    jewellery = Category.add_root(name="زیورآلات دست‌ساز", slug="zivar")
    for name, slug in [
        ("پوشاک و لباس", "poshak"),
        ("خوراکی‌های خانگی", "khoraki"),
        ("صنایع دستی و هنری", "honari"),
        ("چرم و کیف دست‌دوز", "charm"),
    ]:
        Category.add_root(name=name, slug=slug)
    seller = SellerFactory(brand_name="کارگاه زیورآلات نیلوفر آبی", slug="niloofar")
    product = make_product(
        seller=seller, category=jewellery, title="گردنبند فیروزه‌ای با زنجیر نقره"
    )
    # A phone photo through the pipeline (autocommit: processed at once, eager).
    photos.photo_store_upload(
        product=product,
        uploaded_file=samples.upload(samples.phone_jpeg((1200, 900), 1, gps=False)),
        position=0,
    )
    assert ProductImage.objects.get(product=product).state == "ready"
    owner = UserFactory(username="+989121111111")
    SellerMember.objects.create(seller=seller, user=owner, role="owner")
    return {"category": jewellery, "seller": seller, "product": product}


def test_storefront_pages_fit_a_320px_phone_with_44px_targets(
    photographed_jewellery_shop, live_server, browser, axe_audit
):
    context = browser.new_context(**SMALL_PHONE)
    page = context.new_page()
    base = live_server.url
    for path in [
        "/",
        "/catalogue/",
        photographed_jewellery_shop["category"].get_absolute_url(),
        photographed_jewellery_shop["product"].get_absolute_url(),
        photographed_jewellery_shop["seller"].get_absolute_url(),
        "/account/login/",
        "/account/signup/",
        "/no-such-page/",
    ]:
        page.goto(base + path)
        _no_sideways_scroll(page)

    # The header's category menu scrolls inside itself, and says so by its shade.
    page.goto(base + "/")
    menu = page.get_by_role("navigation", name="دسته‌ها").locator("ul")
    assert menu.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert menu.evaluate("el => el.scrollWidth > el.clientWidth")
    assert "gradient" in menu.evaluate("el => getComputedStyle(el).backgroundImage")

    # Tap targets: category links, account links, footer links, the basket link.
    for selector in [
        ".category-menu a",
        ".account-links a",
        ".site-footer a",
        ".basket-link",
        ".search-form button",
    ]:
        heights = _heights(page.locator(selector))
        assert heights and min(heights) >= TAP, (selector, heights)

    # The search field: a border that shows (3:1 against white), and it shrinks.
    # (the suggestions script makes it a combobox, so find it by its name)
    search = page.locator("form.search-form input[name=q]")
    border = search.evaluate("el => getComputedStyle(el).borderTopColor")
    assert _contrast(border, "rgb(255, 255, 255)") >= 3, border

    # Focus is visible on the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline

    # The product page adds to the basket; the basket fits too, and its link
    # tells a screen reader how many items it holds.
    page.goto(base + photographed_jewellery_shop["product"].get_absolute_url())
    page.get_by_test_id("add-to-basket").click()
    expect(page.get_by_role("link", name="سبد خرید، ۱ کالا")).to_be_visible()
    page.goto(base + "/basket/")
    _no_sideways_scroll(page)
    context.close()


def test_panel_and_staff_pages_fit_and_a_failed_save_focuses_the_errors(
    photographed_jewellery_shop, live_server, browser, axe_audit
):
    seller = photographed_jewellery_shop["seller"]
    context = browser.new_context(**SMALL_PHONE)
    page = context.new_page()
    base = live_server.url
    _login(page, base, "09121111111", f"/panel/{seller.pk}/")
    for path in [
        f"/panel/{seller.pk}/",
        f"/panel/{seller.pk}/products/",
        f"/panel/{seller.pk}/holiday/",
        f"/panel/{seller.pk}/payout/",
        f"/panel/{seller.pk}/notifications/",
    ]:
        page.goto(base + path)
        _no_sideways_scroll(page)
    page.goto(base + f"/panel/{seller.pk}/products/")
    # The 72 px thumbnail is the small photo size, not the largest.
    sources = page.locator(".product-row img.thumb").evaluate_all(
        "imgs => imgs.map(i => i.currentSrc)"
    )
    assert len(sources) == 1 and "-small." in sources[0], sources

    # A product saved empty: the summary has the focus, each field its error.
    page.goto(base + f"/panel/{seller.pk}/products/new/")
    _no_sideways_scroll(page)
    radio_labels = _heights(page.locator(".radio-list label"))
    assert radio_labels and min(radio_labels) >= TAP, radio_labels
    page.get_by_role("button", name="ذخیره").click()
    summary = page.get_by_test_id("form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    title = page.get_by_label("نام محصول")
    expect(title).to_have_attribute("aria-invalid", "true")
    described_by = title.get_attribute("aria-describedby").split()
    assert described_by
    for element_id in described_by:
        expect(page.locator(f"#{element_id}")).to_have_count(1)
    assert "id_title_error" in described_by
    expect(page.locator("#id_title_error")).not_to_be_empty()
    _no_sideways_scroll(page)
    context.close()

    # Staff pages, same phone.
    reviewer = StaffFactory(username="+989120000001")
    reviewer.user_permissions.add(Permission.objects.get(codename="review_seller"))
    staff = browser.new_context(**SMALL_PHONE)
    staff_page = staff.new_page()
    _login(staff_page, base, "09120000001", "/staff/sellers/", staff=True)
    _no_sideways_scroll(staff_page)
    staff_page.goto(base + f"/staff/sellers/{seller.pk}/")
    _no_sideways_scroll(staff_page)
    staff_page.goto(base + "/staff/moderation/")
    _no_sideways_scroll(staff_page)
    staff.close()
