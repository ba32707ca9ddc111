"""`{% product_picture %}`: a product photo as a WebP + JPEG <picture>.

    {% load catalog_pictures %}
    {% product_picture image "list" alt=product.title %}
    {% product_picture image "detail" alt=product.title loading="eager" placeholder_class="img-placeholder large" %}
    {% product_picture image "list" alt=product.title sizes="(min-width: 640px) 33vw, 50vw" %}

`image` is a ProductImage (or None). A READY photo with variants renders a
<picture> with a WebP <source> and a JPEG <img> carrying its width and height;
with `sizes`, both list every stored size in `srcset` so the browser picks one.
A READY photo without variants (seeded demo pictures) renders its original. No
photo, or one still processing or failed, renders the neutral placeholder.
No database query, no file access.
"""

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

from catalog.models import ProductImage

register = template.Library()


def _srcset(variants: dict, fmt: str) -> str:
    """Every stored size once per width (a small original makes several sizes
    the same picture), smallest first."""
    boxes = settings.PRODUCT_PHOTO_SIZES
    by_width = {}
    # For one width, the smallest size's file (the stored order of keys varies).
    for _name, entry in sorted(
        variants.items(), key=lambda item: (item[1]["width"], boxes.get(item[0], 0))
    ):
        if entry.get(fmt):
            by_width.setdefault(entry["width"], default_storage.url(entry[fmt]))
    return ", ".join(f"{url} {width}w" for width, url in by_width.items())


@register.simple_tag
def product_picture(
    image,
    size="list",
    alt="",
    loading="lazy",
    sizes="",
    css_class="",
    placeholder_class="img-placeholder",
):
    state = getattr(image, "state", None)
    if state != ProductImage.State.READY:
        return _placeholder(placeholder_class)
    attrs = [("alt", alt), ("loading", loading), ("decoding", "async")]
    if css_class:
        attrs.append(("class", css_class))
    variants = image.variants or {}
    variant = variants.get(size)
    if not variant:
        if not image.original:
            return _placeholder(placeholder_class)
        box = _box(size)
        return format_html(
            '<img src="{}" width="{}" height="{}"{}>',
            image.original.url,
            box,
            box,
            _attrs(attrs),
        )
    if sizes:
        webp = format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">',
            _srcset(variants, "webp"),
            sizes,
        )
        attrs += [("srcset", _srcset(variants, "jpeg")), ("sizes", sizes)]
    else:
        webp = format_html(
            '<source type="image/webp" srcset="{}">',
            default_storage.url(variant["webp"]),
        )
    return format_html(
        '<picture>{}<img src="{}" width="{}" height="{}"{}></picture>',
        webp,
        default_storage.url(variant["jpeg"]),
        variant["width"],
        variant["height"],
        _attrs(attrs),
    )


def _placeholder(css_class):
    return format_html('<span class="{}" aria-hidden="true"></span>', css_class)


def _attrs(attrs):
    return format_html_join("", ' {}="{}"', attrs)


def _box(size):
    return settings.PRODUCT_PHOTO_SIZES.get(
        size, max(settings.PRODUCT_PHOTO_SIZES.values())
    )
