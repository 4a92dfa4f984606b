"""Lifecycle settings, read once from the environment (every name is in .env.example).

The store's name and wallet accounts come from the store profile the merchant edits
(knowledge/profile.py), so that answers, payment instructions and the tracking page name
the same store; ``SAUDA_STORE_NAME`` and ``SAUDA_<WALLET>_ACCOUNT/_TITLE`` override it.
``with_profile`` applies a profile the merchant saves while the process runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import time
from pathlib import Path
from typing import Mapping, Optional

from knowledge.profile import ProfileInvalid, StoreProfile, load_profile, profile_path
from lifecycle.config.engagement_settings import EngagementSettings
from lifecycle.config.environment import DEFAULT_DATA_DIR, Environment
from lifecycle.config.privacy_settings import PrivacySettings

WALLETS = ("jazzcash", "easypaisa")


HOUR = 3600.0
DEFAULT_APP_PORT = 5055


@dataclass(frozen=True)
class PaymentAccount:
    number: str
    title: str


@dataclass(frozen=True)
class LifecycleSettings:
    store_name: str = "Sauda Demo Store"
    data_dir: Path = Path(DEFAULT_DATA_DIR)  # SAUDA_DATA_DIR: the store profile, saved settings, SQLite
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
    # `python -m lifecycle worker` runs at this CPU niceness (0-19): on a machine it shares with the
    # app server, background work yields the CPU to the process answering customers
    worker_nice: int = 10
    summary_refresh: float = 60.0  # seconds between dashboard summary refreshes (0: never)
    dead_letter_alert: int = 10  # parked channel events that raise an alert (log + console)
    engagement: EngagementSettings = field(default_factory=EngagementSettings)  # cart recovery, CSAT, win-back
    privacy: PrivacySettings = field(default_factory=PrivacySettings)  # erasure and retention

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "LifecycleSettings":
        """The settings in ``env`` (the process environment by default) over the defaults above, and
        the store profile's name and wallets under the environment's overrides. SettingsError names
        a variable whose value cannot be used; an invalid store profile stops the start."""
        read, d = Environment(env), cls()
        data_dir = read.data_dir()
        settings = cls(
            data_dir=data_dir,
            store_name_override=read.text("SAUDA_STORE_NAME"),
            account_overrides={method: PaymentAccount(read.text(f"SAUDA_{method.upper()}_ACCOUNT"),
                                                      read.text(f"SAUDA_{method.upper()}_TITLE"))
                               for method in WALLETS},
            events_secret=read.text("SAUDA_EVENTS_SECRET"),
            events_max_skew=read.integer("SAUDA_EVENTS_MAX_SKEW", d.events_max_skew, low=1),
            shopify_secret=read.text("SAUDA_SHOPIFY_SECRET"),
            dev_mode=read.flag("SAUDA_DEV_MODE", d.dev_mode),
            public_url=read.text("SAUDA_PUBLIC_URL",
                                 f"http://127.0.0.1:{read.integer('SAUDA_APP_PORT', DEFAULT_APP_PORT, 1, 65535)}"),
            rasa_url=read.text("SAUDA_RASA_URL"),
            rasa_token=read.text("RASA_AUTH_TOKEN"),
            merchant_webhook_url=read.text("SAUDA_MERCHANT_WEBHOOK_URL"),
            merchant_webhook_secret=read.text("SAUDA_MERCHANT_WEBHOOK_SECRET"),
            graph_base_url=read.text("WHATSAPP_GRAPH_BASE_URL", d.graph_base_url),
            graph_version=read.text("WHATSAPP_GRAPH_VERSION", d.graph_version),
            phone_number_id=read.text("WHATSAPP_PHONE_NUMBER_ID"),
            access_token=read.text("WHATSAPP_ACCESS_TOKEN"),
            send_rate=read.number("WHATSAPP_SEND_RATE", d.send_rate, low=0.1),
            cod_confirm_delay=read.number("SAUDA_COD_CONFIRM_DELAY_S", d.cod_confirm_delay, low=0),
            cod_reminder_after=read.number("SAUDA_COD_REMINDER_AFTER_H", d.cod_reminder_after, low=0, unit=HOUR),
            cod_no_answer_after=read.number("SAUDA_COD_NO_ANSWER_AFTER_H", d.cod_no_answer_after, low=0, unit=HOUR),
            cod_no_answer_action=read.choice("SAUDA_COD_NO_ANSWER_ACTION", d.cod_no_answer_action, ("cancel", "call")),
            payment_reminder_after=read.number("SAUDA_PAYMENT_REMINDER_AFTER_H", d.payment_reminder_after, low=0,
                                               unit=HOUR),
            csat_after=read.number("SAUDA_CSAT_AFTER_H", d.csat_after, low=0, unit=HOUR),
            default_delivery_days=read.text("SAUDA_DELIVERY_DAYS", d.default_delivery_days),
            risk_advance_after_returns=read.integer("SAUDA_RISK_ADVANCE_AFTER_RETURNS", d.risk_advance_after_returns,
                                                    low=0),
            risk_advance_percent=read.integer("SAUDA_RISK_ADVANCE_PERCENT", d.risk_advance_percent, 1, 99),
            risk_advance_amount=read.integer("SAUDA_RISK_ADVANCE_AMOUNT", d.risk_advance_amount, low=0),
            risk_new_customer_cod_limit=read.integer("SAUDA_RISK_NEW_CUSTOMER_COD_LIMIT",
                                                     d.risk_new_customer_cod_limit, low=0),
            risk_duplicate_hours=read.number("SAUDA_RISK_DUPLICATE_HOURS", d.risk_duplicate_hours, low=0),
            timezone=read.text("SAUDA_TIMEZONE", d.timezone),
            quiet_start=read.clock("SAUDA_QUIET_START", d.quiet_start),
            quiet_end=read.clock("SAUDA_QUIET_END", d.quiet_end),
            quiet_allows_utility=read.flag("SAUDA_QUIET_ALLOWS_UTILITY", d.quiet_allows_utility),
            marketing_per_day=read.integer("SAUDA_MARKETING_PER_DAY", d.marketing_per_day, low=0),
            worker_enabled=read.choice("SAUDA_WORKER", "inprocess", ("inprocess", "off")) == "inprocess",
            worker_batch=read.integer("SAUDA_WORKER_BATCH", d.worker_batch, low=1),
            worker_poll=read.number("SAUDA_WORKER_POLL_S", d.worker_poll, low=0),
            worker_lease=read.number("SAUDA_WORKER_LEASE_S", d.worker_lease, low=0.01),
            worker_nice=read.integer("SAUDA_WORKER_NICE", d.worker_nice, 0, 19),
            summary_refresh=read.number("SAUDA_SUMMARY_REFRESH_S", d.summary_refresh, low=0),
            dead_letter_alert=read.integer("SAUDA_DEAD_LETTER_ALERT", d.dead_letter_alert, low=1),
            engagement=EngagementSettings.from_env(read),
            privacy=PrivacySettings.from_env(read),
        )
        path = Path(read.text("SAUDA_STORE_PROFILE")) if read.raw("SAUDA_STORE_PROFILE") else profile_path(data_dir)
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
