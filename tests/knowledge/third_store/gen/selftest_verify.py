#!/usr/bin/env python3
"""Mutation test of verify.py: each deliberately wrong label must produce a mismatch."""
import copy, os, subprocess, sys, tempfile
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
qs = yaml.safe_load(open(os.path.join(HERE, "..", "questions.yml"), encoding="utf-8"))["questions"]


def first(pred):
    return next(i for i, q in enumerate(qs) if pred(q))


def m_flip_available(q):
    q["expect"]["available"] = not q["expect"]["available"]


def m_price(q):
    q["expect"]["price"] += 100


def m_drop_compare(q):
    del q["expect"]["compare_at"]


def m_in_stock(q):
    q["expect"]["in_stock"] = q["expect"]["in_stock"][:-1]


def m_fact(q):
    q["expect"]["fact"] = q["expect"]["fact"] + " and more"


def m_spelling(q):
    k = next(iter(q["options"]))
    q["options"][k] = q["options"][k].lower()


def m_city(q):
    q["expect"]["city"] = "Gilgit"


def m_not_offered(q):
    q["expect"]["available"] = "not_offered"


def m_choice(q):
    q["choices"] = q["choices"][:1] + ["hand-pull-chopper"]


def m_lang(q):
    q["language"] = "roman_urdu"


cases = [
    ("flip available", first(lambda q: q["expect"].get("available") is True), m_flip_available),
    ("price +100", first(lambda q: "price" in q["expect"]), m_price),
    ("drop compare_at", first(lambda q: "compare_at" in q["expect"]), m_drop_compare),
    ("in_stock shortened", first(lambda q: len(q["expect"].get("in_stock", [])) > 1), m_in_stock),
    ("fact altered", first(lambda q: q["expect"].get("fact") not in (None, "unknown")), m_fact),
    ("option spelling", first(lambda q: q.get("options") and any(v != v.lower() for v in q["options"].values())), m_spelling),
    ("wrong city", first(lambda q: "city" in q["expect"]), m_city),
    ("false -> not_offered", first(lambda q: q["expect"].get("available") is False), m_not_offered),
    ("bad ambiguous choice", first(lambda q: "choices" in q and q.get("options")), m_choice),
    ("urdu labelled roman", first(lambda q: q["language"] == "urdu_script"), m_lang),
]
failed = 0
for name, idx, fn in cases:
    mut = copy.deepcopy(qs)
    fn(mut[idx])
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False, encoding="utf-8") as f:
        yaml.safe_dump({"questions": mut}, f, allow_unicode=True, sort_keys=False)
        path = f.name
    r = subprocess.run([sys.executable, os.path.join(HERE, "verify.py"), path], capture_output=True, text=True)
    os.unlink(path)
    caught = r.returncode != 0 and "MISMATCH %s" % mut[idx]["id"] in r.stdout
    print("%-22s %s -> %s" % (name, mut[idx]["id"], "caught" if caught else "NOT CAUGHT"))
    failed += not caught
# unmodified file must pass
r = subprocess.run([sys.executable, os.path.join(HERE, "verify.py")], capture_output=True, text=True)
print("unmodified questions.yml ->", "0 mismatches" if r.returncode == 0 else "FAILS")
sys.exit(1 if failed or r.returncode else 0)
