"""The lifecycle's database fixtures: the same test on SQLite and on the real PostgreSQL."""

from tests.unit.lifecycle.conftest import db, postgres_db, sqlite_db  # noqa: F401 - pytest fixtures
