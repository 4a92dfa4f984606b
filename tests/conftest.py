"""Shared fixtures. ``stack`` runs the real Rasa server, app server and simulator."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, text

from lifecycle.db.engine import Database
from tests.stack import ROOT, start_stack, trained_model

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "whatsapp"


@pytest.fixture(scope="session")
def model() -> str:
    return trained_model()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, model):
    running = start_stack(tmp_path_factory.mktemp("stack"), model)
    yield running
    running.stop()


def load_fixture(file_name: str) -> dict:
    """Cases of one of Meta's webhook payload files (pywa's test data)."""
    path = FIXTURES / file_name
    if not path.exists():
        pytest.fail(f"webhook fixtures not found at {path}")
    return json.loads(path.read_text())


TESTS = Path(__file__).resolve().parent
# Test modules outside tests/stack/ that start processes with tests.stack's helpers (the other
# helpers' folders stay where they are; their process tests are tiered by what they use).
PROCESS_HELPERS = {"APP_PYTHON", "RASA_BIN", "start_stack", "app_only"}


def pytest_collection_modifyitems(items):
    """Tier every test: ``browser`` under tests/browser/, ``stack`` when it runs real processes
    (tests/stack/, the ``stack``/``model`` fixtures, or tests.stack's process helpers).
    The unit tier (tests/unit/) must not start processes (nor import subprocess): such a test
    fails at collection."""
    for item in items:
        folder = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        runs_processes = (
            folder == "stack"
            or {"stack", "model"} & set(item.fixturenames)
            or any(getattr(item.module, name, None) is not None for name in PROCESS_HELPERS)
            or (folder == "unit" and getattr(item.module, "subprocess", None) is not None)
        )
        if folder == "browser":
            item.add_marker(pytest.mark.browser)
        elif runs_processes:
            if folder == "unit":
                raise pytest.UsageError(f"{item.nodeid} starts processes: it belongs in tests/stack/")
            item.add_marker(pytest.mark.stack)


# The lifecycle database: the real migrations run once per session and kind; each test starts
# from that state (tests/unit/lifecycle/conftest.py: sqlite_db copies the migrated file,
# postgres_db resets the migrated schema). Migrating for every test cost ~0.4 s on SQLite and
# ~1.2 s on PostgreSQL, mostly waiting on disk: over half the unit tier's time.
PG_URL = os.environ.get("SAUDA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "lifecycle.db"
    Database(f"sqlite:///{path}").migrate().engine.dispose()  # the last close folds the WAL into the file
    return path


@dataclass(frozen=True)
class MigratedSchema:
    url: str
    metadata: MetaData
    seeded: dict[str, list[dict[str, Any]]]  # the rows the migrations insert

    def reset(self, engine: Engine) -> None:
        """Back to the migrated state: the seeded rows only, every sequence from 1. DELETE with
        triggers and foreign keys off for the transaction (a superuser's right) takes ~30 ms,
        where TRUNCATE makes new files for every table and index (~0.9 s)."""
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
            for table in self.metadata.sorted_tables:
                connection.execute(table.delete())
                if self.seeded.get(table.name):
                    connection.execute(table.insert(), self.seeded[table.name])
            connection.execute(text(
                "SELECT setval(s.oid, 1, false) FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace "
                "WHERE s.relkind = 'S' AND n.nspname = current_schema()"
            ))


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip, visibly
        return f"PostgreSQL at {PG_URL} unreachable: {type(exc).__name__}: {str(exc)[:120]}"
    return None


@pytest.fixture(scope="session")
def migrated_postgres():
    """A schema of its own, migrated once for the session, and how to reset it."""
    problem = _postgres_problem()
    if problem:
        pytest.skip(problem)
    schema = f"lifecycle_test_{secrets.token_hex(4)}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    migrated = Database(url).migrate()
    metadata = MetaData()
    metadata.reflect(migrated.engine)
    with migrated.engine.connect() as connection:
        seeded = {
            table.name: [dict(row._mapping) for row in connection.execute(table.select())]
            for table in metadata.sorted_tables
            if table.name != "alembic_version"
        }
    migrated.engine.dispose()
    metadata.remove(metadata.tables["alembic_version"])
    yield MigratedSchema(url, metadata, seeded)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
