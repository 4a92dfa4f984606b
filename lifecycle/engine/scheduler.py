"""The durable scheduler: workers claim due touchpoints, apply policy, send through the outbox.

One batch is three short transactions: claim (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; on
SQLite the connection takes the write lock at BEGIN), plan (handler + policy + outbox
rows), and record (send results). Sends happen between them, outside any transaction. A
claim carries a lease: if a worker dies mid-batch its rows become due again when the
lease ends, and a queued outbox row is reused, so at most the in-flight batch is resent.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Optional

import httpx
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engine import Database
from lifecycle.db.models import Customer, Order, OutboxMessage, Touchpoint
from lifecycle.domain import customers
from lifecycle.domain.clock import Clock
from lifecycle.domain.statuses import TouchpointState
from lifecycle.engine import outbox, policy
from lifecycle.engine.handlers import Context, Handler, Plan
from lifecycle.engine.templates import Templates
from lifecycle.engine.templates import default as default_templates
from lifecycle.integrations import signing
from lifecycle.integrations.rasa import RasaClient
from whatsapp.errors import MetaError, is_transient

logger = logging.getLogger(__name__)


def claim(session: Session, now: datetime, worker: str, limit: int, lease: float, kinds: Iterable[str]) -> list[int]:
    """Claim up to ``limit`` due touchpoints of ``kinds`` (and ones whose claim expired) for ``worker``."""
    due = (
        select(Touchpoint.id)
        .where(
            Touchpoint.kind.in_(list(kinds)),
            Touchpoint.due_at <= now,
            or_(
                Touchpoint.state == TouchpointState.SCHEDULED,
                (Touchpoint.state == TouchpointState.CLAIMED) & (Touchpoint.lease_until < now),
            ),
        )
        .order_by(Touchpoint.due_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if ids:
        session.execute(
            update(Touchpoint)
            .where(Touchpoint.id.in_(ids))
            .values(
                state=TouchpointState.CLAIMED,
                claimed_by=worker,
                lease_until=now + timedelta(seconds=lease),
                attempts=Touchpoint.attempts + 1,
            )
        )
    return ids


@dataclass
class Job:
    """One claimed touchpoint that needs the network: a WhatsApp send or a merchant webhook."""

    touchpoint_id: int
    outbox_id: Optional[int] = None
    payload: Optional[dict[str, Any]] = None
    webhook: Optional[dict[str, Any]] = None
    tracker: Optional[tuple[str, str, list, dict]] = None  # sender id, text, buttons, metadata
    new_row: Optional[dict[str, Any]] = None  # outbox row values, until it is inserted


class Worker:
    """Runs due touchpoints; ``run_once`` is one batch, ``run`` loops until stopped."""

    def __init__(
        self,
        db: Database,
        settings: LifecycleSettings,
        sender: outbox.Sender,
        handlers: Mapping[str, Handler],
        clock: Optional[Clock] = None,
        templates: Optional[Templates] = None,
        tracker: Optional[RasaClient] = None,
        name: Optional[str] = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.sender = sender
        self.handlers = handlers
        self.clock = clock or Clock()
        self.templates = templates or default_templates()
        self.tracker = tracker or RasaClient(settings.rasa_url, settings.rasa_token)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._http: Optional[httpx.AsyncClient] = None

    async def run_once(self, limit: Optional[int] = None) -> int:
        """Claim, plan, send and record one batch; returns how many touchpoints it claimed.

        The database phases run in a worker thread: the event loop may be serving requests too."""
        now = self.clock.now()
        if self.tracker.pending:
            await self.tracker.record([])  # what Rasa could not take earlier (it was restarting)
        ids = await asyncio.to_thread(self._claim, now, limit or self.settings.worker_batch)
        if not ids:
            return 0
        jobs = await asyncio.to_thread(self._plan_batch, ids, now)
        results = await asyncio.gather(*(self._perform(job) for job in jobs))
        await asyncio.to_thread(self._record_batch, jobs, results)
        await self.tracker.record([job.tracker for job, result in zip(jobs, results) if job.tracker and _sent(result)])
        return len(ids)

    def _claim(self, now: datetime, limit: int) -> list[int]:
        with self.db.session.begin() as session:
            return claim(session, now, self.name, limit, self.settings.worker_lease, self.handlers)

    def _plan_batch(self, ids: list[int], now: datetime) -> list[Job]:
        try:
            with self.db.session.begin() as session:
                return self._plan(session, ids, now, isolate=False)
        except Exception:  # noqa: BLE001 - plan again, each touchpoint on its own, to fail only the bad one
            logger.warning("batch plan failed; planning touchpoint by touchpoint", exc_info=True)
            with self.db.session.begin() as session:
                return self._plan(session, ids, now, isolate=True)

    def _record_batch(self, jobs: list[Job], results: list[Any]) -> None:
        with self.db.session.begin() as session:
            self._record(session, jobs, results, self.clock.now())

    async def run(self, stop: asyncio.Event) -> None:
        """Poll for due work until ``stop`` is set; errors are logged and the loop goes on."""
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception:  # noqa: BLE001 - a bad batch must not stop the scheduler
                logger.exception("scheduler batch failed")
                busy = 0
            if not busy:
                try:
                    await asyncio.wait_for(stop.wait(), self.settings.worker_poll)
                except asyncio.TimeoutError:
                    pass

    async def close(self) -> None:
        await self.tracker.close()
        if self._http is not None:
            await self._http.aclose()

    # -- plan ---------------------------------------------------------------------------
    def _plan(self, session: Session, ids: list[int], now: datetime, isolate: bool) -> list[Job]:
        """Handler + policy + outbox row for each claimed touchpoint. ``isolate`` puts each in a
        savepoint so that one failing touchpoint is marked failed and the rest go on."""
        touchpoint_list = list(
            session.scalars(select(Touchpoint).where(Touchpoint.id.in_(ids)).order_by(Touchpoint.due_at))
        )
        customer_ids = {t.customer_id for t in touchpoint_list if t.customer_id}
        order_ids = {t.order_id for t in touchpoint_list if t.order_id}
        people = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(customer_ids)))}
        order_map = {
            o.id: o
            for o in session.scalars(
                select(Order).where(Order.id.in_(order_ids)).options(selectinload(Order.cancellation))
            )
        }
        jobs: list[Job] = []
        asks: dict[int, tuple[str, Optional[int]]] = {}
        with session.no_autoflush:
            for touchpoint in touchpoint_list:
                plan_one = functools.partial(
                    self._plan_one,
                    session,
                    touchpoint,
                    people.get(touchpoint.customer_id),
                    order_map.get(touchpoint.order_id),
                    now,
                    asks,
                )
                if not isolate:
                    job = plan_one()
                else:
                    try:
                        with session.begin_nested():
                            job = plan_one()
                    except Exception as exc:  # noqa: BLE001 - one bad touchpoint must not block the batch
                        logger.exception("touchpoint %s (%s) failed to plan", touchpoint.id, touchpoint.key)
                        asks.pop(touchpoint.customer_id, None)
                        _finish(touchpoint, TouchpointState.FAILED, f"{type(exc).__name__}: {exc}", now)
                        continue
                if job is not None:
                    jobs.append(job)
        customers.ask_many(session, asks, now)
        session.flush()
        fresh = [job for job in jobs if job.new_row is not None]
        for job, outbox_id in zip(fresh, outbox.queue_rows(session, [job.new_row for job in fresh])):
            job.outbox_id, job.new_row = outbox_id, None
        return jobs

    def _plan_one(
        self,
        session: Session,
        touchpoint: Touchpoint,
        customer: Optional[Customer],
        order: Optional[Order],
        now: datetime,
        asks: dict[int, tuple[str, Optional[int]]],
    ) -> Optional[Job]:
        if customer is None:
            _finish(touchpoint, TouchpointState.FAILED, "touchpoint has no customer", now)
            return None
        plan: Plan = self.handlers[touchpoint.kind](Context(session, touchpoint, customer, order, self.settings, now))
        if plan.action in ("skip", "done"):
            _finish(
                touchpoint, TouchpointState.SKIPPED if plan.action == "skip" else TouchpointState.DONE, plan.reason, now
            )
            return None
        if plan.action == "webhook":
            return Job(touchpoint.id, webhook=plan.webhook)
        message = self.templates[plan.message]
        verdict = policy.check(
            session,
            customer,
            message.category,
            now,
            self.settings,
            force_template=bool(touchpoint.params.get("force_template")),
        )
        if verdict.action == "skip":
            _finish(touchpoint, TouchpointState.SKIPPED, verdict.reason, now)
            return None
        if verdict.action == "defer":
            touchpoint.state, touchpoint.due_at, touchpoint.result = (
                TouchpointState.SCHEDULED,
                verdict.until,
                verdict.reason,
            )
            touchpoint.claimed_by = touchpoint.lease_until = None
            return None
        rendered = self.templates.render(
            plan.message, customer.wa_id, customer.language, plan.variables, verdict.in_window
        )
        reused = outbox.unsent_row(session, touchpoint, rendered.mode)
        if plan.ask:
            asks[customer.id] = (plan.ask, order.id if order else None)
        metadata = {
            "touchpoint": touchpoint.kind,
            "key": touchpoint.key,
            "template": rendered.name,
            "mode": rendered.mode,
            **({"ask": plan.ask} if plan.ask else {}),
        }
        return Job(
            touchpoint.id,
            payload=rendered.payload,
            outbox_id=reused,
            new_row=None if reused else outbox.row_values(touchpoint, customer, rendered, now),
            tracker=(customer.phone, rendered.text, list(rendered.buttons), metadata),
        )

    # -- perform ------------------------------------------------------------------------
    async def _perform(self, job: Job) -> Any:
        try:
            if job.webhook is not None:
                return await self._post_merchant(job.webhook)
            return await self.sender.send(job.payload)
        except Exception as exc:  # noqa: BLE001 - recorded and retried like a transient failure
            logger.exception("touchpoint %s: send raised", job.touchpoint_id)
            return outbox.SendResult("error", error_message=repr(exc), status_code=None)

    async def _post_merchant(self, body: dict[str, Any]) -> outbox.SendResult:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=10.0)
        raw = json.dumps(body).encode()
        try:
            response = await self._http.post(
                self.settings.merchant_webhook_url,
                content=raw,
                headers=signing.headers(self.settings.merchant_webhook_secret, int(time.time()), raw),
            )
        except httpx.HTTPError as exc:
            return outbox.SendResult("error", error_message=f"network: {exc!r}")
        if response.status_code < 300:
            return outbox.SendResult("sent", status_code=response.status_code)
        return outbox.SendResult("error", status_code=response.status_code, error_message=response.text[:200])

    # -- record -------------------------------------------------------------------------
    def _record(self, session: Session, jobs: list[Job], results: list, now: datetime) -> None:
        """Store send results. Accepted sends (nearly all) are two set-based UPDATEs; the rest
        go through ``_record_other`` one by one."""
        ours = set(
            session.scalars(
                select(Touchpoint.id).where(
                    Touchpoint.id.in_([j.touchpoint_id for j in jobs]),
                    Touchpoint.state == TouchpointState.CLAIMED,
                    Touchpoint.claimed_by == self.name,
                )
            )
        )  # a lease that ran out was taken over by another worker
        accepted: list[tuple[Job, Any]] = []
        other: list[tuple[Job, Any]] = []
        for job, result in zip(jobs, results):
            if job.touchpoint_id in ours:
                (accepted if job.webhook is None and result.ok else other).append((job, result))
        if accepted:
            session.execute(
                update(Touchpoint)
                .where(Touchpoint.id.in_([j.touchpoint_id for j, _ in accepted]))
                .values(state=TouchpointState.DONE, result="sent", done_at=now, lease_until=None),
                execution_options={"synchronize_session": False},
            )
            outbox.record_accepted(session, [(job.outbox_id, result.wamid) for job, result in accepted], now)
        if other:
            self._record_other(session, other, now)

    def _record_other(self, session: Session, done: list[tuple[Job, Any]], now: datetime) -> None:
        touchpoint_map = {
            t.id: t
            for t in session.scalars(select(Touchpoint).where(Touchpoint.id.in_([j.touchpoint_id for j, _ in done])))
        }
        messages = {
            m.id: m
            for m in session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_([j.outbox_id for j, _ in done if j.outbox_id]))
            )
        }
        for job, result in done:
            touchpoint = touchpoint_map[job.touchpoint_id]
            if job.webhook is not None:
                transient = is_transient(result.status_code)
                outcome = (
                    "sent"
                    if result.ok
                    else "retry"
                    if transient and not outbox.WORKER_RETRY.gives_up(touchpoint.attempts)
                    else "failed"
                )
            else:
                outcome = outbox.record_send(messages[job.outbox_id], result, now)
            if outcome == "sent":
                _finish(touchpoint, TouchpointState.DONE, "sent", now)
            elif outcome == "retry":
                touchpoint.state, touchpoint.due_at = (
                    TouchpointState.SCHEDULED,
                    now + outbox.retry_delay(touchpoint.attempts),
                )
                touchpoint.claimed_by = touchpoint.lease_until = None
                touchpoint.result = f"retrying: {result.outcome} {result.error_message}"[:500]
            elif outcome == "resend_template":
                touchpoint.state, touchpoint.due_at, touchpoint.claimed_by = TouchpointState.SCHEDULED, now, None
                touchpoint.params = {**touchpoint.params, "force_template": True}
                touchpoint.result = "outside the 24 h window: resending as a template"
            else:
                _finish(
                    touchpoint,
                    TouchpointState.FAILED,
                    f"{result.outcome} ({result.error_code}): {result.error_message}",
                    now,
                )
                if result.error_code == MetaError.MARKETING_OPTED_OUT:
                    outbox.opted_out(session, touchpoint.customer_id, now)


def _sent(result: Any) -> bool:
    return bool(getattr(result, "ok", False))


def _finish(touchpoint: Touchpoint, state: str, result: str, now: datetime) -> None:
    touchpoint.state, touchpoint.result, touchpoint.done_at = state, (result or "")[:1000], now
    touchpoint.lease_until = None
