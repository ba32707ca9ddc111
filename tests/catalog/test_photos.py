"""The photo pipeline (catalog.photos): journey 2 at service level, the bad
uploads, colour, transparency, HEIC, memory, and the picture template tag.

The output is always checked by reading the bytes written to storage: no EXIF
(so no GPS position), no XMP, no ICC profile, no comment; upright; small; under
random names.
"""

from __future__ import annotations

import io
import re
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template import Context, Template
from kombu.exceptions import OperationalError
from PIL import Image, ImageCms

from catalog import photos
from catalog.models import ProductImage
from catalog.photos import PhotoRejected, photo_check_upload, photo_process
from catalog.search.indexing import search_index_queue
from catalog.selectors import product_get_for_detail
from catalog.storage import PrivateUploadStorage, photo_source_storage
from tests.catalog import photo_samples as samples
from tests.factories import SellerFactory, make_product

pytestmark = pytest.mark.django_db

NAME = re.compile(
    r"^products/[0-9a-f]{2}/([0-9a-f]{32})-(small|list|detail|zoom)\.(webp|jpg)$"
)
BOXES = {"small": 240, "list": 400, "detail": 1000, "zoom": 1600}

# What the seller reads for each kind of refusal (catalog.photos).
NOT_AN_IMAGE = (
    "این فایل عکس نیست یا قالب آن پذیرفته نمی‌شود. "
    "عکس‌های JPEG، PNG، WebP و HEIC پذیرفته می‌شوند."
)
TOO_MANY_PIXELS = (
    "ابعاد این عکس بیش از حد بزرگ است (بیش از ۵۰ مگاپیکسل). لطفاً عکس کوچک‌تری بفرستید."
)
TOO_LARGE = "حجم هر عکس باید حداکثر ۱۵ مگابایت باشد. لطفاً عکس کوچک‌تری بفرستید."
CORRUPT = "فایل این عکس ناقص یا خراب است. لطفاً عکس را دوباره از گوشی بفرستید."
EMPTY = "این فایل خالی است. لطفاً عکس را دوباره انتخاب کنید."
FAILED = "آماده‌سازی این عکس ممکن نشد. لطفاً آن را حذف کنید و دوباره بفرستید."


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path: Path) -> Path:
    """Raw uploads of one test go to its own private directory."""
    path = tmp_path / "private"
    settings.PRODUCT_PHOTO_PRIVATE_ROOT = path
    return path


@pytest.fixture
def leather_bag():
    seller = SellerFactory(brand_name="چرم نیلوفر", slug="charm-niloofar")
    return make_product(seller=seller, title="کیف چرم دست‌دوز")


@pytest.fixture
def add_photos(django_capture_on_commit_callbacks):
    """What the panel does: check each upload (the form), store it (the service),
    and let the transaction commit, which runs the task (eager in tests)."""

    def _add(product, *uploads, start=0):
        with django_capture_on_commit_callbacks(execute=True):
            for offset, uploaded in enumerate(uploads):
                photo_check_upload(uploaded)
                photos.photo_store_upload(
                    product=product, uploaded_file=uploaded, position=start + offset
                )
        return list(ProductImage.objects.filter(product=product).order_by("id"))

    return _add


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


# --- journey 2, at service level -------------------------------------------------


def test_journey_2_two_rotated_12_mp_phone_photos_come_out_upright_small_and_clean(
    leather_bag, add_photos, private_root, media_root
):
    # Given two 12 MP photos straight from a phone: stored sideways (EXIF
    # orientation 6 and 8), with the seller's home in GPS (EXIF and XMP)
    first = samples.phone_jpeg((4000, 3000), orientation=6)
    second = samples.phone_jpeg((4000, 3000), orientation=8)
    assert len(Image.open(io.BytesIO(first)).getexif().get_ifd(0x8825)) == 4

    # When she adds them to her product
    images = add_photos(
        leather_bag,
        samples.upload(first, "IMG_20240305_102030.jpg"),
        samples.upload(second, "Niloofar home.jpg"),
    )

    # Then both are ready, in her order, and the public page shows them
    assert [(i.state, i.display_order, i.error) for i in images] == [
        ("ready", 0, ""),
        ("ready", 1, ""),
    ]
    shown = product_get_for_detail(pk=leather_bag.pk)
    assert [i.pk for i in shown.images.all()] == [i.pk for i in images]

    keys = set()
    for image, data in zip(images, (first, second), strict=True):
        expected_corners = samples.upright_reference(data)
        assert set(image.variants) == {"small", "list", "detail", "zoom"}
        for size, variant in image.variants.items():
            for fmt in ("jpeg", "webp"):
                name = variant[fmt]
                # random names that say nothing about her or the product
                match = NAME.match(name)
                assert match, name
                assert match.group(2) == size
                keys.add(match.group(1))
                for clue in ("niloofar", "img_", "charm", "home", "kif"):
                    assert clue not in name.lower()
                output = read(name)
                samples.assert_no_metadata(output, fmt)
                picture = Image.open(io.BytesIO(output))
                assert picture.format == fmt.upper()
                assert picture.mode == "RGB"
                # upright: portrait, 3:4, longest side at the size's box
                assert picture.size == (variant["width"], variant["height"])
                assert picture.height == BOXES[size]
                assert picture.width == BOXES[size] * 3 // 4
                assert samples.corners(picture) == expected_corners
                if size == "zoom":
                    assert len(output) < 400 * 1024
                if size == "list":
                    assert len(output) < 40 * 1024
        # Oscar's dashboard and basket read `original`: the zoom JPEG
        assert image.original.name == image.variants["zoom"]["jpeg"]
        assert image.source == ""
    assert len(keys) == 2  # one random key per photo
    assert len(files_under(media_root / "products")) == 2 * len(BOXES) * 2
    # and the raw uploads, GPS and all, are gone
    assert files_under(private_root) == []


def test_the_product_shows_a_placeholder_until_its_photo_is_ready(
    client, leather_bag, private_root, django_capture_on_commit_callbacks
):
    upload = samples.upload(samples.phone_jpeg((1600, 1200), 6))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo_check_upload(upload)
        image = photos.photo_store_upload(
            product=leather_bag, uploaded_file=upload, position=0
        )

    # Queued, not processed yet: the raw file waits in private storage only
    assert image.state == "processing"
    assert image.original.name == ""
    # (the page-cache invalidation and the search indexing also run on commit;
    # the photo task is the other one)
    queued = [
        c
        for c in callbacks
        if c.__module__ != "catalog.cache_version"
        and getattr(c, "func", None) is not search_index_queue
    ]
    assert len(queued) == 1
    assert len(files_under(private_root)) == 1
    assert image.source and "IMG" not in image.source
    body = client.get(leather_bag.get_absolute_url()).content.decode()
    assert "img-placeholder" in body
    assert "/media/" not in body

    queued[0]()  # the commit queues the task (eager here)

    image.refresh_from_db()
    assert image.state == "ready"
    body = client.get(leather_bag.get_absolute_url()).content.decode()
    urls = [
        default_storage.url(entry[fmt])
        for entry in image.variants.values()
        for fmt in ("jpeg", "webp")
    ]
    assert any(url in body for url in urls)
    assert files_under(private_root) == []


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(orientation):
    data = samples.phone_jpeg((800, 600), orientation=orientation)
    variants = photos.photo_render(io.BytesIO(data))
    for variant in variants.values():
        picture = Image.open(io.BytesIO(variant.jpeg))
        assert samples.corners(picture) == samples.upright_reference(data)
        samples.assert_no_metadata(variant.jpeg, "jpeg")


def test_small_photos_are_never_enlarged():
    variants = photos.photo_render(io.BytesIO(samples.phone_jpeg((640, 480), 1)))
    assert {name: (v.width, v.height) for name, v in variants.items()} == {
        "small": (240, 180),
        "list": (400, 300),
        "detail": (640, 480),
        "zoom": (640, 480),
    }


# --- the bad-upload table ---------------------------------------------------------


def _text_as_jpg(tmp_path):
    return samples.upload(samples.text_as_jpg(), "photo.jpg", "image/jpeg")


def _png_bomb(tmp_path):
    return samples.upload(samples.png_bomb(30000, 30000), "flower.png", "image/png")


def _png_over_the_cap(tmp_path):
    return samples.upload(samples.png_bomb(8000, 7000), "flower.png", "image/png")


def _thirty_mb(tmp_path):
    return samples.big_file(tmp_path, megabytes=30)


def _svg_with_script(tmp_path):
    return samples.upload(samples.SVG_WITH_SCRIPT, "photo.jpg", "image/jpeg")


def _svg_named_svg(tmp_path):
    return samples.upload(samples.SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml")


def _truncated_jpeg(tmp_path):
    return samples.upload(samples.truncated_jpeg(), "IMG_1.jpg")


def _truncated_webp(tmp_path):
    data = samples.webp_photo()
    return samples.upload(data[: len(data) // 2], "photo.webp", "image/webp")


def _truncated_heic(tmp_path):
    if not photos.HEIF_SUPPORTED:
        pytest.skip("pillow-heif is not installed")
    data = samples.heic_photo()
    return samples.upload(data[: len(data) // 2], "IMG_0001.HEIC")


def _truncated_png(tmp_path):
    data = samples.png_with_alpha()
    return samples.upload(data[: len(data) // 2], "cut-out.png", "image/png")


def _empty(tmp_path):
    return samples.upload(b"", "IMG_2.jpg")


def _gif(tmp_path):
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return samples.upload(buffer.getvalue(), "IMG_3.jpg")


BAD_UPLOADS = [
    # (case, make the upload, what the seller reads)
    ("text file renamed .jpg", _text_as_jpg, NOT_AN_IMAGE),
    ("PNG decompression bomb, 30000x30000 in 150 KB", _png_bomb, TOO_MANY_PIXELS),
    ("PNG of 56 MP, over our 50 MP cap", _png_over_the_cap, TOO_MANY_PIXELS),
    ("30 MB file", _thirty_mb, TOO_LARGE),
    ("SVG with a script, named .jpg", _svg_with_script, NOT_AN_IMAGE),
    ("SVG with a script, as SVG", _svg_named_svg, NOT_AN_IMAGE),
    ("truncated JPEG", _truncated_jpeg, CORRUPT),
    ("truncated WebP", _truncated_webp, CORRUPT),
    ("truncated HEIC", _truncated_heic, CORRUPT),
    ("truncated PNG", _truncated_png, CORRUPT),
    ("empty file", _empty, EMPTY),
    ("GIF renamed .jpg", _gif, NOT_AN_IMAGE),
]


@pytest.mark.parametrize(
    "make_upload,message", [c[1:] for c in BAD_UPLOADS], ids=[c[0] for c in BAD_UPLOADS]
)
def test_bad_uploads_get_a_persian_message_nothing_stored_and_bounded_memory(
    make_upload, message, tmp_path, leather_bag, private_root, media_root
):
    upload = make_upload(tmp_path)
    raised = []

    def check():
        try:
            photo_check_upload(upload)
        except PhotoRejected as rejection:  # a ValueError: forms show it, no 500
            raised.append(rejection)

    tracemalloc.start()
    try:
        growth = samples.peak_rss_growth_mb(check)
        _, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()

    assert [r.message for r in raised] == [message]
    assert growth < 10, f"resident memory grew {growth:.1f} MB"
    assert python_peak < 2 * 1024 * 1024, f"Python allocated {python_peak} bytes"
    assert not ProductImage.objects.exists()
    assert files_under(private_root) == [] and files_under(media_root) == []


class Unreadable(io.RawIOBase):
    def readinto(self, buffer):
        raise AssertionError("the upload was read")


def test_a_30_mb_upload_is_refused_without_being_read():
    upload = UploadedFile(Unreadable(), name="big.jpg", size=30 * 1024 * 1024)
    with pytest.raises(PhotoRejected) as raised:
        photo_check_upload(upload)
    assert raised.value.code == "too_large"


def test_cmyk_jpeg_is_accepted_and_converted_to_rgb(leather_bag, add_photos):
    (image,) = add_photos(leather_bag, samples.upload(samples.cmyk_jpeg(), "scan.jpg"))
    assert image.state == "ready"
    for fmt in ("jpeg", "webp"):
        output = read(image.variants["zoom"][fmt])
        samples.assert_no_metadata(output, fmt)
        picture = Image.open(io.BytesIO(output))
        assert picture.mode == "RGB"
        red, green, blue = picture.getpixel((10, 10))
        assert red > 200 and green < 40 and blue < 40  # CMYK (0, 255, 255, 0)


def test_a_truncated_photo_that_reaches_processing_fails_with_a_persian_error(
    leather_bag, private_root, media_root, django_capture_on_commit_callbacks
):
    # Uploads are checked first, but a broken file must fail cleanly here too.
    upload = samples.upload(samples.truncated_jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        image = photos.photo_store_upload(
            product=leather_bag, uploaded_file=upload, position=0
        )
    image.refresh_from_db()
    assert (image.state, image.error) == ("failed", CORRUPT)
    assert image.variants == {} and image.source == ""
    assert files_under(private_root) == [] and files_under(media_root) == []
    assert product_get_for_detail(pk=leather_bag.pk).images.all().count() == 0


@pytest.mark.parametrize(
    "data",
    [samples.text_as_jpg(), samples.SVG_WITH_SCRIPT, samples.png_bomb(8000, 7000)],
    ids=["text", "svg", "bomb"],
)
def test_processing_refuses_what_the_check_refuses(data, leather_bag):
    source = photo_source_storage().save("ab/cdef", io.BytesIO(data))
    image = ProductImage.objects.create(
        product=leather_bag, original="", state="processing", source=source
    )
    photo_process(image.pk)
    image.refresh_from_db()
    assert image.state == "failed"
    assert image.error in {NOT_AN_IMAGE, TOO_MANY_PIXELS}


def test_processing_a_photo_whose_upload_is_missing_fails_cleanly(leather_bag):
    image = ProductImage.objects.create(
        product=leather_bag, original="", state="processing", source="ab/gone"
    )
    photo_process(image.pk)
    image.refresh_from_db()
    assert (image.state, image.error) == ("failed", FAILED)


# --- memory ---------------------------------------------------------------------


def test_processing_a_12_mp_jpeg_keeps_memory_bounded():
    data = samples.phone_jpeg()
    # Draft mode decodes it at 2000x1500: 31-35 MB at the peak when measured;
    # decoding it whole (no draft mode) takes 72 MB.
    growth = samples.peak_rss_growth_mb(lambda: photos.photo_render(io.BytesIO(data)))
    assert growth < 60, f"resident memory grew {growth:.0f} MB"


# --- other formats, colour and transparency ----------------------------------------


def test_webp_from_a_phone_is_accepted_upright_and_clean(leather_bag, add_photos):
    data = samples.webp_photo((1200, 900), orientation=6)
    upload = samples.upload(data, "photo.webp", "image/webp")
    assert photo_check_upload(upload) == "webp"
    (image,) = add_photos(leather_bag, upload)
    assert image.state == "ready"
    output = read(image.variants["detail"]["jpeg"])
    samples.assert_no_metadata(output, "jpeg")
    picture = Image.open(io.BytesIO(output))
    assert picture.size == (750, 1000)
    assert samples.corners(picture) == samples.upright_reference(data)


def test_multi_picture_jpeg_from_a_phone_gives_its_main_picture(
    leather_bag, add_photos
):
    # Some phones write MPO: the photo, then a second picture (a preview, or the
    # other lens) in the same JPEG file.
    buffer = io.BytesIO()
    samples.scene((2000, 1500)).save(
        buffer,
        "MPO",
        save_all=True,
        append_images=[Image.new("RGB", (640, 480), "green")],
        exif=samples.phone_exif(6),
    )
    upload = samples.upload(buffer.getvalue())
    assert Image.open(upload).format == "MPO"
    assert photo_check_upload(upload) == "jpeg"
    (image,) = add_photos(leather_bag, upload)
    output = read(image.variants["zoom"]["jpeg"])
    samples.assert_no_metadata(output, "jpeg")
    picture = Image.open(io.BytesIO(output))
    assert picture.size == (1200, 1600)
    assert samples.corners(picture)["top_right"] == "red"


def test_heic_from_an_iphone_is_accepted_upright_and_clean(leather_bag, add_photos):
    if not photos.HEIF_SUPPORTED:
        pytest.skip("pillow-heif is not installed: HEIC is refused")
    data = samples.heic_photo((1200, 900), orientation=6)
    upload = samples.upload(data, "IMG_0001.HEIC", "application/octet-stream")
    assert photo_check_upload(upload) == "heic"
    (image,) = add_photos(leather_bag, upload)
    assert image.state == "ready", image.error
    for fmt in ("jpeg", "webp"):
        output = read(image.variants["zoom"][fmt])
        samples.assert_no_metadata(output, fmt)
        picture = Image.open(io.BytesIO(output))
        assert picture.size == (900, 1200)
        assert samples.corners(picture) == {
            "top_left": "blue",
            "top_right": "red",
            "bottom_left": "other",
            "bottom_right": "other",
        }


def test_transparent_png_is_flattened_on_white(leather_bag, add_photos):
    upload = samples.upload(samples.png_with_alpha((600, 400)), "cut-out.png")
    (image,) = add_photos(leather_bag, upload)
    for fmt in ("jpeg", "webp"):
        picture = Image.open(io.BytesIO(read(image.variants["zoom"][fmt])))
        assert picture.mode == "RGB"
        assert min(picture.getpixel((5, 5))) >= 245  # was transparent: white
        red, green, blue = picture.getpixel((300, 200))
        assert red > 180 and green < 60 and blue < 60


def test_16_bit_png_is_scaled_to_8_bits_not_clipped(leather_bag, add_photos):
    upload = samples.upload(samples.png_16bit_grey(value=0x8000), "scan.png")
    (image,) = add_photos(leather_bag, upload)
    picture = Image.open(io.BytesIO(read(image.variants["list"]["jpeg"])))
    assert all(120 <= channel <= 136 for channel in picture.getpixel((10, 10)))


def test_adobe_rgb_photo_is_converted_to_srgb_and_carries_no_profile(
    leather_bag, add_photos
):
    data = samples.adobe_rgb_jpeg()
    assert Image.open(io.BytesIO(data)).info.get("icc_profile")
    (image,) = add_photos(leather_bag, samples.upload(data, "camera.jpg"))

    adobe = ImageCms.ImageCmsProfile(io.BytesIO(samples.adobe_rgb_icc()))
    srgb = ImageCms.createProfile("sRGB")
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), samples.ADOBE_GREEN), adobe, srgb, outputMode="RGB"
    ).getpixel((0, 0))
    assert (
        max(abs(a - b) for a, b in zip(expected, samples.ADOBE_GREEN, strict=True)) > 20
    )
    for fmt in ("jpeg", "webp"):
        output = read(image.variants["detail"][fmt])
        samples.assert_no_metadata(output, fmt)
        got = Image.open(io.BytesIO(output)).getpixel((50, 50))
        assert max(abs(a - b) for a, b in zip(got, expected, strict=True)) <= 6


# --- robustness -------------------------------------------------------------------


def test_processing_twice_changes_nothing(leather_bag, add_photos, media_root):
    (image,) = add_photos(leather_bag, samples.upload(samples.phone_jpeg((1200, 900))))
    before = sorted(files_under(media_root))
    photo_process(image.pk)
    photo_process(image.pk)
    image.refresh_from_db()
    assert image.state == "ready"
    assert sorted(files_under(media_root)) == before


def test_a_photo_deleted_before_processing_is_ignored(
    leather_bag, media_root, django_capture_on_commit_callbacks
):
    # Stored but not processed yet (the task waits for the commit)...
    with django_capture_on_commit_callbacks(execute=False):
        image = photos.photo_store_upload(
            product=leather_bag,
            uploaded_file=samples.upload(samples.phone_jpeg((800, 600))),
            position=0,
        )
    assert image.state == ProductImage.State.PROCESSING
    # ...then deleted: the task finds nothing to do, raises nothing, writes nothing.
    ProductImage.objects.filter(pk=image.pk).delete()
    photo_process(image.pk)
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    assert files_under(media_root) == []


def test_with_the_broker_down_the_photo_is_processed_in_the_request(
    leather_bag, add_photos, monkeypatch
):
    from catalog import tasks

    def unavailable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis: Connection refused")

    monkeypatch.setattr(tasks.product_photo_process, "delay", unavailable)
    (image,) = add_photos(leather_bag, samples.upload(samples.phone_jpeg((1200, 900))))
    assert image.state == "ready"


def test_raw_uploads_are_private_and_outside_media(private_root, settings):
    storage = photo_source_storage()
    assert isinstance(storage, PrivateUploadStorage)
    assert Path(storage.location) == private_root
    assert not private_root.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="private"):
        storage.url("ab/cdef")


# --- the template tag ---------------------------------------------------------------


def render(template: str, **context) -> str:
    return Template("{% load catalog_pictures %}" + template).render(Context(context))


def test_picture_tag_renders_webp_and_jpeg_with_dimensions(leather_bag, add_photos):
    (image,) = add_photos(leather_bag, samples.upload(samples.phone_jpeg((1200, 900))))
    html = render(
        '{% product_picture image "list" alt=title %}', image=image, title="کیف <چرم>"
    )
    list_variant = image.variants["list"]
    assert html == (
        '<picture><source type="image/webp" srcset="{webp}">'
        '<img src="{jpeg}" width="300" height="400" alt="کیف &lt;چرم&gt;" '
        'loading="lazy" decoding="async"></picture>'
    ).format(
        webp=default_storage.url(list_variant["webp"]),
        jpeg=default_storage.url(list_variant["jpeg"]),
    )

    html = render(
        '{% product_picture image "detail" loading="eager" sizes="50vw" %}',
        image=image,
    )
    assert 'loading="eager"' in html and 'sizes="50vw"' in html
    for entry in image.variants.values():
        assert f"{default_storage.url(entry['webp'])} {entry['width']}w" in html
        assert f"{default_storage.url(entry['jpeg'])} {entry['width']}w" in html


def test_picture_tag_placeholder_and_seeded_pictures(leather_bag):
    processing = ProductImage(product=leather_bag, state="processing", original="")
    assert render('{% product_picture image "list" %}', image=processing) == (
        '<span class="img-placeholder" aria-hidden="true"></span>'
    )
    assert render(
        '{% product_picture image "detail" placeholder_class="img-placeholder large" %}',
        image=None,
    ) == ('<span class="img-placeholder large" aria-hidden="true"></span>')
    seeded = ProductImage(
        product=leather_bag, state="ready", original="images/demo/1.jpg"
    )
    html = render('{% product_picture image "list" alt="x" %}', image=seeded)
    assert html.startswith('<img src="/media/images/demo/1.jpg" width="400"')
    assert photos.photo_url(seeded, "zoom", "webp") == "/media/images/demo/1.jpg"
    assert photos.photo_url(processing) is None
