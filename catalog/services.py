"""Product workflows: what a seller (or a member of her group) does with her
products in the panel, and staff moderation of first listings.

Each function is keyword-only, checks who may do it, runs in one transaction and
raises `ValidationError` with Persian text or `PermissionDenied`. Views only call
these (see docs/ARCHITECTURE.md).

Rules kept here:

- **One stock record per product**, its seller's, priced in rials (IRR).
- **Made-to-order** products belong to the product class `made-to-order`, whose
  `track_stock` is off; ready-made ones to `handmade`, which tracks stock. Oscar
  treats a class without stock tracking as always available (its strategy, its
  order placement, which then allocates no stock, and its dashboard form, which
  hides the stock field), so a buyer can order a made-to-order product without a
  made-up stock number, and no stock race can go negative on it. The product's
  `fulfilment` field and its class are always changed together, here.
- **Moderation.** A seller's first `settings.FIRST_LISTINGS_REVIEWED` listings wait
  for staff (`PENDING`); once she has that many approved, new ones go live at
  once. Staff approve or send back with a coaching note; when she edits a product
  that was sent back it waits again.
- **Who.** Any member of the booth (owner or member) creates, edits, pauses,
  unpauses, duplicates and arranges photos; `created_by` records which member
  listed it. Deleting is for owners, and for the member who listed that product.
- **Seller text is plain text**: title, description and materials go through
  `marketplace.text.plain_text` (nh3 removes every tag) before they are stored.
- **Audited.** Every workflow is a `sellers.audit.workflow` and writes an entry on
  the booth's file (`#id title` as its reason).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from marketplace.persian import format_toman, to_persian_digits
from marketplace.text import as_sentence, plain_text
from sellers import audit
from sellers import permissions as seller_permissions
from sellers.models import Seller, SellerMember
from sellers.partner.models import StockRecord
from sellers.services import seller_notify

from . import photos as photos_pipeline
from .models import Category, Product, ProductCategory, ProductClass, ProductImage
from .search.indexing import index_after_commit

MAX_PHOTOS = 8
# 900 million toman: one unit must fit one order (BASKET_MAX_ORDER_TOTAL) and
# the price column (Oscar's 12 digits, 2 places: below 10^10 rials); one
# billion toman overflowed it on PostgreSQL.
MAX_PRICE_RIALS = 9_000_000_000
PRICE_TOO_HIGH = "قیمت یک محصول حداکثر {max} است."
MAX_STOCK = 9_999
MAX_PREPARATION_DAYS = 90
MAX_WEIGHT_GRAMS = 50_000
TITLE_MAX = 200
DESCRIPTION_MAX = 5_000
MATERIALS_MAX = 255
COPY_SUFFIX = " (کپی)"

READY_CLASS = ("handmade", "دست‌ساخته", True)
MADE_TO_ORDER_CLASS = ("made-to-order", "سفارشی", False)

F = Product.Fulfilment
M = Product.Moderation


@dataclass(frozen=True)
class ProductData:
    """What the seller tells us about a product. Price in rials; `num_in_stock`
    for ready-made products, `preparation_days` for made-to-order ones."""

    title: str
    description: str
    category: Category
    price_rials: int
    fulfilment: str = F.READY
    num_in_stock: int | None = None
    preparation_days: int | None = None
    materials: str = ""
    shipping_weight_grams: int | None = None


# --- Who may do what -------------------------------------------------------------------


def seller_of(product: Product) -> Seller:
    """The booth a product belongs to (through its one stock record)."""
    seller = Seller.objects.filter(partner__stockrecords__product=product).first()
    if seller is None:
        raise PermissionDenied
    return seller


def _membership(*, seller: Seller, actor: User) -> SellerMember:
    try:
        return seller_permissions.membership_for(actor, seller.pk)
    except Http404 as error:
        raise PermissionDenied from error


def _owned(*, product: Product, actor: User) -> tuple[Seller, SellerMember]:
    seller = seller_of(product)
    return seller, _membership(seller=seller, actor=actor)


def can_delete_product(*, membership: SellerMember, product: Product) -> bool:
    """Owners delete any product of the booth; a member only those she listed."""
    return (
        seller_permissions.is_owner(membership)
        or product.created_by_id == membership.user_id
    )


def can_moderate_products(user: User | AnonymousUser) -> bool:
    """Staff who review sellers, or who may change products in Oscar's dashboard."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and (
            user.has_perm(seller_permissions.REVIEW_PERMISSION)
            or user.has_perm("catalogue.change_product")
        )
    )


# --- Helpers ---------------------------------------------------------------------------


def _product_class(fulfilment: str) -> ProductClass:
    slug, name, track_stock = (
        MADE_TO_ORDER_CLASS if fulfilment == F.MADE_TO_ORDER else READY_CLASS
    )
    product_class, _ = ProductClass.objects.get_or_create(
        slug=slug, defaults={"name": name, "track_stock": track_stock}
    )
    return product_class


def _clean(data: ProductData) -> ProductData:
    """The data as it will be stored, or ValidationError (the form checks the same
    things; this keeps the rules true for every caller)."""
    errors: dict[str, str] = {}
    title = plain_text(data.title, multiline=False)[:TITLE_MAX]
    description = plain_text(data.description)[:DESCRIPTION_MAX]
    materials = plain_text(data.materials, multiline=False)[:MATERIALS_MAX]
    if not title:
        errors["title"] = "نام محصول را بنویسید."
    if data.category is None:
        errors["category"] = "دسته را انتخاب کنید."
    if not data.price_rials or not 0 < data.price_rials:
        errors["price"] = "قیمت باید بیشتر از صفر باشد."
    elif data.price_rials > MAX_PRICE_RIALS:
        errors["price"] = PRICE_TOO_HIGH.format(max=format_toman(MAX_PRICE_RIALS))
    num_in_stock, preparation_days = data.num_in_stock, data.preparation_days
    if data.fulfilment == F.READY:
        if num_in_stock is None or not 0 <= num_in_stock <= MAX_STOCK:
            errors["num_in_stock"] = "تعداد موجود را بنویسید."
        preparation_days = None
    elif data.fulfilment == F.MADE_TO_ORDER:
        if (
            preparation_days is None
            or not 1 <= preparation_days <= MAX_PREPARATION_DAYS
        ):
            errors["preparation_days"] = (
                f"روزهای آماده‌سازی باید بین ۱ و {MAX_PREPARATION_DAYS} باشد."
            )
        num_in_stock = None
    else:
        errors["fulfilment"] = "نوع آماده‌سازی نامعتبر است."
    weight = data.shipping_weight_grams
    if weight is not None and not 1 <= weight <= MAX_WEIGHT_GRAMS:
        errors["shipping_weight_grams"] = "وزن بسته نامعتبر است."
    if errors:
        raise ValidationError(errors)
    return ProductData(
        title=title,
        description=description,
        category=data.category,
        price_rials=int(data.price_rials),
        fulfilment=data.fulfilment,
        num_in_stock=num_in_stock,
        preparation_days=preparation_days,
        materials=materials,
        shipping_weight_grams=weight,
    )


def _initial_moderation(seller: Seller) -> str:
    """PENDING until the booth has `FIRST_LISTINGS_REVIEWED` approved products."""
    approved = Product.objects.filter(
        stockrecords__partner_id=seller.partner_id,
        moderation_status=M.APPROVED,
    ).count()
    return M.PENDING if approved < settings.FIRST_LISTINGS_REVIEWED else M.APPROVED


def _store_photos(*, product: Product, photos: Sequence, start: int) -> None:
    if not photos:
        return
    if start + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"هر محصول حداکثر {MAX_PHOTOS} عکس دارد."})
    for offset, uploaded_file in enumerate(photos):
        try:
            photos_pipeline.photo_store_upload(
                product=product, uploaded_file=uploaded_file, position=start + offset
            )
        except photos_pipeline.PhotoRejected as error:
            raise ValidationError({"photos": error.message}) from error


def _apply(*, product: Product, data: ProductData) -> None:
    product.title = data.title
    product.description = data.description
    product.fulfilment = data.fulfilment
    product.preparation_days = data.preparation_days
    product.materials = data.materials
    product.shipping_weight_grams = data.shipping_weight_grams
    product.product_class = _product_class(data.fulfilment)


def _audit(*, seller: Seller, actor: User, action: str, product: Product) -> None:
    audit.record(
        seller=seller,
        actor=actor,
        action=action,
        reason=f"#{product.pk} {product.title}",
    )


# --- Seller workflows ------------------------------------------------------------------


@audit.workflow
def product_create(
    *, seller: Seller, actor: User, data: ProductData, photos: Sequence = ()
) -> Product:
    """List a new product for the booth, with its one stock record, its category
    and up to 8 photos (stored by `catalog.photos`, processed in the background).

    Any member of the booth may do it; she is recorded as `created_by`. The
    product is public at once unless moderation holds it (see the module doc).
    """
    _membership(seller=seller, actor=actor)
    data = _clean(data)
    product = Product(
        structure=Product.STANDALONE,
        is_public=True,
        created_by=actor,
        moderation_status=_initial_moderation(seller),
    )
    _apply(product=product, data=data)
    product.save()  # Oscar makes the slug from the title
    StockRecord.objects.create(
        product=product,
        partner_id=seller.partner_id,
        partner_sku=f"p{product.pk}",
        price_currency="IRR",
        price=data.price_rials,
        num_in_stock=data.num_in_stock,
    )
    ProductCategory.objects.create(product=product, category=data.category)
    _store_photos(product=product, photos=photos, start=0)
    _audit(seller=seller, actor=actor, action="product_create", product=product)
    return product


@audit.workflow
def product_update(
    *, product: Product, actor: User, data: ProductData, photos: Sequence = ()
) -> Product:
    """Change a product and add photos (8 in all at most). A product staff sent
    back goes to the review queue again."""
    seller, _ = _owned(product=product, actor=actor)
    data = _clean(data)
    product = Product.objects.select_for_update().get(pk=product.pk)
    kind_changed = product.fulfilment != data.fulfilment
    title_changed = product.title != data.title
    _apply(product=product, data=data)
    if title_changed:
        product.slug = ""  # Oscar makes a new one from the new title
    if product.moderation_status == M.RETURNED:
        product.moderation_status = M.PENDING
    product.save()
    record = StockRecord.objects.select_for_update().get(
        product=product, partner_id=seller.partner_id
    )
    allocated = record.num_allocated or 0
    if kind_changed and allocated:
        # Units held by open orders were taken as the old kind; switching now
        # would leave them held (or consumed) by the wrong rule.
        raise ValidationError(
            {
                "fulfilment": f"{to_persian_digits(allocated)} عدد از این محصول در "
                "سفارش‌های تحویل‌نشده است؛ تا تحویل یا لغو آن‌ها نوع آماده‌سازی "
                "را نمی‌توان تغییر داد."
            }
        )
    if data.num_in_stock is not None and data.num_in_stock < allocated:
        raise ValidationError(
            {
                "num_in_stock": f"{allocated} عدد از این محصول در سفارش‌های ارسال‌نشده "
                "است؛ موجودی نمی‌تواند کمتر از آن باشد."
            }
        )
    held = record.held_for_bazaars()
    if data.num_in_stock is not None and data.num_in_stock < allocated + held:
        raise ValidationError(
            {
                "num_in_stock": f"{held} عدد از این محصول برای بازارچه کنار گذاشته "
                f"شده و {allocated} عدد در سفارش‌هاست؛ موجودی نمی‌تواند کمتر از "
                f"{allocated + held} باشد."
            }
        )
    record.price = data.price_rials
    record.price_currency = "IRR"
    record.num_in_stock = data.num_in_stock
    record.save()
    ProductCategory.objects.filter(product=product).exclude(
        category=data.category
    ).delete()
    ProductCategory.objects.get_or_create(product=product, category=data.category)
    _store_photos(product=product, photos=photos, start=product.images.count())
    _audit(seller=seller, actor=actor, action="product_update", product=product)
    return product


@audit.workflow
def product_pause(*, product: Product, actor: User) -> Product:
    """Hide a product from buyers for now (it stays in her panel)."""
    seller, _ = _owned(product=product, actor=actor)
    Product.objects.filter(pk=product.pk).update(is_paused=True)
    index_after_commit([product.pk])  # a queryset update: the search index is told here
    product.is_paused = True
    _audit(seller=seller, actor=actor, action="product_pause", product=product)
    return product


@audit.workflow
def product_unpause(*, product: Product, actor: User) -> Product:
    """Show a paused product again (if moderation has let it through)."""
    seller, _ = _owned(product=product, actor=actor)
    Product.objects.filter(pk=product.pk).update(is_paused=False)
    index_after_commit([product.pk])  # a queryset update: the search index is told here
    product.is_paused = False
    _audit(seller=seller, actor=actor, action="product_unpause", product=product)
    return product


@audit.workflow
def product_duplicate(*, product: Product, actor: User) -> Product:
    """A copy to edit into a similar product: same fields, price, stock and
    category, title with « (کپی)», and rows for its ready photos that point at
    the same files (files are never deleted with a product: OSCAR_DELETE_IMAGE_FILES
    is off). It starts paused, and moderation applies as for a new product."""
    seller, _ = _owned(product=product, actor=actor)
    original = (
        Product.objects.prefetch_related("stockrecords", "categories", "images")
        .select_related("product_class")
        .get(pk=product.pk)
    )
    copy = Product(
        structure=Product.STANDALONE,
        is_public=True,
        is_paused=True,
        created_by=actor,
        moderation_status=_initial_moderation(seller),
        title=(original.title[: TITLE_MAX - len(COPY_SUFFIX)] + COPY_SUFFIX),
        description=original.description,
        fulfilment=original.fulfilment,
        preparation_days=original.preparation_days,
        materials=original.materials,
        shipping_weight_grams=original.shipping_weight_grams,
        product_class=original.product_class,
    )
    copy.save()
    record = next(
        r for r in original.stockrecords.all() if r.partner_id == seller.partner_id
    )
    StockRecord.objects.create(
        product=copy,
        partner_id=seller.partner_id,
        partner_sku=f"p{copy.pk}",
        price_currency="IRR",
        price=record.price,
        num_in_stock=record.num_in_stock,
    )
    ProductCategory.objects.bulk_create(
        ProductCategory(product=copy, category=category)
        for category in original.categories.all()
    )
    ready = [i for i in original.images.all() if i.state == ProductImage.State.READY]
    ProductImage.objects.bulk_create(
        ProductImage(
            product=copy,
            original=image.original.name,
            caption=image.caption,
            display_order=position,
            state=image.state,
            variants=image.variants,
        )
        for position, image in enumerate(ready)
    )
    _audit(seller=seller, actor=actor, action="product_duplicate", product=copy)
    return copy


@audit.workflow
def product_delete(*, product: Product, actor: User) -> Product:
    """Soft delete: `deleted_at` is set, the row, its stock record and photos stay
    (orders keep pointing at them); the public and her panel no longer show it.
    Owners delete any product; a member only those she listed. Audited."""
    seller, membership = _owned(product=product, actor=actor)
    if not can_delete_product(membership=membership, product=product):
        raise PermissionDenied
    now = timezone.now()
    Product.objects.filter(pk=product.pk, deleted_at__isnull=True).update(
        deleted_at=now
    )
    index_after_commit([product.pk])  # a queryset update: the search index is told here
    product.deleted_at = now
    _audit(seller=seller, actor=actor, action="product_delete", product=product)
    return product


@audit.workflow
def product_photos_arrange(
    *,
    product: Product,
    actor: User,
    positions: Mapping[int, int],
    remove: Iterable[int] = (),
) -> list[ProductImage]:
    """Reorder photos (`positions`: image id → the number she typed; ties keep the
    old order) and remove some. The first photo is the main one. Counts as an edit
    of a product staff sent back."""
    seller, _ = _owned(product=product, actor=actor)
    images = list(ProductImage.objects.select_for_update().filter(product=product))
    known = {image.pk for image in images}
    remove = set(remove) & known
    if remove:
        # A queryset delete: Oscar's ProductImage.delete re-saves every sibling.
        ProductImage.objects.filter(pk__in=remove).delete()
    kept = [image for image in images if image.pk not in remove]
    kept.sort(
        key=lambda image: (
            positions.get(image.pk, image.display_order + 1),
            image.display_order,
            image.pk,
        )
    )
    for index, image in enumerate(kept):
        image.display_order = index
    ProductImage.objects.bulk_update(kept, ["display_order"])
    Product.objects.filter(pk=product.pk, moderation_status=M.RETURNED).update(
        moderation_status=M.PENDING
    )
    index_after_commit([product.pk])  # a queryset update: the search index is told here
    _audit(seller=seller, actor=actor, action="product_photos", product=product)
    return kept


# --- Staff moderation ------------------------------------------------------------------


@audit.workflow
def product_moderate(
    *, product: Product, actor: User, approve: bool, note: str = ""
) -> Product:
    """Staff decide about a product waiting in the review queue: approve it (it
    goes live if not paused), or send it back with a coaching note (required),
    e.g. «عکس تاریک است؛ کنار پنجره عکس بگیرید». The booth is told either way
    (panel notification and SMS to owners); audited on the booth's file."""
    if not can_moderate_products(actor):
        raise PermissionDenied
    note = plain_text(note)
    locked = Product.objects.select_for_update().get(pk=product.pk)
    if locked.deleted_at is not None or locked.moderation_status != M.PENDING:
        raise ValidationError("این محصول در انتظار بررسی نیست.")
    if not approve and not note:
        raise ValidationError(
            {"note": "یادداشت راهنمایی را بنویسید؛ برای فروشنده فرستاده می‌شود."}
        )
    seller = seller_of(locked)
    locked.moderation_status = M.APPROVED if approve else M.RETURNED
    locked.moderation_note = note
    locked.save(update_fields=["moderation_status", "moderation_note", "date_updated"])
    if approve:
        text = f"محصول «{locked.title}» تأیید شد و برای خریداران نمایش داده می‌شود."
        if note:
            text += f" نکتهٔ کارشناس: {as_sentence(note)}"
    else:
        text = f"محصول «{locked.title}» برای اصلاح برگشت: {as_sentence(note)}"
    seller_notify(seller=seller, text=text)
    audit.record(
        seller=seller,
        actor=actor,
        action="product_approve" if approve else "product_return",
        reason=f"#{locked.pk} {locked.title}" + (f": {note}" if note else ""),
    )
    product.__dict__.update(
        moderation_status=locked.moderation_status, moderation_note=note
    )
    return locked
