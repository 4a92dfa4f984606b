"""Action calls while background work runs: the p95 of an action call (``action_order_status``)
at 16 concurrent customers with the worker idle, and while ``python -m lifecycle worker``
dispatches 2,000 touchpoints and the win-back sweep goes over 20,000 customers; for comparison
the same work inside the app server (``SAUDA_WORKER=inprocess``).

Real processes on PostgreSQL (``SAUDA_TEST_PG_URL``, a scratch schema per run): the app server,
the WhatsApp simulator as the Graph API and, where it runs, the worker. ``SAUDA_BENCH_CALLS``
sets the calls per customer (default 40). The machine is shared, so idle and busy alternate
``SAUDA_BENCH_ROUNDS`` times (default 3) in one run and each side's samples are pooled; the
table gives the load average and the CPU seconds each process used while the calls ran.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx
from sqlalchemy import func, select, text

from bench.bench_engagement import _population
from bench.bench_lifecycle import database
from bench.table import Table, percentiles
from lifecycle.config.settings import LifecycleSettings
from lifecycle.db.engagement_models import WinbackState
from lifecycle.db.models import Touchpoint
from lifecycle.domain import orders
from lifecycle.domain.statuses import TouchpointKind, TouchpointState
from tests.stack import APP_PYTHON, ROOT, free_port, private_actions

CUSTOMERS = 16
CALLS = int(os.environ.get("SAUDA_BENCH_CALLS", 40))
ROUNDS = int(os.environ.get("SAUDA_BENCH_ROUNDS", 3))
TOUCHPOINTS = 2000
WINBACK_CUSTOMERS = 20_000


def _seed(db, now: datetime) -> list[str]:
    """20,000 customers for the win-back sweep and 2,000 COD orders whose confirmation falls due
    when ``_fall_due`` runs; the phones of the 16 customers who will ask about their order."""
    _population(db, WINBACK_CUSTOMERS, now)
    with db.engine.begin() as connection:
        for table in ("customers", "orders"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
    settings = LifecycleSettings()
    with db.session.begin() as session:
        for n in range(TOUCHPOINTS):
            orders.place(
                session,
                orders.NewOrder(
                    ref=f"BG-{n}",
                    phone=f"+92301{n:07d}",
                    items=[{"name": "Lawn 3-piece", "quantity": 1}],
                    amount=Decimal("2500"),
                    payment_method="cod",
                    city="Lahore",
                    address="12 Main Blvd",
                ),
                now,
                settings,
            )
    with db.engine.begin() as connection:  # nothing is due until the measurement starts
        connection.execute(text("UPDATE touchpoints SET due_at = due_at + interval '30 days'"))
        connection.execute(text("UPDATE winback_states SET next_due_at = next_due_at + interval '3 years'"))
    return [f"+92301{n:07d}" for n in range(CUSTOMERS)]


def _fall_due(db) -> None:
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE touchpoints SET due_at = now() WHERE kind = 'cod_confirmation'"))
        connection.execute(text("UPDATE winback_states SET next_due_at = now()"))


def _progress(db) -> tuple[int, int]:
    """(confirmations sent, customers the win-back sweep went over: their next look is in the future)."""
    with db.session() as session:
        sent = session.scalar(
            select(func.count(Touchpoint.id)).where(
                Touchpoint.kind == TouchpointKind.COD_CONFIRMATION, Touchpoint.state == TouchpointState.DONE
            )
        )
        swept = session.scalar(
            select(func.count()).select_from(WinbackState).where(WinbackState.next_due_at > func.now())
        )
    return sent or 0, swept or 0


def _action_call(phone: str) -> dict:
    """What Rasa posts to the action server for "mera order kahan hai?"."""
    return {
        "next_action": "action_order_status",
        "sender_id": phone,
        "version": "3.6.21",
        "domain": {"responses": {}},
        "tracker": {
            "sender_id": phone,
            "slots": {"language": "roman_urdu"},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "latest_message": {"text": "mera order kahan hai?", "intent": {"name": "order_status"}, "entities": []},
        },
    }


async def _customers_ask(actions_url: str, secret: str, phones: list[str]) -> list[float]:
    samples: list[float] = []

    async def one_customer(client: httpx.AsyncClient, phone: str) -> None:
        for _ in range(CALLS):
            started = time.perf_counter()
            response = await client.post(
                f"{actions_url}/webhook", json=_action_call(phone), headers={"Authorization": f"Bearer {secret}"}
            )
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"action call answered {response.status_code}: {response.text[:500]}")

    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=CUSTOMERS)) as client:
        await asyncio.gather(*(one_customer(client, phone) for phone in phones))
    return samples


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu() -> float:
    """CPU of every PostgreSQL process on the machine (the backends serve both sides)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() == "postgres":
                total += _cpu_seconds(int(stat.parent.name))
        except OSError:
            pass
    return total


def _cpu(running: dict[str, subprocess.Popen]) -> dict[str, float]:
    return {**{name: _cpu_seconds(proc.pid) for name, proc in running.items()}, "postgres": _postgres_cpu()}


def _finished(db) -> str:
    """Seconds until every due touchpoint was sent and every customer swept (at most 180)."""
    started = time.monotonic()
    while _progress(db) != (TOUCHPOINTS, WINBACK_CUSTOMERS):
        if time.monotonic() - started > 180:
            return f"not in 180 s: {_progress(db)}"
        time.sleep(0.5)
    return f"{time.monotonic() - started:.0f} s"


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-2000:]}")


@dataclass
class Measured:
    samples: list[float] = field(default_factory=list)
    sent: int = 0
    swept: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds each process used during the calls
    loads: list[float] = field(default_factory=list)  # the machine's 1-minute load average at the end
    p95s: list[float] = field(default_factory=list)  # each round's own p95
    finished: list[str] = field(default_factory=list)  # when all the background work was done, after the calls

    def add(self, samples: list[float], before: tuple[int, int], after: tuple[int, int], cpu: dict[str, float],
            load: float) -> None:
        self.samples += samples
        self.p95s.append(percentiles(samples)[1])
        self.sent += after[0] - before[0]
        self.swept += after[1] - before[1]
        for name, seconds in cpu.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + seconds
        self.loads.append(load)


def _scenario(mode: str, measured: Measured) -> None:
    """mode: "idle" (no background work), "worker" (python -m lifecycle worker) or "inprocess"."""
    now = datetime.now(timezone.utc)
    with database("postgresql") as db, TemporaryDirectory() as tmp:
        if db is None:
            raise RuntimeError("PostgreSQL unreachable (SAUDA_TEST_PG_URL)")
        phones = _seed(db, now)
        sim_port, app_port = free_port(), free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "DATABASE_URL": db.url,
            "SAUDA_DATA_DIR": tmp,
            "SAUDA_APP_PORT": str(app_port),
            "SIM_PORT": str(sim_port),
            "SAUDA_WORKER": "inprocess" if mode == "inprocess" else "off",
            "SAUDA_WORKER_POLL_S": "0.2",
            "SAUDA_INTERNAL_SECRET": secrets.token_hex(16),
            "SAUDA_SESSION_SECRET": secrets.token_hex(16),
            "WHATSAPP_APP_SECRET": secrets.token_hex(16),
            "WHATSAPP_ACCESS_TOKEN": secrets.token_hex(16),
            "WHATSAPP_PHONE_NUMBER_ID": "100200300400500",
            "SIM_WEBHOOK_URL": f"http://127.0.0.1:{free_port()}/x",
            "WHATSAPP_GRAPH_BASE_URL": f"http://127.0.0.1:{sim_port}",
            **private_actions(),
            "SAUDA_SUMMARY_REFRESH_S": "0",
        }
        env.pop("SAUDA_RASA_URL", None)
        commands = {"simulator": ["-m", "simulator"], "app": ["-m", "appserver"]}
        if mode == "worker":
            commands["worker"] = ["-m", "lifecycle", "worker"]
        logs = Path(tmp)
        running = {
            name: subprocess.Popen(
                [str(APP_PYTHON), *args],
                cwd=ROOT,
                env=env,
                stdout=open(logs / f"{name}.log", "wb"),
                stderr=subprocess.STDOUT,
            )
            for name, args in commands.items()
        }
        try:
            _wait_healthy(f"http://127.0.0.1:{sim_port}/health", running["simulator"], logs / "simulator.log")
            _wait_healthy(f"http://127.0.0.1:{app_port}/health", running["app"], logs / "app.log")
            actions_url = f"http://127.0.0.1:{env['SAUDA_ACTIONS_PORT']}"
            _wait_healthy(f"{actions_url}/health", running["app"], logs / "app.log")
            asyncio.run(_customers_ask(actions_url, env["SAUDA_ACTION_SECRET"], phones[:2]))  # warm it up
            if mode != "idle":
                _fall_due(db)
                deadline = time.monotonic() + 120
                while _progress(db) == (0, 0) and time.monotonic() < deadline:  # until the work has begun
                    time.sleep(0.1)
            before, cpu_before = _progress(db), _cpu(running)
            samples = asyncio.run(_customers_ask(actions_url, env["SAUDA_ACTION_SECRET"], phones))
            after, cpu_after = _progress(db), _cpu(running)
            measured.add(samples, before, after, {k: cpu_after[k] - cpu_before[k] for k in cpu_before},
                         _load())
            if mode != "idle":
                measured.finished.append(_finished(db))
        finally:
            for proc in running.values():
                proc.terminate()
            for proc in running.values():
                proc.wait(timeout=30)


def run() -> list[Table]:
    table = Table(
        f"Action call latency at {CUSTOMERS} concurrent customers, {CALLS} calls each, PostgreSQL (ms); "
        f"idle and busy alternated {ROUNDS} times in one run, samples pooled",
        [
            "background work",
            "p50",
            "p95",
            "p95 vs idle",
            f"sent during the calls (of {ROUNDS} x 2,000)",
            "win-back swept during the calls",
            "CPU s during the calls: app / worker / PostgreSQL",
            "load average",
        ],
    )
    labels = {
        "idle": "none (worker idle)",
        "worker": f"python -m lifecycle worker: {TOUCHPOINTS:,} due + sweep of {WINBACK_CUSTOMERS:,}",
        "inprocess": "the same inside the app server (SAUDA_WORKER=inprocess)",
    }
    measured = {mode: Measured() for mode in labels}
    for _ in range(ROUNDS):
        for mode in ("idle", "worker"):
            _scenario(mode, measured[mode])
    _scenario("inprocess", measured["inprocess"])
    idle = percentiles(measured["idle"].samples)[1]
    for mode, label in labels.items():
        m = measured[mode]
        p50, p95 = percentiles(m.samples)
        table.add(
            label,
            p50,
            p95,
            f"{(p95 / idle - 1) * 100:+.0f} %",
            m.sent,
            m.swept,
            " / ".join(f"{m.cpu.get(name, 0.0):.1f}" for name in ("app", "worker", "postgres")),
            " ".join(f"{load:.1f}" for load in m.loads),
        )
    rounds = Table(
        "The same, round by round: idle then busy back to back, under the same outside load",
        ["round", "idle p95", "worker p95", "worker vs idle", "load (idle / worker)",
         "all 2,000 sent and 20,000 swept, after the calls"],
    )
    idle_rounds, worker_rounds = measured["idle"], measured["worker"]
    for n in range(ROUNDS):
        rounds.add(
            n + 1,
            idle_rounds.p95s[n],
            worker_rounds.p95s[n],
            f"{(worker_rounds.p95s[n] / idle_rounds.p95s[n] - 1) * 100:+.0f} %",
            f"{idle_rounds.loads[n]:.1f} / {worker_rounds.loads[n]:.1f}",
            worker_rounds.finished[n],
        )
    return [table, rounds]
