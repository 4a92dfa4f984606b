"""Templates page: every message in lifecycle/engine/templates.yml with its category, languages and
variables, and Meta template-creation requests to download (one template, or all)."""

from __future__ import annotations

import json

from sanic import Blueprint, Request, response

from appserver.auth import Auth, require
from appserver.pages import page
from lifecycle.engine import meta_templates, templates


def templates_blueprint(auth: Auth) -> Blueprint:
    bp = Blueprint("templates_page", url_prefix="/templates")

    @bp.get("/")
    @require(auth, "merchant")
    async def listing(request: Request):
        loaded = templates.load()  # read each time: the file is edited by hand
        rows = []
        for message in loaded.messages.values():
            requests = meta_templates.creation_requests(message, loaded) if message.template else []
            rows.append(
                {
                    "message": message,
                    "languages": [loaded.meta_languages[lang] for lang in message.text],
                    "problems": [p for r in requests for p in meta_templates.review_problems(r)],
                    "english": message.text.get("english", ""),
                }
            )
        return response.html(
            page(
                request,
                auth,
                "templates.html",
                "/templates",
                rows=rows,
                submitted=sum(1 for r in rows if r["message"].template),
            )
        )

    @bp.get("/export/<name:ext=json>")
    @require(auth, "merchant")
    async def export(request: Request, name: str, ext: str):
        """``all.json``: every template in every language; ``<message>.json``: one template."""
        loaded = templates.load()
        if name == "all":
            body = meta_templates.all_requests(loaded)
        elif name in loaded.messages and loaded.messages[name].template:
            body = meta_templates.creation_requests(loaded.messages[name], loaded)
        else:
            return response.text(f"no Meta template {name!r} in templates.yml", status=404)
        return response.text(
            json.dumps(body, ensure_ascii=False, indent=2),
            content_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="sauda_templates_{name}.json"'},
        )

    return bp
