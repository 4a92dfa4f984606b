"""Re-read catalog.csv with the csv module and recompute every question's `expect`.
Usage: python3 verify.py   (exit code 1 on any mismatch)"""
import os, re, sys, collections, yaml
from catalog_lib import load

HERE = os.path.dirname(os.path.abspath(__file__))
P = load()
Q = yaml.safe_load(open(os.path.join(HERE, "..", "questions.yml"), encoding="utf-8"))["questions"]
PROFILE = yaml.safe_load(open(os.path.join(HERE, "..", "profile.yml"), encoding="utf-8"))
SIZE_NAMES = ["Shoe Size", "Size", "Age", "Volume", "Pack"]
COLOUR_NAMES = ["Color", "Colour"]
ASKS = {"availability", "sizes", "colours", "price", "details", "delivery", "pictures"}
LANGS = {"roman_urdu", "english", "urdu_script"}
errors = []

def err(q, msg):
    errors.append(f"{q.get('id')}: {msg}")

def matching(p, opts):
    return [v for v in p["variants"] if all(v["opts"].get(k) == val for k, val in opts.items())]

def availability(p, opts):
    m = matching(p, opts)
    if not m:
        return "not_offered"
    return any(v["qty"] > 0 for v in m)

def in_stock(p, name, other):
    vals = []
    for v in matching(p, other):
        if v["qty"] > 0 and v["opts"][name] not in vals:
            vals.append(v["opts"][name])
    return vals

def text(body):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()

seen = set()
for q in Q:
    qid = q.get("id")
    if qid in seen: err(q, "duplicate id")
    seen.add(qid)
    t = q.get("turns")
    if not isinstance(t, list) or not 1 <= len(t) <= 3 or not all(isinstance(x, str) and x for x in t):
        err(q, "bad turns")
    if q.get("asks") not in ASKS: err(q, "bad asks")
    if q.get("language") not in LANGS: err(q, "bad language")
    if ("product" in q) == ("choices" in q): err(q, "exactly one of product/choices needed")
    opts = q.get("options") or {}
    ex = q.get("expect") or {}
    if not all(isinstance(v, str) for v in opts.values()): err(q, "option values must be strings")
    allowed = {"available", "price", "compare_at", "in_stock", "fact", "city"}
    if set(ex) - allowed: err(q, f"unknown expect keys {set(ex) - allowed}")

    if "choices" in q:
        ch = q["choices"]
        if len(ch) < 2: err(q, "choices needs >= 2")
        for h in ch:
            if h not in P: err(q, f"unknown choice {h}"); continue
            for k, val in opts.items():
                if k not in P[h]["names"]: err(q, f"{h} has no option {k}")
                elif not matching(P[h], {k: val}): err(q, f"{h} does not offer {k}={val}")
            if opts and availability(P[h], opts) == "not_offered": err(q, f"{h} lacks combination {opts}")
        if ex: err(q, "ambiguous items should not carry expect")
        continue

    h = q["product"]
    if h is None:
        if opts or ex: err(q, "null product should have no options/expect")
        continue
    if h not in P: err(q, f"unknown product {h}"); continue
    p = P[h]
    for k in opts:
        if k not in p["names"]: err(q, f"option name {k} not an option of {h} {p['names']}")
    a = q["asks"]
    if "available" in ex:
        got = availability(p, opts)
        if ex["available"] != got: err(q, f"available: label {ex['available']} != csv {got}")
    elif a == "availability":
        err(q, "availability question without expect.available")
    if a != "availability" and "available" not in ex and opts and availability(p, opts) == "not_offered":
        err(q, f"named options {opts} not offered")
    if a == "price":
        m = matching(p, opts)
        if not m: err(q, "price: no matching variant")
        else:
            low = min(m, key=lambda v: v["price"])
            if ex.get("price") != low["price"]: err(q, f"price: label {ex.get('price')} != csv {low['price']}")
            if (ex.get("compare_at") or None) != (low["compare"] or None):
                err(q, f"compare_at: label {ex.get('compare_at')} != csv {low['compare']}")
    elif "price" in ex or "compare_at" in ex:
        err(q, "price keys on non-price question")
    if "in_stock" in ex:
        if a == "sizes":
            name = next((n for n in SIZE_NAMES if n in p["names"] and n not in opts), None)
            other = opts
        elif a == "colours":
            name = next((n for n in COLOUR_NAMES if n in p["names"]), None)
            other = opts
        else:
            if len(opts) != 1: err(q, "in_stock on availability needs exactly one named option"); continue
            name = next(iter(opts)); other = {}
        if name is None: err(q, "cannot determine asked option"); continue
        got = in_stock(p, name, other)
        if sorted(ex["in_stock"]) != sorted(got): err(q, f"in_stock: label {ex['in_stock']} != csv {got} ({name})")
    elif a in ("sizes", "colours"):
        err(q, "sizes/colours question without in_stock")
    if a == "details":
        f = ex.get("fact")
        if f is None: err(q, "details without fact")
        elif f != "unknown" and f.lower() not in text(p["body"]).lower(): err(q, f"fact not in description: {f!r}")
    if a == "delivery":
        if not ex.get("city"): err(q, "delivery without city")

# statistics by section comment
sec, cur = {}, None
for line in open(os.path.join(HERE, "..", "questions.yml"), encoding="utf-8"):
    m = re.match(r"\s*# section: (\S+)", line)
    if m: cur = m.group(1)
    m = re.match(r"\s*- id: (\S+)", line)
    if m: sec[m.group(1)] = cur
print("questions:", len(Q))
print("by section:", dict(collections.Counter(sec[q["id"]] for q in Q)))
print("by language:", dict(collections.Counter(q["language"] for q in Q)))
print("by asks:", dict(collections.Counter(q["asks"] for q in Q)))
print("multi-turn:", sum(len(q["turns"]) > 1 for q in Q))
salam = re.compile(r"^\s*(assalam|asalam|aslam|salam|slm|aoa|as-salamu|السلام|سلام)", re.I)
print("beginning with a salam:", sum(bool(salam.match(q["turns"][0])) for q in Q))
print("available labels:", dict(collections.Counter(str(q.get("expect", {}).get("available")) for q in Q if q.get("expect") and "available" in q["expect"])))
if errors:
    print("\n".join(errors)); print(len(errors), "ERRORS"); sys.exit(1)
print("OK: all labels match catalog.csv")
