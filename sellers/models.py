"""Seller domain.

Public facts (brand, story with consent, neighbourhood if she chose it) live on
`Seller`. Facts from her case file live only on `CaseFile`, which nothing public
imports (see docs/ARCHITECTURE.md, "Dignity").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from marketplace.append_only import AppendOnlyModel, append_only_triggers


class District(models.Model):
    """One of Tehran's 22 municipal districts (مناطق ۲۲‌گانه)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=64)

    class Meta:
        ordering = ["number"]
        verbose_name = "منطقه"
        verbose_name_plural = "مناطق"

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """One of Iran's 31 provinces (استان‌ها). Loaded by a data migration from
    `sellers/fixtures/provinces.json`; `code` is ISO 3166-2:IR."""

    TEHRAN_CODE = "IR-23"

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=64)
    capital = models.CharField(max_length=64)

    class Meta:
        ordering = ["name"]
        verbose_name = "استان"
        verbose_name_plural = "استان‌ها"

    def __str__(self) -> str:
        return self.name

    @property
    def is_tehran(self) -> bool:
        return self.code == self.TEHRAN_CODE


class Programme(models.Model):
    """The programme a seller came through. Staff-only: never shown publicly,
    since naming it can imply a welfare client."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=128)
    # The platform's commission on this programme's sales, overriding
    # settings.ORDER_COMMISSION_RATE when set (0 is allowed). Frozen per order line.
    commission_rate = models.DecimalField(
        "نرخ کارمزد", max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "برنامه"
        verbose_name_plural = "برنامه‌ها"

    def __str__(self) -> str:
        return self.name


class KowsarCentre(models.Model):
    """A Kowsar empowerment centre (مرکز توانمندسازی کوثر) in a district."""

    name = models.CharField(max_length=128)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="centres"
    )
    address = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["district__number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="unique_centre_name_per_district"
            )
        ]
        verbose_name = "مرکز کوثر"
        verbose_name_plural = "مراکز کوثر"

    def __str__(self) -> str:
        return self.name


#: The one status in which a booth is open (public, selling): "booth open" is
#: `Seller.is_public` for one booth, `Seller.objects.public()` for a queryset and
#: `Seller.public_q(path)` across a relation. Nothing else compares the status.
_OPEN_STATUS = "approved"


class SellerQuerySet(models.QuerySet):
    def public(self):
        """Open booths: approved ones (suspended and pending booths sell nothing
        and are not shown)."""
        return self.filter(status=_OPEN_STATUS)


class Seller(models.Model):
    """A booth (غرفه): one woman's home business or one Hamyar group.

    Each seller is exactly one Oscar Partner, so stock records, orders and the
    dashboard keep working; everything Oscar does not know about lives here.
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "فردی"
        GROUP = "group", "گروه همیار"

    class Status(models.TextChoices):
        APPLIED = "applied", "ثبت‌نام شده"
        IN_REVIEW = "in_review", "در حال بررسی"
        CHANGES_REQUESTED = "changes_requested", "نیاز به اصلاح"
        APPROVED = _OPEN_STATUS, "تأیید شده"
        REJECTED = "rejected", "رد شده"
        SUSPENDED = "suspended", "تعلیق شده"

    class MentoringStage(models.TextChoices):
        ENROLLED = "enrolled", "ثبت‌نام"
        IN_TRAINING = "in_training", "در حال آموزش"
        MENTORED = "mentored", "همراهی و مشاوره"
        INDEPENDENT = "independent", "مستقل"

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="seller"
    )
    kind = models.CharField(
        max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL
    )
    brand_name = models.CharField("نام غرفه", max_length=128)
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    trade = models.CharField("حرفه", max_length=128, blank=True)
    story = models.TextField("داستان", blank=True)
    story_consent = models.BooleanField("اجازهٔ انتشار داستان", default=False)
    neighbourhood = models.CharField("محله", max_length=128, blank=True)
    show_location = models.BooleanField("نمایش محله/منطقه", default=False)
    logo = models.ImageField(upload_to="booths/", blank=True)
    # Behzisti's groups are nationwide: every booth has a province and city; the
    # Tehran district and Kowsar centre apply only in Tehran.
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sellers",
        verbose_name="استان",
    )
    city = models.CharField("شهر", max_length=64, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sellers",
    )
    centre = models.ForeignKey(
        KowsarCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sellers",
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sellers"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    status_reason = models.TextField(blank=True)
    mentoring_stage = models.CharField(
        max_length=16, choices=MentoringStage.choices, default=MentoringStage.ENROLLED
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentored_sellers",
    )
    holiday_until = models.DateField(
        "در تعطیلات تا",
        null=True,
        blank=True,
        help_text="Products stay visible but cannot be bought until this date.",
    )
    holiday_message = models.CharField("پیام تعطیلات", max_length=200, blank=True)
    weekly_capacity = models.PositiveSmallIntegerField(
        "ظرفیت هفتگی سفارشی",
        null=True,
        blank=True,
        help_text="How many made-to-order items she takes per week (Saturday to "
        "Friday); empty means no limit.",
    )
    payout_account_holder = models.CharField(
        "نام صاحب حساب", max_length=128, blank=True
    )
    payout_sheba = models.CharField("شماره شبا", max_length=26, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        ordering = ["brand_name"]
        verbose_name = "فروشنده"
        verbose_name_plural = "فروشندگان"
        permissions = [
            ("review_seller", "Can review, approve, reject and suspend sellers"),
            ("mentor_seller", "Can record mentoring for sellers"),
        ]

    def __str__(self) -> str:
        return self.brand_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("sellers:booth", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        """A booth is public only while approved; suspended booths disappear."""
        return self.status == _OPEN_STATUS

    @staticmethod
    def public_q(path: str = "") -> models.Q:
        """`Seller.objects.public()` as a filter across a relation:
        `BazaarStall.objects.filter(Seller.public_q("seller__"))`."""
        return models.Q(**{f"{path}status": _OPEN_STATUS})

    @staticmethod
    def holiday_covers(until: dt.date | None, day: dt.date) -> bool:
        """The holiday rule, for a booth whose holiday ends on `until` (its last
        day off, inclusive; None = no holiday): is `day` a day off? While it is,
        her products stay visible with their prices but cannot be bought.

        The one home of the rule: `on_holiday`, the partner strategy (through
        `sellers.selectors.partner_holiday_until`) and the cached product cards
        (`catalog.cards`, which keep the date and decide when they are shown)
        all call it."""
        return until is not None and until >= day

    def on_holiday(self, day: dt.date) -> bool:
        """Is `day` one of her days off? (`holiday_covers` with her date.)"""
        return self.holiday_covers(self.holiday_until, day)

    @property
    def in_tehran(self) -> bool:
        """Courier and Kowsar-centre pickup exist only for Tehran booths."""
        province = self.province
        return province is not None and province.is_tehran

    @property
    def on_holiday_today(self) -> bool:
        """`on_holiday` for today in Tehran, for templates and views."""
        return self.on_holiday(timezone.localdate())


class SellerMember(models.Model):
    """A login that belongs to a seller. A Hamyar group has 5-7 of these."""

    class Role(models.TextChoices):
        OWNER = "owner", "مدیر غرفه"
        MEMBER = "member", "عضو"

    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seller_memberships",
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    # Until when she has seen the summary of what was done for her under a
    # delegation (shown once at her next login).
    delegated_seen_at = models.DateTimeField(null=True, blank=True)

    #: Set on the stand-in membership `permissions.membership_for` gives a
    #: mentor working under a delegation (never saved); None for a real member.
    delegation: Delegation | None = None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller", "user"], name="unique_member")
        ]
        verbose_name = "عضو غرفه"
        verbose_name_plural = "اعضای غرفه"

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"


class CaseFile(models.Model):
    """Staff-only facts from a seller's social-work file.

    Readable only with the `sellers.view_casefile` permission, through
    `sellers.services.casefile_read`, which logs every read. Nothing public,
    nothing seller-facing and no export imports this model.
    """

    seller = models.OneToOneField(
        Seller, on_delete=models.CASCADE, related_name="case_file"
    )
    head_of_household = models.BooleanField("سرپرست خانوار", default=False)
    welfare_case_number = models.CharField("شماره پرونده", max_length=64, blank=True)
    insurance = models.CharField("بیمه", max_length=128, blank=True)
    referral_source = models.CharField("ارجاع از", max_length=128, blank=True)
    notes = models.TextField("یادداشت‌ها", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()
        permissions = [
            ("view_casefile", "Can read seller case files"),
            ("change_casefile", "Can change seller case files"),
        ]
        verbose_name = "پرونده"
        verbose_name_plural = "پرونده‌ها"

    def __str__(self) -> str:
        return f"case file #{self.pk}"


class CaseFileAccess(AppendOnlyModel):
    """One read of a case file: who, when, and from where."""

    case_file = models.ForeignKey(
        CaseFile, on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    accessed_at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=64, default="view")

    class Meta:
        ordering = ["-accessed_at"]
        triggers = append_only_triggers("casefileaccess")

    def __str__(self) -> str:
        return f"case file read #{self.pk}"


class SellerInvitation(models.Model):
    """An owner's invitation of a phone number into her group. The invitee accepts
    it after logging in with that number."""

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="invitations"
    )
    phone = models.CharField(max_length=16)
    role = models.CharField(
        max_length=8,
        choices=SellerMember.Role.choices,
        default=SellerMember.Role.MEMBER,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "phone"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_invitation_per_phone",
            )
        ]

    def __str__(self) -> str:
        return f"invitation #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class Requirement(models.Model):
    """One item of the configurable approval checklist, e.g. «دوره آموزشی تکمیل شد»."""

    class AppliesTo(models.TextChoices):
        ALL = "all", "همه"
        INDIVIDUAL = "individual", "فردی"
        GROUP = "group", "گروهی"

    title = models.CharField("عنوان", max_length=160)
    help_text = models.CharField("توضیح", max_length=255, blank=True)
    applies_to = models.CharField(
        max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "شرط تأیید"
        verbose_name_plural = "شرایط تأیید"

    def __str__(self) -> str:
        return self.title

    def applies_to_seller(self, seller: Seller) -> bool:
        return self.applies_to in (self.AppliesTo.ALL, seller.kind)


class RequirementCheck(models.Model):
    """A requirement ticked (or unticked) for one seller by staff."""

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="requirement_checks"
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="+"
    )
    done = models.BooleanField(default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "requirement"], name="one_check_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement_id}: {self.done}"


class Delegation(models.Model):
    """A seller's consent that her mentor (or another staff member of her
    centre) works in chosen areas of her panel for her, until a date (at most
    `sellers.services.DELEGATION_MAX_DAYS` days) or until she withdraws it.

    The areas are the only parts of her panel the delegate reaches
    (`sellers.permissions.membership_for`); never the payout account, the
    members, the delegation page itself or the case file."""

    class Area(models.TextChoices):
        PRODUCTS = "products", "محصولات"
        INBOX = "inbox", "سفارش‌ها"
        DELIVERY = "delivery", "تحویل و ظرفیت"
        STALLS = "stalls", "بازارچه‌ها"

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="delegations"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    areas = models.JSONField(default=list)
    ends_on = models.DateField("تا تاریخ")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "کار به جای فروشنده"
        verbose_name_plural = "کار به جای فروشنده"

    def __str__(self) -> str:
        return f"delegation #{self.pk}"

    @staticmethod
    def live_q(day: dt.date | None = None) -> models.Q:
        """The one home of "a live delegation": not withdrawn, not past its
        last day (inclusive, Tehran's date)."""
        return models.Q(
            withdrawn_at__isnull=True, ends_on__gte=day or timezone.localdate()
        )

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None and self.ends_on >= timezone.localdate()

    def covers(self, area: str) -> bool:
        return area in self.areas

    def area_labels(self) -> list[str]:
        labels = dict(self.Area.choices)
        return [labels[a] for a in self.Area.values if a in self.areas]


class SellerAuditEntry(AppendOnlyModel):
    """Who did what to a seller, when, and why. Written by every seller and
    product workflow, through `sellers.audit.record` only.

    `from_status`/`to_status` are seller statuses (equal when the action did not
    move her); a mentoring stage change is kept in `from_stage`/`to_stage`."""

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    from_stage = models.CharField(
        max_length=16, choices=Seller.MentoringStage.choices, blank=True
    )
    to_stage = models.CharField(
        max_length=16, choices=Seller.MentoringStage.choices, blank=True
    )
    reason = models.TextField(blank=True)
    # Done by a mentor for the seller under this delegation ("by mentor X for
    # seller Y"): stamped by `sellers.audit.record` while she works under it.
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        triggers = append_only_triggers(
            "sellerauditentry", nulled_on_delete=("actor_id",)
        )

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class SellerNotification(models.Model):
    """A message to the booth, shown in her panel (and sent by SMS)."""

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class MentoringSession(models.Model):
    """One dated counselling, training or coaching session with a seller."""

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="mentoring_sessions"
    )
    held_on = models.DateField("تاریخ")
    topic = models.CharField("موضوع", max_length=160)
    notes = models.TextField("یادداشت", blank=True)
    next_step = models.CharField("گام بعدی", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.topic


class DeliveryOption(models.Model):
    """One way a booth hands over her goods, with its fee (rials).

    Courier and Kowsar-centre pickup are offered only for a Tehran booth and a
    Tehran address; post works everywhere (`orders.delivery.options_for`). The
    kinds leave room for a later "pickup at a bazaar"."""

    class Kind(models.TextChoices):
        COURIER = "courier", "پیک غرفه در تهران"
        POST = "post", "پست"
        CENTRE_PICKUP = "centre_pickup", "تحویل حضوری در مرکز کوثر"
        # Not a setting she keeps: offered by itself while a bazaar she takes part
        # in runs (`orders.parts.delivery_choices`).
        BAZAAR_PICKUP = "bazaar_pickup", "تحویل حضوری در بازارچه"

    #: The kinds a booth switches on and prices in her panel.
    SETTABLE_KINDS = ("courier", "post", "centre_pickup")
    #: The kinds the buyer collects in person (she pays at pickup).
    PICKUP_KINDS = ("centre_pickup", "bazaar_pickup")

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="delivery_options"
    )
    kind = models.CharField("روش", max_length=24, choices=Kind.choices)
    fee = models.DecimalField(
        "هزینه (ریال)", max_digits=12, decimal_places=2, default=0
    )
    free_above = models.DecimalField(
        "رایگان برای خرید بالای (ریال)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField("فعال", default=True)

    class Meta:
        ordering = ["seller", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind"], name="one_delivery_option_per_kind"
            )
        ]
        verbose_name = "روش تحویل"
        verbose_name_plural = "روش‌های تحویل"

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_pickup(self) -> bool:
        return self.kind in self.PICKUP_KINDS

    def fee_for(self, subtotal) -> models.Decimal:
        """Her fee, or nothing when the part's subtotal reaches her free-above amount."""
        from decimal import Decimal

        if self.free_above is not None and subtotal >= self.free_above:
            return Decimal(0)
        return self.fee


class SellerWeekLoad(models.Model):
    """Made-to-order items a booth has taken in one Iranian week (from Saturday).
    Order placement locks this row, so two orders cannot both take the last slot."""

    seller = models.ForeignKey(
        Seller, on_delete=models.CASCADE, related_name="week_loads"
    )
    week_start = models.DateField()
    units = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "week_start"], name="one_load_per_seller_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller_id} {self.week_start}: {self.units}"


class BazaarQuerySet(models.QuerySet):
    """The phases of `Bazaar.phase` as queries (the same rule, for many rows)."""

    def running(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def not_past(self, day: dt.date | None = None):
        return self.filter(ends_on__gte=day or timezone.localdate())


class Bazaar(models.Model):
    """A dated physical bazaar («بازارچه»), where booths sell face to face.

    This is the operational record (dates, place, stalls) that orders and stock
    rules read; the public page about it is `cms.BazaarPage`, which points here,
    because the domain layer may not import Wagtail pages (docs/ARCHITECTURE.md).
    Its name follows the dignity rule: it names the work, never the women's
    circumstances (e.g. «بازارچه دستاوردهای زنان شهر تهران – منطقه ۶»)."""

    class Phase(models.TextChoices):
        COMING = "coming", "به‌زودی"
        RUNNING = "running", "در حال برگزاری"
        PAST = "past", "برگزار شده"

    name = models.CharField("نام بازارچه", max_length=200)
    starts_on = models.DateField("روز آغاز")
    ends_on = models.DateField("روز پایان")
    opening_hours = models.CharField("ساعت‌های بازگشایی", max_length=100, blank=True)
    place = models.CharField("مکان", max_length=255)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bazaars",
        verbose_name="منطقه",
    )
    map_url = models.URLField("پیوند نقشه", blank=True)

    objects = BazaarQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="bazaar_ends_after_it_starts",
            )
        ]
        verbose_name = "بازارچه"
        verbose_name_plural = "بازارچه‌ها"

    def __str__(self) -> str:
        return self.name

    def phase(self, day: dt.date | None = None) -> str:
        """Coming before its first day, running from its first to its last day
        (both included, Tehran dates), past after. The one rule of when a bazaar runs."""
        day = day or timezone.localdate()
        if day < self.starts_on:
            return self.Phase.COMING
        if day > self.ends_on:
            return self.Phase.PAST
        return self.Phase.RUNNING

    def is_running(self, day: dt.date | None = None) -> bool:
        return self.phase(day) == self.Phase.RUNNING

    @property
    def phase_label(self) -> str:
        return self.Phase(self.phase()).label


class BazaarStall(models.Model):
    """A booth taking part in a bazaar, at a numbered stall. Only approved
    booths take part (checked by the service that assigns stalls)."""

    bazaar = models.ForeignKey(Bazaar, on_delete=models.CASCADE, related_name="stalls")
    seller = models.ForeignKey(
        Seller,
        on_delete=models.PROTECT,
        related_name="bazaar_stalls",
        verbose_name="غرفه",
    )
    stall_number = models.CharField("شمارهٔ جایگاه", max_length=12)

    class Meta:
        ordering = ["bazaar", "stall_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bazaar", "seller"], name="one_stall_per_booth_per_bazaar"
            ),
            models.UniqueConstraint(
                fields=["bazaar", "stall_number"], name="one_booth_per_stall_number"
            ),
        ]
        verbose_name = "جایگاه بازارچه"
        verbose_name_plural = "جایگاه‌های بازارچه"

    def __str__(self) -> str:
        return f"{self.bazaar} – {self.stall_number}"


class BazaarSetAside(models.Model):
    """Units of one ready-made product a booth keeps for her stall at a bazaar.

    `units` are still held (set aside, not yet sold at the stall); `sold` were
    sold at the stall from them. Held units cannot be sold online from the day
    she sets them aside until the bazaar's last day; then they come back by
    themselves. Online stock reads the held total from the stock record
    (`StockRecord.num_set_aside` / `set_aside_until`, kept by
    `sellers.services.bazaars`), and every write here happens under that stock
    record's row lock, the one lock order placement takes too."""

    stall = models.ForeignKey(
        BazaarStall, on_delete=models.CASCADE, related_name="set_asides"
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="set_asides"
    )
    units = models.PositiveIntegerField("تعداد کنار گذاشته", default=0)
    sold = models.PositiveIntegerField("فروخته در بازارچه", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["stall", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stall", "stockrecord"], name="one_set_aside_per_stall_product"
            )
        ]
        verbose_name = "موجودی کنار گذاشته برای بازارچه"
        verbose_name_plural = "موجودی‌های کنار گذاشته برای بازارچه"

    def __str__(self) -> str:
        return f"{self.stall_id}/{self.stockrecord_id}: {self.units}"


class BazaarVisitDay(models.Model):
    """Visits to a booth through her bazaar poster's QR code, one counter per
    stall and day. Nothing about the visitor is kept: no cookie, address or user."""

    stall = models.ForeignKey(
        BazaarStall, on_delete=models.CASCADE, related_name="visit_days"
    )
    day = models.DateField()
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["stall", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["stall", "day"], name="one_visit_counter_per_stall_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stall_id} {self.day}: {self.visits}"
