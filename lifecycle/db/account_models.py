"""Login accounts of the merchant and agent pages, their server-side sessions and the
failed-login counters, on the lifecycle's ``Base`` so one Alembic history migrates them.

Only hashes are stored: the Argon2 hash of each password and the SHA-256 of each session
token (the cookie holds the token itself), so a copy of the database logs nobody in.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lifecycle.db.models import Base

# agent: escalations and payments; merchant: every page; owner: also the wallet accounts
# payment instructions send customers to.
ROLES = ("agent", "merchant", "owner")


class WebUser(Base):
    __tablename__ = "web_users"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # ROLES
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]


class WebSession(Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_name: Mapped[str] = mapped_column(ForeignKey("web_users.name", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginThrottle(Base):
    """Failed logins of one account (``user:<name>``) or one address (``addr:<ip>``)."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime]
    locked_until: Mapped[Optional[datetime]]
