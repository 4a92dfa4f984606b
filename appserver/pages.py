"""Server-rendered pages: one Jinja2 environment over appserver/templates (autoescaped)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from lifecycle.domain import accounts

TEMPLATES = Path(__file__).resolve().parent / "templates"

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    """Render a page; templates extend base.html, which draws the navigation."""
    return _env.get_template(template).render(**context)


# (href, label, the least role that sees it: agent < merchant < owner)
NAV = [
    ("/dashboard", "Overview", "merchant"),
    ("/dashboard/cancellations", "Cancellations", "merchant"),
    ("/catalog/manage", "Catalog", "merchant"),
    ("/settings", "Settings", "merchant"),
    ("/templates", "Templates", "merchant"),
    ("/console/escalations", "Escalations", "agent"),
    ("/console/payments", "Payments", "agent"),
    ("/console/dead-letters", "Dead letters", "merchant"),
]


def page(request, auth, template: str, active: str, **context: Any) -> str:
    """Render a logged-in page with the navigation for the user's role and a CSRF token."""
    user = request.ctx.user
    nav = [(href, label) for href, label, needed in NAV if accounts.role_allows(user.role, needed)]
    return render(template, user=user, nav=nav, active=active, csrf=auth.csrf_token(request), **context)
