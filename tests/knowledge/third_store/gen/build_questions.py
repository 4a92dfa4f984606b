#!/usr/bin/env python3
"""Build ../questions.yml from the hand-labelled questions_src.yml.

Assigns ids q001.. in file order, strips the helper keys (cat, absent) and writes them to
question_meta.json for verify.py. Labels are copied unchanged (they are NOT computed here).
"""
import json, os, re
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
src = yaml.safe_load(open(os.path.join(HERE, "questions_src.yml"), encoding="utf-8"))["questions"]

KEY_ORDER = ["id", "turns", "product", "choices", "asks", "options", "expect", "language"]
EXPECT_ORDER = ["available", "price", "compare_at", "in_stock", "fact", "city"]
SIMPLE = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]*$")


def s(x):
    return json.dumps(x, ensure_ascii=False)


def key(k):
    return k if SIMPLE.match(k) else s(k)


def scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(s(x) for x in v) + "]"
    if v in ("not_offered", "unknown"):
        return v
    return s(v)


lines = ["# Noor Mart evaluation questions (third independent evaluation set).",
         "# Labels worked out by hand from catalog.csv and re-checked by gen/verify.py.",
         "# Conventions: see README.md.",
         "questions:"]
meta = {}
for i, q in enumerate(src, 1):
    qid = "q%03d" % i
    meta[qid] = {"cat": q["cat"], "absent": q.get("absent", [])}
    unknown = set(q) - set(KEY_ORDER) - {"cat", "absent"}
    assert not unknown, (qid, unknown)
    lines.append("  - id: %s" % qid)
    lines.append("    turns: [%s]" % ", ".join(s(t) for t in q["turns"]))
    if "choices" in q:
        lines.append("    choices: [%s]" % ", ".join(q["choices"]))
    else:
        lines.append("    product: %s" % ("null" if q["product"] is None else q["product"]))
    lines.append("    asks: %s" % q["asks"])
    if q.get("options"):
        lines.append("    options: {%s}" % ", ".join("%s: %s" % (key(k), s(v)) for k, v in q["options"].items()))
    exp = q.get("expect") or {}
    bad = set(exp) - set(EXPECT_ORDER)
    assert not bad, (qid, bad)
    if not exp:
        lines.append("    expect: {}")
    else:
        lines.append("    expect:")
        for k in EXPECT_ORDER:
            if k in exp:
                lines.append("      %s: %s" % (k, scalar(exp[k])))
    lines.append("    language: %s" % q["language"])

with open(os.path.join(HERE, "..", "questions.yml"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
with open(os.path.join(HERE, "question_meta.json"), "w", encoding="utf-8") as f:
    json.dump(meta, f, indent=1, ensure_ascii=False)

# round-trip check: what YAML parses back must equal the source (minus helper keys)
back = yaml.safe_load(open(os.path.join(HERE, "..", "questions.yml"), encoding="utf-8"))["questions"]
assert len(back) == len(src)
for b, q in zip(back, src):
    for k in KEY_ORDER[1:]:
        if k in q or k in b:
            qv = q.get(k)
            if k == "options" and not qv:
                continue
            assert b.get(k) == qv, (b["id"], k, b.get(k), qv)
print("wrote %d questions" % len(back))
