"""Lifecycle settings, read once from the environment (every name is in .env.example).

The store's name and wallet accounts come from the store profile the merchant edits
(knowledge/profile.py), so that answers, payment instructions and the tracking page name
the same store; ``SAUDA_STORE_NAME`` and ``SAUDA_<WALLET>_ACCOUNT/_TITLE`` override it.
``with_profile`` applies a profile the merchant saves while the process runs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Mapping, Optional

from knowledge.profile import ProfileInvalid, StoreProfile, load_profile, profile_path

WALLETS = ("jazzcash", "easypaisa")


def _hours(env: Mapping[str, str], name: str, default: float) -> float:
    return float(env.get(name, default)) * 3600


def _percent(env: Mapping[str, str], name: str, default: int) -> int:
    value = int(env.get(name, default))
    if not 1 <= value <= 99:
        raise SystemExit(f"{name} must be between 1 and 99 (percent), not {value}")
    return value


def _clock_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class PaymentAccount:
    number: str
    title: str


@dataclass(frozen=True)
class LifecycleSettings:
    store_name: str = "Sauda Demo Store"
    data_dir: Path = Path(".sauda")  # SAUDA_DATA_DIR: the store profile, saved settings, SQLite
    events_secret: str = ""  # SAUDA_EVENTS_SECRET: the shop signs its events with it
    events_max_skew: int = 300  # seconds an event's timestamp may differ from now (replays)
    shopify_secret: str = ""  # SAUDA_SHOPIFY_SECRET: Shopify's webhook signing secret (else the events secret)
    dev_mode: bool = False  # SAUDA_DEV_MODE=1: the clock endpoint is open (with the events secret)
    public_url: str = "http://127.0.0.1:5055"  # tracking links: {public_url}/track/{token}
    rasa_url: str = ""  # SAUDA_RASA_URL: proactive messages are recorded in the Rasa tracker
    rasa_token: str = ""
    merchant_webhook_url: str = ""  # order confirmed / cancelled are POSTed here, signed
    merchant_webhook_secret: str = ""
    # WhatsApp Graph API (the simulator in development)
    graph_base_url: str = "https://graph.facebook.com"
    graph_version: str = "v21.0"
    phone_number_id: str = ""
    access_token: str = ""
    send_rate: float = 80.0
    # touchpoint timings, in seconds
    cod_confirm_delay: float = 0.0
    cod_reminder_after: float = 2 * 3600.0
    cod_no_answer_after: float = 6 * 3600.0  # after the reminder
    cod_no_answer_action: str = "cancel"  # cancel | call
    payment_reminder_after: float = 6 * 3600.0
    csat_after: float = 24 * 3600.0
    default_delivery_days: str = "3-5"
    # COD risk checks at placement (domain/risk.py)
    risk_advance_after_returns: int = 3  # returned / refused orders on the phone that call for an advance (0: off)
    risk_advance_percent: int = 50  # the advance, as a percentage of the order (1-99) …
    risk_advance_amount: int = 0  # … or this fixed amount in rupees when above 0
    risk_new_customer_cod_limit: int = 0  # COD above this (rupees) with no delivered order asks an advance (0: off)
    risk_duplicate_hours: float = 0.0  # another open order from the phone this recently: held for a call (0: off)
    # policy
    timezone: str = "Asia/Karachi"
    quiet_start: time = time(22, 0)
    quiet_end: time = time(9, 0)
    quiet_allows_utility: bool = True
    marketing_per_day: int = 2
    accounts: dict[str, PaymentAccount] = field(default_factory=dict)
    # what the environment sets over the store profile (empty: the profile's)
    store_name_override: str = ""
    account_overrides: dict[str, PaymentAccount] = field(default_factory=dict)
    # worker
    worker_enabled: bool = True
    worker_batch: int = 200
    worker_poll: float = 1.0
    worker_lease: float = 120.0
    summary_refresh: float = 60.0  # seconds between dashboard summary refreshes (0: never)
    dead_letter_alert: int = 10  # parked channel events that raise an alert (log + console)

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "LifecycleSettings":
        env = os.environ if env is None else env
        action = env.get("SAUDA_COD_NO_ANSWER_ACTION", "cancel")
        if action not in ("cancel", "call"):
            raise SystemExit(f"SAUDA_COD_NO_ANSWER_ACTION must be cancel or call, not {action!r}")
        data_dir = Path(env.get("SAUDA_DATA_DIR", ".sauda"))
        settings = cls(
            data_dir=data_dir,
            store_name_override=env.get("SAUDA_STORE_NAME", ""),
            account_overrides={method: PaymentAccount(env.get(f"SAUDA_{method.upper()}_ACCOUNT", ""),
                                                      env.get(f"SAUDA_{method.upper()}_TITLE", ""))
                               for method in WALLETS},
            events_secret=env.get("SAUDA_EVENTS_SECRET", ""),
            events_max_skew=int(env.get("SAUDA_EVENTS_MAX_SKEW", 300)),
            shopify_secret=env.get("SAUDA_SHOPIFY_SECRET", ""),
            dev_mode=env.get("SAUDA_DEV_MODE", "") in ("1", "true", "yes"),
            public_url=env.get("SAUDA_PUBLIC_URL", f"http://127.0.0.1:{env.get('SAUDA_APP_PORT', '5055')}"),
            rasa_url=env.get("SAUDA_RASA_URL", ""),
            rasa_token=env.get("RASA_AUTH_TOKEN", ""),
            merchant_webhook_url=env.get("SAUDA_MERCHANT_WEBHOOK_URL", ""),
            merchant_webhook_secret=env.get("SAUDA_MERCHANT_WEBHOOK_SECRET", ""),
            graph_base_url=env.get("WHATSAPP_GRAPH_BASE_URL", "https://graph.facebook.com"),
            graph_version=env.get("WHATSAPP_GRAPH_VERSION", "v21.0"),
            phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
            access_token=env.get("WHATSAPP_ACCESS_TOKEN", ""),
            send_rate=float(env.get("WHATSAPP_SEND_RATE", 80)),
            cod_confirm_delay=float(env.get("SAUDA_COD_CONFIRM_DELAY_S", 0)),
            cod_reminder_after=_hours(env, "SAUDA_COD_REMINDER_AFTER_H", 2),
            cod_no_answer_after=_hours(env, "SAUDA_COD_NO_ANSWER_AFTER_H", 6),
            cod_no_answer_action=action,
            payment_reminder_after=_hours(env, "SAUDA_PAYMENT_REMINDER_AFTER_H", 6),
            csat_after=_hours(env, "SAUDA_CSAT_AFTER_H", 24),
            default_delivery_days=env.get("SAUDA_DELIVERY_DAYS", "3-5"),
            risk_advance_after_returns=int(env.get("SAUDA_RISK_ADVANCE_AFTER_RETURNS", 3)),
            risk_advance_percent=_percent(env, "SAUDA_RISK_ADVANCE_PERCENT", 50),
            risk_advance_amount=int(env.get("SAUDA_RISK_ADVANCE_AMOUNT", 0)),
            risk_new_customer_cod_limit=int(env.get("SAUDA_RISK_NEW_CUSTOMER_COD_LIMIT", 0)),
            risk_duplicate_hours=float(env.get("SAUDA_RISK_DUPLICATE_HOURS", 0)),
            timezone=env.get("SAUDA_TIMEZONE", "Asia/Karachi"),
            quiet_start=_clock_time(env.get("SAUDA_QUIET_START", "22:00")),
            quiet_end=_clock_time(env.get("SAUDA_QUIET_END", "09:00")),
            quiet_allows_utility=env.get("SAUDA_QUIET_ALLOWS_UTILITY", "1") in ("1", "true", "yes"),
            marketing_per_day=int(env.get("SAUDA_MARKETING_PER_DAY", 2)),
            worker_enabled=env.get("SAUDA_WORKER", "inprocess") == "inprocess",
            worker_batch=int(env.get("SAUDA_WORKER_BATCH", 200)),
            worker_poll=float(env.get("SAUDA_WORKER_POLL_S", 1.0)),
            worker_lease=float(env.get("SAUDA_WORKER_LEASE_S", 120)),
            summary_refresh=float(env.get("SAUDA_SUMMARY_REFRESH_S", 60)),
            dead_letter_alert=int(env.get("SAUDA_DEAD_LETTER_ALERT", 10)),
        )
        path = Path(env["SAUDA_STORE_PROFILE"]) if env.get("SAUDA_STORE_PROFILE") else profile_path(data_dir)
        try:
            return settings.with_profile(load_profile(path))
        except ProfileInvalid as exc:  # an invalid profile stops the start, with its errors
            raise SystemExit(f"store profile: {exc}") from None

    def with_profile(self, profile: StoreProfile) -> "LifecycleSettings":
        """The store name and wallet accounts from ``profile``, under the environment's overrides."""
        store_name = self.store_name_override or profile.store_name
        accounts = {}
        for method in WALLETS:
            wallet, override = getattr(profile, method), self.account_overrides.get(method)
            accounts[method] = PaymentAccount(
                (override and override.number) or (wallet.number if wallet else ""),
                (override and override.title) or (wallet.account_title if wallet else store_name))
        return replace(self, store_name=store_name, accounts=accounts)
