"""The parent order's status is derived from its parts by one function: checked
here over every combination of part statuses for one, two and three parts,
against a table written out by hand (one row per distinct set of parts, in any
order), and kept in sync by every transition."""

import itertools

import pytest

from orders.models import SellerOrder
from orders.status import order_status_derive

STATUSES = [s.value for s in SellerOrder.Status]

# One letter per part status, so that each row below reads as the parts it is.
LETTER = {
    "P": "awaiting_payment",
    "N": "new",
    "A": "accepted",
    "R": "ready",
    "S": "shipped",
    "D": "delivered",
    "C": "cancelled",
}

# Every multiset of one, two or three part statuses, written by hand with the
# order's status it must give. Not derived from a rule: a row is what a person
# reading the parts would call the order.
TABLE = {
    "cancelled": """
        C  CC  CCC
    """,
    "completed": """
        D  DD  DC  DDD  DDC  DCC
    """,
    "awaiting_payment": """
        P  PP  PC  PPP  PPC  PCC
    """,
    "new": """
        N  PN  NN  NC  PPN  PNN  NNN  PNC  NNC  NCC
    """,
    "in_progress": """
        A  R  S
        PA PR PS PD  NA NR NS ND  AA AR AS AD AC  RR RS RD RC  SS SD SC
        PPA PPR PPS PPD  PNA PNR PNS PND
        PAA PAR PAS PAD PAC  PRR PRS PRD PRC  PSS PSD PSC  PDD PDC
        NNA NNR NNS NND  NAA NAR NAS NAD NAC  NRR NRS NRD NRC
        NSS NSD NSC  NDD NDC
        AAA AAR AAS AAD AAC  ARR ARS ARD ARC  ASS ASD ASC  ADD ADC  ACC
        RRR RRS RRD RRC  RSS RSD RSC  RDD RDC  RCC
        SSS SSD SSC  SDD SDC  SCC
    """,
}

EXPECTED = {
    tuple(sorted(LETTER[c] for c in row)): status
    for status, rows in TABLE.items()
    for row in rows.split()
}
ROWS = sum(len(rows.split()) for rows in TABLE.values())

COMBINATIONS = [
    combo for size in (1, 2, 3) for combo in itertools.product(STATUSES, repeat=size)
]


def test_the_table_names_every_multiset_once():
    assert len(COMBINATIONS) == 7 + 49 + 343
    # 7 + 28 + 84 multisets of one, two and three parts, each in one row only
    assert ROWS == len(EXPECTED) == 7 + 28 + 84
    assert set(EXPECTED) == {tuple(sorted(c)) for c in COMBINATIONS}


@pytest.mark.parametrize("statuses", COMBINATIONS, ids="-".join)
def test_derivation_table(statuses):
    # every ordering of the parts is looked up in the one row of its multiset
    assert order_status_derive(statuses) == EXPECTED[tuple(sorted(statuses))]


def test_no_parts_is_an_error():
    with pytest.raises(ValueError):
        order_status_derive([])


def test_spot_checks():
    assert order_status_derive(["cancelled", "delivered"]) == "completed"
    assert order_status_derive(["new", "cancelled", "new"]) == "new"
    assert order_status_derive(["new", "accepted"]) == "in_progress"
    assert order_status_derive(["cancelled"] * 3) == "cancelled"
    assert order_status_derive(["delivered", "shipped"]) == "in_progress"
    assert order_status_derive(["awaiting_payment"]) == "awaiting_payment"
    assert order_status_derive(["awaiting_payment", "new"]) == "new"
    assert order_status_derive(["awaiting_payment", "cancelled"]) == (
        "awaiting_payment"
    )
