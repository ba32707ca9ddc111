"""Writing the demo data: makes the database hold what `marketplace.demo.seeding.plans`
describes. Records are found by natural keys and only what is missing is
created (staff edits survive a re-run; nothing is deleted). Products, stock
records, product categories and images are written with `bulk_create` in
batches, one transaction per batch; the site's caches are dropped once at the
end.
"""

from __future__ import annotations

import contextlib
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from oscar.apps.partner.models import Partner
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
from marketplace.demo import data
from marketplace.demo.images import (
    ensure_logo,
    ensure_picture_pool,
    ensure_picture_variants,
)
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
from sellers.partner.models import StockRecord

from .plans import (
    PRODUCT_CLASS_SLUG,
    UPC_PREFIX,
    ProductPlan,
    ProductSeller,
    S,
    SellerPlan,
    UserPlan,
    centres_plan,
    plan_products,
    plan_sellers,
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
        # WebP and JPEG at every photo size, as for a seller's own photo.
        self.picture_variants = ensure_picture_variants(
            [name for names in pictures.values() for name in names]
        )
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
                    product_id=product.pk,
                    original=plan.picture,
                    variants=self.picture_variants[plan.picture],
                    display_order=0,
                )
                for product, plan in pairs
            )
