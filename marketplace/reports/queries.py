"""The report figures: database aggregation over the frozen facts of order
lines and stall sales (province, district, Kowsar centre, programme, kind at the
moment of sale), never over where a booth is now. Seller counts (status, stage,
the funnel) are about the booths as they are today, by their present facts.

The limit of that (issue 27 §5 asks for frozen facts everywhere): a booth
carries no history of her facts, only order lines and stall sales freeze them.
So, filtered by a district, centre, programme, province or kind, the sellers
report's status and stage tables, every funnel row (applied, approved, first
listing, first sale and their median days), the case-file table and the
mentoring report's sessions and "first session to first sale" median, and the
bazaars report's QR visits, count a booth that moved by where she is now, in this period and in the year-earlier
column alike: a booth that sold first in district 12 and then moved to 5 counts
under 5. Unfiltered, these figures are exact. Only the first-sale row could be
moved onto frozen facts (the facts of her first delivered part's lines or first
stall sale); it is left as is so that one funnel counts one set of booths.

Each report is a list of `tables.Table`; every figure of a period stands next
to the same Jalali period a year earlier."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from catalog.models import Product
from orders.models import CardRefund, LedgerEntry, Line, SellerOrder, StallSale
from sellers.models import (
    Bazaar,
    BazaarVisitDay,
    CaseFile,
    MentoringSession,
    Seller,
)

from .periods import Period
from .tables import Cell, Table, seller_count, sellers_column, share

SO = SellerOrder.Status
BY = SellerOrder.CancelledBy
K = LedgerEntry.Kind
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReportFilter:
    """What a report is narrowed to. `district` is a Tehran district number."""

    period: Period
    province_id: int | None = None
    district: int | None = None
    centre_id: int | None = None
    programme_id: int | None = None
    kind: str | None = None

    def facts(self, prefix: str = "seller_") -> Q:
        """The filter over booth facts: `seller_` for the frozen ones of a line
        or stall sale, `""` for a booth's present ones."""
        q = Q()
        for name, value in (
            ("province_id", self.province_id),
            ("district__number", self.district),
            ("centre_id", self.centre_id),
            ("programme_id", self.programme_id),
            ("kind", self.kind),
        ):
            if value not in (None, ""):
                q &= Q(**{f"{prefix}{name}": value})
        return q

    @property
    def narrowed(self) -> bool:
        return bool(self.facts().children)

    def year_earlier(self) -> ReportFilter:
        return replace(self, period=self.period.year_earlier())

    def within(self, field: str) -> Q:
        return Q(
            **{
                f"{field}__gte": self.period.start_at,
                f"{field}__lt": self.period.end_at,
            }
        )


# --- helpers --------------------------------------------------------------------


class _Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def median_days(queryset: QuerySet, start: str, end: str) -> float | None:
    """The median of `end - start` (days) over the rows that have both: in the
    database on PostgreSQL; SQLite (`make run`) has no median, so there the
    durations alone come back and the median is taken of that one column."""
    queryset = queryset.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    span = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    if connection.vendor == "postgresql":
        value = queryset.aggregate(m=_Median(span))["m"]
    else:
        spans = list(queryset.annotate(span=span).values_list("span", flat=True))
        value = statistics.median(spans) if spans else None
    if value is None:
        return None
    return value / dt.timedelta(days=1)


def _parts(report: ReportFilter) -> QuerySet:
    """Seller orders placed in the period whose lines carry the filter's facts
    (a subquery, so a part of many lines counts once)."""
    lines = Line.objects.filter(report.facts(), seller_order=OuterRef("pk"))
    return SellerOrder.objects.filter(report.within("created_at")).filter(Exists(lines))


#: A part that became an order: not still waiting for its card payment, not
#: cancelled because the payment never came.
PLACED = ~Q(status=SO.AWAITING_PAYMENT) & ~Q(cancelled_by=BY.PAYMENT)


def _first_sale_at():
    """Her first sale: the first part delivered, or the first stall sale."""
    delivered = (
        SellerOrder.objects.filter(seller=OuterRef("pk"), status=SO.DELIVERED)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    stall = (
        StallSale.objects.filter(seller=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    online, at_stall = Subquery(delivered), Subquery(stall)
    # Least over two that may be NULL, the same on PostgreSQL and SQLite.
    from django.db.models.functions import Least

    return Least(Coalesce(online, at_stall), Coalesce(at_stall, online))


def _first_listing_at():
    return Subquery(
        Product.objects.filter(stockrecords__partner=OuterRef("partner"))
        .order_by("date_created")
        .values("date_created")[:1]
    )


def sellers_with_milestones(report: ReportFilter) -> QuerySet:
    """Booths by their present facts, with when each step of the funnel
    happened: applied, approved, first listing, first sale, first mentoring
    session."""
    first_session = Subquery(
        MentoringSession.objects.filter(seller=OuterRef("pk"))
        .order_by("held_on")
        .values("held_on")[:1]
    )
    return Seller.objects.filter(report.facts("")).annotate(
        applied_at=Coalesce("submitted_at", "created_at"),
        first_listing_at=_first_listing_at(),
        first_sale_at=_first_sale_at(),
        first_session_on=first_session,
    )


def _two(report: ReportFilter, figure) -> tuple:
    return figure(report), figure(report.year_earlier())


def _columns(report: ReportFilter, first: str = "") -> list[str]:
    return [first, report.period.label, report.period.year_earlier().label]


# --- sellers --------------------------------------------------------------------


def sellers_report(report: ReportFilter, *, casefile: bool = False) -> list[Table]:
    sellers = Seller.objects.filter(report.facts(""))
    tables = []
    for key, title, field, choices in (
        ("status", "غرفه‌ها بر پایهٔ وضعیت (امروز)", "status", Seller.Status.choices),
        (
            "stage",
            "غرفه‌ها بر پایهٔ مرحلهٔ همراهی (امروز)",
            "mentoring_stage",
            Seller.MentoringStage.choices,
        ),
    ):
        counts = dict(
            sellers.values_list(field).annotate(n=Count("pk")).values_list(field, "n")
        )
        values = [counts.get(code, 0) for code, _ in choices]
        cells, total = sellers_column(values, sum(values))
        table = Table(key, title, ["", "غرفه‌ها"], chart="bar")
        for (_, label), cell in zip(choices, cells, strict=True):
            table.add(label, cell)
        table.add("جمع", total)
        tables.append(table)

    def funnel(current: ReportFilter) -> dict:
        rows = sellers_with_milestones(current)
        counts = rows.aggregate(
            applied=Count("pk", filter=current.within("applied_at")),
            approved=Count("pk", filter=current.within("approved_at")),
            listed=Count("pk", filter=current.within("first_listing_at")),
            sold=Count("pk", filter=current.within("first_sale_at")),
        )
        counts["days_approved"] = median_days(
            rows.filter(current.within("approved_at")), "applied_at", "approved_at"
        )
        counts["days_listed"] = median_days(
            rows.filter(current.within("first_listing_at")),
            "approved_at",
            "first_listing_at",
        )
        counts["days_sold"] = median_days(
            rows.filter(current.within("first_sale_at")),
            "first_listing_at",
            "first_sale_at",
        )
        return counts

    now, before = _two(report, funnel)
    table = Table(
        "funnel",
        "از ثبت‌نام تا نخستین فروش (در این دوره)",
        _columns(report),
        note="هر ردیف غرفه‌هایی را می‌شمارد که آن گام را در این دوره برداشتند؛ "
        "روزها میانهٔ فاصله از گام پیشین است.",
    )
    for label, key, days in (
        ("ثبت‌نام کرد", "applied", None),
        ("تأیید شد", "approved", "days_approved"),
        ("نخستین محصول را گذاشت", "listed", "days_listed"),
        ("نخستین فروش را داشت", "sold", "days_sold"),
    ):
        table.add(label, seller_count(now[key]), seller_count(before[key]))
        if days:
            table.add(
                f"  میانهٔ روزها تا «{label}»",
                Cell(now[days], "days"),
                Cell(before[days], "days"),
            )
    tables.append(table)

    if casefile:
        tables.append(_casefile_table(report))
    return tables


def _casefile_table(report: ReportFilter) -> Table:
    """Case-file aggregates (only for readers of case files; the view logs the
    read): counts, never a name."""

    def figures(current: ReportFilter) -> dict:
        heads = Exists(
            CaseFile.objects.filter(seller=OuterRef("pk"), head_of_household=True)
        )
        rows = sellers_with_milestones(current).filter(heads)
        return rows.aggregate(
            all=Count("pk"),
            sold=Count("pk", filter=current.within("first_sale_at")),
        )

    now, before = _two(report, figures)
    table = Table("casefile", "آمار پرونده‌ها (محرمانه)", _columns(report))
    table.add("غرفه‌های سرپرست خانوار", seller_count(now["all"]), Cell(None, "sellers"))
    table.add(
        "از آنها: نخستین فروش در این دوره",
        seller_count(now["sold"]),
        seller_count(before["sold"]),
    )
    return table


# --- catalogue ------------------------------------------------------------------


def catalogue_report(report: ReportFilter) -> list[Table]:
    open_booths = Seller.objects.public().filter(report.facts("")).count()
    live = (
        Product.objects.live()
        .filter(report.facts("stockrecords__partner__seller__"))
        .filter(Seller.public_q("stockrecords__partner__seller__"))
        .values("pk")
        .distinct()
        .count()
    )
    table = Table("catalogue", "غرفه‌ها و محصولات (امروز)", ["", "تعداد"])
    table.add("غرفه‌های باز", seller_count(open_booths))
    table.add("محصولات در فروش", Cell(live))
    return [table]


# --- orders ---------------------------------------------------------------------


#: The same rule over order lines (a part counts once: `distinct`).
PLACED_LINE = ~Q(seller_order__status=SO.AWAITING_PAYMENT) & ~Q(
    seller_order__cancelled_by=BY.PAYMENT
)
#: The booth facts a summary row is grouped by (the lines' and stall sales').
DIMENSIONS = (
    "seller_kind",
    "seller_province_id",
    "seller_district_id",
    "seller_centre_id",
    "seller_programme_id",
)


def _placed_lines():
    return Line.objects.filter(seller_order__isnull=False).filter(PLACED_LINE)


def order_line_figures() -> dict:
    """The aggregates of the orders report over placed lines, each part once:
    the one definition both the live report and the summary table use."""
    part = "seller_order"
    ended = Q(seller_order__status=SO.CANCELLED)
    # A refunded part: a card refund of it is in the outbox (orders.refunds),
    # sent or on its way.
    refund = Exists(CardRefund.objects.filter(seller_order=OuterRef("seller_order")))

    def parts(condition=None):
        return Count(part, distinct=True, filter=condition)

    return {
        "parts": parts(),
        "kept": parts(~ended),
        "value": Coalesce(Sum("line_price_incl_tax", filter=~ended), ZERO),
        "cod": parts(Q(seller_order__payment_method="cod")),
        "pickup": parts(Q(seller_order__payment_method="pickup")),
        "card": parts(Q(seller_order__payment_method="card")),
        "declined": parts(ended & Q(seller_order__cancelled_by=BY.SELLER)),
        "cancelled": parts(
            ended & Q(seller_order__cancelled_by__in=[BY.BUYER, BY.STAFF])
        ),
        "expired": parts(ended & Q(seller_order__cancelled_by=BY.SYSTEM)),
        "refunded": parts(ended & refund),
    }


STALL_FIGURES = {
    "stall_sales": Count("pk"),
    "stall_value": Coalesce(Sum("total"), ZERO),
}
SUMMED = (*order_line_figures().keys(), *STALL_FIGURES.keys())


def _order_figures(report: ReportFilter, *, booths: bool = True) -> dict:
    from .summary import summary_in_use

    if summary_in_use():
        from .models import OrderDaySummary

        rows = OrderDaySummary.objects.filter(
            report.facts(),
            day__gte=report.period.first,
            day__lt=report.period.end,
        )
        figures = rows.aggregate(
            **{
                name: Coalesce(Sum(name), ZERO if "value" in name else 0)
                for name in SUMMED
            }
        )
    else:
        figures = (
            _placed_lines()
            .filter(report.facts(), report.within("seller_order__created_at"))
            .aggregate(**order_line_figures())
        )
        figures |= StallSale.objects.filter(
            report.facts(), report.within("created_at")
        ).aggregate(**STALL_FIGURES)
    figures["orders"] = figures["parts"]
    if booths:  # distinct booths do not add up over days: always counted live
        figures["booths"] = (
            _parts(report)
            .filter(PLACED)
            .aggregate(n=Count("seller", distinct=True))["n"]
        )
    return figures


def orders_report(report: ReportFilter) -> list[Table]:
    now, before = _two(report, _order_figures)
    table = Table("orders", "سفارش‌ها و فروش", _columns(report))
    table.add(
        "سفارش‌های ثبت‌شده (هر غرفه جدا)", Cell(now["orders"]), Cell(before["orders"])
    )
    table.add(
        "غرفه‌های دارای سفارش",
        seller_count(now["booths"]),
        seller_count(before["booths"]),
    )
    table.add(
        "فروش آنلاین (بی سفارش‌های لغوشده)",
        Cell(now["value"], "money"),
        Cell(before["value"], "money"),
    )
    table.add(
        "میانگین هر سفارش",
        Cell(now["value"] / now["kept"] if now["kept"] else None, "money"),
        Cell(before["value"] / before["kept"] if before["kept"] else None, "money"),
    )
    table.add(
        "فروش در بازارچه‌ها",
        Cell(now["stall_value"], "money"),
        Cell(before["stall_value"], "money"),
    )
    table.add(
        "تعداد فروش در بازارچه‌ها", Cell(now["stall_sales"]), Cell(before["stall_sales"])
    )
    tables = [table]

    pay = Table("payment", "سهم روش‌های پرداخت", _columns(report), chart="bar")
    for label, key in (
        ("پرداخت هنگام تحویل", "cod"),
        ("پرداخت هنگام دریافت حضوری", "pickup"),
        ("کارت", "card"),
    ):
        pay.add(
            label, share(now[key], now["orders"]), share(before[key], before["orders"])
        )
    tables.append(pay)

    ends = Table("endings", "ردشده، لغوشده و بی‌پاسخ", _columns(report))
    for label, key in (
        ("ردشده به دست غرفه", "declined"),
        ("لغوشده (خریدار یا کارکنان)", "cancelled"),
        ("بی‌پاسخ در مهلت", "expired"),
    ):
        ends.add(
            label, share(now[key], now["orders"]), share(before[key], before["orders"])
        )
    ends.add("بازپرداخت کارتی (تعداد)", Cell(now["refunded"]), Cell(before["refunded"]))
    tables.append(ends)

    reasons = Table("reasons", "دلیل‌های رد سفارش (این دوره)", ["", "تعداد"])
    rows = (
        _parts(report)
        .filter(PLACED, status=SO.CANCELLED, cancelled_by=BY.SELLER)
        .exclude(decline_reason="")
        .values("decline_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "decline_reason")[:10]
    )
    for row in rows:
        reasons.add(row["decline_reason"], Cell(row["n"]))
    tables.append(reasons)
    tables.append(_orders_by_month(report))
    return tables


def _orders_by_month(report: ReportFilter) -> Table:
    from .periods import month_starts

    table = Table("months", "فروش آنلاین هر ماه", ["ماه", "فروش"], chart="line")
    for month in month_starts(report.period):
        value = _order_figures(replace(report, period=month), booths=False)["value"]
        table.add(month.label, Cell(value, "money"))
    return table


# --- bazaars --------------------------------------------------------------------


def bazaars_report(report: ReportFilter) -> list[Table]:
    sales = StallSale.objects.filter(
        report.facts(), report.within("created_at"), stall__bazaar=OuterRef("pk")
    )
    visits = BazaarVisitDay.objects.filter(
        stall__bazaar=OuterRef("pk"),
        day__gte=report.period.first,
        day__lt=report.period.end,
    )
    if report.narrowed:
        visits = visits.filter(
            stall__seller__in=Seller.objects.filter(report.facts(""))
        )

    def total(queryset, field, zero):
        return Coalesce(
            Subquery(
                queryset.order_by()
                .values("stall__bazaar")
                .annotate(t=Sum(field))
                .values("t")[:1]
            ),
            Value(zero),
        )

    bazaars = (
        Bazaar.objects.filter(
            starts_on__lt=report.period.end, ends_on__gte=report.period.first
        )
        .annotate(sold=total(sales, "total", ZERO), visits=total(visits, "visits", 0))
        .order_by("starts_on", "pk")
        .values("name", "sold", "visits")
    )
    table = Table(
        "bazaars",
        "بازارچه‌های این دوره",
        ["بازارچه", "فروش در جایگاه‌ها", "بازدید از کد QR"],
        note="بازدیدها چیزی دربارهٔ بازدیدکننده نگه نمی‌دارند؛ پس سفارش آنلاینِ "
        "پس از بازدید شمردنی نیست.",
        chart="bar",
    )
    for row in bazaars:
        table.add(row["name"], Cell(row["sold"], "money"), Cell(row["visits"]))
    return [table]


# --- money ----------------------------------------------------------------------


def _money_figures(report: ReportFilter) -> dict:
    entries = LedgerEntry.objects.filter(report.within("created_at"))
    if report.narrowed:
        lines = Line.objects.filter(
            report.facts(), seller_order=OuterRef("seller_order")
        )
        entries = entries.filter(
            Q(Exists(lines))
            | Q(stall_sale__in=StallSale.objects.filter(report.facts()))
        )
    commission = Q(kind=K.COMMISSION) | Q(kind=K.REVERSAL, reverses__kind=K.COMMISSION)
    figures = entries.aggregate(
        commission=Coalesce(Sum("amount", filter=commission), ZERO),
        gross=Coalesce(Sum("gross", filter=Q(kind=K.SALE)), ZERO),
        reversed_gross=Coalesce(
            Sum("reverses__gross", filter=Q(kind=K.REVERSAL, reverses__kind=K.SALE)),
            ZERO,
        ),
        payouts=Coalesce(Sum("amount", filter=Q(kind=K.PAYOUT)), ZERO),
        collections=Coalesce(Sum("amount", filter=Q(kind=K.COLLECTION)), ZERO),
    )
    result = {
        "commission": -figures["commission"],
        "gross": figures["gross"] - figures["reversed_gross"],
        "payouts": None if report.narrowed else -figures["payouts"],
        "collections": None if report.narrowed else figures["collections"],
    }
    return result


def _balances_at(moment: dt.datetime) -> dict:
    """What the platform owes booths and what booths owe it, at `moment`: each
    booth's balance summed in a subquery, then split by sign in one query."""
    balance = Subquery(
        LedgerEntry.objects.filter(seller=OuterRef("pk"), created_at__lt=moment)
        .order_by()
        .values("seller")
        .annotate(b=Sum("amount"))
        .values("b")[:1]
    )
    return Seller.objects.annotate(balance=Coalesce(balance, ZERO)).aggregate(
        owed_to=Coalesce(Sum("balance", filter=Q(balance__gt=0)), ZERO),
        owed_by=Coalesce(Sum("balance", filter=Q(balance__lt=0)), ZERO),
    )


def money_report(report: ReportFilter) -> list[Table]:
    now, before = _two(report, _money_figures)
    table = Table("money", "پول", _columns(report))
    table.add(
        "فروش (ناخالص، آنلاین و بازارچه)",
        Cell(now["gross"], "money"),
        Cell(before["gross"], "money"),
    )
    table.add(
        "کارمزد دستاورد",
        Cell(now["commission"], "money"),
        Cell(before["commission"], "money"),
    )
    table.add(
        "واریز به غرفه‌ها",
        Cell(now["payouts"], "money"),
        Cell(before["payouts"], "money"),
    )
    table.add(
        "دریافت از غرفه‌ها",
        Cell(now["collections"], "money"),
        Cell(before["collections"], "money"),
    )
    tables = [table]
    if not report.narrowed:
        end_now = _balances_at(report.period.end_at)
        end_before = _balances_at(report.period.year_earlier().end_at)
        owed = Table(
            "balances",
            "مانده در پایان دوره",
            _columns(report),
            note="بدهی غرفه‌ها همان پولی است که از خریدار گرفته‌اند و کارمزدش را بدهکارند.",
        )
        owed.add(
            "دستاورد به غرفه‌ها بدهکار است",
            Cell(end_now["owed_to"], "money"),
            Cell(end_before["owed_to"], "money"),
        )
        owed.add(
            "غرفه‌ها به دستاورد بدهکارند",
            Cell(-end_now["owed_by"], "money"),
            Cell(-end_before["owed_by"], "money"),
        )
        tables.append(owed)
    else:
        table.note = (
            "واریزها، دریافت‌ها و مانده‌ها به تفکیک منطقه، مرکز یا برنامه نیستند؛ "
            "برای آنها فیلترها را بردارید."
        )
    return tables


# --- mentoring ------------------------------------------------------------------


def mentoring_report(report: ReportFilter) -> list[Table]:
    def sessions(current: ReportFilter):
        return MentoringSession.objects.filter(
            current.facts("seller__"),
            held_on__gte=current.period.first,
            held_on__lt=current.period.end,
        )

    by_mentor = (
        sessions(report)
        .values(
            "recorded_by__first_name", "recorded_by__last_name", "recorded_by__username"
        )
        .annotate(n=Count("pk"), sellers=Count("seller", distinct=True))
        .order_by("-n")
    )
    table = Table(
        "mentors",
        "جلسه‌های همراهی هر کارشناس",
        ["کارشناس", "جلسه‌ها", "غرفه‌ها"],
        chart="bar",
    )
    for row in by_mentor:
        name = (
            f"{row['recorded_by__first_name']} {row['recorded_by__last_name']}".strip()
        )
        table.add(name or "کارشناس", Cell(row["n"]), seller_count(row["sellers"]))
    totals = Table("mentoring", "همراهی در این دوره", _columns(report))
    now, before = _two(
        report,
        lambda current: sessions(current).aggregate(
            n=Count("pk"), sellers=Count("seller", distinct=True)
        ),
    )
    totals.add("جلسه‌ها", Cell(now["n"]), Cell(before["n"]))
    totals.add(
        "غرفه‌های همراهی‌شده",
        seller_count(now["sellers"]),
        seller_count(before["sellers"]),
    )
    days = _two(
        report,
        lambda current: median_days(
            sellers_with_milestones(current).filter(current.within("first_sale_at")),
            "first_session_on",
            "first_sale_at",
        ),
    )
    totals.add(
        "میانهٔ روزها از نخستین جلسه تا نخستین فروش",
        Cell(days[0], "days"),
        Cell(days[1], "days"),
    )
    return [totals, table]


REPORTS = {
    "sellers": ("فروشندگان", sellers_report),
    "catalogue": ("غرفه‌ها و محصولات", catalogue_report),
    "orders": ("سفارش‌ها", orders_report),
    "bazaars": ("بازارچه‌ها", bazaars_report),
    "money": ("پول", money_report),
    "mentoring": ("همراهی", mentoring_report),
}
