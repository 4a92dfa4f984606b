"""Every dashboard number on a small hand-built history, against values worked out by hand.

The period is 1–7 March 2026 in Karachi (UTC+5); the previous period is 22–28 February.
Customers c1..c6; orders O1..O14 (O10, O12, O13 fall in the previous period, O11 and O14
after). The arithmetic for each expected value is in the comments.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from lifecycle.analytics import metrics
from lifecycle.analytics.period import Period
from lifecycle.db.engagement_models import CartRecovery, CsatResponse
from lifecycle.db.models import Cancellation, Cart, Customer, Escalation, Order, OutboxMessage, Shipment, Touchpoint

PKT = timezone(timedelta(hours=5))
PERIOD = Period.days_ending(date(2026, 3, 7), 7)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PKT)


LAWN = {"name": "Lawn Suit", "quantity": 1, "price": "1000"}
KHUSSA = {"name": "Khussa", "quantity": 1, "price": "500"}

# ref: (customer, method, city, amount, status, placed, items)
ORDERS = {
    "O1": ("c1", "cod", "Lahore", 1000, "delivered", at(1, 10), [LAWN]),
    "O2": ("c1", "cod", "Lahore", 2000, "returned", at(1, 12), [LAWN]),
    "O3": ("c2", "cod", "Karachi", 1500, "cancelled", at(2, 10), [LAWN, KHUSSA]),
    "O4": ("c3", "cod", "Lahore", 500, "cancelled", at(3), [LAWN]),
    "O5": ("c3", "cod", "Multan", 800, "pending_confirmation", at(4), [KHUSSA]),
    "O6": ("c3", "cod", "Multan", 700, "pending_confirmation", at(4, 14), [KHUSSA]),
    "O7": ("c4", "jazzcash", "Lahore", 3000, "confirmed", at(5), [LAWN]),
    "O8": ("c2", "easypaisa", "Karachi", 1200, "cancelled", at(6), [KHUSSA]),
    "O9": ("c4", "cod", "Lahore", 900, "dispatched", at(7, 23, 30), [LAWN]),  # last half hour of the period
    "O10": ("c4", "cod", "Peshawar", 5000, "returned", at(28, 23, 59, month=2), [LAWN]),  # previous period
    "O11": ("c6", "cod", "Lahore", 100, "pending_confirmation", at(8, 0), [LAWN]),  # first minute after
    "O12": ("c5", "cod", "Lahore", 400, "cancelled", at(26, month=2), [LAWN]),
    "O13": ("c4", "cod", "Lahore", 600, "delivered", at(25, month=2), [LAWN]),
    "O14": ("c5", "cod", "Lahore", 300, "pending_confirmation", datetime(2026, 4, 10, 10, tzinfo=PKT), [LAWN]),
}


def _history(session) -> None:
    c = {}
    for n in range(1, 7):
        c[f"c{n}"] = Customer(phone=f"+92300111000{n}", created_at=at(1, 0, month=2))
    session.add_all(c.values())
    session.flush()
    o = {}
    for ref, (who, method, city, amount, status, placed, items) in ORDERS.items():
        o[ref] = Order(
            ref=ref,
            customer_id=c[who].id,
            items=items,
            amount=Decimal(amount),
            payment_method=method,
            city=city,
            address="x",
            status=status,
            placed_at=placed,
            updated_at=placed,
        )
    o["O5"].needs_call = True  # no answer, flagged for a call
    session.add_all(o.values())
    session.flush()

    session.add_all(
        [
            Cancellation(order_id=o["O3"].id, source="customer", reason="changed_mind", created_at=at(2, 11)),
            Cancellation(order_id=o["O4"].id, source="no_answer", reason=None, created_at=at(3, 20)),
            Cancellation(order_id=o["O8"].id, source="merchant", reason="found_cheaper", created_at=at(6, 12)),
            Cancellation(order_id=o["O12"].id, source="customer", reason="wrong_item", created_at=at(27, month=2)),
        ]
    )
    session.add_all(
        [
            Shipment(
                order_id=o["O1"].id, courier="leopards", cn="L1", state="delivered", state_at=at(3), booked_at=at(1, 15)
            ),
            Shipment(order_id=o["O2"].id, courier="postex", cn="P1", state="returned", state_at=at(6), booked_at=at(2)),
            Shipment(
                order_id=o["O9"].id,
                courier="leopards",
                cn="L2",
                state="in_transit",
                state_at=at(7, 23, 50),
                booked_at=at(7, 23, 45),
            ),
            Shipment(order_id=o["O10"].id, courier="tcs", cn="T1", state="returned", state_at=at(5), booked_at=at(1)),
        ]
    )

    def touchpoint(kind, key, state, done, customer, order=None, cart=None):
        return Touchpoint(
            kind=kind,
            key=key,
            state=state,
            due_at=done,
            done_at=done if state == "done" else None,
            customer_id=c[customer].id,
            order_id=o[order].id if order else None,
            cart_id=cart.id if cart else None,
            created_at=at(1, 0, month=2),
        )

    carts = {
        name: Cart(
            ref=name,
            customer_id=c[who].id,
            items=[LAWN],
            total=Decimal(1),
            status="abandoned",
            created_at=at(1, 0),
            updated_at=at(1, 0),
        )
        for name, who in [("A", "c4"), ("B", "c2"), ("C", "c5"), ("E", "c2"), ("F", "c1")]
    }
    session.add_all(carts.values())
    session.flush()

    def recovery(cart, started, last_stage, stage=None, order=None, when=None):
        return CartRecovery(
            cart_id=carts[cart].id,
            customer_id=carts[cart].customer_id,
            started_at=started,
            last_stage_sent=last_stage,
            recovered_stage=stage,
            recovered_order_id=o[order].id if order else None,
            recovered_revenue=o[order].amount if order else None,
            recovered_at=when,
        )

    session.add_all(
        [
            recovery("A", at(1), 2, 2, "O7", at(5)),
            recovery("B", at(2), 1, 1, "O3", at(2)),
            recovery("C", at(2), 3),
            recovery("E", at(6), 0),  # nothing sent yet
            recovery("F", at(27, month=2), 3, 3, "O1", at(1)),  # started in February, bought on 1 March
        ]
    )
    cart_stage_1 = touchpoint("cart_recovery", "cart_recovery:A:1:1", "done", at(1, 10), "c4", cart=carts["A"])
    session.add_all(
        [
            cart_stage_1,
            # CSAT asked in the period: O1 positive, O10 negative, O13 unclear, O2 no answer; O9 not sent yet
            touchpoint("csat", "csat:O1", "done", at(2), "c1", order="O1"),
            touchpoint("csat", "csat:O10", "done", at(2), "c4", order="O10"),
            touchpoint("csat", "csat:O13", "done", at(1), "c4", order="O13"),
            touchpoint("csat", "csat:O2", "done", at(3), "c1", order="O2"),
            touchpoint("csat", "csat:O9", "scheduled", at(9), "c4", order="O9"),
        ]
    )
    session.add_all(
        [
            CsatResponse(order_id=o[ref].id, customer_id=o[ref].customer_id, answer=answer, at=at(3))
            for ref, answer in [("O1", "positive"), ("O10", "negative"), ("O13", "unclear")]
        ]
    )
    session.add_all(
        [
            Escalation(
                customer_id=c["c4"].id,
                order_id=o["O10"].id,
                reason="csat_negative",
                status="resolved",
                created_at=at(2, 12),
                resolved_at=at(2, 12, 10),
            ),
            Escalation(
                customer_id=c["c3"].id,
                order_id=o["O5"].id,
                reason="cod_no_answer",
                status="open",
                created_at=at(4, 18),
                breached_at=at(4, 18, 15),
            ),
            Escalation(customer_id=c["c4"].id, reason="human_request", status="taken", created_at=at(5)),
            Escalation(
                customer_id=c["c2"].id,
                reason="human_request",
                status="resolved",
                created_at=at(6),
                breached_at=at(6, 10, 15),
                resolved_at=at(6, 11),
            ),
            Escalation(customer_id=c["c5"].id, reason="human_request", status="resolved", created_at=at(27, month=2)),
        ]
    )
    session.flush()
    cod_confirmation = touchpoint("cod_confirmation", "cc:O1", "done", at(1), "c1", order="O1")
    cod_reminder = touchpoint("cod_reminder", "cr:O5", "done", at(4), "c3", order="O5")
    session.add_all([cod_confirmation, cod_reminder])
    session.flush()

    def message(touchpoint_row, template, wamid, status, code=None, created=at(3), customer="c1"):
        return OutboxMessage(
            touchpoint_id=touchpoint_row.id if touchpoint_row else None,
            customer_id=c[customer].id,
            template=template,
            category="UTILITY",
            mode="template",
            payload={},
            text="t",
            wamid=wamid,
            status=status,
            error_code=code,
            created_at=created,
        )

    session.add_all(
        [
            message(cod_confirmation, "cod_confirmation", "w1", "read"),
            message(cod_confirmation, "cod_confirmation", "w2", "delivered"),
            message(cod_confirmation, "cod_confirmation", "w3", "failed", 131047),
            message(cod_reminder, "cod_reminder", "w4", "sent"),
            message(cod_reminder, "cod_reminder", "w8", "failed", 130429),
            message(cart_stage_1, "cart_reminder", "w5", "failed", 131050),
            message(cart_stage_1, "cart_reminder", "w6", "failed", 131026),
            message(cart_stage_1, "cart_reminder", None, "queued"),
            message(None, "order_cancelled", "w9", "delivered"),
            message(cod_confirmation, "cod_confirmation", "w10", "read", created=at(28, month=2)),
            # win-back (no touchpoint row: named by template)
            message(None, "winback_new_arrivals", "wb1", "delivered", created=at(1), customer="c3"),
            message(None, "winback_personal_code", "wb2", "delivered", created=at(2), customer="c5"),
            message(None, "winback_last_code", "wb3", "delivered", created=at(1), customer="c2"),
            message(None, "winback_new_arrivals", "wb4", "delivered", created=at(2), customer="c1"),
            message(None, "winback_new_arrivals", "wb5", "delivered", created=at(27, month=2), customer="c6"),
        ]
    )


@pytest.fixture
def session(db):
    with db.session.begin() as s:
        _history(s)
    with db.session() as s:
        yield s


def rows(session, key, period=PERIOD):
    return metrics.Report(session, period)[key].rows


def headline(session, period=PERIOD):
    return metrics.Report(session, period).headline()


def test_period_bounds_are_local_days():
    # 1 March 00:00 PKT = 28 Feb 19:00 UTC; the end is 8 March 00:00 PKT
    assert PERIOD.start == datetime(2026, 2, 28, 19, tzinfo=timezone.utc)
    assert PERIOD.end == datetime(2026, 3, 7, 19, tzinfo=timezone.utc)
    assert PERIOD.previous() == Period(date(2026, 2, 22), date(2026, 2, 28))
    assert Period.days_ending(date(2026, 3, 31), 90).step == 7 * 86400  # weekly buckets beyond 5 weeks


def test_orders_and_cod(session):
    h = headline(session)
    assert h["orders"] == 9  # O1..O9; O10 is 23:59 on 28 Feb, O11 00:00 on 8 March
    assert h["order_value"] == 11600  # 1000+2000+1500+500+800+700+3000+1200+900
    assert h["cod_share"] == pytest.approx(7 / 9)  # all but O7 (JazzCash) and O8 (Easypaisa)
    # COD: confirmed or later O1 O2 O9 = 3; cancelled by customer O3 = 1; no answer O4 (auto-cancel),
    # O5 (flagged for a call) = 2; awaiting O6 = 1
    assert rows(session, "cod_outcomes") == [("confirmed", 3), ("cancelled", 1), ("no answer", 2), ("awaiting", 1)]
    assert h["cod_confirmed"] == pytest.approx(3 / 7)
    assert h["cod_cancelled"] == pytest.approx(1 / 7)
    assert h["cod_no_answer"] == pytest.approx(2 / 7)
    assert h["cancellation_rate"] == pytest.approx(3 / 9)  # O3 O4 O8
    # placed 9; confirmed or later O1 O2 O7 O9; dispatched or later O1 O2 O9; delivered O1
    assert rows(session, "order_funnel") == [("placed", 9), ("confirmed", 4), ("dispatched", 3), ("delivered", 1)]


def test_orders_trend_by_local_day(session):
    assert rows(session, "orders_trend") == [
        ("2026-03-01", 2, 2, 3000),  # O1 + O2
        ("2026-03-02", 1, 1, 1500),
        ("2026-03-03", 1, 1, 500),
        ("2026-03-04", 2, 2, 1500),  # O5 + O6
        ("2026-03-05", 1, 0, 3000),
        ("2026-03-06", 1, 0, 1200),
        ("2026-03-07", 1, 1, 900),  # O9 at 23:30 PKT is still 7 March
    ]
    # previous period: O13 on 25 Feb, O12 on 26 Feb, O10 at 23:59 on 28 Feb
    previous = rows(session, "orders_trend", PERIOD.previous())
    assert [r[1] for r in previous] == [0, 0, 0, 1, 1, 0, 1]


def test_rto_by_courier_and_city(session):
    # booked 1–7 March: L1 (O1 delivered), P1 (O2 returned), L2 (O9 in transit), T1 (O10 returned)
    assert rows(session, "rto_by_courier") == [("leopards", 2, 0, 0.0), ("postex", 1, 1, 1.0), ("tcs", 1, 1, 1.0)]
    assert rows(session, "rto_by_city") == [("Lahore", 3, 1, pytest.approx(1 / 3)), ("Peshawar", 1, 1, 1.0)]
    assert headline(session)["rto_rate"] == 0.5  # 2 returned ÷ 4 dispatched


def test_cart_recovery_by_stage(session):
    # started in the period: A (reached stage 2), B (stage 1), C (stage 3), E (nothing yet):
    # stage 1 reached by A B C = 3, stage 2 by A C = 2, stage 3 by C = 1.
    # bought in the period: B after stage 1 (O3, Rs 1500), A after stage 2 (O7, Rs 3000),
    # F after stage 3 (O1, Rs 1000; its recovery started in February)
    assert rows(session, "cart_recovery") == [("stage 1", 3, 1, 1500), ("stage 2", 2, 1, 3000), ("stage 3", 1, 1, 1000)]
    h = headline(session)
    assert (h["recovered_carts"], h["recovered_revenue"]) == (3, 5500)


def test_csat(session):
    # asked in the period: O1 positive, O10 negative, O13 unclear, O2 no answer
    assert rows(session, "csat") == [("positive", 1), ("negative", 1), ("unclear", 1), ("no answer", 1)]
    h = headline(session)
    assert h["csat_positive"] == 0.5  # 1 ÷ (1 + 1)
    assert h["csat_response_rate"] == 0.75  # 3 answered ÷ 4 asked


def test_escalations_and_sla(session):
    # 1–7 March: human_request ×2 (one breached, one resolved), csat_negative (resolved), cod_no_answer (breached)
    assert rows(session, "escalations") == [
        ("human_request", 2, 1, 1, 0.5),
        ("cod_no_answer", 1, 1, 0, 0.0),
        ("csat_negative", 1, 0, 1, 1.0),
    ]
    h = headline(session)
    assert (h["escalations"], h["sla_compliance"]) == (4, 0.5)  # (4 − 2 breached) ÷ 4


def test_winback_by_step(session):
    # day 30 (new arrivals): wb1 (c3 ordered O4 two days later) and wb4 (c1's orders came before it) → 1 of 2
    # day 60 (personal code): wb2 (c5's next order O14 is 39 days later, beyond 30) → 0 of 1
    # day 90 (last code): wb3 (c2 ordered O3 the next day) → 1 of 1; wb5 is in the previous period
    assert rows(session, "winback") == [("day 30", 2, 1, 0.5), ("day 60", 1, 0, 0.0), ("day 90", 1, 1, 1.0)]
    assert headline(session)["winback_conversion"] == 0.5  # 2 ÷ 4


def test_messages_per_touchpoint(session):
    # touchpoint: sent (has wamid), delivered (delivered|read), read, failed, 131047, 131050, 131026, other
    assert rows(session, "messages") == [
        ("cart_recovery", 2, 0, 0, 2, 0, 1, 1, 0),  # the queued one has no wamid
        ("cod_confirmation", 3, 2, 1, 1, 1, 0, 0, 0),  # w10 was created in February
        ("cod_reminder", 2, 0, 0, 1, 0, 0, 0, 1),  # 130429 is "other"
        ("order_cancelled", 1, 1, 0, 0, 0, 0, 0, 0),  # no touchpoint: named by its template
        ("winback_last_code", 1, 1, 0, 0, 0, 0, 0, 0),
        ("winback_new_arrivals", 2, 2, 0, 0, 0, 0, 0, 0),  # wb5 was created in February
        ("winback_personal_code", 1, 1, 0, 0, 0, 0, 0, 0),
    ]
    h = headline(session)
    assert (h["messages_sent"], h["messages_failed"]) == (12, 4)  # 2+3+2+1+1+2+1
    assert h["delivery_rate"] == pytest.approx(7 / 12)  # 0+2+0+1+1+2+1
    assert h["read_rate"] == pytest.approx(1 / 12)


def test_cancellation_reasons(session):
    # in the period: O3 changed_mind (COD, Karachi, Lawn Suit + Khussa), O4 auto-cancelled without a reason
    # → "no answer" (COD, Lahore, Lawn Suit), O8 found_cheaper by the merchant (Easypaisa, Karachi, Khussa);
    # O12's wrong_item is in February
    # columns: changed_mind, found_cheaper, wrong_item, delivery_slow, other, not given, no answer, by merchant, total
    assert rows(session, "cancellation_reasons") == [
        ("changed_mind", 1),
        ("found_cheaper", 1),
        ("wrong_item", 0),
        ("delivery_slow", 0),
        ("other", 0),
        ("not given", 0),
        ("no answer", 1),
        ("by merchant", 0),
    ]
    assert rows(session, "cancellations_by_city") == [
        ("Karachi", 1, 1, 0, 0, 0, 0, 0, 0, 2),
        ("Lahore", 0, 0, 0, 0, 0, 0, 1, 0, 1),
    ]
    assert rows(session, "cancellations_by_payment_method") == [
        ("cod", 1, 0, 0, 0, 0, 0, 1, 0, 2),
        ("easypaisa", 0, 1, 0, 0, 0, 0, 0, 0, 1),
    ]
    # per product line: Khussa in O3 and O8, Lawn Suit in O3 and O4
    assert rows(session, "cancellations_by_product") == [
        ("Khussa", 1, 1, 0, 0, 0, 0, 0, 0, 2),
        ("Lawn Suit", 1, 0, 0, 0, 0, 0, 1, 0, 2),
    ]
    trend = rows(session, "cancellations_trend")
    assert len(trend) == 7 and trend[1] == ("2026-03-02", 1, 0, 0, 0, 0, 0, 0, 0, 1)
    assert trend[2] == ("2026-03-03", 0, 0, 0, 0, 0, 0, 1, 0, 1)
    assert trend[5] == ("2026-03-06", 0, 1, 0, 0, 0, 0, 0, 0, 1)
    assert sum(r[-1] for r in trend) == 3


def test_compare_with_previous_period(session):
    compared = {key: (now, before) for key, _, now, before in metrics.Report(session, PERIOD).compare()}
    assert compared["orders"] == (9, 3)  # previous: O10, O12, O13
    assert compared["order_value"] == (11600, 6000)  # 5000 + 400 + 600
    assert compared["winback_conversion"] == (0.5, 1.0)  # wb5 on 27 Feb: c6 ordered O11 nine days later
    assert compared["rto_rate"] == (0.5, None)  # nothing booked in February: no rate, not 0
    assert set(compared) == set(metrics.METRICS)
