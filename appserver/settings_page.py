"""Settings page: the store profile (delivery per city, wallet accounts, review links), saved
into ``<data dir>/profile.yml`` through the knowledge base's own validation, and the touchpoint
timings and offers (lifecycle/config/touchpoint_settings.py), each shown with its effect."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Callable, Optional

import yaml
from pydantic import ValidationError
from sanic import Blueprint, Request, response

from appserver.auth import Auth, require
from appserver.pages import page
from knowledge.profile import StoreProfile, load_profile, profile_path
from lifecycle.config import touchpoint_settings
from lifecycle.config.touchpoint_settings import TouchpointSettings
from lifecycle.domain import accounts

WALLETS = ("jazzcash", "easypaisa")
BLANK_CITY_ROWS = 2


def _errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()]


def profile_from_form(current: StoreProfile, form: dict[str, list[str]]) -> dict[str, Any]:
    """The profile document with the page's delivery, wallet and review-link fields applied."""
    one = {key: values[0].strip() for key, values in form.items() if values}
    document = current.model_dump(mode="json", exclude_none=True)
    cities = {}
    for city, low, high, charge in zip(*(form.get(f"city_{f}", []) for f in ("name", "min", "max", "charge"))):
        if city.strip():
            cities[city.strip()] = {"min_days": low, "max_days": high, "charge": charge}
    document["delivery"] = {**document["delivery"], "cities": cities, "default": {
        "min_days": one.get("default_min"), "max_days": one.get("default_max"), "charge": one.get("default_charge")}}
    for wallet in WALLETS:
        number, title = one.get(f"{wallet}_number", ""), one.get(f"{wallet}_title", "")
        document.pop(wallet, None)
        if number or title:
            document[wallet] = {"number": number, "account_title": title}
    document["review_links"] = {site: one[f"review_{site}"] for site in ("google", "facebook")
                                if one.get(f"review_{site}")}
    return document


def save_profile(path: Path, document: dict[str, Any]) -> None:
    partial = path.with_suffix(".tmp")
    partial.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    os.replace(partial, path)


def settings_blueprint(auth: Auth, data_dir: Path, on_save: Optional[Callable[[], None]] = None) -> Blueprint:
    """``on_save`` puts what was saved (profile or touchpoint settings) to work in this process at once."""
    bp = Blueprint("settings_page", url_prefix="/settings")

    def show(request: Request, status: int = 200, **context: Any):
        profile = context.pop("profile", None) or load_profile(profile_path(data_dir))
        touchpoints = context.pop("touchpoints", None) or touchpoint_settings.load(data_dir)
        return response.html(page(request, auth, "settings.html", "/settings", profile=profile,
                                  touchpoints=touchpoints, blank_rows=range(BLANK_CITY_ROWS), wallets=WALLETS,
                                  **context), status=status)

    async def wallet_change_refusal(current: StoreProfile, document: dict[str, Any], request: Request) -> str:
        """Why this save may not change the wallet accounts ("" when it may): only the owner,
        re-entering their password, so a borrowed session cannot redirect customers' payments."""
        before = current.model_dump(mode="json", exclude_none=True)
        if all(before.get(w) == document.get(w) for w in WALLETS):
            return ""
        user = request.ctx.user
        if user.role != "owner":
            return "Only the store's owner can change the JazzCash/Easypaisa accounts; nothing was saved."

        def confirmed() -> bool:
            with auth.db.session() as session:
                return accounts.verify_password(session, user.name, request.form.get("confirm_password", ""))

        if not await asyncio.to_thread(confirmed):
            return "Enter your password to change a wallet account; nothing was saved."
        return ""

    @bp.get("/")
    @require(auth, "merchant")
    async def settings_page(request: Request):
        return show(request, saved=request.args.get("saved"))

    @bp.post("/touchpoints")
    @require(auth, "merchant")
    async def save_touchpoints(request: Request):
        form = {key: values[0] for key, values in request.form.items() if key != "csrf"}
        form["cart_stage_minutes"] = [form.pop(f"cart_stage_{n}", "") for n in (1, 2, 3)]
        try:
            settings = TouchpointSettings.model_validate(form)
        except ValidationError as exc:
            return show(request, 422, touchpoint_errors=_errors(exc), touchpoint_form=form)
        touchpoint_settings.save(data_dir, settings)
        if on_save is not None:
            on_save()
        return response.redirect("/settings?saved=touchpoints#touchpoints", status=303)

    @bp.post("/profile")
    @require(auth, "merchant")
    async def save_store_profile(request: Request):
        current = load_profile(profile_path(data_dir))
        document = profile_from_form(current, dict(request.form))
        try:
            StoreProfile.model_validate(document)
        except ValidationError as exc:
            return show(request, 422, profile_errors=_errors(exc))
        refusal = await wallet_change_refusal(current, document, request)
        if refusal:
            return show(request, 403, profile_errors=[refusal])
        save_profile(Path(data_dir) / "profile.yml", document)
        if on_save is not None:
            on_save()
        return response.redirect("/settings?saved=profile#profile", status=303)

    return bp
