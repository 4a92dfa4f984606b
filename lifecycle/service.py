"""The composition root: the lifecycle as one running thing (database, settings, clock, the
handler registry) and the background work that runs beside requests, under one supervisor.

The app server builds it once (``Lifecycle.from_env``); actions in the same process
reach it through ``runtime()``. Channel events (statuses, opt-outs, inbound activity)
are applied here.
"""
from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from knowledge.profile import ProfileInvalid, load_profile, profile_path
from lifecycle.analytics.refresh import keep_fresh
from lifecycle.config import touchpoint_settings, watch
from lifecycle.config.privacy_settings import PrivacySettings
from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import Database, database_url
from lifecycle.db.models import ChannelDeadLetter, Customer, ReceivedMedia
from lifecycle.domain import customers, dead_letters, erasure, payments
from lifecycle.domain.clock import Clock
from lifecycle.engine import handlers, outbox
from lifecycle.engine.registry import HandlerRegistry
from lifecycle.engine.scheduler import Worker
from lifecycle.engine.supervisor import Job, Supervisor
from lifecycle.engine.templates import Templates
from lifecycle.engine.templates import default as default_templates
from lifecycle.flows import cart_recovery, csat, winback
from lifecycle.flows.engagement import EngagementLoop
from lifecycle.integrations.couriers.background import poll_couriers
from lifecycle.integrations.couriers.settings import CourierSettings
from lifecycle.integrations.rasa import RasaClient
from lifecycle.integrations.stores import Stores
from whatsapp.graph_client import GraphClient

logger = logging.getLogger(__name__)


def handler_registry() -> HandlerRegistry:
    """Every touchpoint kind's handler: the order lifecycle's and each flow's."""
    return HandlerRegistry(handlers.HANDLERS, cart_recovery.HANDLERS, winback.HANDLERS, csat.HANDLERS)


class Lifecycle:
    """``settings`` are those read from the environment; ``self.settings`` is what runs: them with
    the merchant's saved store profile and touchpoint settings laid over (``use_saved``)."""

    def __init__(self, db: Database, settings: LifecycleSettings, clock: Optional[Clock] = None,
                 templates: Optional[Templates] = None, handlers: Optional[HandlerRegistry] = None,
                 couriers: Optional[CourierSettings] = None) -> None:
        self.db = db
        self.environment = settings  # what the merchant's saved settings are laid over
        self.settings = settings
        self.couriers = couriers
        self.handlers = handlers if handlers is not None else handler_registry()
        self.clock = clock or Clock()
        self.templates = templates or default_templates()
        self.rasa = RasaClient(settings.rasa_url, settings.rasa_token)  # one pooled client for the process
        self.supervisor: Optional[Supervisor] = None
        self.worker: Optional[Worker] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Lifecycle":
        """Everything read from the environment once, here (SettingsError names a bad variable), the
        database migrated, and the merchant's saved settings laid over."""
        settings = LifecycleSettings.from_env(env)
        lifecycle = cls(Database(database_url(env)).migrate(), settings, couriers=CourierSettings.from_env(env))
        lifecycle.use_saved()
        return lifecycle

    @property
    def privacy(self) -> PrivacySettings:
        return self.settings.privacy

    def now(self) -> datetime:
        return self.clock.now()

    def use_saved(self) -> None:
        """Put what the merchant saved on the settings page to work in this process, at once: the store
        profile (store name, wallet accounts for the next payment instructions) and the touchpoint
        timings and offers (for orders placed and touchpoints run from now on; touchpoints already
        scheduled keep their times). A file that cannot be read leaves that part as it was (logged)."""
        settings = self.settings
        try:
            settings = self.environment.with_profile(load_profile(profile_path(self.environment.data_dir)))
        except ProfileInvalid:
            logger.exception("store profile unreadable: the store name and wallets stay as they were")
            settings = replace(self.environment, store_name=settings.store_name, accounts=settings.accounts)
        chosen = touchpoint_settings.saved(self.environment.data_dir)
        self.settings = chosen.applied(settings) if chosen is not None else settings
        if self.worker is not None:
            self.worker.settings = self.settings

    def saved_files(self) -> list[Path]:
        """The files ``use_saved`` reads, for a process that follows them."""
        data_dir = self.environment.data_dir
        return [data_dir / "profile.yml", data_dir / touchpoint_settings.FILE_NAME]

    def graph_client(self) -> GraphClient:
        s = self.settings
        return GraphClient(base_url=s.graph_base_url, version=s.graph_version, phone_number_id=s.phone_number_id,
                           access_token=s.access_token, rate_per_second=s.send_rate)

    # -- background work in this process -------------------------------------------------
    def start_background(self, couriers: Optional[CourierSettings] = None) -> Supervisor:
        """Start everything that runs beside requests under one supervisor: the scheduler, the
        engagement loop (SLA, agent alerts, win-back sweep), the courier poller, the dashboard
        summary refresh and the watch on the merchant's saved settings. MissingHandlers (before
        anything starts) if a touchpoint kind has no handler here."""
        with self.db.session() as session:
            self.handlers.check(session)
        couriers = couriers or self.couriers or CourierSettings.from_env()
        self.worker = Worker(self.db, self.settings, self.graph_client(), self.handlers, clock=self.clock,
                             templates=self.templates, tracker=self.rasa)
        jobs: dict[str, Job] = {
            "scheduler": self.worker.run,
            "engagement": EngagementLoop(self.db, self.clock, lambda: self.settings.engagement).run,
            "couriers": functools.partial(poll_couriers, self.db, self.settings, self.clock, couriers),
            "settings": functools.partial(watch.follow, self.saved_files(), self.use_saved),
            "retention": self._expire_periodically,
        }
        if self.settings.summary_refresh > 0:
            jobs["summary"] = functools.partial(keep_fresh, self.db, self.clock, every=self.settings.summary_refresh)
        self.supervisor = Supervisor(jobs)
        self.supervisor.start()
        return self.supervisor

    async def stop_background(self) -> None:
        if self.supervisor is not None:
            await self.supervisor.stop()
            await self.worker.close()
            await self.worker.sender.close()
            self.supervisor = None

    # -- privacy --------------------------------------------------------------------------
    def _stores(self) -> Stores:
        return Stores(self.privacy.tracker_url, self.privacy.channel_state_url)

    def erase_customer(self, phone: str) -> dict[str, int]:
        """The person with this number anonymised in the lifecycle database (the dashboard's
        figures stay) and deleted from the Rasa tracker store and the channel state; counts."""
        forms = erasure.phone_forms(phone)
        with self.db.session.begin() as session:
            erased = erasure.erase_customer(session, phone, self.now())
        return {"customers": int(erased is not None), **self._stores().erase(forms)}

    def expire_old(self) -> dict[str, int]:
        """Bodies older than the retention (SAUDA_RETENTION_*) blanked or deleted; counts."""
        with self.db.session.begin() as session:
            counts = erasure.expire(session, self.privacy, self.now())
        return {**counts, **self._stores().expire(self.privacy.conversation_days, self.privacy.seen_wamid_days)}

    async def _expire_periodically(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            counts = await asyncio.to_thread(self.expire_old)
            logger.info("retention: %s", ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "nothing old")
            try:
                await asyncio.wait_for(stop.wait(), self.privacy.sweep_hours * 3600)
            except asyncio.TimeoutError:
                pass

    # -- channel events -----------------------------------------------------------------
    def take_channel_event(self, kind: str, data: dict[str, Any]) -> Optional[str]:
        """Apply a channel event; one that cannot be applied is parked with its reason ("parked")
        so that the events after it go on. An unreachable database still raises: the channel
        keeps the event and tries again."""
        try:
            return self.handle_channel_event(kind, data)
        except OperationalError:
            raise
        except Exception as exc:
            logger.exception("channel event %s could not be applied: parked", kind)
            with self.db.session.begin() as session:
                dead_letters.park(session, kind, data, f"{type(exc).__name__}: {exc}", self.now())
                waiting = dead_letters.count_waiting(session)
            if waiting >= self.settings.dead_letter_alert:
                logger.error("ALERT: %d channel events wait in the dead-letter store (console: /console/dead-letters)",
                             waiting)
            return "parked"

    def retry_dead_letter(self, letter_id: int) -> Optional[str]:
        """Apply a parked event again: resolved when it applies, else its reason and attempts updated.
        KeyError if there is no such unresolved letter."""
        with self.db.session() as session:
            letter = session.get(ChannelDeadLetter, letter_id)
            if letter is None or letter.resolved_at is not None:
                raise KeyError(letter_id)
            kind, data = letter.kind, dict(letter.data)
        try:
            outcome, reason = self.handle_channel_event(kind, data), None
        except OperationalError:
            raise
        except Exception as exc:  # noqa: BLE001 - any other failure parks the event again, with its reason
            outcome, reason = "parked", f"{type(exc).__name__}: {exc}"
        with self.db.session.begin() as session:
            letter = session.get(ChannelDeadLetter, letter_id)
            letter.attempts += 1
            if reason is None:
                letter.resolved_at = self.now()
            else:
                letter.reason = reason
        return outcome

    def handle_channel_event(self, kind: str, data: dict[str, Any]) -> Optional[str]:
        """Status → outbox row by wamid; marketing preference → opt-out/in; inbound → 24 h window, media."""
        now = self.now()
        with self.db.session.begin() as session:
            if kind == "status":
                at = datetime.fromtimestamp(int(data.get("timestamp") or 0), timezone.utc) if data.get(
                    "timestamp") else now
                return outbox.apply_status(session, data["wamid"], data["status"], list(data.get("errors") or []),
                                           at, now)
            customer = customers.get_or_create(session, data["wa_id"], now, profile_name=data.get("profile_name"))
            if kind == "marketing_preference":
                stop = data.get("value") == "stop"
                changed = customers.set_opt_out(session, customer, stop, "whatsapp_preference", now)
                return ("opted_out" if stop else "opted_in") if changed else None
            customers.record_inbound(session, customer, now)
            if data.get("media"):
                return keep_media(session, customer, data["wamid"], data["media"], now)
        return None


def keep_media(session: Session, customer: Customer, wamid: str, media: dict[str, Any], now: datetime) -> str:
    """Keep a media message by id; with a payment awaited, it is that payment's receipt."""
    if session.scalar(select(ReceivedMedia.id).where(ReceivedMedia.wamid == wamid)) is not None:
        return "duplicate"
    payment = payments.awaited(session, customer)
    session.add(ReceivedMedia(customer_id=customer.id, wamid=wamid, media_id=str(media.get("id", "")),
                              mime_type=media.get("mime_type"), caption=media.get("caption"),
                              payment_id=payment.id if payment else None, at=now))
    if payment is not None and payment.media_id is None:
        payment.media_id = str(media.get("id", ""))
        return "receipt"
    return "kept"


_runtime: Optional[Lifecycle] = None


def runtime() -> Lifecycle:
    """The process's lifecycle (built from the environment on first use)."""
    global _runtime
    if _runtime is None:
        _runtime = Lifecycle.from_env()
    return _runtime


def set_runtime(lifecycle: Lifecycle) -> None:
    global _runtime
    _runtime = lifecycle
