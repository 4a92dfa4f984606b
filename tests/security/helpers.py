"""What the security tests share: an app server on its own, and a fingerprint of every row."""
from __future__ import annotations

import hashlib
import secrets
import sqlite3
from pathlib import Path

from tests.stack import APP_PYTHON, ROOT, Stack, free_port, private_actions

MERCHANT = ("merchant", secrets.token_urlsafe(12))


def app_only(data_dir: Path, **extra: str) -> Stack:
    """An app server (public and private listeners) on SQLite under ``data_dir``, started; the
    merchant ``MERCHANT`` may log in."""
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "SAUDA_DATA_DIR": str(data_dir),
           "SAUDA_APP_PORT": str(port), "SAUDA_INTERNAL_SECRET": secrets.token_hex(16),
           "SAUDA_SESSION_SECRET": secrets.token_hex(16), "SAUDA_EVENTS_SECRET": secrets.token_hex(16),
           "SAUDA_WORKER": "off", "SAUDA_DEV_MODE": "1", "SAUDA_USERS": f"{MERCHANT[0]}:merchant:{MERCHANT[1]}",
           **private_actions(), **extra}
    stack = Stack(data_dir=data_dir, env=env, rasa_url="", app_url=f"http://127.0.0.1:{port}", sim_url="",
                  commands={"app": [str(APP_PYTHON), "-m", "appserver"]},
                  health_urls={"app": f"http://127.0.0.1:{port}/health"})
    stack.launch("app")
    stack.wait_healthy("app")
    return stack


def rows_fingerprint(db_file: Path) -> str:
    """A hash over every row of every table: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with sqlite3.connect(db_file) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            digest.update(table.encode())
            for row in sorted(map(repr, db.execute(f'SELECT * FROM "{table}"'))):
                digest.update(row.encode())
    return digest.hexdigest()
