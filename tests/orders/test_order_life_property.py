"""The whole order life, randomised (hypothesis), on PostgreSQL.

A `RuleBasedStateMachine` drives the public services only, over three booths
(ready-made and made-to-order products, weekly capacity, a stall at a running
bazaar): placing (`order_place`), every `seller_order_transition` action, the
beat task with the clock moved (time-machine), card start, Stripe's signed
webhook (early, late, replayed, a failure out of order), switching to cash,
payout and collection batches, price, stock, exchange-rate and commission-rate
edits, and stall sales.

Beside it runs a model that knows the money from first principles: price ×
quantity, the delivery fee, the commission rate frozen when the part was placed
(whole rials, half up), who holds the cash, the card rate frozen at card start.
It never calls the ledger's functions to know what to expect. After every step:

- each booth's balance (and payable) equals the sum of her entries, and the
  model's figure; each part's entries net to the model's figure;
- a cancelled (or refunded) part nets to zero;
- stock is never negative, in stock is what the model says, and the units
  allocated equal the ready-made lines of open parts; a made-to-order product
  allocates nothing;
- each week's capacity used equals the made-to-order units of the parts not
  cancelled that took it in that week, and of stall sales that week;
- each part's status is the model's, and the order's is the derivation of its
  parts';
- payouts and collections settle exactly the batch lines, and every line is
  the sum of the settled entries it covers: nothing is paid that was not
  settled.

Each example runs in a savepoint rolled back at its end. The settings below
keep the run near a minute; `ORDER_LIFE_EXAMPLES` and `ORDER_LIFE_STEPS` make
a longer hunt (e.g. 300 histories).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from catalog.services import ProductData, product_update
from orders.card import card_payment_start, card_payment_switch_to_cash
from orders.ledger import ledger_balance, ledger_balances, ledger_payable
from orders.models import (
    CardPayment,
    CardRefund,
    LedgerEntry,
    Order,
    PayoutBatchLine,
    PayoutCoverage,
    SellerOrder,
)
from orders.payouts import (
    collection_record,
    payout_batch_create,
    payout_batch_line_settle,
)
from orders.services import (
    PartChoice,
    PlacementError,
    order_place,
    seller_order_transition,
)
from orders.stalls import stall_sale_record
from orders.status import order_status_derive
from orders.stripe_gateway import CardPaymentError
from orders.tasks import card_refunds_sweep, expire_overdue_seller_orders
from sellers.models import BazaarStall, Programme, SellerWeekLoad
from sellers.partner.models import StockRecord
from tests.bazaars.conftest import make_bazaar
from tests.factories import CategoryFactory, ProgrammeFactory, make_product

from .conftest import basket_with, guest, make_booth, tehran_address
from .stripe_helpers import intent_object, post_event, set_rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgres_required")]

S = SellerOrder.Status
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
OPEN = {S.AWAITING_PAYMENT, S.NEW, S.ACCEPTED, S.READY, S.SHIPPED}
SETTLED = {S.DELIVERED, S.CANCELLED}
DEFAULT_RATE = Decimal("0.05")  # ORDER_COMMISSION_RATE in the settings
FEES = {"post": Decimal(600_000), "courier": Decimal(400_000), "centre_pickup": 0}
COURIER_FREE_ABOVE = Decimal(5_000_000)
CASH_METHOD = {"post": "cod", "courier": "cod", "centre_pickup": "pickup"}

#: The legal moves, as the issue and the panel describe them: (from, to, who).
MOVES = {
    "accept": ({S.NEW}, S.ACCEPTED, "seller"),
    "decline": ({S.NEW}, S.CANCELLED, "seller"),
    "ready": ({S.ACCEPTED}, S.READY, "seller"),  # pickup parts only
    "ship": ({S.ACCEPTED}, S.SHIPPED, "seller"),  # courier and post only
    "deliver": ({S.READY, S.SHIPPED}, S.DELIVERED, "seller"),
    "receive": ({S.READY, S.SHIPPED}, S.DELIVERED, "buyer"),
    "cancel": ({S.NEW, S.AWAITING_PAYMENT}, S.CANCELLED, "buyer"),
    "staff_cancel": ({S.NEW, S.ACCEPTED, S.READY}, S.CANCELLED, "staff"),
}
ACTION = {"receive": "deliver"}
REASON = {"decline": "مواد اولیه تمام شد", "staff_cancel": "خریدار تلفنی خواست"}

#: An order: up to three products (one line each, one or two units), a delivery
#: kind per booth, and whether each booth's part is paid by card.
ORDER = {
    "wanted": st.lists(
        st.tuples(st.integers(0, 4), st.integers(1, 2)),
        min_size=1,
        max_size=3,
        unique_by=lambda t: t[0],
    ),
    "kinds": st.tuples(*[st.sampled_from(sorted(FEES))] * 3),
    "card": st.tuples(*[st.booleans()] * 3),
}

EXAMPLES = int(os.environ.get("ORDER_LIFE_EXAMPLES", "15"))
STEPS = int(os.environ.get("ORDER_LIFE_STEPS", "40"))
settings.register_profile(
    "order_life",
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    database=None,  # no .hypothesis folder in the worktree; the seed is printed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    # ORDER_LIFE_SHRINK=0 reports the first failure as found (a quick look)
    phases=list(Phase)
    if os.environ.get("ORDER_LIFE_SHRINK", "1") != "0"
    else [Phase.explicit, Phase.generate],
)
PROFILE = settings.get_profile("order_life")


def whole(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def saturday_of(day: dt.date) -> dt.date:
    """The Iranian week starts on Saturday (weekday 5)."""
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


def today() -> dt.date:
    return timezone.now().astimezone(TEHRAN).date()


# --- the world: three booths, five products, a bazaar --------------------------------


@dataclass
class Booth:
    seller: object
    owner: object
    programme: Programme
    rate: Decimal  # the commission rate in force now
    capacity: int | None
    sheba: str
    stall: BazaarStall | None


@dataclass
class Product:
    product: object
    record_id: int
    booth: int
    made_to_order: bool
    price: Decimal
    stock: int | None  # ready-made only
    preparation_days: int | None


@dataclass
class World:
    booths: list[Booth]
    products: list[Product]
    staff: object
    start: dt.datetime
    bazaar_days: tuple[dt.date, dt.date]


def build_world(staff) -> World:
    set_rate()
    category = CategoryFactory()
    specs = [
        # name, programme (code, rate), weekly capacity, sheba
        ("چرم نیلوفر", ("municipality", None), 4, "IR" + "1" * 24),
        ("شیرینی مهر", ("hamyar", Decimal("0.03")), 3, "IR" + "2" * 24),
        ("گلیم سارا", ("zero", Decimal("0")), None, ""),
    ]
    booths = []
    for index, (name, (code, rate), capacity, sheba) in enumerate(specs):
        programme = ProgrammeFactory(code=code, name=code, commission_rate=rate)
        seller, owner = make_booth(
            f"+98912555000{index}",
            name=name,
            programme=programme,
            weekly_capacity=capacity,
            payout_sheba=sheba,
            payout_account_holder=name if sheba else "",
        )
        booths.append(
            Booth(
                seller,
                owner,
                programme,
                DEFAULT_RATE if rate is None else rate,
                capacity,
                sheba,
                None,
            )
        )
    products = []
    for booth, title, price, stock, days in [
        (0, "کیف چرمی", 1_250_000, 4, None),
        (0, "کمربند سفارشی", 999_999, None, 2),
        (1, "نان خانگی", 333_333, 3, None),
        (1, "کیک تولد", 2_000_000, None, 3),
        (2, "گلیم دستباف", 4_500_000, 5, None),
    ]:
        made = stock is None
        product = make_product(
            seller=booths[booth].seller,
            category=category,
            title=title,
            price_rials=price,
            num_in_stock=0 if made else stock,
            made_to_order=made,
            preparation_days=days,
        )
        products.append(
            Product(
                product,
                StockRecord.objects.get(product=product).pk,
                booth,
                made,
                Decimal(price),
                stock,
                days,
            )
        )
    bazaar = make_bazaar(starts_in=-1, days=30)
    for booth in booths[:2]:
        booth.stall = BazaarStall.objects.create(
            bazaar=bazaar, seller=booth.seller, stall_number=str(booth.seller.pk)
        )
    return World(
        booths, products, staff, timezone.now(), (bazaar.starts_on, bazaar.ends_on)
    )


# --- the model ------------------------------------------------------------------------


@dataclass
class Part:
    pk: int
    order: int
    booth: int
    # product index, quantity, unit price, made to order (the kind frozen then)
    lines: list[tuple[int, int, Decimal, bool]]
    kind: str
    method: str
    rate: Decimal  # the commission rate frozen at placement
    status: str
    placed_at: dt.datetime
    week: dt.date | None  # the week whose capacity its made-to-order units took
    deadline: dt.datetime
    entries: bool = False  # sale, fee and commission written
    holds_cash: bool = True
    unpaid_cancel: bool = False  # cancelled because the card hold ran out
    revived: bool = False  # put through by a late payment

    @property
    def subtotal(self) -> Decimal:
        return sum((price * qty for _, qty, price, _ in self.lines), Decimal(0))

    @property
    def fee(self) -> Decimal:
        if self.kind == "courier" and self.subtotal >= COURIER_FREE_ABOVE:
            return Decimal(0)
        return Decimal(FEES[self.kind])

    @property
    def commission(self) -> Decimal:
        return sum(
            (whole(price * qty * self.rate) for _, qty, price, _ in self.lines),
            Decimal(0),
        )

    @property
    def net(self) -> Decimal:
        """What the part's entries sum to: nothing before they are written or
        once cancelled; the commission she owes when she holds the cash; her
        goods and fee less the commission when the platform holds it."""
        if not self.entries or self.status == S.CANCELLED:
            return Decimal(0)
        if self.holds_cash:
            return -self.commission
        return self.subtotal + self.fee - self.commission

    def units(self, made: bool) -> Counter:
        """Units by product of the lines of one kind (as frozen on the line)."""
        out = Counter()
        for index, qty, _, line_made in self.lines:
            if line_made == made:
                out[index] += qty
        return out


@dataclass
class Payment:
    pk: int
    parts: list[int]
    rate: Decimal
    minor: int
    status: str = "pending"
    events: list[str] = field(default_factory=list)  # succeeded event ids sent


@dataclass
class Line:
    pk: int
    booth: int
    kind: str
    amount: Decimal
    settled: bool = False


class OrderLife(RuleBasedStateMachine):
    world: World  # set by the test before the run
    counts: Counter = Counter()

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.clock = time_machine.travel(self.world.start, tick=False)
        self.coordinates = self.clock.start()
        self.client = Client()
        w = self.world
        self.parts: dict[int, Part] = {}
        self.orders: dict[int, list[int]] = {}
        self.payments: dict[int, Payment] = {}  # by order
        self.stock = {i: p.stock for i, p in enumerate(w.products)}
        self.price = {i: p.price for i, p in enumerate(w.products)}
        self.made = {i: p.made_to_order for i, p in enumerate(w.products)}
        self.rate = [b.rate for b in w.booths]
        self.card_rate = Decimal(1_000_000)
        self.stall_commission = Counter()  # booth → commission owed from stalls
        self.stall_units = Counter()  # (booth, week) → made-to-order units
        self.lines: list[Line] = []
        self.refunds: dict[int, int] = {}  # part → its share, in cents, to go back
        self.seen("examples")

    def seen(self, what: str) -> None:
        """Counted over the run, printed at its end (what the histories reached)."""
        self.counts[what] += 1

    def teardown(self):
        self.clock.stop()
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------

    def tick(self, delta=dt.timedelta(seconds=7)):
        self.seen("steps")
        self.coordinates.shift(delta)

    def allocated(self, index: int) -> int:
        return sum(
            part.units(made=False)[index]
            for part in self.parts.values()
            if part.status in OPEN
        )

    def load(self, booth: int, week: dt.date) -> int:
        return self.stall_units[(booth, week)] + sum(
            sum(part.units(made=True).values())
            for part in self.parts.values()
            if part.booth == booth and part.week == week and part.status != S.CANCELLED
        )

    def can_take(self, booth: int, lines) -> bool:
        """Stock and this week's capacity for `lines` (product index, quantity,
        made to order)."""
        for index, qty, made in lines:
            if not made and self.stock[index] - self.allocated(index) < qty:
                return False
        units = sum(qty for _, qty, made in lines if made)
        capacity = self.world.booths[booth].capacity
        if units and capacity is not None:
            return self.load(booth, saturday_of(today())) + units <= capacity
        return True

    def deadline_of(self, pk: int) -> dt.datetime:
        return SellerOrder.objects.values_list("accept_deadline", flat=True).get(pk=pk)

    def refund(self, part: Part) -> None:
        """Her money for this part goes back: exactly its share of the card
        payment, its total at the rate frozen when the payment started."""
        assert part.pk not in self.refunds, f"part {part.pk} refunded twice"
        rate = self.payments[part.order].rate
        self.refunds[part.pk] = int(whole((part.subtotal + part.fee) * 100 / rate))

    def cancelled(self, part: Part) -> None:
        """A part paid by card and cancelled is refunded."""
        if part.method == "card" and part.entries and not part.holds_cash:
            self.refund(part)

    def written(self, part: Part, *, holds_cash: bool):
        """The part became new for its booth: its entries are written now, and
        its acceptance deadline starts from now (48 working hours at least)."""
        part.status = S.NEW
        part.entries = True
        part.holds_cash = holds_cash
        part.deadline = self.deadline_of(part.pk)
        assert part.deadline >= timezone.now() + dt.timedelta(hours=48)

    # --- placing ---------------------------------------------------------------------

    @initialize(**ORDER)
    def first_order(self, wanted, kinds, card):
        self.place(wanted, kinds, card)

    @rule(**ORDER)
    def another_order(self, wanted, kinds, card):
        # placing weighs twice among the rules: histories need orders
        self.place(wanted, kinds, card)

    @rule(wanted=ORDER["wanted"], kinds=ORDER["kinds"])
    def card_order(self, wanted, kinds):
        """A buyer abroad: every part by card, then the card page (which
        starts the payment) at once."""
        placed = self._place(wanted, kinds, (True, True, True))
        if placed is not None:
            self.card_start(sorted(self.orders).index(placed))

    @rule(**ORDER)
    def place(self, wanted, kinds, card):
        self._place(wanted, kinds, card)

    def _place(self, wanted, kinds, card) -> int | None:
        """Place the order; the model's parts, or None when refused (exactly
        when stock or this week's capacity is short)."""
        self.tick()
        w = self.world
        by_booth: dict[int, list] = {}
        for index, qty in wanted:
            by_booth.setdefault(w.products[index].booth, []).append(
                (index, qty, self.made[index])
            )
        possible = all(self.can_take(b, lines) for b, lines in by_booth.items())
        choices = {
            w.booths[b].seller.pk: PartChoice(
                delivery_kind=kinds[b],
                payment_method="card" if card[b] else CASH_METHOD[kinds[b]],
            )
            for b in by_booth
        }
        basket = basket_with([(w.products[i].product, qty) for i, qty in wanted])
        before = Order.objects.count()
        try:
            order, _ = order_place(
                basket=basket,
                buyer=guest(),
                address=tehran_address(),
                choices=choices,
            )
        except PlacementError:
            assert not possible, "placement refused though stock and capacity allow"
            assert Order.objects.count() == before
            self.seen("placement refused")
            return
        assert possible, "placed beyond stock or this week's capacity"
        now = timezone.now()
        self.seen("placed")
        self.orders[order.pk] = []
        for part in order.seller_orders.order_by("pk"):
            booth = next(b for b in by_booth if w.booths[b].seller.pk == part.seller_id)
            lines = [(i, qty, self.price[i], made) for i, qty, made in by_booth[booth]]
            has_mto = any(made for _, _, _, made in lines)
            is_card = card[booth]
            model = Part(
                pk=part.pk,
                order=order.pk,
                booth=booth,
                lines=lines,
                kind=kinds[booth],
                method="card" if is_card else CASH_METHOD[kinds[booth]],
                rate=self.rate[booth],
                status=S.AWAITING_PAYMENT if is_card else S.NEW,
                placed_at=now,
                week=saturday_of(today())
                if has_mto and w.booths[booth].capacity is not None
                else None,
                deadline=part.accept_deadline,
                entries=not is_card,
                holds_cash=not is_card,
            )
            if is_card:
                hold = dt.timedelta(minutes=django_settings.CARD_PAYMENT_HOLD_MINUTES)
                assert part.accept_deadline == now + hold
            else:
                assert part.accept_deadline >= now + dt.timedelta(hours=48)
            self.parts[part.pk] = model
            self.orders[order.pk].append(part.pk)
        return order.pk

    # --- the booth, the buyer and staff ----------------------------------------------

    def _legal(self, part: Part, move: str) -> bool:
        legal = part.status in MOVES[move][0]
        if move == "ready":
            legal = legal and part.kind == "centre_pickup"
        if move == "ship":
            legal = legal and part.kind != "centre_pickup"
        return legal

    @precondition(lambda self: self.parts)
    @rule(pick=st.integers(0, 10_000), move=st.sampled_from(sorted(MOVES)))
    def act(self, pick, move):
        """Any move on any part: refused exactly when it is not legal."""
        self._act(self.parts[sorted(self.parts)[pick % len(self.parts)]], move)

    @precondition(
        lambda self: any(p.status != S.DELIVERED for p in self.parts.values())
    )
    @rule(pick=st.integers(0, 10_000), choice=st.integers(0, 10))
    def progress(self, pick, choice):
        """A legal move on a part still moving (so histories get far: accepted,
        shipped, delivered, or cancelled late)."""
        moving = [pk for pk in sorted(self.parts) if self.parts[pk].status in OPEN]
        if not moving:
            return
        part = self.parts[moving[pick % len(moving)]]
        legal = [m for m in sorted(MOVES) if self._legal(part, m)]
        if legal:
            self._act(part, legal[choice % len(legal)])

    @precondition(lambda self: any(p.status in OPEN for p in self.parts.values()))
    @rule(pick=st.integers(0, 3), by_buyer=st.booleans())
    def advance(self, pick, by_buyer):
        """The happy path one step on: accepted, shipped or ready, delivered."""
        moving = [
            pk
            for pk in sorted(self.parts)
            if self.parts[pk].status in (S.NEW, S.ACCEPTED, S.READY, S.SHIPPED)
        ]
        if not moving:
            return
        part = self.parts[moving[-1 - pick % len(moving)]]  # the newest first
        forward = ["accept", "ready", "ship", "receive" if by_buyer else "deliver"]
        self._act(part, next(m for m in forward if self._legal(part, m)))

    def _act(self, part: Part, move: str):
        self.tick()
        _, target, party = MOVES[move]
        legal = self._legal(part, move)
        actor = {
            "seller": self.world.booths[part.booth].owner,
            "staff": self.world.staff,
            "buyer": None,
        }[party]
        try:
            seller_order_transition(
                seller_order=SellerOrder(pk=part.pk),
                action=ACTION.get(move, move),
                party=party,
                actor=actor,
                note=REASON.get(move, ""),
                tracking_code="۱۲۳۴" if move == "ship" else "",
            )
        except (ValidationError, PermissionDenied):
            assert not legal, f"{move} refused from {part.status}"
            return
        assert legal, f"{move} allowed from {part.status}"
        self.seen(f"{move} on a revived part" if part.revived else move)
        if target == S.DELIVERED:
            for index, qty in part.units(made=False).items():
                self.stock[index] -= qty
        if target == S.CANCELLED:
            self.cancelled(part)
        part.status = target

    # --- the clock and the beat task -------------------------------------------------

    @rule(
        shift=st.sampled_from(
            [
                dt.timedelta(minutes=30),
                dt.timedelta(minutes=61),
                dt.timedelta(hours=49),
                dt.timedelta(days=4),
                dt.timedelta(days=8),
            ]
        )
    )
    def beat(self, shift):
        self.tick(shift)
        now = timezone.now()
        expected = 0
        for part in self.parts.values():
            if part.status == S.NEW and part.deadline <= now:
                self.cancelled(part)
                part.status = S.CANCELLED
                expected += 1
        hold = dt.timedelta(minutes=django_settings.CARD_PAYMENT_HOLD_MINUTES)
        for part in self.parts.values():
            if part.status == S.AWAITING_PAYMENT and part.placed_at + hold <= now:
                part.status = S.CANCELLED
                part.unpaid_cancel = True
                expected += 1
                self.seen("a card hold ran out")
        assert expire_overdue_seller_orders() == expected
        # the refund outbox's sweep (beat) sends every refund waiting, once
        waiting = CardRefund.objects.filter(status=CardRefund.Status.PENDING)
        pending = waiting.count()
        assert card_refunds_sweep() == pending
        assert not waiting.exists()
        self.counts["refunds sent"] += pending

    # --- card ------------------------------------------------------------------------

    def _order(self, pick) -> int:
        return sorted(self.orders)[pick % len(self.orders)]

    def _card_parts(self, order: int, status=S.AWAITING_PAYMENT) -> list[Part]:
        return [
            self.parts[pk]
            for pk in self.orders[order]
            if self.parts[pk].method == "card" and self.parts[pk].status == status
        ]

    @precondition(lambda self: self.orders)
    @rule(pick=st.integers(0, 10_000))
    def card_start(self, pick):
        self.tick()
        order = self._order(pick)
        known = self.payments.get(order)
        waiting = self._card_parts(order)
        try:
            started = card_payment_start(order=Order.objects.get(pk=order))
        except CardPaymentError:
            assert known is None and not waiting
            return
        payment = started.payment
        if known is not None:
            assert payment.pk == known.pk
            return
        assert waiting, "a card payment for an order with no card part waiting"
        minor = sum(
            int(whole((p.subtotal + p.fee) * 100 / self.card_rate)) for p in waiting
        )
        assert (payment.amount_minor, payment.rials_per_unit) == (
            minor,
            self.card_rate,
        )
        assert payment.amount_rials == sum((p.subtotal + p.fee for p in waiting), 0)
        assert sorted(payment.part_ids) == sorted(p.pk for p in waiting)
        self.payments[order] = Payment(
            payment.pk, sorted(p.pk for p in waiting), self.card_rate, minor
        )

    @precondition(lambda self: self.payments)
    @rule(
        pick=st.integers(0, 10_000),
        event=st.sampled_from(["succeeded", "replay", "failed"]),
    )
    def webhook(self, pick, event):
        self.tick()
        order = sorted(self.payments)[pick % len(self.payments)]
        model = self.payments[order]
        payment = CardPayment.objects.get(pk=model.pk)
        if event == "replay" and not model.events:
            event = "succeeded"
        if event == "failed":
            response = post_event(
                self.client,
                "payment_intent.payment_failed",
                intent_object(
                    payment, status="requires_payment_method", error="declined"
                ),
            )
            assert response.status_code == 200
            if model.status == "succeeded":
                assert response.json()["outcome"] == "already_paid"
            return
        if event == "replay":
            response = post_event(
                self.client,
                "payment_intent.succeeded",
                intent_object(payment),
                event_id=model.events[-1],
            )
            assert response.status_code == 200
            assert response.json()["outcome"] == "duplicate"
            return
        response = post_event(
            self.client, "payment_intent.succeeded", intent_object(payment)
        )
        assert response.status_code == 200, response.content
        self.seen(f"webhook: {response.json()['outcome']}")
        model.events.append(response.event_id)
        if model.status == "succeeded":
            assert response.json()["outcome"] == "already_paid"
            return
        model.status = "succeeded"
        statuses = dict(
            SellerOrder.objects.filter(pk__in=model.parts).values_list("pk", "status")
        )
        for pk in model.parts:
            part = self.parts[pk]
            if part.status == S.AWAITING_PAYMENT and part.method == "card":
                self.written(part, holds_cash=False)
            elif part.status == S.CANCELLED and statuses[pk] != S.CANCELLED:
                # Put through late: only a part cancelled because its hold ran
                # out, and only while its stock and capacity can still be had.
                assert part.unpaid_cancel, f"part {pk} revived after {part.status}"
                lines = [(i, qty, made) for i, qty, _, made in part.lines]
                assert self.can_take(part.booth, lines), "revived beyond stock"
                if part.week is not None:
                    part.week = saturday_of(today())
                part.unpaid_cancel = False
                part.revived = True
                self.written(part, holds_cash=False)
                self.seen("a late payment put the part through")
            else:  # cancelled meanwhile, sold out, or switched to cash
                self.refund(part)
                if part.unpaid_cancel:
                    self.seen("a late payment refunded")

    @precondition(lambda self: self.payments)
    @rule(pick=st.integers(0, 10_000))
    def stripe_succeeds(self, pick):
        """Stripe's success, weighted twice among the rules: late payments
        (after the hold ran out) need a start, the beat and then this."""
        self.webhook(pick, "succeeded")

    @precondition(lambda self: self.orders)
    @rule(pick=st.integers(0, 10_000))
    def switch_to_cash(self, pick):
        self.tick()
        order = self._order(pick)
        waiting = self._card_parts(order)
        moved = card_payment_switch_to_cash(order=Order.objects.get(pk=order))
        assert moved == len(waiting)
        for part in waiting:
            part.method = CASH_METHOD[part.kind]
            self.written(part, holds_cash=True)
        model = self.payments.get(order)
        if model is not None and model.status != "succeeded":
            model.status = "cancelled"

    # --- payouts ---------------------------------------------------------------------

    def open_amount(self, booth: int) -> Decimal:
        """Settled sales not yet in a batch line: the model's payable, less
        what lines froze (a settlement is never open)."""
        sales = sum(
            (
                p.net
                for p in self.parts.values()
                if p.booth == booth and p.status in SETTLED
            ),
            Decimal(0),
        )
        frozen = sum((ln.amount for ln in self.lines if ln.booth == booth), Decimal(0))
        return sales - self.stall_commission[booth] - frozen

    @rule(kind=st.sampled_from(["payout", "collection"]))
    def batch(self, kind):
        self.tick()
        w = self.world
        expected = {}
        for b, booth in enumerate(w.booths):
            amount = self.open_amount(b)
            if kind == "payout" and amount > 0 and booth.sheba:
                expected[booth.seller.pk] = amount
            elif kind == "collection" and amount < 0:
                expected[booth.seller.pk] = amount
        batch = payout_batch_create(kind=kind, actor=w.staff)
        if batch is None:
            assert expected == {}
            return
        got = dict(batch.lines.values_list("seller_id", "amount"))
        assert got == expected
        for line in batch.lines.order_by("pk"):
            booth = next(
                b for b, x in enumerate(w.booths) if x.seller.pk == line.seller_id
            )
            self.lines.append(Line(line.pk, booth, kind, line.amount))

    @precondition(lambda self: self.lines)
    @rule(pick=st.integers(0, 10_000))
    def settle(self, pick):
        """Staff mark a line paid (or received); a second click settles nothing."""
        self.tick()
        line = self.lines[pick % len(self.lines)]
        settle = (
            payout_batch_line_settle if line.kind == "payout" else collection_record
        )
        entry = settle(
            line=PayoutBatchLine.objects.get(pk=line.pk), actor=self.world.staff
        )
        if line.settled:
            assert entry is None
            return
        assert entry.amount == -line.amount
        line.settled = True

    # --- edits -----------------------------------------------------------------------

    def _edit(self, index: int, *, price: int, stock: int | None, made: bool):
        w = self.world
        product = w.products[index]
        p = product.product
        p.refresh_from_db()
        return product_update(
            product=p,
            actor=w.booths[product.booth].owner,
            data=ProductData(
                title=p.title,
                description=p.description,
                category=p.categories.first(),
                price_rials=price,
                fulfilment="made_to_order" if made else "ready",
                num_in_stock=None if made else stock,
                preparation_days=(product.preparation_days or 2) if made else None,
            ),
        )

    @rule(
        pick=st.integers(0, 4), price=st.sampled_from([450_001, 1_000_000, 2_700_000])
    )
    def edit_price(self, pick, price):
        self.tick()
        self._edit(pick, price=price, stock=self.stock[pick], made=self.made[pick])
        self.price[pick] = Decimal(price)

    @rule(pick=st.integers(0, 4), stock=st.integers(0, 5))
    def edit_stock(self, pick, stock):
        self.tick()
        if self.made[pick]:
            return  # made to order: no stock to set
        try:
            self._edit(pick, price=int(self.price[pick]), stock=stock, made=False)
        except ValidationError:
            assert stock < self.allocated(pick), "stock edit refused though free"
            return
        assert stock >= self.allocated(pick), "stock set below what orders hold"
        self.stock[pick] = stock

    @rule(pick=st.integers(0, 4), stock=st.integers(0, 4))
    def switch_kind(self, pick, stock):
        """She switches a product between ready-made and made to order: refused
        while units of it are allocated to open parts (they were taken as the
        old kind); lines already placed keep the kind frozen on them."""
        self.tick()
        made = not self.made[pick]
        held = self.allocated(pick)
        try:
            self._edit(pick, price=int(self.price[pick]), stock=stock, made=made)
        except ValidationError:
            assert held, "kind switch refused with nothing allocated"
            self.seen("kind switch refused")
            return
        assert not held, "kind switched while units are allocated"
        self.seen("kind switched")
        self.made[pick] = made
        self.stock[pick] = None if made else stock

    @rule(rials=st.sampled_from([900_000, 1_000_000, 1_234_567]))
    def edit_card_rate(self, rials):
        self.tick()
        set_rate(rials=rials, actor=self.world.staff)
        self.card_rate = Decimal(rials)

    @rule(booth=st.integers(0, 1), rate=st.sampled_from(["0.04", "0.075", "0.1"]))
    def edit_commission_rate(self, booth, rate):
        """Staff change a programme's rate (the admin saves the programme):
        parts placed before keep the rate frozen on their lines."""
        self.tick()
        # fresh rows: objects kept across examples must not carry old edits
        programme = Programme.objects.get(pk=self.world.booths[booth].programme.pk)
        programme.commission_rate = Decimal(rate)
        programme.save()
        self.rate[booth] = Decimal(rate)

    # --- stall sales -----------------------------------------------------------------

    @rule(pick=st.integers(0, 3), qty=st.integers(1, 2))
    def stall_sale(self, pick, qty):
        self.tick()
        w = self.world
        product = w.products[pick]
        booth = w.booths[product.booth]
        running = w.bazaar_days[0] <= today() <= w.bazaar_days[1]
        made = self.made[pick]
        possible = running and self.can_take(product.booth, [(pick, qty, made)])
        try:
            sale = stall_sale_record(
                stall=BazaarStall.objects.get(pk=booth.stall.pk),
                stockrecord_id=product.record_id,
                quantity=qty,
                actor=booth.owner,
            )
        except ValidationError:
            assert not possible, "stall sale refused though possible"
            return
        assert possible, "stall sale beyond stock, capacity or the bazaar's days"
        assert sale.total == self.price[pick] * qty
        self.stall_commission[product.booth] += whole(
            self.price[pick] * qty * self.rate[product.booth]
        )
        if made:
            if booth.capacity is not None:
                self.stall_units[(product.booth, saturday_of(today()))] += qty
        else:
            self.stock[pick] -= qty

    # --- after every step ------------------------------------------------------------

    @invariant()
    def money_stock_capacity_and_status(self):
        w = self.world
        entries = list(
            LedgerEntry.objects.values_list(
                "pk", "seller_id", "seller_order_id", "amount", "gross", "kind"
            )
        )
        by_part: dict[int, list] = {}
        for row in entries:
            if row[2] is not None:
                by_part.setdefault(row[2], []).append(row)
        db_status = dict(SellerOrder.objects.values_list("pk", "status"))
        assert db_status == {pk: p.status for pk, p in self.parts.items()}

        # each part nets to the model's figure; a cancelled one to zero
        for pk, part in self.parts.items():
            rows = by_part.get(pk, [])
            assert sum((r[3] for r in rows), Decimal(0)) == part.net, (pk, part)
            if part.status == S.CANCELLED:
                assert sum((r[4] for r in rows), Decimal(0)) == 0
            if part.entries and part.status != S.CANCELLED:
                commission = [r for r in rows if r[5] == "commission"]
                assert [-r[3] for r in commission] == [part.commission]

        # each booth: balance = sum of entries = the model's; payable likewise
        # (a booth with nothing settled has payable None there: SUM of no rows)
        balances = {
            row.pk: (row.balance, row.payable or 0) for row in ledger_balances()
        }
        for b, booth in enumerate(w.booths):
            mine = [r for r in entries if r[1] == booth.seller.pk]
            total = sum((r[3] for r in mine), Decimal(0))
            settled_lines = sum(
                (ln.amount for ln in self.lines if ln.booth == b and ln.settled),
                Decimal(0),
            )
            parts = [p for p in self.parts.values() if p.booth == b]
            expected = (
                sum((p.net for p in parts), Decimal(0))
                - self.stall_commission[b]
                - settled_lines
            )
            payable = (
                sum((p.net for p in parts if p.status in SETTLED), Decimal(0))
                - self.stall_commission[b]
                - settled_lines
            )
            assert ledger_balance(booth.seller) == total == expected, booth.seller
            assert ledger_payable(booth.seller) == payable
            if mine:
                assert balances[booth.seller.pk] == (total, payable)

        # stock: never negative; allocated = ready-made lines of open parts
        records = {
            pk: (in_stock, allocated)
            for pk, in_stock, allocated in StockRecord.objects.filter(
                pk__in=[p.record_id for p in w.products]
            ).values_list("pk", "num_in_stock", "num_allocated")
        }
        for index, product in enumerate(w.products):
            in_stock, allocated = records[product.record_id]
            allocated = allocated or 0  # Oscar's column starts empty
            # made-to-order lines allocate nothing, whatever the product is now
            assert allocated == self.allocated(index), (index, allocated)
            if self.made[index]:
                continue  # no stock kept
            assert in_stock >= 0 and allocated >= 0 and allocated <= in_stock
            assert in_stock == self.stock[index], (index, in_stock)

        # capacity: each week's load = its made-to-order units not cancelled
        loads = {
            (seller_id, week): units
            for seller_id, week, units in SellerWeekLoad.objects.values_list(
                "seller_id", "week_start", "units"
            )
        }
        weeks = {p.week for p in self.parts.values() if p.week} | {
            week for _, week in self.stall_units
        }
        for b, booth in enumerate(w.booths):
            for week in weeks:
                assert loads.get((booth.seller.pk, week), 0) == self.load(b, week), (
                    b,
                    week,
                )

        # the order's status is the derivation of its parts'
        for order_pk, status in Order.objects.filter(
            pk__in=list(self.orders)
        ).values_list("pk", "status"):
            parts = [self.parts[pk].status for pk in self.orders[order_pk]]
            assert status == order_status_derive(parts), (order_pk, parts)

        # every card refund is exactly one part's share, once
        refunds = {}
        for part_id, minor, rials in CardRefund.objects.values_list(
            "seller_order_id", "amount_minor", "amount_rials"
        ):
            assert part_id not in refunds, f"part {part_id} refunded twice"
            refunds[part_id] = minor
            part = self.parts[part_id]
            assert rials == part.subtotal + part.fee
        assert refunds == self.refunds

        # payouts settle exactly the lines, and each line covers settled entries
        covered: dict[int, Decimal] = Counter()
        amounts = {r[0]: r for r in entries}
        for line_id, entry_id in PayoutCoverage.objects.values_list(
            "line_id", "entry_id"
        ):
            row = amounts[entry_id]
            if row[2] is not None:
                assert self.parts[row[2]].status in SETTLED, "paid an open part"
            covered[line_id] += row[3]
        for line in self.lines:
            assert covered[line.pk] == line.amount
        settlements = LedgerEntry.objects.filter(payout_line__isnull=False)
        assert sorted(settlements.values_list("payout_line_id", "amount")) == sorted(
            (ln.pk, -ln.amount) for ln in self.lines if ln.settled
        )


def test_order_life(staff, stripe_mock):
    """Random histories of the whole order life; see the module's docstring."""
    OrderLife.world = build_world(staff)
    OrderLife.counts = Counter()
    try:
        run_state_machine_as_test(OrderLife, settings=PROFILE)
    finally:
        # what the histories reached (pytest shows it with -s, or on failure)
        sys.stdout.write(f"order life: {dict(sorted(OrderLife.counts.items()))}\n")
