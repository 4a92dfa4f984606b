"""States and Meta's error codes are named in one place each: lifecycle/domain/statuses.py and
whatsapp/errors.py. Elsewhere an order, shipment or touchpoint state is never written as a bare
string, and a Meta error code never as a bare number."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from lifecycle.domain.statuses import OrderStatus, ShipmentState, TouchpointKind, TouchpointState
from whatsapp.errors import MetaError

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("actions", "appserver", "bench", "bot", "knowledge", "lifecycle", "simulator", "whatsapp")
HOMES = {ROOT / "lifecycle" / "domain" / "statuses.py", ROOT / "whatsapp" / "errors.py"}
STATES = {str(s) for s in (*OrderStatus, *ShipmentState, *TouchpointState)}
# Values that mean a state (or a touchpoint kind) and nothing else: banned as literals anywhere.
ALWAYS_STATES = {
    str(s)
    for s in (
        OrderStatus.PENDING_CONFIRMATION,
        OrderStatus.PAYMENT_PENDING,
        OrderStatus.OUT_FOR_DELIVERY,
        ShipmentState.IN_TRANSIT,
    )
}
STATE_NAME = re.compile(r"(^|_)(status|state)(es|s)?$", re.IGNORECASE)
META_CODES = {int(code) for code in MetaError}


def sources() -> list[Path]:
    return [
        path
        for package in CHECKED
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and path not in HOMES
    ]


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for element in node.elts for s in _strings(element)]
    return []


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def state_literals(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, value) of state strings compared with, assigned to, or passed as a status/state."""
    found = []
    for node in ast.walk(tree):
        pairs: list[tuple[ast.AST, ast.AST]] = []
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            pairs += [(a, b) for a in operands for b in operands if a is not b]
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs += list(zip(target.elts, node.value.elts))
                else:
                    pairs.append((target, node.value))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            pairs.append((node.target, node.value))
        elif isinstance(node, ast.Dict):
            pairs += [
                (ast.Name(id=key.value), value)
                for key, value in zip(node.keys, node.values)
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            ]
        elif isinstance(node, ast.keyword) and node.arg:
            pairs.append((ast.Name(id=node.arg), node.value))
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("in_", "not_in")
        ):
            pairs += [(node.func.value, arg) for arg in node.args]
        for named, value in pairs:
            if STATE_NAME.search(_name(named)):
                found += [(node.lineno, s) for s in _strings(value) if s in STATES]
    return found


def test_no_state_literal_outside_the_statuses_module():
    offences = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        where = path.relative_to(ROOT)
        offences += [f"{where}:{line}: {value!r}" for line, value in state_literals(tree)]
        offences += [
            f"{where}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in ALWAYS_STATES and id(node) not in docstrings
        ]
    assert sorted(set(offences)) == []


def test_no_raw_meta_error_code_outside_whatsapp_errors():
    offences = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}"
        for path in sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value in META_CODES
    ]
    assert offences == []


def test_the_checker_finds_what_it_is_meant_to_find():
    tree = ast.parse(
        'order.status = "confirmed"\nif shipment.state in ("delivered", "x"): pass\n'
        'q.where(Touchpoint.state == "scheduled")\nupdate(T).values(state="claimed")\n'
        'cart.status, cart.updated_at = "cancelled", now\nname = "delivered"\nrow = {"state": "done"}\n'
    )
    assert sorted(state_literals(tree)) == [
        (1, "confirmed"),
        (2, "delivered"),
        (3, "scheduled"),
        (4, "claimed"),
        (5, "cancelled"),
        (7, "done"),
    ]
