"""Every raw status and code in the design brief's courier lists (copied below) reads as the
internal state its meaning implies.

The expected states are worked out here from what each status means for the parcel,
not copied from the adapters' maps.
"""

import pytest

from lifecycle.integrations.couriers.base import State, StatusMap, normalise
from lifecycle.integrations.couriers.leopards import STATUSES as LEOPARDS
from lifecycle.integrations.couriers.names import courier_key, state_for
from lifecycle.integrations.couriers.postex import STATUSES as POSTEX
from lifecycle.integrations.couriers.tcs import STATUSES as TCS

S = State

LEOPARDS_EXPECTED = {
    # booked: a CN exists, Leopards does not have the parcel yet
    "Pickup Request not Send": S.BOOKED,
    "Pickup Request Sent": S.BOOKED,
    "Consignment Booked": S.BOOKED,
    # cancelled before Leopards ever had it
    "48 Hours Auto Canceled": S.CANCELLED,
    "Cancelled": S.CANCELLED,
    # Leopards has the parcel (collected, or handed in at a counter)
    "Shipment Picked": S.PICKED,
    "Drop Off at Express Center": S.PICKED,
    # moving between stations, including a detour via the wrong one
    "Arrived at Station": S.IN_TRANSIT,
    "Dispatched": S.IN_TRANSIT,
    "In Transit": S.IN_TRANSIT,
    "Missroute": S.IN_TRANSIT,
    # with the rider on the way to the customer
    "Assign to Courier": S.OUT_FOR_DELIVERY,
    # the rider came back without delivering
    "Pending": S.ATTEMPTED,
    "Undelivered": S.ATTEMPTED,
    # on its way back / back with the merchant
    "Being Return": S.RETURNING,
    "Ready for Return": S.RETURNING,
    "Returned to shipper": S.RETURNED,
    "Delivered": S.DELIVERED,
}

POSTEX_EXPECTED = {
    "0001": S.BOOKED,  # At Merchant's Warehouse: not collected yet
    "0002": S.RETURNED,  # Returned
    "0003": S.PICKED,  # At PostEx Warehouse: PostEx holds it
    "0004": S.IN_TRANSIT,  # Package on Route
    "0005": S.DELIVERED,
    "0006": S.RETURNED,
    "0007": S.RETURNED,
    "0008": S.ATTEMPTED,  # Delivery Under Review: it was not delivered
    "0013": S.ATTEMPTED,  # Attempt Made: <reason>
    "Unbooked": S.BOOKED,  # order exists at PostEx, pickup not booked yet
    "Booked": S.BOOKED,
    "Out For Delivery": S.OUT_FOR_DELIVERY,
    "Delivered": S.DELIVERED,
    "Returned": S.RETURNED,
    "Attempted": S.ATTEMPTED,
    "Out For Return": S.RETURNING,
}

TCS_EXPECTED = {
    "Booked": S.BOOKED,
    "Shipment Booked": S.BOOKED,
    "Picked Up": S.PICKED,
    "Shipment Picked Up": S.PICKED,
    "Arrived at TCS Facility": S.IN_TRANSIT,
    "Departed From TCS Facility": S.IN_TRANSIT,
    "In Transit": S.IN_TRANSIT,
    "Arrived at Destination": S.IN_TRANSIT,
    "Out For Delivery": S.OUT_FOR_DELIVERY,
    "Shipment Delivered": S.DELIVERED,
    "Delivered": S.DELIVERED,
    "Consignee Not Available": S.ATTEMPTED,
    "Incomplete Address": S.ATTEMPTED,
    "Recipient Refused": S.ATTEMPTED,
    "Awaiting Receiver Collection": S.ATTEMPTED,
    "Return to Shipper": S.RETURNING,
    "Shipment Returned To Origin": S.RETURNING,
    "Returned to Shipper": S.RETURNED,
    "Cancelled": S.CANCELLED,
    "Shipment Cancelled": S.CANCELLED,
}

# The lists of the design brief ("Pakistan specifics", not in this repository), verbatim.
DESIGN_LEOPARDS = (
    "Pickup Request not Send, Pickup Request Sent, Consignment Booked, 48 Hours Auto Canceled, Cancelled, "
    "Shipment Picked, Drop Off at Express Center, Arrived at Station, Dispatched, In Transit, Missroute, "
    "Assign to Courier, Pending, Undelivered, Being Return, Ready for Return, Returned to shipper, Delivered"
).split(", ")
DESIGN_POSTEX = [
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0013",
    "Unbooked",
    "Booked",
    "Out For Delivery",
    "Delivered",
    "Returned",
    "Attempted",
    "Out For Return",
]

CASES = [
    (name, statuses, raw, state)
    for name, statuses, expected in (
        ("leopards", LEOPARDS, LEOPARDS_EXPECTED),
        ("postex", POSTEX, POSTEX_EXPECTED),
        ("tcs", TCS, TCS_EXPECTED),
    )
    for raw, state in expected.items()
]


@pytest.mark.parametrize("courier,statuses,raw,state", CASES, ids=[f"{c[0]}:{c[2]}" for c in CASES])
def test_raw_status_maps_to_its_state(courier, statuses, raw, state):
    assert statuses.state_of(raw) is state


def test_every_status_in_design_is_covered():
    assert set(DESIGN_LEOPARDS) == set(LEOPARDS_EXPECTED)
    assert set(DESIGN_POSTEX) == set(POSTEX_EXPECTED)


@pytest.mark.parametrize(
    "statuses,expected", [(LEOPARDS, LEOPARDS_EXPECTED), (POSTEX, POSTEX_EXPECTED), (TCS, TCS_EXPECTED)]
)
def test_maps_hold_no_status_this_test_does_not_judge(statuses, expected):
    assert set(statuses.exact) == {normalise(raw) for raw in expected}


def test_every_internal_state_is_reachable_from_leopards():
    assert set(LEOPARDS_EXPECTED.values()) == set(State)


def test_spelling_case_and_spacing_variants_still_match():
    assert LEOPARDS.state_of("  returned TO Shipper ") is S.RETURNED
    assert LEOPARDS.state_of("48 Hours  Auto Canceled") is S.CANCELLED
    assert TCS.state_of("OUT FOR DELIVERY") is S.OUT_FOR_DELIVERY


def test_postex_attempt_message_with_its_reason_reads_as_attempted():
    assert POSTEX.state_of("Attempt Made: Customer not available") is S.ATTEMPTED
    assert POSTEX.state_of("Attempt Made: Address incomplete, phone off") is S.ATTEMPTED


@pytest.mark.parametrize("raw", ["Lost in Transit", "Hold at Station", "", "0099", "Deliver", "Attempted Made"])
def test_unknown_statuses_read_as_none_never_a_guess(raw):
    for statuses in (LEOPARDS, POSTEX, TCS):
        assert statuses.state_of(raw) is None


def test_a_prefix_match_needs_the_whole_prefix():
    statuses = StatusMap({}, prefixes={"Attempt Made": S.ATTEMPTED})
    assert statuses.state_of("Attempt") is None
    assert statuses.state_of("attempt made - no answer") is S.ATTEMPTED


@pytest.mark.parametrize(
    "written,key",
    [
        ("Leopards", "leopards"),
        ("Leopards Courier", "leopards"),
        ("LCS", "leopards"),
        ("PostEx", "postex"),
        ("POSTEX", "postex"),
        ("TCS", "tcs"),
        ("TCS Express", "tcs"),
        ("M&P", "mnp"),
        ("M & P", "mnp"),
        ("MnP", "mnp"),
        ("M&P Express", "mnp"),
        ("Trax", "trax"),
        ("Call Courier", "callcourier"),
        ("BlueEx", "blueex"),
    ],
)
def test_courier_names_as_shops_write_them(written, key):
    assert courier_key(written) == key


def test_a_forwarded_raw_status_reads_by_courier_name():
    assert state_for("Leopards Courier", "Assign to Courier") is S.OUT_FOR_DELIVERY
    assert state_for("PostEx", "0013") is S.ATTEMPTED
    assert state_for("TCS", "Recipient Refused") is S.ATTEMPTED
    assert state_for("Trax", "Delivered") is None  # no built-in map: the shop must say the state
    assert state_for("PostEx", "Teleported") is None


def test_every_state_has_a_place_in_the_progression():
    assert [s.progress for s in State] == [0, 1, 2, 3, 4, 3, 4, 5, 5]
    assert S.ATTEMPTED.progress == S.OUT_FOR_DELIVERY.progress  # a re-attempt is not a step back
