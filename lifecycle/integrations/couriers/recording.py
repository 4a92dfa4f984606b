"""The poller's link to the lifecycle database: which consignments to poll, and recording each scan once.

Scans go through ``lifecycle.orders.record_scan``, which dedupes on (raw status, time)
and moves the shipment and order on. Two cases it cannot take are handled here:

- an undated scan (a courier's headline status) is stamped with the time Sauda first
  saw it; it is stored with ``at == recorded_at``, which is how a repeat is recognised;
- a status no map knows is kept in the timeline as ``state="unknown"`` with its raw
  text, and moves nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import Database
from lifecycle.db.models import Shipment, ShipmentScan
from lifecycle.domain import orders
from lifecycle.domain.clock import Clock
from lifecycle.integrations.couriers.base import Scan
from lifecycle.integrations.couriers.poller import Tracked

logger = logging.getLogger(__name__)

UNKNOWN = "unknown"


class ScanRecorder:
    def __init__(self, db: Database, settings: LifecycleSettings, clock: Clock) -> None:
        self.db, self.settings, self.clock = db, settings, clock

    def shipments(self) -> list[Tracked]:
        """Consignments still worth asking about (not delivered, returned or cancelled), marked as polled now."""
        active = Shipment.state.not_in(orders.FINAL_SHIPMENT_STATES)
        with self.db.session() as session, session.begin():
            rows = session.execute(select(Shipment.courier, Shipment.cn).where(active).order_by(Shipment.id)).all()
            session.execute(update(Shipment).where(active).values(last_polled_at=self.clock.now()))
            return [Tracked(courier, cn) for courier, cn in rows]

    def record(self, scan: Scan) -> bool:
        """Store one scan; False if it was already stored (or its shipment is unknown)."""
        with self.db.session() as session, session.begin():
            shipment = session.scalar(select(Shipment).where(Shipment.courier == scan.courier, Shipment.cn == scan.cn))
            if shipment is None:
                logger.warning("scan for unknown shipment %s %s ignored", scan.courier, scan.cn)
                return False
            now = self.clock.now()
            raw_status = scan.raw_status[:200]  # the column's width; couriers' texts are shorter
            if scan.at is None and _undated_seen(session, shipment, raw_status):
                return False
            at = scan.at or now
            location = scan.detail[:200] or None
            if scan.state is None:
                return _keep_unknown(session, shipment, raw_status, at, now, location)
            return (
                orders.record_scan(
                    session, shipment, raw_status, scan.state.value, at, now, self.settings, location=location
                )
                is not None
            )


def _undated_seen(session: Session, shipment: Shipment, raw_status: str) -> bool:
    return (
        session.scalar(
            select(ShipmentScan.id)
            .where(
                ShipmentScan.shipment_id == shipment.id,
                ShipmentScan.raw_status == raw_status,
                ShipmentScan.at == ShipmentScan.recorded_at,
            )
            .limit(1)
        )
        is not None
    )


def _keep_unknown(
    session: Session, shipment: Shipment, raw_status: str, at: datetime, now: datetime, location: Optional[str]
) -> bool:
    exists = session.scalar(
        select(ShipmentScan.id).where(
            ShipmentScan.shipment_id == shipment.id, ShipmentScan.raw_status == raw_status, ShipmentScan.at == at
        )
    )
    if exists is not None:
        return False
    session.add(
        ShipmentScan(
            shipment_id=shipment.id, raw_status=raw_status, state=UNKNOWN, location=location, at=at, recorded_at=now
        )
    )
    return True
