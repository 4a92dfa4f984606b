"""Judging answers to a labelled question set in the evaluation brief's format
(tests/knowledge/second_store/questions.yml): what a correct answer states is worked out
here from the store's Shopify CSV (csv module) and profile (plain YAML), never from
knowledge/. Used by the in-process and end-to-end tests and by `make bench`."""
from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SECOND_STORE = Path(__file__).resolve().parent / "second_store"
THIRD_STORE = Path(__file__).resolve().parent / "third_store"
YES = re.compile(r"\b(Ji haan|Yes)\b")
NO = re.compile(r"stock mein nahi|out of stock|nahi aata|nahi banta|does not come|not made|ek hi|one size only|"
                r"one colour only|koi .* stock mein nahi|no .* in stock", re.IGNORECASE)
UNKNOWN_FACT = re.compile(r"maloomat hamare paas nahi|don't have that information", re.IGNORECASE)
NOT_FOUND = re.compile(r"catalog(ue)? mein nahi mila|couldn't find|pehchan nahi", re.IGNORECASE)
RUPEES = re.compile(r"Rs (\d{1,3}(?:,\d{3})*(?:\.\d\d)?)")


@dataclass
class Store:
    """The store as its files say: variants per handle, descriptions, images, the profile."""
    variants: dict[str, list[dict]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    images: dict[str, set[str]] = field(default_factory=dict)
    profile: dict = field(default_factory=dict)


def load_store(folder: Path = SECOND_STORE) -> Store:
    store = Store(profile=yaml.safe_load((folder / "profile.yml").read_text(encoding="utf-8")))
    names: dict[str, list[str]] = {}
    with open(folder / "catalog.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            handle = row["Handle"]
            if row["Title"]:
                names[handle] = [row[f"Option{i} Name"] for i in (1, 2, 3)]
                store.descriptions[handle] = html.unescape(re.sub(r"<[^>]+>", " ", row["Body (HTML)"]))
            store.images.setdefault(handle, set()).update(u for u in (row["Image Src"], row["Variant Image"]) if u)
            if not row["Variant Price"]:
                continue
            options = {names[handle][i - 1]: row[f"Option{i} Value"] for i in (1, 2, 3)
                       if row[f"Option{i} Value"] and row[f"Option{i} Value"] != "Default Title"}
            store.variants.setdefault(handle, []).append({
                "options": options, "price": float(row["Variant Price"]), "stock": int(row["Variant Inventory Qty"]),
                "compare": float(row["Variant Compare At Price"] or 0) or None})
    return store


def load_questions(folder: Path = SECOND_STORE) -> list[dict]:
    return yaml.safe_load((folder / "questions.yml").read_text(encoding="utf-8"))["questions"]


@dataclass
class Reply:
    """What the customer saw for the judged (last) message."""
    text: str
    product_id: str | None  # the product the answer is about (its link)
    choices: list[str] = field(default_factory=list)  # products offered to pick from
    image: str | None = None


@dataclass
class Verdict:
    right_product: bool
    false: list[str]  # stated facts the CSV contradicts (must never happen)
    missed: list[str]  # expected facts the answer did not state
    false_yes: bool  # said an out-of-stock or nonexistent variant is available


def rs(amount: float) -> str:
    return f"Rs {amount:,.0f}" if float(amount).is_integer() else f"Rs {amount:,.2f}"


def judge(item: dict, reply: Reply, store: Store) -> Verdict:
    if "choices" in item:
        right = set(item["choices"]) <= set(reply.choices) and 2 <= len(reply.choices) <= 10
    elif item.get("product") is None:
        right = reply.product_id is None and not reply.choices and bool(NOT_FOUND.search(reply.text))
    else:
        right = reply.product_id == item["product"]
    expect = item.get("expect") or {}
    false_yes = expect.get("available") in (False, "not_offered") and bool(YES.search(reply.text)) \
        and reply.product_id == item.get("product")
    false, missed = _facts(item, reply, store) if right and item.get("product") else ([], [])
    if false_yes:
        false.append("said yes to a variant that is not available")
    return Verdict(right, false, missed, false_yes)


def _facts(item: dict, reply: Reply, store: Store) -> tuple[list[str], list[str]]:
    false, missed = [], []
    text, expect, handle = reply.text, item.get("expect") or {}, item["product"]
    variants = store.variants[handle]
    delivery = store.profile["delivery"]
    # every amount of money said is a price or compare-at price of this product, or a store charge
    allowed = {rs(v["price"]) for v in variants} | {rs(v["compare"]) for v in variants if v["compare"]}
    allowed |= {rs(r["charge"]) for r in [delivery["default"], *delivery["cities"].values()]}
    allowed |= {rs(x) for x in (delivery.get("free_above"), store.profile["cod"].get("charge"),
                                store.profile["cod"].get("max_order")) if x}
    false += [f"Rs {m} is no price of it" for m in RUPEES.findall(text) if f"Rs {m}" not in allowed]
    available = expect.get("available")
    if available is True:
        if not YES.search(text):
            (false if NO.search(text) and "Khatam" not in text else missed).append("did not say it is available")
        missed += [f"did not name {v}" for v in (item.get("options") or {}).values() if v.lower() not in text.lower()]
    elif available in (False, "not_offered") and not NO.search(text):
        missed.append(f"did not say it is {'not offered' if available == 'not_offered' else 'out of stock'}")
    if item.get("asks") in ("sizes", "colours") and "in_stock" in expect:
        missed += [f"did not list {v} in stock" for v in expect["in_stock"] if v.lower() not in text.lower()]
    if "price" in expect and rs(expect["price"]) not in text:
        missed.append(f"did not say the price {rs(expect['price'])}")
    if "compare_at" in expect and rs(expect["compare_at"]) not in text:
        missed.append(f"did not say the price before the sale {rs(expect['compare_at'])}")
    fact = expect.get("fact")
    if fact == "unknown" and not UNKNOWN_FACT.search(text):
        missed.append("did not say it does not know")
    elif fact and fact != "unknown" and fact.lower() not in text.lower():
        missed.append(f"did not quote {fact!r}")
    if "city" in expect:
        rule = delivery["cities"].get(expect["city"], delivery["default"])
        days = f"{rule['min_days']}-{rule['max_days']}" if rule["min_days"] != rule["max_days"] else str(rule["min_days"])
        if days not in text or rs(rule["charge"]) not in text:
            missed.append(f"did not say {expect['city']}: {days} days, {rs(rule['charge'])}")
    if item.get("asks") == "pictures" and reply.image not in store.images[handle]:
        missed.append("sent no picture of it")
    return false, missed


def facts_against_csv(facts, store: Store) -> list[str]:
    """Each fact of an answer (knowledge.facts.Fact) checked against the CSV's rows."""
    wrong = []
    for fact in facts:
        rows = [v for v in store.variants.get(fact.product_id, [])
                if all(v["options"].get(k) == value for k, value in fact.where)]
        in_stock = [v for v in rows if v["stock"] > 0]
        ok = {
            "available": lambda: bool(rows) and bool(in_stock) == fact.value,
            "left": lambda: sum(v["stock"] for v in rows) == fact.value,
            "in_stock": lambda: set(fact.value) == {v["options"][fact.option] for v in in_stock},
            "offered": lambda: set(fact.value) == {v["options"][fact.option] for v in rows},
            "price": lambda: tuple(fact.value) == (min(v["price"] for v in rows), max(v["price"] for v in rows)),
            "compare_at": lambda: fact.value in {v["compare"] for v in rows},
            "description": lambda: " ".join(fact.value.split()) in " ".join(store.descriptions[fact.product_id].split())
            or fact.value in "".join(store.descriptions[fact.product_id]),
            "not_offered": lambda: fact.option is None or fact.value not in {v["options"].get(fact.option) for v in rows},
        }.get(fact.kind)
        if fact.product_id and ok and not ok():
            wrong.append(f"{fact.kind} {fact.where} {fact.option or ''} = {fact.value!r}")
    return wrong


# --- asking the questions ------------------------------------------------------------------------

def _chosen(payload: str) -> str | None:
    return json.loads(payload[len("/choose_product"):])["product_id"] if payload.startswith("/choose_product") else None


def ask_in_process(search, profile, item: dict):
    """(Reply, facts) for the item's last turn, the turns before it asked first, carrying
    what the action server carries between turns (the product and values discussed)."""
    from knowledge.answers import answer
    from knowledge.question import Question
    from knowledge.roman_urdu import detect_language

    current, options, language = None, {}, "roman_urdu"
    for text in item["turns"]:
        language = detect_language(text) or language
        reply = answer(search, profile, Question(text=text, language=language, current_product=current,
                                                 current_options=options))
        if reply.product_id:
            options = reply.options if reply.product_id == current or reply.options else {}
            current = reply.product_id
    choices = [c for c in (_chosen(b["payload"]) for b in reply.buttons) if c]
    return Reply(reply.text, reply.product_id, choices, reply.image), reply.facts


LINK = re.compile(r"/products/([\w-]+)")


def ask_through(stack, phone: str, item: dict) -> Reply:
    """The item's turns sent through the WhatsApp simulator as one customer; the last reply judged."""
    from tests.stack import message_text

    for text in item["turns"]:
        records = stack.say(phone, text, quiet=0.2)["replies"]
    text = "\n".join(message_text(r) for r in records)
    links = LINK.findall(text)
    choices = []
    image = None
    for record in records:
        action = (record.get("message") or {}).get("action") or {}
        choices += [c for c in (_chosen(b["reply"]["id"]) for b in action.get("buttons", [])) if c]
        choices += [c for s in action.get("sections", []) for c in (_chosen(r["id"]) for r in s["rows"]) if c]
        if record.get("type") == "image":
            image = (record.get("message") or {}).get("link")
    return Reply(text, links[-1] if links else None, choices, image)


@dataclass
class Score:
    total: int = 0
    right: int = 0
    answered: int = 0  # right product and every expected fact stated
    false: list[str] = field(default_factory=list)
    false_yes: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, item: dict, verdict: Verdict) -> None:
        self.total += 1
        self.right += verdict.right_product
        self.answered += verdict.right_product and not verdict.missed and not verdict.false
        self.false += [f"{item['id']}: {f}" for f in verdict.false]
        self.false_yes += verdict.false_yes
        if not verdict.right_product or verdict.missed:
            self.misses.append(f"{item['id']} {item['turns'][-1]!r}: "
                               + ("wrong product" if not verdict.right_product else "; ".join(verdict.missed)))

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


def start_store_stack(data_dir: Path, model: str, folder: Path = SECOND_STORE):
    """The real processes answering from a labelled store's catalog and profile."""
    from knowledge.importers import import_file
    from knowledge.live import knowledge_base
    from tests.stack import start_stack

    knowledge_base(data_dir).store.publish(import_file(folder / "catalog.csv").catalog, source=str(folder))
    return start_stack(data_dir, model, {"SAUDA_STORE_PROFILE": str(folder / "profile.yml")})


def score_through(stack, items: list[dict], store: Store) -> Score:
    score = Score()
    for n, item in enumerate(items):
        score.add(item, judge(item, ask_through(stack, f"+9230099{n:05d}", item), store))
    return score
