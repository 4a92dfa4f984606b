"""Unique single-use discount codes: issued with one message, validated and redeemed by the
shop (signed API in appserver/codes_api.py). A code is redeemed at most once, even when
two checkouts race: redemption is one conditional UPDATE."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lifecycle.db.engagement_models import DiscountCode

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones


def new_code() -> str:
    """``SD-XXXX-XXXX``: 40 random bits, unguessable within a code's lifetime."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"SD-{chars[:4]}-{chars[4:]}"


def issue(
    session: Session,
    issued_for: str,
    purpose: str,
    customer_id: int,
    percent: int,
    valid: timedelta,
    now: datetime,
    cart_id: Optional[int] = None,
) -> DiscountCode:
    """The code for one message (``issued_for``, its touchpoint key). Asking again before it was
    sent (quiet hours, a retry) returns the same code with its validity counted from now."""
    existing = session.scalar(select(DiscountCode).where(DiscountCode.issued_for == issued_for))
    if existing is not None:
        if existing.redeemed_at is None:
            existing.expires_at = now + valid
        return existing
    for _ in range(5):
        code = DiscountCode(
            code=new_code(),
            issued_for=issued_for,
            purpose=purpose,
            customer_id=customer_id,
            cart_id=cart_id,
            percent=percent,
            created_at=now,
            expires_at=now + valid,
        )
        try:
            with session.begin_nested():
                session.add(code)
            return code
        except IntegrityError:  # the same code drawn twice (or the same message, concurrently)
            again = session.scalar(select(DiscountCode).where(DiscountCode.issued_for == issued_for))
            if again is not None:
                return again
    raise RuntimeError("could not draw a unique discount code")


@dataclass(frozen=True)
class Check:
    """``ok`` or why not: ``unknown`` | ``expired`` | ``redeemed``."""

    status: str
    code: Optional[DiscountCode] = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def normalise(text: str) -> str:
    return text.strip().upper()


def check(session: Session, text: str, now: datetime) -> Check:
    code = session.scalar(select(DiscountCode).where(DiscountCode.code == normalise(text)))
    if code is None:
        return Check("unknown")
    if code.redeemed_at is not None:
        return Check("redeemed", code)
    if code.expires_at <= now:
        return Check("expired", code)
    return Check("ok", code)


def redeem(session: Session, text: str, order_ref: str, now: datetime) -> Check:
    """Use the code for ``order_ref``; exactly one of two concurrent redemptions succeeds."""
    result = session.execute(
        update(DiscountCode)
        .where(DiscountCode.code == normalise(text), DiscountCode.redeemed_at.is_(None), DiscountCode.expires_at > now)
        .values(redeemed_at=now, redeemed_order_ref=order_ref)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        code = session.scalar(select(DiscountCode).where(DiscountCode.code == normalise(text)))
        session.refresh(code)
        return Check("ok", code)
    return check(session, text, now)
