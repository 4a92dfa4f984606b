"""Login accounts in the lifecycle database: Argon2 password hashes, server-side sessions,
and lockout after repeated wrong passwords per account and per address.

The login page (appserver/auth.py) and ``python -m appserver users`` both work through here.
A session is a random token in the cookie whose SHA-256 is a row here: logout deletes the
row, a password change deletes all of the user's rows, and the role is read from the user's
row on every request, so changing it takes effect at once.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lifecycle.db.account_models import ROLES, LoginThrottle, WebSession, WebUser

SESSION_LENGTH = timedelta(hours=12)
MIN_PASSWORD = 10
# An account locks after this many wrong passwords inside the window; an address (which may
# be a shop's shared connection) after more. Both unlock on their own after LOCK_TIME.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
# The passwords .env.example once showed: anyone who read it knows them.
EXAMPLE_PASSWORDS = ("change-me-please", "change-me-too")

_hasher = PasswordHasher()
# Verified when the name is unknown, so the answer takes as long as for a real user.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A refused account change: unknown user, bad role, weak or known password."""


@dataclass(frozen=True)
class User:
    name: str
    role: str


@dataclass(frozen=True)
class LoginResult:
    user: Optional[User] = None
    token: str = ""  # the new session's token (for the cookie)
    locked_until: Optional[datetime] = None  # refused without checking the password


def role_allows(role: str, needed: str) -> bool:
    """Roles are ranked as in ``ROLES`` (agent < merchant < owner); a page names the least it needs."""
    return ROLES.index(role) >= ROLES.index(needed)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_new_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs {MIN_PASSWORD} or more characters")
    if password in EXAMPLE_PASSWORDS or password.lower() == name.lower():
        raise AccountError("that password is published or is the user name: choose another")


def add_user(session: Session, name: str, role: str, password: str, now: datetime) -> None:
    if not name or len(name) > 80 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise AccountError("a user name is 1-80 letters, digits, '-', '_' or '.'")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    if session.get(WebUser, name) is not None:
        raise AccountError(f"user {name!r} exists; use passwd to change the password")
    check_new_password(name, password)
    session.add(WebUser(name=name, role=role, password_hash=_hasher.hash(password), created_at=now,
                        password_changed_at=now))


def set_password(session: Session, name: str, password: str, now: datetime) -> None:
    """A new password ends every session of the user and lifts a lockout."""
    user = _existing(session, name)
    check_new_password(name, password)
    user.password_hash, user.password_changed_at = _hasher.hash(password), now
    session.execute(delete(WebSession).where(WebSession.user_name == name))
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"user:{name}"))


def set_role(session: Session, name: str, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    _existing(session, name).role = role


def remove_user(session: Session, name: str) -> None:
    session.execute(delete(WebSession).where(WebSession.user_name == name))
    session.delete(_existing(session, name))


def list_users(session: Session) -> list[WebUser]:
    return list(session.scalars(select(WebUser).order_by(WebUser.name)))


def ensure_user(session: Session, name: str, role: str, password: str, now: datetime) -> None:
    """Development seeding: create the user, or bring role and password to these values."""
    user = session.get(WebUser, name)
    if user is None:
        add_user(session, name, role, password, now)
        return
    set_role(session, name, role)
    if not _verify(user.password_hash, password):
        set_password(session, name, password, now)


def users_with_example_passwords(session: Session) -> list[str]:
    return [u.name for u in list_users(session)
            if any(_verify(u.password_hash, example) for example in EXAMPLE_PASSWORDS)]


def _existing(session: Session, name: str) -> WebUser:
    user = session.get(WebUser, name)
    if user is None:
        raise AccountError(f"no user {name!r}")
    return user


def _locked_until(session: Session, keys: list[str], now: datetime) -> Optional[datetime]:
    until = [t.locked_until for t in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
             if t.locked_until is not None and t.locked_until > now]
    return max(until, default=None)


def _count_failure(session: Session, key: str, limit: int, now: datetime) -> None:
    throttle = session.get(LoginThrottle, key)
    if throttle is None:
        throttle = LoginThrottle(key=key, failures=0, window_start=now)
        session.add(throttle)
    if throttle.window_start + WINDOW < now:
        throttle.failures, throttle.window_start = 0, now
    throttle.failures += 1
    if throttle.failures >= limit:
        throttle.failures, throttle.window_start, throttle.locked_until = 0, now, now + LOCK_TIME


def login(session: Session, name: str, password: str, address: str, now: datetime,
          previous_token: str = "") -> LoginResult:
    """Check the password unless the account or address is locked; on success a new session
    replaces the one the browser had (``previous_token``), so a planted cookie is worthless."""
    account_key, address_key = f"user:{name[:80]}", f"addr:{address[:100]}"
    locked = _locked_until(session, [account_key, address_key], now)
    if locked is not None:
        return LoginResult(locked_until=locked)
    user = session.get(WebUser, name) if name else None
    if not _verify(user.password_hash if user else _DUMMY_HASH, password) or user is None:
        if user is not None:
            _count_failure(session, account_key, ACCOUNT_LIMIT, now)
        _count_failure(session, address_key, ADDRESS_LIMIT, now)
        return LoginResult()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key))
    if previous_token:
        logout(session, previous_token)
    token = secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=_token_hash(token), user_name=user.name, created_at=now,
                           expires_at=now + SESSION_LENGTH))
    return LoginResult(user=User(user.name, user.role), token=token)


def session_user(session: Session, token: str, now: datetime) -> Optional[User]:
    if not token:
        return None
    row = session.execute(select(WebUser.name, WebUser.role, WebSession.expires_at)
                          .join(WebSession, WebSession.user_name == WebUser.name)
                          .where(WebSession.token_hash == _token_hash(token))).first()
    if row is None or row.expires_at <= now:
        return None
    return User(row.name, row.role)


def verify_password(session: Session, name: str, password: str) -> bool:
    """Re-entering the password for a sensitive change (the wallet accounts)."""
    user = session.get(WebUser, name)
    return _verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None


def logout(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))


def prune(session: Session, now: datetime) -> int:
    """Expired sessions and stale failure counters, deleted (the retention sweep calls this)."""
    gone = session.execute(delete(WebSession).where(WebSession.expires_at <= now)).rowcount
    gone += session.execute(delete(LoginThrottle).where(
        LoginThrottle.window_start < now - WINDOW - LOCK_TIME)).rowcount
    return int(gone)
