"""Database engine and sessions: SQLite under SAUDA_DATA_DIR by default, PostgreSQL by DATABASE_URL."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from lifecycle.config.environment import Environment

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(env: Optional[Mapping[str, str]] = None) -> str:
    """DATABASE_URL if set (``postgresql+psycopg://…``), else ``$SAUDA_DATA_DIR/lifecycle.db``."""
    read = Environment(env)
    if read.raw("DATABASE_URL"):
        return read.text("DATABASE_URL")
    data_dir = read.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir.resolve() / 'lifecycle.db'}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # One writer at a time: take the write lock when the transaction starts, so two
            # processes never both read "due" and then both claim the same rows.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (run at app start and by workers)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")  # branches of parallel work merge by being applied side by side


class Database:
    """An engine plus its session factory; ``session()`` is one unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def migrate(self) -> "Database":
        migrate(self.engine)
        return self


_default: Optional[Database] = None


def default_database() -> Database:
    """The process-wide database from the environment, migrated on first use."""
    global _default
    if _default is None:
        _default = Database(database_url()).migrate()
    return _default
