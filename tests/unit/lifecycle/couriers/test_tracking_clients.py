"""Each courier's tracking client over real HTTP against the fake courier server."""

from datetime import datetime, timezone

import pytest

from lifecycle.integrations.couriers import CourierError, State
from tests.fakes.courier_server import CUSTOMER_ADDRESS, CUSTOMER_PHONE

pytestmark = pytest.mark.asyncio

CN = "LE7512345678"


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


async def test_leopards_history_in_time_order_with_pakistan_times_as_utc(couriers):
    fake = couriers.fake
    fake.add("leopards", CN, "Arrived at Station", datetime(2026, 11, 20, 9, 0))  # script out of order
    fake.add("leopards", CN, "Consignment Booked", datetime(2026, 11, 19, 14, 30))
    fake.add("leopards", CN, "Pending", datetime(2026, 11, 21, 16, 5), "Consignee not available")
    fake.set_headline("leopards", CN, "Pending")
    scans = await couriers.leopards().track(CN)
    assert [(s.raw_status, s.state, s.at, s.detail) for s in scans] == [
        ("Consignment Booked", State.BOOKED, utc(2026, 11, 19, 9, 30), ""),  # 14:30 PKT = 09:30 UTC
        ("Arrived at Station", State.IN_TRANSIT, utc(2026, 11, 20, 4, 0), ""),
        ("Pending", State.ATTEMPTED, utc(2026, 11, 21, 11, 5), "Consignee not available"),
    ]


async def test_leopards_headline_ahead_of_history_becomes_an_undated_scan(couriers):
    couriers.fake.set_headline("leopards", CN, "Pickup Request not Send")
    scans = await couriers.leopards().track(CN)
    assert [(s.raw_status, s.state, s.at) for s in scans] == [("Pickup Request not Send", State.BOOKED, None)]


async def test_leopards_wrong_credentials_is_an_error_naming_the_courier_and_cn(couriers):
    couriers.fake.add("leopards", CN, "Delivered", datetime(2026, 11, 22, 12, 0))
    with pytest.raises(CourierError, match=f"leopards {CN}: Invalid API Key/Password"):
        await couriers.leopards(password="wrong").track(CN)


async def test_postex_codes_with_attempt_reason_and_headline_out_for_delivery(couriers):
    fake, cn = couriers.fake, "22301234567890"
    fake.add("postex", cn, "0001", datetime(2026, 11, 19, 10, 0), "At Merchant's Warehouse")
    fake.add("postex", cn, "0013", datetime(2026, 11, 21, 18, 0), "Attempt Made: Customer not responding")
    fake.add("postex", cn, "0003", datetime(2026, 11, 20, 11, 0), "At PostEx Warehouse")
    fake.set_headline("postex", cn, "Out For Delivery")  # rider out again; no history entry yet
    scans = await couriers.postex().track(cn)
    assert [(s.raw_status, s.state) for s in scans] == [
        ("0001", State.BOOKED),
        ("0003", State.PICKED),
        ("0013", State.ATTEMPTED),
        ("Out For Delivery", State.OUT_FOR_DELIVERY),
    ]
    assert scans[2].detail == "Attempt Made: Customer not responding"
    assert scans[3].at is None


async def test_postex_headline_that_matches_the_latest_scan_adds_nothing(couriers):
    fake, cn = couriers.fake, "22301234567891"
    fake.add("postex", cn, "0005", datetime(2026, 11, 22, 13, 0), "Delivered")
    fake.set_headline("postex", cn, "Delivered")
    assert [s.raw_status for s in await couriers.postex().track(cn)] == ["0005"]


async def test_postex_bad_token_and_unknown_cn_are_errors(couriers):
    couriers.fake.add("postex", "223", "0001", datetime(2026, 11, 19, 10, 0))
    with pytest.raises(CourierError, match="HTTP 401"):
        await couriers.postex(token="nope").track("223")
    with pytest.raises(CourierError, match="INVALID TRACKING NUMBER"):
        await couriers.postex().track("999")


async def test_tcs_checkpoints_and_no_data_yet(couriers):
    fake, cn = couriers.fake, "779412326902"
    assert await couriers.tcs().track(cn) == []  # booked, not scanned yet: TCS answers FAIL
    fake.add("tcs", cn, "Shipment Delivered", datetime(2026, 11, 17, 12, 58))
    fake.add("tcs", cn, "Arrived at TCS Facility", datetime(2026, 11, 14, 23, 19))
    fake.add("tcs", cn, "Out For Delivery", datetime(2026, 11, 17, 9, 2))
    scans = await couriers.tcs().track(cn)
    assert [(s.state, s.at) for s in scans] == [
        (State.IN_TRANSIT, utc(2026, 11, 14, 18, 19)),
        (State.OUT_FOR_DELIVERY, utc(2026, 11, 17, 4, 2)),
        (State.DELIVERED, utc(2026, 11, 17, 7, 58)),
    ]


async def test_tcs_rejected_token(couriers):
    with pytest.raises(CourierError, match="HTTP 401"):
        await couriers.tcs(token="expired").track("779412326902")


async def test_generic_courier_from_config(couriers):
    fake, cn = couriers.fake, "MP100200"
    fake.add("mnp", cn, "Booked", datetime(2026, 11, 19, 10, 0))
    fake.add("mnp", cn, "Arrival at Destination", datetime(2026, 11, 20, 7, 45), "Karachi hub")
    fake.add("mnp", cn, "Hold for Collection", datetime(2026, 11, 20, 15, 0))
    scans = await couriers.mnp().track(cn)
    assert [(s.courier, s.raw_status, s.state, s.detail) for s in scans] == [
        ("mnp", "Booked", State.BOOKED, ""),
        ("mnp", "Arrival at Destination", State.IN_TRANSIT, "Karachi hub"),
        ("mnp", "Hold for Collection", None, ""),  # unknown: kept raw, no guess
    ]
    assert scans[1].at == utc(2026, 11, 20, 2, 45)
    with pytest.raises(CourierError, match="HTTP 401"):
        await couriers.mnp(key="wrong").track(cn)


@pytest.mark.parametrize("status", [500, 502, 429])
async def test_server_errors_are_courier_errors(couriers, status):
    couriers.fake.fail_next("tcs", status)
    with pytest.raises(CourierError, match=f"HTTP {status}"):
        await couriers.tcs().track("779412326902")


async def test_unreachable_courier_is_a_courier_error(couriers):
    from lifecycle.integrations.couriers.tcs import TcsClient

    with pytest.raises(CourierError, match="ConnectError"):
        await TcsClient("http://127.0.0.1:9", couriers.http, "tt").track("779412326902")


async def test_an_answer_in_an_unexpected_shape_is_a_courier_error(couriers):
    from lifecycle.integrations.couriers.generic import GenericClient, GenericConfig
    from tests.unit.lifecycle.couriers.conftest import MNP

    couriers.fake.add("mnp", "MP1", "Booked", datetime(2026, 11, 19, 10, 0))
    config = GenericConfig.from_dict(
        {**MNP, "base_url": couriers.url, "headers": {"X-Api-Key": "gk"}, "events": "data.scans"}
    )  # the answer has data.history
    with pytest.raises(CourierError, match="mnp MP1: unexpected response"):
        await GenericClient(config, couriers.http).track("MP1")


async def test_scans_never_carry_the_customers_phone_or_address(couriers):
    fake = couriers.fake
    fake.add("leopards", CN, "Delivered", datetime(2026, 11, 22, 12, 0))
    fake.add("postex", "223", "0005", datetime(2026, 11, 22, 12, 0), "Delivered")
    fake.add("tcs", "779", "Delivered", datetime(2026, 11, 22, 12, 0))
    scans = [
        *await couriers.leopards().track(CN),
        *await couriers.postex().track("223"),
        *await couriers.tcs().track("779"),
    ]
    assert len(scans) == 3
    text = repr(scans)
    assert CUSTOMER_PHONE not in text and "Gulberg" not in text and CUSTOMER_ADDRESS not in text
    assert "Ayesha" not in text  # Leopards' receiver name stays out too


async def test_a_headline_behind_the_history_adds_nothing(couriers):
    fake, cn = couriers.fake, "22301234567892"
    fake.add("postex", cn, "0003", datetime(2026, 11, 20, 11, 0), "At PostEx Warehouse")
    fake.set_headline("postex", cn, "Booked")  # not yet updated
    assert [s.raw_status for s in await couriers.postex().track(cn)] == ["0003"]


async def test_out_for_delivery_again_after_an_attempt_is_news(couriers):
    fake = couriers.fake
    fake.add("leopards", CN, "Assign to Courier", datetime(2026, 11, 21, 9, 0))
    fake.add("leopards", CN, "Pending", datetime(2026, 11, 21, 17, 0), "Consignee not available")
    fake.set_headline("leopards", CN, "Assign to Courier")  # second attempt, history not yet written
    scans = await couriers.leopards().track(CN)
    assert [(s.state, s.at) for s in scans][-1] == (State.OUT_FOR_DELIVERY, None)
