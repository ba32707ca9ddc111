"""One shape for the project's state machines: the seller's status
(`sellers.workflow`) and the seller order's (`orders.services`).

A machine is one table of `Transition` rows. A row says everything about one
move: its action code, the statuses it leaves from, where it goes, who may take
it, its Persian label (the audit trail's and the buttons'), whether a written
reason is needed (the message when it is missing), its guards (refusals that
depend on the object: pickup or shipping, a deadline passed), and its side
effects, declared as named steps beside it (`before`: the object's own fields,
before it is saved; `after`: everything else, once the move is saved and
audited, in the same transaction). The service that applies a machine's moves
(`seller_transition`, `seller_order_transition`) locks the row, asks the
machine, runs the steps in order and writes the audit entry; it holds no
if-chain of its own about which move does what.

A plain table rather than django-fsm-2: both machines need their table as
data (the staff and panel buttons, the audit labels, the parties), every move
is one service call in one transaction under a row lock taken in the project's
lock order, and decorated model methods would scatter the table again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

#: A guard reads the object (locked, as it is now) and returns a Persian
#: refusal, or None to let the move go on.
Guard = Callable[[Any], "str | None"]
#: A step of a move's side effects; it receives the service's context object.
Effect = Callable[[Any], None]


@dataclass(frozen=True)
class Transition:
    action: str  # the code: the audit trail's, the URL's and the buttons'
    sources: frozenset[str]  # statuses it may start from (empty: a new object)
    target: str
    parties: frozenset[str]  # who may take it
    label: str  # Persian, for the audit trail and the buttons
    #: The Persian message when a written reason is needed and missing;
    #: "" when no reason is needed.
    needs_reason: str = ""
    guards: tuple[Guard, ...] = ()
    before: tuple[Effect, ...] = ()
    after: tuple[Effect, ...] = ()

    def open_to(self, party: str) -> bool:
        return party in self.parties


class Machine:
    """A transition table, in the order it was declared, by action code."""

    def __init__(
        self,
        transitions: Iterable[Transition],
        *,
        status: Callable[[Any], str] = attrgetter("status"),
    ):
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self._by_action = {t.action: t for t in self.transitions}
        if len(self._by_action) != len(self.transitions):
            raise ValueError("two transitions with the same action")
        self._status = status

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions)

    def __getitem__(self, action: str) -> Transition:
        return self._by_action[action]

    def __contains__(self, action: object) -> bool:
        return action in self._by_action

    def get(self, action: str) -> Transition | None:
        """The transition with this action code, or None."""
        return self._by_action.get(action)

    def starts_from(self, transition: Transition, obj) -> bool:
        return self._status(obj) in transition.sources

    def refusal(self, transition: Transition, obj) -> str | None:
        """The first guard's refusal for `obj`, or None."""
        for guard in transition.guards:
            message = guard(obj)
            if message:
                return message
        return None

    def allowed(self, obj, party: str) -> list[Transition]:
        """The moves `party` may take on `obj` now: open to the party, from
        its status, and no guard refusing (the buttons)."""
        return [
            t
            for t in self.transitions
            if t.open_to(party)
            and self.starts_from(t, obj)
            and self.refusal(t, obj) is None
        ]

    def for_party(self, party: str) -> list[Transition]:
        """Every move open to `party`, from any status."""
        return [t for t in self.transitions if t.open_to(party)]
