"""Planning the demo data: pure, deterministic descriptions of what should exist
(sellers with their history, products with their prices, pictures and dates).
Nothing here reads or writes the database; `marketplace.demo.seeding.writer` does.

Every value comes from `random.Random` streams seeded with 1403 and the
record's own natural key (seller index, product number), so the same options
always give the same data; seller N and product N do not depend on `--sellers`
or `--products`.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import Counter
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from random import Random

from marketplace.demo import data
from sellers.models import (
    Seller,
)
from sellers.workflow import OPEN_STATUSES

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
        if status in OPEN_STATUSES:
            # Still in the approval queue: she applied days, at most a few weeks,
            # ago (the queue shows how long each has waited).
            created_days_ago = 4 + created_days_ago % 18
            decided_days_after = min(decided_days_after, created_days_ago - 1)
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
        noun = sub.nouns[int(u_noun * len(sub.nouns))]
        title = sub.pattern.format(
            noun=noun,
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
        # Its own kind's pictures (a wallet shows a bag), else its trade's.
        trade_pictures = (
            pictures.get(data.picture_key(trade, data.motif_for(trade, noun)))
            or pictures[trade.key]
        )
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
