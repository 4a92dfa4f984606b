"""What every courier adapter shares: internal states, scans, status maps and the tracking client."""

from __future__ import annotations

import hashlib
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Optional
from zoneinfo import ZoneInfo

import httpx
import phonenumbers

from lifecycle.domain.statuses import ShipmentState

logger = logging.getLogger(__name__)

KARACHI = ZoneInfo("Asia/Karachi")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# A courier's statuses map onto the shipment states (ShipmentState, named State here).
State = ShipmentState


class CourierError(Exception):
    """A courier's tracking API failed or answered in a shape we do not understand."""


@dataclass(frozen=True)
class Scan:
    """One tracking event as a courier reported it, with our reading of it.

    ``state`` is None for a status we do not know: the scan is kept with its raw text so
    nothing is lost, and the poller logs it for someone to add to the status map.
    """

    courier: str
    cn: str
    raw_status: str
    state: Optional[State]
    at: Optional[datetime]  # aware, UTC; None when the courier gives no time
    detail: str = ""  # reason or location, as the courier wrote it

    @property
    def key(self) -> str:
        """Identity for dedupe: the same status at the same time is the same scan."""
        at = self.at.isoformat() if self.at else ""
        text = "|".join((self.courier, self.cn, normalise(self.raw_status), at))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def normalise(raw: str) -> str:
    """Status text compared without case or spacing differences."""
    return " ".join(raw.split()).casefold()


class StatusMap:
    """A courier's raw statuses (exact, or by prefix such as ``Attempt Made: <reason>``) → State."""

    def __init__(self, exact: Mapping[str, State], prefixes: Mapping[str, State] | None = None):
        self.exact = {normalise(raw): state for raw, state in exact.items()}
        self.prefixes = {normalise(raw): state for raw, state in (prefixes or {}).items()}

    def state_of(self, raw: str) -> Optional[State]:
        text = normalise(raw)
        if text in self.exact:
            return self.exact[text]
        return next((state for prefix, state in self.prefixes.items() if text.startswith(prefix)), None)


def local_time(value: str, fmt: str) -> datetime:
    """A courier's wall-clock time (Pakistan time unless it says otherwise) as aware UTC."""
    parsed = datetime.fromisoformat(value) if fmt == "iso" else datetime.strptime(" ".join(value.split()), fmt)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=KARACHI)
    return parsed.astimezone(timezone.utc)


def courier_phone(raw: str) -> str:
    """A Pakistani mobile number as couriers want it: ``03001234567``.

    Accepts every common form (``0300-1234567``, ``+92 300 1234567``, ``923001234567``,
    ``00923001234567``); raises ValueError for anything that is not a Pakistani mobile.
    """
    try:
        number = phonenumbers.parse(raw, "PK")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {raw!r} ({exc})") from exc
    if (
        number.country_code != 92
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValueError(f"not a Pakistani mobile number: {raw!r}")
    return f"0{number.national_number}"


class CourierClient(ABC):
    """Tracks consignments over one courier's HTTP API; subclasses build the request and read the answer."""

    name: str
    statuses: StatusMap

    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    batch_size = 1  # consignments one request can ask about

    async def track(self, cn: str) -> list[Scan]:
        """Every scan the courier reports for ``cn``, oldest first (undated scans last)."""
        return self.read(cn, await self.fetch(cn))

    async def track_many(self, cns: list[str]) -> dict[str, list[Scan]]:
        """``track`` for up to ``batch_size`` consignments; couriers that answer many at once override it."""
        return {cn: await self.track(cn) for cn in cns}

    async def fetch(self, cn: str) -> Any:
        """The courier's decoded JSON answer to ``request(cn)``; CourierError if there is none."""
        try:
            response = await self.request(cn)
        except httpx.HTTPError as exc:
            raise CourierError(f"{self.name} {cn}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise CourierError(f"{self.name} {cn}: HTTP {response.status_code}: {response.text[:200]}")
        try:
            return response.json()
        except ValueError as exc:
            raise CourierError(f"{self.name} {cn}: not JSON ({exc})") from exc

    def read(self, cn: str, payload: Any) -> list[Scan]:
        """``parse`` with an unexpected shape reported as a CourierError, scans in time order."""
        try:
            scans = self.parse(cn, payload)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CourierError(f"{self.name} {cn}: unexpected response ({type(exc).__name__}: {exc})") from exc
        return sorted(scans, key=lambda s: (s.at is None, s.at or datetime.min.replace(tzinfo=timezone.utc)))

    def scan(self, cn: str, raw_status: str, at: Optional[datetime], detail: str = "") -> Scan:
        raw_status = str(raw_status).strip()
        return Scan(self.name, cn, raw_status, self.statuses.state_of(raw_status), at, str(detail or "").strip())

    def with_current(self, cn: str, scans: list[Scan], current: Optional[str]) -> list[Scan]:
        """Add the courier's headline status as an undated scan when the history lags behind it.

        Some couriers update the headline (e.g. PostEx "Out For Delivery") before, or
        instead of, a history entry; without this that state would never be seen. A
        headline behind the history adds nothing: it is recorded as seen now, so it would
        otherwise look like the newest news.
        """
        if not current:
            return scans
        headline = self.scan(cn, current, None)
        dated = [s for s in scans if s.at is not None and s.state is not None]
        latest = max(dated, key=lambda s: s.at or _EPOCH).state if dated else None
        if (
            latest is not None
            and headline.state is not None
            and (headline.state == latest or headline.state.progress < latest.progress)
        ):
            return scans
        return [*scans, headline]

    @abstractmethod
    async def request(self, cn: str) -> httpx.Response:
        """Send the courier's tracking request for one consignment number."""

    @abstractmethod
    def parse(self, cn: str, payload: Any) -> list[Scan]:
        """Read the courier's JSON answer into scans; raise CourierError if it reports a failure."""


class TokenCourierClient(CourierClient, ABC):
    """A courier whose API takes one merchant token (PostEx, TCS)."""

    def __init__(self, base_url: str, http: httpx.AsyncClient, token: str) -> None:
        super().__init__(base_url, http)
        self.token = token
