"""``python -m lifecycle worker | migrate | check-templates | summary [--rebuild]``.

``worker`` runs the scheduler outside the app server (set SAUDA_WORKER=off there); run as
many as you like on PostgreSQL, one on SQLite. It stops cleanly on SIGTERM / SIGINT.
``summary`` brings the dashboard's daily summary up to date once (the worker does it every
SAUDA_SUMMARY_REFRESH_S); ``--rebuild`` builds it again from every raw row.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

from lifecycle.flows import engagement
from lifecycle.config import engagement_settings, touchpoint_settings, watch
from lifecycle.engine import templates
from lifecycle.analytics import refresh
from lifecycle.service import Lifecycle


async def _work(lifecycle: Lifecycle) -> None:
    # The same touchpoints as the app server's in-process worker: CSAT, cart recovery and
    # win-back register their handlers and start from cart and order changes.
    engagement_settings.use(engagement_settings.EngagementSettings.from_env())
    engagement.install_hooks()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    lifecycle.start_worker()
    # the merchant may change touchpoint settings on the app server's page while this runs
    changes = asyncio.create_task(watch.follow(lifecycle.saved_files(), lifecycle.use_saved, stop))
    await stop.wait()
    await changes
    await lifecycle.stop_worker()


def _data_dir() -> Path:
    return Path(os.environ.get("SAUDA_DATA_DIR", ".sauda"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m lifecycle")
    parser.add_argument("command", choices=("worker", "migrate", "check-templates", "summary"))
    parser.add_argument("--rebuild", action="store_true", help="summary: forget it and build it again")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "check-templates":
        loaded = templates.load()
        print(f"{templates.TEMPLATES_FILE}: {len(loaded.messages)} messages, all consistent")
        return 0
    touchpoint_settings.export_saved(_data_dir(), os.environ)  # the settings page's, over the defaults
    lifecycle = Lifecycle.from_env()  # migrates
    if args.command == "worker":
        asyncio.run(_work(lifecycle))
    elif args.command == "summary":
        days = (refresh.rebuild if args.rebuild else refresh.refresh)(lifecycle.db, lifecycle.now())
        print(f"dashboard summary: {days} day(s) recomputed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
