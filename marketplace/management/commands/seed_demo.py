"""`manage.py seed_demo`: an idempotent Persian demo-data loader.

Rules:
- Deterministic. Every value comes from `random.Random` streams seeded with 1403
  and the record's own natural key (seller index, product number), so the same
  options always give the same data; seller N and product N do not depend on
  `--sellers` or `--products`, and `--picture-pool` only changes which picture a
  product shows.
- Idempotent and additive. Records are found by natural keys (district number,
  programme code, centre name per district, category name per parent, product
  class slug, username, seller slug, product upc «DV0000001»). What exists is left
  as it is, so staff edits survive a re-run; only what is missing is created. A
  larger `--products` after a smaller one adds only the missing products. Nothing
  is ever deleted.
- Dignity. Programme and case-file facts go only to `Seller.programme` and
  `CaseFile` (staff-only). Brand names, slugs, product titles, descriptions,
  stories and file names come from `marketplace.demo_data`, which holds none.
- Fast. Products, stock records, product categories and images are written with
  `bulk_create` in batches, one transaction per batch: no model `save()` and no
  per-row signal (Oscar's, Haystack's, ours) runs for them. The site's caches are
  dropped once at the end.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from random import Random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from oscar.apps.partner.models import Partner, StockRecord
from oscar.checks import use_productcategory_materialised_view
from oscar.core.utils import slugify as oscar_slugify
from tqdm import tqdm

from catalog.models import (
    Category,
    Product,
    ProductCategory,
    ProductClass,
    ProductImage,
)
from catalog.selectors import category_menu_invalidate
from marketplace import demo_data as data
from marketplace.demo_images import ensure_logo, ensure_picture_pool
from sellers.models import (
    CaseFile,
    District,
    KowsarCentre,
    MentoringSession,
    Programme,
    Requirement,
    RequirementCheck,
    Seller,
    SellerAuditEntry,
    SellerMember,
)
from sellers.selectors import open_partner_ids_invalidate

SEED = 1403
DEFAULT_SELLERS = 60
MAX_SELLERS = 1_000
DEFAULT_PRODUCTS = 600
MAX_PRODUCTS = 100_000
DEFAULT_PICTURE_POOL = 48
DEFAULT_BATCH_SIZE = 5_000
UPC_PREFIX = "DV"
PRODUCT_CLASS_SLUG = "handmade"
PRODUCT_AGE_MAX = timedelta(days=365)
PRICE_STEP = 10_000  # rials
MAX_IN_STOCK = 30

S = Seller.Status


def _rng(*key: object) -> Random:
    """A random stream of its own for one natural key (demo data, not secrets)."""
    return Random(":".join(str(part) for part in (SEED, *key)))  # noqa: S311


def product_upc(number: int) -> str:
    """The natural key of demo product `number` (1-based): «DV0000042»."""
    return f"{UPC_PREFIX}{number:07d}"


# --- plans: pure, deterministic descriptions of what should exist -----------------


@dataclass(frozen=True)
class UserPlan:
    mobile: str  # as people type it: 09xxxxxxxxx
    email: str
    first_name: str
    last_name: str

    @property
    def username(self) -> str:
        """The mobile number in E.164 form, +989xxxxxxxxx: how
        marketplace.accounts stores and finds a user, so phone login works."""
        return f"+98{self.mobile[1:]}"


@dataclass(frozen=True)
class CaseFilePlan:
    head_of_household: bool
    welfare_case_number: str
    insurance: str
    referral_source: str
    notes: str


@dataclass(frozen=True)
class SellerPlan:
    index: int  # 1-based
    kind: str
    trade: data.Trade
    brand_name: str
    slug: str
    status: str
    status_reason: str
    programme_code: str
    district_number: int
    centre_name: str | None
    neighbourhood: str
    show_location: bool
    story: str
    story_consent: bool
    has_logo: bool
    mentoring_stage: str
    created_days_ago: int
    decided_days_after: int  # when staff approved / rejected / asked for changes
    payout_sheba: str  # approved and suspended booths only
    mentoring_sessions: tuple[tuple[int, int], ...]  # (days after creation, topic)
    product_weight: int
    members: tuple[UserPlan, ...]  # the first one is the owner
    case_file: CaseFilePlan | None

    @property
    def owner(self) -> UserPlan:
        return self.members[0]


def _status_for(index: int) -> tuple[str, str]:
    """Mostly approved, plus a fixed sprinkle of every other state so staff pages
    have rows. For 60 sellers: 40 approved, 6 in review, 6 applied, 3 suspended,
    3 rejected, 2 with changes requested."""
    if index % 20 == 9:
        return S.SUSPENDED, "تعلیق موقت به درخواست خود غرفه‌دار تا پایان تعطیلات."
    if index % 20 == 16:
        return S.REJECTED, "عکس‌ها و توضیح محصولات برای انتشار کافی نبود."
    if index % 10 == 4:
        return S.IN_REVIEW, ""
    if index % 10 == 7:
        return S.APPLIED, ""
    if index % 30 == 22:
        return S.CHANGES_REQUESTED, "لطفاً عکس‌های واضح‌تری از محصولات بارگذاری کنید."
    return S.APPROVED, ""


def _kind_for(index: int) -> str:
    """Every third seller is a cooperative group."""
    return Seller.Kind.GROUP if index % 3 == 0 else Seller.Kind.INDIVIDUAL


def _trade_for(index: int) -> data.Trade:
    """Trades cycle, so any eight consecutive sellers cover all eight trades."""
    return data.TRADES[(index - 1) % len(data.TRADES)]


@lru_cache(maxsize=64)
def _brand_choices(trade_key: str, kind: str) -> tuple[tuple[str, str], ...]:
    """All (brand name, slug) pairs of a trade and kind in a fixed shuffled order,
    signature brands first."""
    trade = data.TRADES_BY_KEY[trade_key]
    if kind == Seller.Kind.GROUP:
        pairs = [
            (fa.format(word=word), latin.format(word=word_latin))
            for fa, latin in trade.group_brands
            for word, word_latin in data.GROUP_WORDS
        ]
    else:
        pairs = [
            (fa.format(name=name), latin.format(name=name_latin))
            for fa, latin in trade.individual_brands
            for name, name_latin in data.FIRST_NAMES
        ]
    _rng("brands", trade_key, kind).shuffle(pairs)
    signatures = list(data.SIGNATURE_BRANDS.get((trade_key, str(kind)), ()))
    return tuple(signatures + [pair for pair in pairs if pair not in signatures])


def _allocate_brands(count: int) -> list[tuple[str, str]]:
    """Brand name and slug of sellers 1..count: unique, and the same for seller N
    whatever `count` is (allocation looks only at earlier sellers)."""
    taken: Counter[tuple[str, str]] = Counter()
    used_slugs: set[str] = set()
    brands = []
    for index in range(1, count + 1):
        line = (_trade_for(index).key, str(_kind_for(index)))
        choices = _brand_choices(*line)
        position = taken[line]
        taken[line] += 1
        name, slug = choices[position % len(choices)]
        if round_ := position // len(choices):
            name = f"{name} {data.persian_digits(round_ + 1)}"
            slug = f"{slug}-{round_ + 1}"
        base, suffix = slug, 2
        while slug in used_slugs:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used_slugs.add(slug)
        brands.append((name, slug))
    return brands


def _mobile(index: int, member: int) -> str:
    """A unique demo mobile number (09xxxxxxxxx) for member `member` of seller
    `index`; never one of the staff or buyer numbers (those are below 1,000,000)."""
    codes = data.MOBILE_OPERATOR_CODES
    operator = codes[(index * 7 + member) % len(codes)]
    return f"09{operator}{1_000_000 + index * 10 + member:07d}"


def _demo_sheba(rng: Random) -> str:
    """A Sheba number (IR + 24 digits) with valid ISO 13616 check digits."""
    bban = rng.choice(data.SHEBA_BANK_CODES) + "".join(
        str(rng.randrange(10)) for _ in range(19)
    )
    check = 98 - int(bban + "182700") % 97  # "IR" is 18 27
    return f"IR{check:02d}{bban}"


def centres_plan() -> list[tuple[int, str, str]]:
    """(district number, name, address) of the 93 Kowsar centres: 18 in district
    20, 8 in district 4, 67 over the other 20 districts."""
    centres = []
    for number, count in data.KOWSAR_CENTRES_PER_DISTRICT.items():
        for position in range(count):
            neighbourhood = data.NEIGHBOURHOODS[number][position]
            street = data.STREET_NAMES[(number + position) % len(data.STREET_NAMES)]
            address = data.CENTRE_ADDRESS_TEMPLATE.format(
                district=data.district_name(number),
                neighbourhood=neighbourhood,
                street=street,
                plate=data.persian_digits(10 + (number * 7 + position * 13) % 90),
            )
            name = data.CENTRE_NAME_TEMPLATE.format(neighbourhood=neighbourhood)
            centres.append((number, name, address))
    return centres


def _story(
    rng: Random, kind: str, trade: data.Trade, members: int, place: str | None
) -> str:
    """Her story in her own voice: a consented, public text with no programme in it."""
    year = data.persian_digits(rng.randint(1394, 1401))
    if kind == Seller.Kind.GROUP:
        opening = rng.choice(data.GROUP_STORY_OPENINGS)
        closing = rng.choice(data.GROUP_STORY_CLOSINGS)
        return (
            f"{opening.format(count=data.persian_digits(members), year=year)} {closing}"
        )
    opening = (
        data.INDIVIDUAL_STORY_OPENING.format(year=year, neighbourhood=place)
        if place
        else data.INDIVIDUAL_STORY_OPENING_NO_PLACE.format(year=year)
    )
    return " ".join((opening, *rng.sample(trade.story_sentences, 2)))


def plan_sellers(count: int) -> list[SellerPlan]:
    """What sellers 1..count look like. Pure: no database access."""
    brands = _allocate_brands(count)
    districts = list(data.KOWSAR_CENTRES_PER_DISTRICT)
    district_weights = [data.KOWSAR_CENTRES_PER_DISTRICT[d] + 1 for d in districts]
    stages = list(Seller.MentoringStage.values)
    plans = []
    for index in range(1, count + 1):
        rng = _rng("seller", index)
        kind, trade = _kind_for(index), _trade_for(index)
        brand_name, slug = brands[index - 1]
        status, status_reason = _status_for(index)

        if kind == Seller.Kind.GROUP:
            programme = "behzisti" if rng.random() < 0.85 else "municipality"
            member_count = rng.randint(5, 7)
        else:
            roll = rng.random()
            programme = (
                "municipality"
                if roll < 0.75
                else "behzisti"
                if roll < 0.85
                else "other"
            )
            member_count = 1

        district = rng.choices(districts, weights=district_weights)[0]
        neighbourhood = rng.choice(data.NEIGHBOURHOODS[district])
        centre_name = None
        if rng.random() < 0.85:
            position = rng.randrange(data.KOWSAR_CENTRES_PER_DISTRICT[district])
            neighbourhood = data.NEIGHBOURHOODS[district][position]
            centre_name = data.CENTRE_NAME_TEMPLATE.format(neighbourhood=neighbourhood)
        show_location = rng.random() < 0.45

        story = ""
        if rng.random() < 0.55:
            place = neighbourhood if show_location else None
            story = _story(rng, kind, trade, member_count, place)
        story_consent = bool(story) and rng.random() < 0.8

        stage = (
            Seller.MentoringStage.ENROLLED
            if status == S.APPLIED
            else rng.choices(stages, weights=(15, 30, 30, 25))[0]
        )
        created_days_ago = rng.randint(60, 540)
        decided_days_after = rng.randint(5, 40)
        sessions = ()
        if stage != Seller.MentoringStage.ENROLLED:
            sessions = tuple(
                sorted(
                    (
                        rng.randint(3, created_days_ago - 1),
                        rng.randrange(len(data.MENTORING_TOPICS)),
                    )
                    for _ in range(rng.randint(1, 3))
                )
            )
        sheba = _demo_sheba(rng) if status in (S.APPROVED, S.SUSPENDED) else ""

        members = []
        for member in range(member_count):
            local = slug if member == 0 else f"{slug}.{member}"
            members.append(
                UserPlan(
                    mobile=_mobile(index, member),
                    email=f"{local}@{data.DEMO_EMAIL_DOMAIN}",
                    first_name=rng.choice(data.FIRST_NAMES)[0],
                    last_name=rng.choice(data.SURNAMES),
                )
            )

        case_file = None
        if rng.random() < 0.75:
            number = data.persian_digits(rng.randint(1000, 9999))
            case_file = CaseFilePlan(
                head_of_household=rng.random() < 0.8,
                welfare_case_number=f"{data.CASE_NUMBER_PREFIX[programme]}-{number}",
                insurance=rng.choice(data.CASE_FILE_INSURANCE),
                referral_source=rng.choice(data.CASE_FILE_REFERRALS),
                notes=rng.choice(data.CASE_FILE_NOTES),
            )

        plans.append(
            SellerPlan(
                index=index,
                kind=kind,
                trade=trade,
                brand_name=brand_name,
                slug=slug,
                status=status,
                status_reason=status_reason,
                programme_code=programme,
                district_number=district,
                centre_name=centre_name,
                neighbourhood=neighbourhood,
                show_location=show_location,
                story=story,
                story_consent=story_consent,
                has_logo=rng.random() < 0.4,
                mentoring_stage=stage,
                created_days_ago=created_days_ago,
                decided_days_after=decided_days_after,
                payout_sheba=sheba,
                mentoring_sessions=sessions,
                product_weight=rng.randint(1, 6),
                members=tuple(members),
                case_file=case_file,
            )
        )
    return plans


@dataclass(frozen=True)
class ProductSeller:
    """What the product stream needs to know about one seller."""

    partner_id: int
    trade: data.Trade
    leaf_category_ids: tuple[int, ...]  # in the trade's subcategory order
    weight: int


@dataclass(frozen=True)
class ProductPlan:
    number: int
    upc: str
    title: str
    description: str
    price: Decimal  # whole rials
    num_in_stock: int
    is_public: bool
    age: timedelta
    partner_id: int
    category_id: int
    picture: str


_DRAWS_PER_PRODUCT = 12


def plan_products(
    count: int,
    sellers: Sequence[ProductSeller],
    pictures: dict[str, list[str]],
    skip: Container[int] = (),
) -> Iterator[ProductPlan]:
    """Products 1..count except the numbers in `skip`, lazily.

    Each product takes exactly `_DRAWS_PER_PRODUCT` uniform draws from one stream,
    so product N is the same whatever `count` is, and the pool size changes only
    which picture it shows. Prices are whole rials in steps of 10,000, leaning
    towards the cheap end of the subcategory's range.
    """
    draw = _rng("products").random
    cumulative = list(itertools.accumulate(seller.weight for seller in sellers))
    for number in range(1, count + 1):
        if number in skip:
            for _ in range(_DRAWS_PER_PRODUCT):
                draw()
            continue
        (
            u_seller,
            u_sub,
            u_noun,
            u_quality,
            u_finish,
            u_price,
            u_stock,
            u_public,
            u_age,
            u_sentence,
            u_sentence_2,
            u_picture,
        ) = (draw() for _ in range(_DRAWS_PER_PRODUCT))

        position = bisect_right(cumulative, u_seller * cumulative[-1])
        seller = sellers[min(position, len(sellers) - 1)]
        trade = seller.trade
        sub_index = int(u_sub * len(trade.subcategories))
        sub = trade.subcategories[sub_index]
        title = sub.pattern.format(
            noun=sub.nouns[int(u_noun * len(sub.nouns))],
            quality=sub.qualities[int(u_quality * len(sub.qualities))],
            finish=sub.finishes[int(u_finish * len(sub.finishes))],
        )
        steps = (sub.max_price - sub.min_price) // PRICE_STEP
        price = sub.min_price + int(u_price**2 * (steps + 1)) * PRICE_STEP
        # One product in ten is sold out; the rest have 1..30.
        in_stock = 0 if u_stock < 0.1 else 1 + int((u_stock - 0.1) / 0.9 * MAX_IN_STOCK)
        sentences = trade.description_sentences
        first = int(u_sentence * len(sentences))
        second = (first + 1 + int(u_sentence_2 * (len(sentences) - 1))) % len(sentences)
        trade_pictures = pictures[trade.key]
        yield ProductPlan(
            number=number,
            upc=product_upc(number),
            title=title,
            description=f"{sentences[first]} {sentences[second]}",
            price=Decimal(min(price, sub.max_price)),
            num_in_stock=min(in_stock, MAX_IN_STOCK),
            is_public=u_public >= 0.03,
            age=timedelta(seconds=int(u_age * PRODUCT_AGE_MAX.total_seconds())),
            partner_id=seller.partner_id,
            category_id=seller.leaf_category_ids[sub_index],
            picture=trade_pictures[int(u_picture * len(trade_pictures))],
        )


@lru_cache(maxsize=8192)
def _product_slug(title: str) -> str:
    """The slug Oscar's Product.save() would give this title."""
    return oscar_slugify(title)[:255]


@contextlib.contextmanager
def explicit_timestamps(
    *model_fields: tuple[type[models.Model], str],
) -> Iterator[None]:
    """Let bulk_create keep the dates we set on `auto_now`/`auto_now_add` fields;
    Django would otherwise overwrite them with the current time."""
    saved = []
    for model, name in model_fields:
        date_field = model._meta.get_field(name)
        saved.append((date_field, date_field.auto_now, date_field.auto_now_add))
        date_field.auto_now = date_field.auto_now_add = False
    try:
        yield
    finally:
        for date_field, auto_now, auto_now_add in saved:
            date_field.auto_now, date_field.auto_now_add = auto_now, auto_now_add


@contextlib.contextmanager
def _fast_commits() -> Iterator[None]:
    """Inside a transaction on PostgreSQL: commit without waiting for the WAL flush.
    A crash could lose the last batches, never corrupt them; a re-run adds them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    yield


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- the seeder ---------------------------------------------------------------------


@dataclass(frozen=True)
class Logins:
    staff: UserPlan
    individual_owner: UserPlan | None
    group_owner: UserPlan | None
    buyer: UserPlan


STAFF_PLAN = UserPlan(data.STAFF_MOBILE, data.STAFF_EMAIL, "مهناز", "کارشناس")
DEFAULT_ORDERS = 16
BUYER_PLAN = UserPlan(data.BUYER_MOBILE, data.BUYER_EMAIL, "سحر", "امینی")


class DemoSeeder:
    """Creates whatever part of the demo data set is missing (see the module doc)."""

    def __init__(
        self,
        *,
        sellers: int,
        products: int,
        picture_pool: int,
        batch_size: int,
        progress_stream,
        show_progress: bool,
    ):
        self.seller_count = sellers
        self.product_count = products
        self.picture_pool = picture_pool
        self.batch_size = batch_size
        self.progress_stream = progress_stream
        self.show_progress = show_progress
        self.now = timezone.now()
        self.created: Counter[str] = Counter()
        self._password_hash: str | None = None

    # reference data ----------------------------------------------------------------

    def seed_reference_data(self) -> None:
        """Districts, programmes, Kowsar centres, categories, the product class."""
        for number in range(1, data.DISTRICT_COUNT + 1):
            _, created = District.objects.get_or_create(
                number=number, defaults={"name": data.district_name(number)}
            )
            self.created["districts"] += created
        for code, name in data.PROGRAMMES:
            _, created = Programme.objects.get_or_create(
                code=code, defaults={"name": name}
            )
            self.created["programmes"] += created

        districts = {d.number: d for d in District.objects.all()}
        existing = set(KowsarCentre.objects.values_list("district__number", "name"))
        missing = [
            KowsarCentre(district=districts[number], name=name, address=address)
            for number, name, address in centres_plan()
            if (number, name) not in existing
        ]
        KowsarCentre.objects.bulk_create(missing)
        self.created["centres"] += len(missing)

        self.leaf_categories = self._seed_categories()

        self.product_class, _ = ProductClass.objects.get_or_create(
            slug=PRODUCT_CLASS_SLUG,
            defaults={
                "name": "دست‌ساخته",
                "track_stock": True,
                "requires_shipping": True,
            },
        )
        if not self.product_class.track_stock:
            self.product_class.track_stock = True
            self.product_class.save(update_fields=["track_stock"])

    def _seed_categories(self) -> dict[str, tuple[int, ...]]:
        """One root category per trade with its subcategories; returns trade key ->
        leaf category ids in subcategory order.

        On the first run the whole tree is written in one bulk insert with its
        treebeard paths computed here (after any roots staff already made); when
        some of it exists, missing nodes are added one by one through treebeard.
        """
        names = [trade.category_name for trade in data.TRADES]
        if not Category.get_root_nodes().filter(name__in=names).exists():
            self._bulk_create_category_tree()
        leaves = {}
        for trade in data.TRADES:
            root = Category.get_root_nodes().filter(name=trade.category_name).first()
            if root is None:
                root = Category.add_root(
                    name=trade.category_name,
                    slug=trade.category_slug,
                    description=trade.category_description,
                )
                self.created["categories"] += 1
            children = {child.name: child for child in root.get_children()}
            ids = []
            for sub in trade.subcategories:
                child = children.get(sub.name)
                if child is None:
                    child = root.add_child(name=sub.name, slug=sub.slug)
                    self.created["categories"] += 1
                ids.append(child.pk)
            leaves[trade.key] = tuple(ids)
        return leaves

    def _bulk_create_category_tree(self) -> None:
        last_root = Category.get_last_root_node()
        root_path = (
            last_root._inc_path() if last_root else Category._get_path(None, 1, 1)
        )
        nodes = []
        for trade in data.TRADES:
            nodes.append(
                Category(
                    name=trade.category_name,
                    slug=trade.category_slug,
                    description=trade.category_description,
                    path=root_path,
                    depth=1,
                    numchild=len(trade.subcategories),
                )
            )
            child_path = Category._get_path(root_path, 2, 1)
            for sub in trade.subcategories:
                nodes.append(
                    Category(
                        name=sub.name,
                        slug=sub.slug,
                        path=child_path,
                        depth=2,
                        numchild=0,
                    )
                )
                child_path = Category(path=child_path)._inc_path()
            root_path = Category(path=root_path)._inc_path()
        Category.objects.bulk_create(nodes)
        self.created["categories"] += len(nodes)

    # users and sellers ---------------------------------------------------------------

    @property
    def password_hash(self) -> str:
        """One hash of the demo password shared by every new demo login; hashing it
        per user would cost about a second each with PBKDF2."""
        if self._password_hash is None:
            self._password_hash = make_password(data.DEMO_PASSWORD)
        return self._password_hash

    def _ensure_user(self, plan: UserPlan, **flags):
        User = get_user_model()
        user = User.objects.filter(username=plan.username).first()
        if user is None:
            user = User.objects.create(
                username=plan.username,
                email=plan.email,
                first_name=plan.first_name,
                last_name=plan.last_name,
                password=self.password_hash,
                **flags,
            )
            self.created["users"] += 1
        return user

    def seed_people(self) -> Logins:
        """The staff superuser, the buyer, and every seller with her partner,
        members, logo, case file and workflow history."""
        staff = self._ensure_user(STAFF_PLAN, is_staff=True, is_superuser=True)
        self._ensure_user(BUYER_PLAN)

        self.seller_plans = plan_sellers(self.seller_count)
        self._programmes = {p.code: p for p in Programme.objects.all()}
        self._districts = {d.number: d for d in District.objects.all()}
        self._centres = {(c.district_id, c.name): c for c in KowsarCentre.objects.all()}
        self._requirements = list(Requirement.objects.filter(is_active=True))
        slugs = [plan.slug for plan in self.seller_plans]
        self.sellers = {s.slug: s for s in Seller.objects.filter(slug__in=slugs)}
        for plan in self.seller_plans:
            logo = ensure_logo(plan.trade, plan.slug) if plan.has_logo else ""
            if plan.slug not in self.sellers:
                self.sellers[plan.slug] = self._create_seller(plan, staff, logo)

        def first_approved_owner(kind: str) -> UserPlan | None:
            return next(
                (
                    plan.owner
                    for plan in self.seller_plans
                    if plan.kind == kind and plan.status == S.APPROVED
                ),
                None,
            )

        return Logins(
            staff=STAFF_PLAN,
            individual_owner=first_approved_owner(Seller.Kind.INDIVIDUAL),
            group_owner=first_approved_owner(Seller.Kind.GROUP),
            buyer=BUYER_PLAN,
        )

    def _create_seller(self, plan: SellerPlan, staff, logo: str) -> Seller:
        partner, _ = Partner.objects.get_or_create(
            code=plan.slug, defaults={"name": plan.brand_name}
        )
        district = self._districts[plan.district_number]
        created_at = self.now - timedelta(days=plan.created_days_ago)
        decided_at = created_at + timedelta(days=plan.decided_days_after)
        owner = plan.owner
        seller = Seller.objects.create(
            partner=partner,
            kind=plan.kind,
            brand_name=plan.brand_name,
            slug=plan.slug,
            trade=plan.trade.occupation,
            story=plan.story,
            story_consent=plan.story_consent,
            neighbourhood=plan.neighbourhood,
            show_location=plan.show_location,
            logo=logo,
            district=district,
            centre=self._centres.get((district.pk, plan.centre_name)),
            programme=self._programmes[plan.programme_code],
            status=plan.status,
            status_reason=plan.status_reason,
            mentoring_stage=plan.mentoring_stage,
            mentor=staff if plan.mentoring_sessions else None,
            payout_account_holder=(
                f"{owner.first_name} {owner.last_name}" if plan.payout_sheba else ""
            ),
            payout_sheba=plan.payout_sheba,
            created_at=created_at,
            submitted_at=created_at,
            approved_at=decided_at
            if plan.status in (S.APPROVED, S.SUSPENDED)
            else None,
        )
        self.created["sellers"] += 1

        users = []
        for position, member_plan in enumerate(plan.members):
            user = self._ensure_user(member_plan)
            users.append(user)
            SellerMember.objects.create(
                seller=seller,
                user=user,
                role=SellerMember.Role.OWNER
                if position == 0
                else SellerMember.Role.MEMBER,
                joined_at=created_at,
            )
        partner.users.add(*users)

        if plan.case_file is not None:
            CaseFile.objects.create(seller=seller, **vars(plan.case_file))
            self.created["case_files"] += 1
        self._create_history(seller, plan, staff, owner=users[0], decided_at=decided_at)
        return seller

    def _create_history(self, seller, plan, staff, *, owner, decided_at) -> None:
        """Audit trail, checklist ticks and mentoring sessions that match the
        seller's status, as the staff services would have written them."""
        created_at = seller.created_at
        entries = [("apply", owner, "", S.APPLIED, "", created_at)]
        if plan.status != S.APPLIED:
            review_at = created_at + timedelta(days=2)
            entries.append(
                ("start_review", staff, S.APPLIED, S.IN_REVIEW, "", review_at)
            )
        decision = {
            S.APPROVED: "approve",
            S.SUSPENDED: "approve",
            S.REJECTED: "reject",
            S.CHANGES_REQUESTED: "request_changes",
        }.get(plan.status)
        if decision:
            to_status = S.APPROVED if plan.status == S.SUSPENDED else plan.status
            reason = "" if decision == "approve" else plan.status_reason
            entries.append(
                (decision, staff, S.IN_REVIEW, to_status, reason, decided_at)
            )
        if plan.status == S.SUSPENDED:
            suspended_at = decided_at + (self.now - decided_at) / 2
            entries.append(
                (
                    "suspend",
                    staff,
                    S.APPROVED,
                    S.SUSPENDED,
                    plan.status_reason,
                    suspended_at,
                )
            )
        SellerAuditEntry.objects.bulk_create(
            SellerAuditEntry(
                seller=seller,
                actor=actor,
                action=action,
                from_status=from_status,
                to_status=to_status,
                reason=reason,
                created_at=at,
            )
            for action, actor, from_status, to_status, reason, at in entries
        )

        applicable = [r for r in self._requirements if r.applies_to_seller(seller)]
        if plan.status in (S.APPROVED, S.SUSPENDED):
            ticked = applicable
        elif plan.status in (S.IN_REVIEW, S.CHANGES_REQUESTED):
            ticked = applicable[:1]
        else:
            ticked = []
        RequirementCheck.objects.bulk_create(
            RequirementCheck(
                seller=seller,
                requirement=requirement,
                done=True,
                checked_by=staff,
                checked_at=created_at + timedelta(days=3),
            )
            for requirement in ticked
        )

        MentoringSession.objects.bulk_create(
            MentoringSession(
                seller=seller,
                held_on=timezone.localdate(created_at + timedelta(days=days_after)),
                topic=data.MENTORING_TOPICS[topic][0],
                notes=data.MENTORING_TOPICS[topic][1],
                next_step=data.MENTORING_TOPICS[topic][2],
                recorded_by=staff,
                created_at=created_at + timedelta(days=days_after),
            )
            for days_after, topic in plan.mentoring_sessions
        )

    # products ---------------------------------------------------------------------

    def seed_products(self) -> None:
        """Products 1..N, each with one stock record (its seller's partner), one
        leaf category of its seller's trade and one pool picture. Only missing
        products are written, in batches, one transaction per batch, so an
        interrupted run leaves no half-made product."""
        pictures = ensure_picture_pool(self.picture_pool)
        existing = {
            int(upc[len(UPC_PREFIX) :])
            for upc in Product.objects.filter(upc__startswith=UPC_PREFIX).values_list(
                "upc", flat=True
            )
            if upc[len(UPC_PREFIX) :].isdigit()
        }
        missing = sum(n not in existing for n in range(1, self.product_count + 1))
        if not missing:
            return
        product_sellers = [
            ProductSeller(
                partner_id=self.sellers[plan.slug].partner_id,
                trade=plan.trade,
                leaf_category_ids=self.leaf_categories[plan.trade.key],
                weight=plan.product_weight,
            )
            for plan in self.seller_plans
        ]
        plans = plan_products(
            self.product_count, product_sellers, pictures, skip=existing
        )
        with tqdm(
            total=missing,
            desc="products",
            unit=" products",
            file=self.progress_stream,
            disable=not self.show_progress,
            mininterval=0.5,
        ) as bar:
            for batch in _batches(plans, self.batch_size):
                self._write_products(batch)
                bar.update(len(batch))
        self.created["products"] += missing
        if use_productcategory_materialised_view():
            with connection.cursor() as cursor:
                cursor.execute(
                    "REFRESH MATERIALIZED VIEW catalogue_product_category_hierarchy;"
                )

    def _write_products(self, batch: list[ProductPlan]) -> None:
        with (
            transaction.atomic(),
            _fast_commits(),
            explicit_timestamps(
                (Product, "date_created"),
                (Product, "date_updated"),
                (StockRecord, "date_created"),
                (StockRecord, "date_updated"),
            ),
        ):
            products = [
                Product(
                    structure=Product.STANDALONE,
                    is_public=plan.is_public,
                    upc=plan.upc,
                    title=plan.title,
                    slug=_product_slug(plan.title),
                    description=plan.description,
                    product_class=self.product_class,
                    date_created=self.now - plan.age,
                    date_updated=self.now - plan.age,
                )
                for plan in batch
            ]
            Product.objects.bulk_create(products)
            if any(product.pk is None for product in products):
                # A database that cannot return ids from a bulk insert.
                ids = dict(
                    Product.objects.filter(upc__in=[p.upc for p in batch]).values_list(
                        "upc", "id"
                    )
                )
                for product in products:
                    product.pk = ids[product.upc]
            pairs = list(zip(products, batch, strict=True))
            StockRecord.objects.bulk_create(
                StockRecord(
                    product_id=product.pk,
                    partner_id=plan.partner_id,
                    partner_sku=plan.upc,
                    price_currency="IRR",
                    price=plan.price,
                    num_in_stock=plan.num_in_stock,
                    date_created=product.date_created,
                    date_updated=product.date_created,
                )
                for product, plan in pairs
            )
            ProductCategory.objects.bulk_create(
                ProductCategory(product_id=product.pk, category_id=plan.category_id)
                for product, plan in pairs
            )
            ProductImage.objects.bulk_create(
                ProductImage(
                    product_id=product.pk, original=plan.picture, display_order=0
                )
                for product, plan in pairs
            )


# --- the command ------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Load the Persian demo data set: districts, Kowsar centres, categories, "
        "sellers with their users, and products with pictures. Idempotent: a "
        "re-run creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sellers",
            type=int,
            default=DEFAULT_SELLERS,
            help=f"demo sellers (default {DEFAULT_SELLERS}, max {MAX_SELLERS})",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCTS,
            help=f"demo products (default {DEFAULT_PRODUCTS}, max {MAX_PRODUCTS})",
        )
        parser.add_argument(
            "--picture-pool",
            type=int,
            default=DEFAULT_PICTURE_POOL,
            help=(
                "distinct product pictures to draw and share "
                f"(default {DEFAULT_PICTURE_POOL}, at least {len(data.TRADES)})"
            ),
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=DEFAULT_ORDERS,
            help=f"demo orders in every state (default {DEFAULT_ORDERS}; orders/demo.py)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"rows per bulk insert and transaction (default {DEFAULT_BATCH_SIZE})",
        )

    def handle(self, *args, **options):
        sellers, products = options["sellers"], options["products"]
        picture_pool, batch_size = options["picture_pool"], options["batch_size"]
        if not 1 <= sellers <= MAX_SELLERS:
            raise CommandError(f"--sellers must be between 1 and {MAX_SELLERS}.")
        if not 0 <= products <= MAX_PRODUCTS:
            raise CommandError(f"--products must be between 0 and {MAX_PRODUCTS}.")
        if picture_pool < len(data.TRADES):
            raise CommandError(f"--picture-pool must be at least {len(data.TRADES)}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be positive.")
        verbose = options["verbosity"] > 0

        started = time.monotonic()
        seeder = DemoSeeder(
            sellers=sellers,
            products=products,
            picture_pool=picture_pool,
            batch_size=batch_size,
            # tqdm redraws with "\r"; give it the raw stream, not Django's wrapper.
            progress_stream=getattr(self.stderr, "_out", self.stderr),
            show_progress=verbose,
        )
        with transaction.atomic():
            seeder.seed_reference_data()
            logins = seeder.seed_people()
        seeder.seed_products()
        # Orders live in their own module (orders/demo.py): delivery options for
        # every booth, then orders through the real services.
        from orders.demo import seed_orders

        if options["orders"] < 0:
            raise CommandError("--orders must not be negative.")
        seed_orders(options["orders"], buyer_username=BUYER_PLAN.username)

        category_menu_invalidate()
        open_partner_ids_invalidate()

        if verbose:
            self._print_summary(seeder, time.monotonic() - started)
            self._print_logins(logins)

    def _print_summary(self, seeder: DemoSeeder, elapsed: float) -> None:
        statuses = Counter(Seller.objects.values_list("status", flat=True))
        kinds = Counter(Seller.objects.values_list("kind", flat=True))
        by_status = ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))
        rows = (
            ("districts", District.objects.count()),
            ("Kowsar centres", KowsarCentre.objects.count()),
            ("categories", Category.objects.count()),
            (
                "sellers",
                f"{sum(statuses.values())} ({kinds[Seller.Kind.INDIVIDUAL]} individual,"
                f" {kinds[Seller.Kind.GROUP]} group; {by_status})",
            ),
            ("seller members", SellerMember.objects.count()),
            ("case files", CaseFile.objects.count()),
            ("users", get_user_model().objects.count()),
            ("products", Product.objects.count()),
            ("stock records", StockRecord.objects.count()),
            ("product images", ProductImage.objects.count()),
        )
        created = ", ".join(f"{k} {n}" for k, n in sorted(seeder.created.items()) if n)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        self.stdout.write(f"  created in this run: {created or 'nothing, all present'}")
        for name, value in rows:
            self.stdout.write(f"  {name}: {value}")

    def _print_logins(self, logins: Logins) -> None:
        self.stdout.write("")
        self.stdout.write(
            "Demo logins: sign in with the e-mail or the mobile number; "
            f"password for all: {data.DEMO_PASSWORD}"
        )
        self.stdout.write(
            f"  staff (superuser): {logins.staff.email}"
            f" or mobile {logins.staff.mobile}"
            " - dashboard /dashboard/, Wagtail admin /cms-admin/"
        )
        for label, plan in (
            ("individual seller owner", logins.individual_owner),
            ("group seller owner", logins.group_owner),
            ("buyer", logins.buyer),
        ):
            if plan is not None:
                self.stdout.write(f"  {label}: {plan.email} or mobile {plan.mobile}")
