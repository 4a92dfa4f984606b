"""``python -m lifecycle worker | migrate | check-templates | summary [--rebuild] | customer erase PHONE | retention``.

``worker`` runs all background work outside the app server (set SAUDA_WORKER=off there): the
scheduler, the engagement loop (SLA, agent alerts, win-back sweep), the courier poller, the
summary refresh and the settings watch. Run as many as you like on PostgreSQL, one on SQLite.
It refuses to start without a handler for every touchpoint kind, and stops cleanly on SIGTERM / SIGINT.
``summary`` brings the dashboard's daily summary up to date once (the worker does it every
SAUDA_SUMMARY_REFRESH_S); ``--rebuild`` builds it again from every raw row.
``customer erase PHONE`` anonymises the customer in the lifecycle database (the dashboard's
figures stay) and deletes their conversation and channel state; ``retention`` expires what is
older than SAUDA_RETENTION_* once (a worker does it every SAUDA_RETENTION_SWEEP_HOURS).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from lifecycle.analytics import refresh
from lifecycle.config.environment import SettingsError
from lifecycle.domain.phones import InvalidPhone
from lifecycle.engine import templates
from lifecycle.engine.registry import MissingHandlers
from lifecycle.service import Lifecycle
from whatsapp import redact


async def _work(lifecycle: Lifecycle) -> None:
    # Everything the app server runs in process with SAUDA_WORKER=inprocess: the scheduler, the
    # engagement loop, the courier poller, the summary refresh and the settings watch.
    try:
        supervisor = lifecycle.start_background()
    except MissingHandlers as exc:
        raise SystemExit(f"worker not started: {exc}") from None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, supervisor.stop_event.set)
    await supervisor.wait()
    await lifecycle.stop_background()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m lifecycle")
    parser.add_argument("command", choices=("worker", "migrate", "check-templates", "summary", "customer", "retention"))
    parser.add_argument("rest", nargs="*", help="customer: erase PHONE")
    parser.add_argument("--rebuild", action="store_true", help="summary: forget it and build it again")
    args = parser.parse_args(argv)
    if args.command == "customer" and (len(args.rest) != 2 or args.rest[0] != "erase"):
        parser.error("usage: python -m lifecycle customer erase PHONE")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redact.install()
    if args.command == "check-templates":
        loaded = templates.load()
        print(f"{templates.TEMPLATES_FILE}: {len(loaded.messages)} messages, all consistent")
        return 0
    try:
        lifecycle = Lifecycle.from_env()  # reads every setting once, migrates, lays the saved settings over
    except SettingsError as exc:
        raise SystemExit(f"not started: {exc}") from None
    if args.command == "worker":
        os.nice(lifecycle.settings.worker_nice)  # customers' turns in the app server come first
        asyncio.run(_work(lifecycle))
    elif args.command == "customer":
        try:
            counts = lifecycle.erase_customer(args.rest[1])
        except InvalidPhone as exc:
            print(f"refused: {exc}", file=sys.stderr)
            return 2
        print("erased: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        return 0
    elif args.command == "retention":
        print("expired: " + ", ".join(f"{n} {what}" for what, n in lifecycle.expire_old().items()))
    elif args.command == "summary":
        days = (refresh.rebuild if args.rebuild else refresh.refresh)(lifecycle.db, lifecycle.now())
        print(f"dashboard summary: {days} day(s) recomputed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
