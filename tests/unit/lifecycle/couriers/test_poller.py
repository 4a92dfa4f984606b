"""Polling over real HTTP (fake courier server) into the real lifecycle database."""

import asyncio
import logging
from datetime import datetime, timezone

import pytest

from lifecycle.integrations.couriers import ScanPoller, Tracked
from lifecycle.integrations.couriers.recording import ScanRecorder

pytestmark = pytest.mark.asyncio

LE, PX, TC = "LE7512345678", "22301234567890", "779412326902"


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def poller(couriers, lifecycle, interval=60.0):
    recorder = ScanRecorder(lifecycle.db, lifecycle.settings, lifecycle.clock)
    return ScanPoller(couriers.clients(), recorder.shipments, recorder.record, interval)


def timeline(lifecycle, courier, cn):
    return [(s.raw_status, s.state, s.at) for s in lifecycle.shipment(courier, cn).scans]


async def test_each_scan_is_recorded_once_across_rounds_and_restarts(couriers, lifecycle):
    lifecycle.book("leopards", LE)
    couriers.fake.add("leopards", LE, "Shipment Picked", datetime(2026, 11, 19, 16, 0))
    couriers.fake.add("leopards", LE, "Consignment Booked", datetime(2026, 11, 19, 11, 0))
    first = poller(couriers, lifecycle)
    assert [s.raw_status for s in await first.poll_once()] == ["Consignment Booked", "Shipment Picked"]
    assert await first.poll_once() == []
    couriers.fake.add("leopards", LE, "Dispatched", datetime(2026, 11, 20, 8, 0))
    assert [s.raw_status for s in await first.poll_once()] == ["Dispatched"]
    restarted = poller(couriers, lifecycle)  # empty memory: the database dedupes
    assert await restarted.poll_once() == []
    assert timeline(lifecycle, "leopards", LE) == [
        ("Consignment Booked", "booked", utc(2026, 11, 19, 6, 0)),
        ("Shipment Picked", "picked", utc(2026, 11, 19, 11, 0)),
        ("Dispatched", "in_transit", utc(2026, 11, 20, 3, 0)),
    ]
    assert couriers.fake.requests.count(("leopards", LE)) == 4
    assert lifecycle.shipment("leopards", LE).last_polled_at == lifecycle.clock.now()


async def test_late_and_reordered_scans_join_the_timeline_without_undoing_progress(couriers, lifecycle):
    lifecycle.book("tcs", TC)
    couriers.fake.add("tcs", TC, "Out For Delivery", datetime(2026, 11, 21, 9, 30))
    couriers.fake.add("tcs", TC, "Booked", datetime(2026, 11, 19, 12, 0))
    p = poller(couriers, lifecycle)
    await p.poll_once()
    assert lifecycle.shipment("tcs", TC).state == "out_for_delivery"
    couriers.fake.add("tcs", TC, "Arrived at TCS Facility", datetime(2026, 11, 20, 23, 0))  # reported late
    assert [s.raw_status for s in await p.poll_once()] == ["Arrived at TCS Facility"]
    shipment = lifecycle.shipment("tcs", TC)
    assert shipment.state == "out_for_delivery"
    assert shipment.order.status == "out_for_delivery"
    assert [s[1] for s in timeline(lifecycle, "tcs", TC)] == ["booked", "in_transit", "out_for_delivery"]


async def test_delivered_parcels_are_no_longer_polled(couriers, lifecycle):
    lifecycle.book("tcs", TC)
    couriers.fake.add("tcs", TC, "Shipment Delivered", datetime(2026, 11, 21, 13, 0))
    p = poller(couriers, lifecycle)
    await p.poll_once()
    assert lifecycle.shipment("tcs", TC).order.status == "delivered"
    await p.poll_once()
    assert couriers.fake.requests.count(("tcs", TC)) == 1


async def test_postex_headline_without_a_time_is_stamped_when_first_seen_and_kept_once(couriers, lifecycle):
    lifecycle.book("postex", PX)
    couriers.fake.add("postex", PX, "0003", datetime(2026, 11, 20, 11, 0), "At PostEx Warehouse")
    couriers.fake.set_headline("postex", PX, "Out For Delivery")
    lifecycle.clock.advance(3 * 86400)
    seen_at = lifecycle.clock.now()
    await poller(couriers, lifecycle).poll_once()
    lifecycle.clock.advance(600)
    assert await poller(couriers, lifecycle).poll_once() == []  # restarted, ten minutes later
    assert timeline(lifecycle, "postex", PX) == [
        ("0003", "picked", utc(2026, 11, 20, 6, 0)),
        ("Out For Delivery", "out_for_delivery", seen_at),
    ]
    assert lifecycle.shipment("postex", PX).order.status == "out_for_delivery"


async def test_an_unknown_status_is_kept_raw_logged_and_moves_nothing(couriers, lifecycle, caplog):
    lifecycle.book("leopards", LE)
    couriers.fake.add("leopards", LE, "Shipment Picked", datetime(2026, 11, 19, 16, 0))
    couriers.fake.add("leopards", LE, "Hold at Station", datetime(2026, 11, 20, 10, 0))
    with caplog.at_level(logging.WARNING, logger="lifecycle.integrations.couriers.poller"):
        await poller(couriers, lifecycle).poll_once()
    assert "unknown leopards status 'Hold at Station' for CN LE7512345678" in caplog.text
    assert timeline(lifecycle, "leopards", LE)[-1] == ("Hold at Station", "unknown", utc(2026, 11, 20, 5, 0))
    assert lifecycle.shipment("leopards", LE).state == "picked"


async def test_a_failing_courier_does_not_stop_the_others_and_is_retried(couriers, lifecycle, caplog):
    lifecycle.book("tcs", TC, ref="SD-1")
    lifecycle.book("leopards", LE, ref="SD-2")
    couriers.fake.add("tcs", TC, "Booked", datetime(2026, 11, 19, 12, 0))
    couriers.fake.add("leopards", LE, "Shipment Picked", datetime(2026, 11, 19, 16, 0))
    couriers.fake.fail_next("tcs", 503)
    p = poller(couriers, lifecycle)
    with caplog.at_level(logging.WARNING, logger="lifecycle.integrations.couriers.poller"):
        assert [s.courier for s in await p.poll_once()] == ["leopards"]
    assert "tcs 779412326902: HTTP 503" in caplog.text
    assert [s.courier for s in await p.poll_once()] == ["tcs"]


async def test_a_courier_without_credentials_is_reported_once(couriers, lifecycle, caplog):
    lifecycle.book("trax", "TRX1")
    recorder = ScanRecorder(lifecycle.db, lifecycle.settings, lifecycle.clock)
    p = ScanPoller({}, recorder.shipments, recorder.record, 60)
    with caplog.at_level(logging.WARNING, logger="lifecycle.integrations.couriers.poller"):
        await p.poll_once()
        await p.poll_once()
    assert caplog.text.count("no tracking client for courier 'trax'") == 1


async def test_run_polls_at_the_interval_until_stopped(couriers, lifecycle):
    lifecycle.book("tcs", TC)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    started = loop.time()
    task = asyncio.create_task(poller(couriers, lifecycle, interval=0.05).run(stop))
    while couriers.fake.requests.count(("tcs", TC)) < 3:  # polls again and again (however slow the machine)
        assert loop.time() - started < 20, "the poller stopped polling"
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 2)  # and stops when told
    # never faster than its interval
    assert couriers.fake.requests.count(("tcs", TC)) <= (loop.time() - started) / 0.05 + 2


async def test_scans_for_consignments_sauda_does_not_know_are_not_recorded(couriers, lifecycle):
    couriers.fake.add("tcs", "000111", "Booked", datetime(2026, 11, 19, 12, 0))
    p = ScanPoller(
        couriers.clients(),
        lambda: [Tracked("tcs", "000111")],
        ScanRecorder(lifecycle.db, lifecycle.settings, lifecycle.clock).record,
        60,
    )
    assert await p.poll_once() == []


async def test_leopards_consignments_are_asked_about_together(couriers, lifecycle):
    cns = ["LE1000000001", "LE1000000002", "LE1000000003"]
    for i, cn in enumerate(cns):
        lifecycle.book("leopards", cn, ref=f"SD-{i}")
    couriers.fake.add("leopards", cns[0], "Shipment Picked", datetime(2026, 11, 19, 16, 0))
    couriers.fake.add("leopards", cns[2], "Delivered", datetime(2026, 11, 21, 13, 0))  # cns[1]: nothing yet
    clients = couriers.clients()
    clients["leopards"].batch_size = 2
    recorder = ScanRecorder(lifecycle.db, lifecycle.settings, lifecycle.clock)
    new = await ScanPoller(clients, recorder.shipments, recorder.record, 60).poll_once()
    assert sorted((s.cn, s.state) for s in new) == [(cns[0], "picked"), (cns[2], "delivered")]
    assert sorted(couriers.fake.requests) == [("leopards", f"{cns[0]},{cns[1]}"), ("leopards", cns[2])]
    assert lifecycle.shipment("leopards", cns[1]).scans == []
