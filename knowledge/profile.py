"""The store profile the merchant edits (YAML): name, links, delivery, COD, returns,
wallets, review links, working hours and FAQ. Validated with errors that name the field."""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from knowledge.roman_urdu import city_of

DEMO_PROFILE = Path(__file__).resolve().parent.parent / "demo" / "profile.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A sentence in both answer languages."""
    roman_urdu: str = Field(min_length=1)
    english: str = Field(min_length=1)

    def in_language(self, language: str) -> str:
        return self.english if language == "english" else self.roman_urdu


class Delivery(_Strict):
    min_days: int = Field(ge=0)
    max_days: int = Field(ge=0)
    charge: float = Field(ge=0)

    @model_validator(mode="after")
    def _days_in_order(self) -> "Delivery":
        if self.max_days < self.min_days:
            raise ValueError(f"max_days ({self.max_days}) is less than min_days ({self.min_days})")
        return self

    @property
    def days(self) -> str:
        return str(self.min_days) if self.min_days == self.max_days else f"{self.min_days}-{self.max_days}"


class DeliveryTable(_Strict):
    default: Delivery
    cities: dict[str, Delivery] = {}
    free_above: float | None = Field(default=None, ge=0)  # order total with free delivery

    @field_validator("cities")
    @classmethod
    def _known_city_names(cls, cities: dict[str, Delivery]) -> dict[str, Delivery]:
        """City keys as customers' spellings resolve them ("Khi" -> "Karachi"), each once."""
        named: dict[str, Delivery] = {}
        for name, rule in cities.items():
            city = city_of(name) or name.strip().title()
            if city in named:
                raise ValueError(f"{name!r} is {city}, which is already listed")
            named[city] = rule
        return named

    def for_city(self, city: str | None) -> tuple[str | None, Delivery]:
        """(the city if the table names it, its rule); unnamed cities get the default."""
        name = city_of(city) or city.strip().title() if city else None
        return (name, self.cities[name]) if name in self.cities else (None, self.default)


class CashOnDelivery(_Strict):
    available: bool
    charge: float = Field(default=0, ge=0)
    max_order: float | None = Field(default=None, ge=0)


class Wallet(_Strict):
    account_title: str = Field(min_length=1)
    number: str = Field(pattern=r"^03\d{9}$")


class Brand(_Strict):
    """How the store looks on its tracking page: a colour, and a logo file kept beside profile.yml."""

    colour: str = Field(default="#128c7e", pattern=r"^#[0-9a-fA-F]{6}$")
    logo: str | None = Field(default=None, pattern=r"^[\w.-]+\.(png|jpg|jpeg|svg)$")  # a file name, no folders


class FaqEntry(_Strict):
    keywords: list[str] = Field(min_length=1)  # canonical words that identify the question
    answer: Text


class StoreProfile(_Strict):
    store_name: str = Field(min_length=1)
    product_link: str = Field(pattern=r"\{product_id\}")
    order_link: str = Field(default="", description="order tracking page; may contain {order_id}")
    currency: str = "Rs"
    low_stock_threshold: int = Field(default=3, ge=0)
    delivery: DeliveryTable
    cod: CashOnDelivery
    returns: Text
    exchange: Text | None = None
    jazzcash: Wallet | None = None
    easypaisa: Wallet | None = None
    review_links: dict[str, str] = {}
    working_hours: Text
    faq: list[FaqEntry] = []
    brand: Brand = Field(default_factory=Brand)

    def product_url(self, product_id: str) -> str:
        return self.product_link.format(product_id=product_id)


class ProfileInvalid(Exception):
    """The profile file is unreadable or breaks a rule; ``errors`` lists each as 'field: problem'."""

    def __init__(self, path: str, errors: list[str]):
        self.errors = errors
        super().__init__(f"{path}:\n" + "\n".join(f"  {e}" for e in errors))


def load_profile(path: Path) -> StoreProfile:
    """Read and validate a profile YAML file; raises ProfileInvalid with every error."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileInvalid(str(path), [f"cannot read the file: {exc}"]) from None
    except yaml.YAMLError as exc:
        raise ProfileInvalid(str(path), [f"not valid YAML: {exc}"]) from None
    if not isinstance(document, dict):
        raise ProfileInvalid(str(path), ["expected a mapping of settings (store_name: ..., delivery: ...)"])
    try:
        return StoreProfile.model_validate(document)
    except ValidationError as exc:
        raise ProfileInvalid(str(path), [
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()]) from None


def profile_path(data_dir: Path) -> Path:
    """SAUDA_STORE_PROFILE, else <data dir>/profile.yml, else the demo store's profile."""
    configured = os.environ.get("SAUDA_STORE_PROFILE")
    if configured:
        return Path(configured)
    own = data_dir / "profile.yml"
    return own if own.exists() else DEMO_PROFILE
