"""One state-machine shape (issue 25 §10): the seller's and the seller order's
machines are both `marketplace.state_machine.Machine` tables whose rows
declare their guards, reasons and side effects; the services that apply them
hold no if-chain about which move does what."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import pytest

from marketplace.state_machine import Machine, Transition


@dataclass
class Thing:
    status: str
    pickup: bool = False


def _needs_pickup(thing):
    return None if thing.pickup else "فقط برای تحویل حضوری"


TABLE = Machine(
    [
        Transition("start", frozenset({"a"}), "b", frozenset({"x"}), "شروع"),
        Transition(
            "hand_over",
            frozenset({"b"}),
            "c",
            frozenset({"x", "y"}),
            "تحویل",
            guards=(_needs_pickup,),
        ),
        Transition(
            "stop",
            frozenset({"a", "b"}),
            "z",
            frozenset({"y"}),
            "توقف",
            needs_reason="دلیل را بنویسید.",
        ),
    ]
)


def test_allowed_reads_party_status_and_guards():
    assert [t.action for t in TABLE.allowed(Thing("a"), "x")] == ["start"]
    assert [t.action for t in TABLE.allowed(Thing("b"), "y")] == ["stop"]
    assert [t.action for t in TABLE.allowed(Thing("b", pickup=True), "y")] == [
        "hand_over",
        "stop",
    ]
    assert TABLE.refusal(TABLE["hand_over"], Thing("b")) == "فقط برای تحویل حضوری"
    assert TABLE.refusal(TABLE["hand_over"], Thing("b", pickup=True)) is None


def test_get_and_one_row_per_action():
    assert TABLE.get("stop").needs_reason == "دلیل را بنویسید."
    assert TABLE.get("fly") is None
    assert "start" in TABLE and "fly" not in TABLE
    with pytest.raises(ValueError):
        Machine([TABLE["start"], TABLE["start"]])


def test_both_machines_have_the_one_shape():
    from orders.services import TRANSITIONS as ORDER_MACHINE
    from sellers.workflow import MACHINE as SELLER_MACHINE

    for machine in (ORDER_MACHINE, SELLER_MACHINE):
        assert isinstance(machine, Machine)
        for transition in machine:
            assert isinstance(transition, Transition)
            assert transition.label and transition.parties


def test_order_rows_declare_their_guards_reasons_and_steps():
    from orders.services import TRANSITIONS

    cancelling = [t for t in TRANSITIONS if t.target == "cancelled"]
    assert {t.action for t in cancelling} == {
        "decline",
        "cancel",
        "expire",
        "unpaid",
        "staff_cancel",
    }
    steps = {t.after for t in cancelling}
    assert len(steps) == 1  # one cancellation, whoever cancels
    assert [s.__name__ for s in next(iter(steps))] == [
        "_give_back_holdings",
        "_refund_and_reverse_ledger",
    ]
    assert {t.action for t in TRANSITIONS if t.needs_reason} == {
        "decline",
        "staff_cancel",
    }
    guarded = {t.action: [g.__name__ for g in t.guards] for t in TRANSITIONS}
    assert guarded["ready"] == ["_pickup_only"]
    assert guarded["ship"] == ["_not_pickup"]
    assert guarded["expire"] == guarded["unpaid"] == ["_deadline_passed"]
    assert guarded["revive"] == ["_cancelled_as_unpaid"]


def test_seller_rows_declare_their_side_effects():
    from sellers.workflow import MACHINE

    assert [s.__name__ for s in MACHINE["approve"].before] == ["stamp_first_approval"]
    assert [s.__name__ for s in MACHINE["resubmit"].before] == ["restart_queue_wait"]
    assert {t.action for t in MACHINE if t.needs_reason} == {
        "request_changes",
        "reject",
        "suspend",
    }


@pytest.mark.parametrize(
    "function",
    [
        "orders.services.seller_order_transition",
        "sellers.services.review.seller_transition",
    ],
)
def test_the_services_hold_no_if_chain_on_the_move(function):
    """Which move does what is read from its row, never decided by comparing
    the action or the target in the service."""
    import importlib

    module, name = function.rsplit(".", 1)
    source = inspect.getsource(getattr(importlib.import_module(module), name))
    assert not re.search(r"\baction (==|in) ", source), function
    assert not re.search(r"transition\.target (==|in) ", source), function
