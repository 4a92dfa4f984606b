"""Courier credentials, base URLs and the poll interval, read once from the environment."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Mapping, Optional

import httpx

from lifecycle.config.environment import Environment
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
        read = Environment(env)
        return cls(
            poll_seconds=read.number("SAUDA_COURIER_POLL_SECONDS", 900, low=0.01),
            leopards_url=read.text("LEOPARDS_BASE_URL", "https://merchantapi.leopardscourier.com/api"),
            leopards_api_key=read.text("LEOPARDS_API_KEY"),
            leopards_api_password=read.text("LEOPARDS_API_PASSWORD"),
            postex_url=read.text("POSTEX_BASE_URL", "https://api.postex.pk/services/integration/api"),
            postex_token=read.text("POSTEX_API_TOKEN"),
            tcs_url=read.text("TCS_BASE_URL", "https://ociconnect.tcscourier.com"),
            tcs_token=read.text("TCS_API_TOKEN"),
            generic=load_generic(read.text("SAUDA_GENERIC_COURIERS"), read.env),
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
