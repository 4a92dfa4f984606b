"""Courier credentials, base URLs and the poll interval, read once from the environment."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Mapping, Optional

import httpx

from lifecycle.integrations.couriers.base import CourierClient
from lifecycle.integrations.couriers.generic import GenericClient, GenericConfig
from lifecycle.integrations.couriers.leopards import LeopardsClient
from lifecycle.integrations.couriers.postex import PostExClient
from lifecycle.integrations.couriers.tcs import TcsClient

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CourierSettings:
    poll_seconds: float
    leopards_url: str
    leopards_api_key: str
    leopards_api_password: str
    postex_url: str
    postex_token: str
    tcs_url: str
    tcs_token: str
    generic: tuple[GenericConfig, ...]

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "CourierSettings":
        env = os.environ if env is None else env
        return cls(
            poll_seconds=float(env.get("SAUDA_COURIER_POLL_SECONDS", "900")),
            leopards_url=env.get("LEOPARDS_BASE_URL", "https://merchantapi.leopardscourier.com/api"),
            leopards_api_key=env.get("LEOPARDS_API_KEY", ""),
            leopards_api_password=env.get("LEOPARDS_API_PASSWORD", ""),
            postex_url=env.get("POSTEX_BASE_URL", "https://api.postex.pk/services/integration/api"),
            postex_token=env.get("POSTEX_API_TOKEN", ""),
            tcs_url=env.get("TCS_BASE_URL", "https://ociconnect.tcscourier.com"),
            tcs_token=env.get("TCS_API_TOKEN", ""),
            generic=load_generic(env.get("SAUDA_GENERIC_COURIERS", ""), env),
        )


def load_generic(path: str, env: Mapping[str, str]) -> tuple[GenericConfig, ...]:
    """Generic courier configs from a JSON file, ``$VARS`` in header values taken from ``env``."""
    if not path:
        return ()
    configs = []
    for data in json.loads(Path(path).read_text()):
        headers = {k: Template(v).substitute(env) for k, v in data.get("headers", {}).items()}
        configs.append(GenericConfig.from_dict({**data, "headers": headers}))
    return tuple(configs)


def build_clients(settings: CourierSettings, http: httpx.AsyncClient) -> dict[str, CourierClient]:
    """A tracking client for every courier whose credentials are set, by courier name."""
    clients: list[CourierClient] = []
    if settings.leopards_api_key and settings.leopards_api_password:
        clients.append(
            LeopardsClient(settings.leopards_url, http, settings.leopards_api_key, settings.leopards_api_password)
        )
    if settings.postex_token:
        clients.append(PostExClient(settings.postex_url, http, settings.postex_token))
    if settings.tcs_token:
        clients.append(TcsClient(settings.tcs_url, http, settings.tcs_token))
    clients.extend(GenericClient(config, http) for config in settings.generic)
    logger.info("courier tracking enabled for: %s", ", ".join(c.name for c in clients) or "none")
    return {client.name: client for client in clients}
