"""The layer rules of ARCHITECTURE.md, read from the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("actions", "appserver", "bench", "bot", "knowledge", "lifecycle", "scripts", "simulator", "whatsapp")
# lifecycle/<layer> may import these other layers of lifecycle (besides itself).
LIFECYCLE_LAYERS = {
    "config": set(),
    "db": {"config"},
    "domain": {"db", "config"},
    "integrations": {"domain", "db", "config"},
    "analytics": {"domain", "db", "config"},
    "engine": {"integrations", "domain", "db", "config"},
    "flows": {"engine", "integrations", "domain", "db", "config"},
    "conversation": {"flows", "engine", "integrations", "domain", "db", "config"},  # catalog carts start flows
    "events": {"flows", "engine", "integrations", "domain", "db", "config"},
}


def modules() -> list[tuple[str, Path]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found.append((".".join(path.relative_to(ROOT).with_suffix("").parts), path))
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offenders(rule) -> list[str]:
    return [
        f"{module} imports {name}"
        for module, path in modules()
        for name in sorted(imported(path))
        if rule(module, name)
    ]


def top(name: str) -> str:
    return name.split(".")[0]


def test_nothing_outside_bot_imports_bot():
    assert offenders(lambda module, name: top(name) == "bot" and top(module) != "bot") == []


def test_whatsapp_imports_nothing_of_sauda():
    assert (
        offenders(lambda module, name: top(module) == "whatsapp" and top(name) in PACKAGES and top(name) != "whatsapp")
        == []
    )


@pytest.mark.parametrize("package", ["knowledge", "lifecycle"])
def test_knowledge_and_lifecycle_never_import_rasa_or_the_servers(package):
    banned = {"rasa", "rasa_sdk", "bot", "appserver", "actions", "simulator"}
    assert offenders(lambda module, name: top(module) == package and top(name) in banned) == []


def test_lifecycle_has_only_the_composition_root_and_the_cli_at_its_top():
    loose = sorted(p.name for p in (ROOT / "lifecycle").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "service.py"]


def test_lifecycle_layers_import_downwards_only():
    def breaks(module: str, name: str) -> bool:
        parts, target = module.split("."), name.split(".")
        if parts[0] != "lifecycle" or target[0] != "lifecycle" or len(parts) < 3 or len(target) < 2:
            return False
        layer, other = parts[1], target[1]
        if layer not in LIFECYCLE_LAYERS or other == layer or other not in {*LIFECYCLE_LAYERS, "service"}:
            return False
        return other not in LIFECYCLE_LAYERS[layer]

    assert offenders(breaks) == []
