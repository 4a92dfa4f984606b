#!/usr/bin/env python3
"""Verify catalog.csv, profile.yml and questions.yml of the Noor Mart evaluation set.

Re-reads catalog.csv with the csv module and recomputes every `expect` label from the rows
(availability, price/compare_at, in_stock, fact substring, unknown facts, city), checks the
format of every item, and checks the counts the brief asks for. Prints every mismatch and
exits non-zero if there is any. Standard library + PyYAML.
"""
import collections, csv, json, os, re, sys
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
EXAMPLE = "/work/briefs/third_store_examples/shopify_export_example.csv"

errors = []


def err(where, msg):
    errors.append("%s: %s" % (where, msg))


# ------------------------------------------------------------------ catalogue
with open(os.path.join(ROOT, "catalog.csv"), newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    raw = list(reader)
if os.path.exists(EXAMPLE):
    with open(EXAMPLE, newline="", encoding="utf-8") as f:
        ex_header = next(csv.reader(f))
    if header != ex_header:
        err("catalog", "header differs from the example export")
rows = [dict(zip(header, r)) for r in raw]
for i, r in enumerate(raw):
    if len(r) != len(header):
        err("catalog row %d" % (i + 2), "wrong number of columns")

products = collections.OrderedDict()
for r in rows:
    h = r["Handle"]
    if h not in products:
        if not r["Title"]:
            err(h, "first row has no Title")
        names = [r["Option%d Name" % i] for i in (1, 2, 3) if r["Option%d Name" % i]]
        products[h] = {"title": r["Title"], "body": r["Body (HTML)"], "names": names, "variants": [],
                       "values": collections.OrderedDict((n, []) for n in names), "images": 0}
    else:
        for col in ("Title", "Body (HTML)", "Vendor", "Option1 Name", "Option2 Name", "Option3 Name", "Status"):
            if r[col]:
                err(h, "continuation row has product-level field %s" % col)
    p = products[h]
    if r["Image Src"]:
        p["images"] += 1
    if not r["Variant Price"]:  # image-only row
        if any(r["Option%d Value" % i] for i in (1, 2, 3)):
            err(h, "image row with option values")
        continue
    vals = tuple(r["Option%d Value" % i] for i in range(1, len(p["names"]) + 1))
    if any(not v for v in vals) or any(r["Option%d Value" % i] for i in range(len(p["names"]) + 1, 4)):
        err(h, "variant row option values do not fit option names: %r" % (vals,))
    if r["Variant Inventory Policy"] != "deny":
        err(h, "inventory policy not deny")
    qty = int(r["Variant Inventory Qty"])
    price = float(r["Variant Price"])
    cmp_ = float(r["Variant Compare At Price"]) if r["Variant Compare At Price"] else None
    if cmp_ is not None and cmp_ <= price:
        err(h, "compare-at not above price")
    opts = dict(zip(p["names"], vals))
    if any(v["opts"] == opts for v in p["variants"]):
        err(h, "duplicate variant %r" % (vals,))
    p["variants"].append({"opts": opts, "qty": qty, "price": price, "compare": cmp_})
    for n, v in opts.items():
        if v not in p["values"][n]:
            p["values"][n].append(v)

nvar = sum(len(p["variants"]) for p in products.values())
n_oos = sum(1 for p in products.values() for v in p["variants"] if v["qty"] == 0)
n_low = sum(1 for p in products.values() for v in p["variants"] if 1 <= v["qty"] <= 3)
n_opts = collections.Counter(0 if p["names"] == ["Title"] else len(p["names"]) for p in products.values())
n_sale = sum(1 for p in products.values() if any(v["compare"] for v in p["variants"]))
if not 45 <= len(products) <= 60:
    err("catalog", "product count %d not in 45..60" % len(products))
if nvar < 250:
    err("catalog", "only %d variants" % nvar)
if not 0.20 <= n_oos / nvar <= 0.30:
    err("catalog", "out-of-stock share %.1f%% not near 25%%" % (100.0 * n_oos / nvar))

COLOUR = ("Color", "Colour")


def body_text(h):
    t = re.sub(r"</p>\s*<p>", " ", products[h]["body"])
    return re.sub(r"<[^>]+>", "", t)


def matching(p, opts):
    return [v for v in p["variants"] if all(v["opts"].get(n) == val for n, val in opts.items())]


def in_stock_values(p, name, given):
    out = []
    for val in p["values"].get(name, []):
        if any(v["qty"] > 0 for v in matching(p, dict(given, **{name: val}))):
            out.append(val)
    return out


def fmt_price(x):
    return int(x) if x == int(x) else x


# ------------------------------------------------------------------ profile
profile = yaml.safe_load(open(os.path.join(ROOT, "profile.yml"), encoding="utf-8"))
for k in ("store_name", "product_link", "order_link", "currency", "low_stock_threshold", "delivery", "cod",
          "returns", "exchange", "jazzcash", "easypaisa", "review_links", "working_hours", "faq"):
    if k not in profile:
        err("profile", "missing key %s" % k)
CITIES = set(profile["delivery"]["cities"])
URDU_CITY = {"لاہور": "Lahore", "کراچی": "Karachi", "اسلام آباد": "Islamabad"}

# ------------------------------------------------------------------ questions
QPATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "questions.yml")
qs = yaml.safe_load(open(QPATH, encoding="utf-8"))["questions"]
meta = json.load(open(os.path.join(HERE, "question_meta.json"), encoding="utf-8"))
ALLOWED = {"id", "turns", "product", "choices", "asks", "options", "expect", "language"}
ASKS = {"availability", "sizes", "colours", "price", "details", "delivery", "pictures"}
LANGS = {"roman_urdu", "english", "urdu_script"}
ARABIC = re.compile(r"[\u0600-\u06FF]")
SALAM = re.compile(r"^\s*(assalam|asalam|aoa\b|salam|as-salam|السلام)", re.I)

seen = set()
n_checked = collections.Counter()
for q in qs:
    qid = q.get("id", "?")
    if qid in seen:
        err(qid, "duplicate id")
    seen.add(qid)
    if set(q) - ALLOWED:
        err(qid, "unexpected keys %s" % (set(q) - ALLOWED))
    turns = q.get("turns")
    if not isinstance(turns, list) or not 1 <= len(turns) <= 3 or not all(isinstance(t, str) and t for t in turns):
        err(qid, "turns must be 1-3 non-empty strings")
        continue
    last = turns[-1]
    lang = q.get("language")
    if lang not in LANGS:
        err(qid, "bad language %r" % lang)
    has_ar = any(ARABIC.search(t) for t in turns)
    if (lang == "urdu_script") != has_ar:
        err(qid, "language %s but Urdu-script characters %s" % (lang, "present" if has_ar else "absent"))
    asks = q.get("asks")
    if asks not in ASKS:
        err(qid, "bad asks %r" % asks)
    exp = q.get("expect")
    if not isinstance(exp, dict):
        err(qid, "expect must be a mapping")
        continue
    opts = q.get("options") or {}
    if not all(isinstance(v, str) for v in opts.values()):
        err(qid, "option values must be strings")
    m = meta.get(qid, {})

    # ---- ambiguous
    if "choices" in q:
        if "product" in q:
            err(qid, "both product and choices")
        ch = q["choices"]
        if len(ch) < 2 or len(set(ch)) != len(ch):
            err(qid, "choices need >= 2 distinct handles")
        for h in ch:
            if h not in products:
                err(qid, "unknown handle in choices %s" % h)
            elif opts and not matching(products[h], opts):
                err(qid, "choice %s has no variant matching %r" % (h, opts))
        if exp:
            err(qid, "ambiguous items carry no expect values in this set")
        n_checked["ambiguous"] += 1
        continue
    if "product" not in q:
        err(qid, "neither product nor choices")
        continue
    h = q["product"]
    if h is None:
        if opts or exp:
            err(qid, "product null: options/expect must be empty")
        n_checked["null"] += 1
        continue
    if h not in products:
        err(qid, "unknown handle %s" % h)
        continue
    p = products[h]

    # option names / exact spelling of values
    not_offered_names = []
    for n, val in opts.items():
        if n not in p["names"]:
            err(qid, "option name %r not on product %s (%s)" % (n, h, p["names"]))
            continue
        if val not in p["values"][n]:
            near = [x for x in p["values"][n] if x.lower().replace(" ", "") == val.lower().replace(" ", "")]
            if near:
                err(qid, "value %r should be spelled exactly %r" % (val, near[0]))
            not_offered_names.append(n)
    match = matching(p, opts)

    # ---- availability
    if asks == "availability":
        if "available" not in exp:
            err(qid, "availability item without expect.available")
        else:
            if not match:
                want = "not_offered"
            else:
                want = any(v["qty"] > 0 for v in match)
            if exp["available"] != want:
                err(qid, "available: labelled %r, catalogue says %r" % (exp["available"], want))
            n_checked["available"] += 1
        if "in_stock" in exp:
            if len(not_offered_names) == 1:
                name = not_offered_names[0]
            elif len(opts) == 1 and not not_offered_names:
                name = list(opts)[0]
            else:
                name = None
                err(qid, "in_stock on a multi-option availability item is ambiguous; leave it out")
            if name:
                given = {k: v for k, v in opts.items() if k != name}
                want = in_stock_values(p, name, given)
                if exp["in_stock"] != want:
                    err(qid, "in_stock (%s): labelled %r, catalogue says %r" % (name, exp["in_stock"], want))
                n_checked["in_stock"] += 1
    elif not_offered_names:
        err(qid, "options name values the product does not have (%s) on a non-availability item" % not_offered_names)
    elif opts and not match:
        err(qid, "no variant matches options %r" % opts)

    # ---- sizes / colours lists
    if asks in ("sizes", "colours"):
        if asks == "colours":
            cands = [n for n in p["names"] if n in COLOUR]
        else:
            cands = [n for n in p["names"] if n not in COLOUR and n not in opts and n != "Title"]
        if not cands:
            err(qid, "no option to list for %s" % asks)
        elif "in_stock" not in exp:
            err(qid, "%s item without in_stock" % asks)
        else:
            name = cands[0]
            want = in_stock_values(p, name, opts)
            if exp["in_stock"] != want:
                err(qid, "in_stock (%s): labelled %r, catalogue says %r" % (name, exp["in_stock"], want))
            n_checked["in_stock"] += 1

    # ---- price
    if asks == "price" or "price" in exp:
        if "price" not in exp:
            err(qid, "price item without expect.price")
        elif match:
            low = min(v["price"] for v in match)
            lows = [v for v in match if v["price"] == low]
            cmps = {v["compare"] for v in lows}
            if exp["price"] != fmt_price(low):
                err(qid, "price: labelled %r, catalogue says %r" % (exp["price"], fmt_price(low)))
            if len(cmps) > 1:
                err(qid, "lowest-price variants disagree on compare-at %r" % cmps)
            c = cmps.pop()
            want_c = fmt_price(c) if c else None
            if exp.get("compare_at") != want_c:
                err(qid, "compare_at: labelled %r, catalogue says %r" % (exp.get("compare_at"), want_c))
            n_checked["price"] += 1
    elif "compare_at" in exp:
        err(qid, "compare_at without price")

    # ---- details
    if asks == "details":
        fact = exp.get("fact")
        text = body_text(h)
        if fact is None:
            err(qid, "details item without fact")
        elif fact == "unknown":
            kws = m.get("absent") or []
            if not kws:
                err(qid, "unknown fact without absent-keyword check in questions_src.yml")
            for kw in kws:
                if kw.lower() in text.lower():
                    err(qid, "fact labelled unknown but description mentions %r" % kw)
            n_checked["fact"] += 1
        else:
            if fact not in text:
                err(qid, "fact %r is not a phrase of the description" % fact)
            n_checked["fact"] += 1
    elif "fact" in exp:
        err(qid, "fact on a non-details item")

    # ---- delivery
    if asks == "delivery":
        city = exp.get("city")
        if not city:
            err(qid, "delivery item without city")
        else:
            in_text = city.lower() in last.lower() or any(u in last and URDU_CITY[u] == city for u in URDU_CITY)
            if not in_text:
                err(qid, "city %r not named in the last message" % city)
            n_checked["city"] += 1
    elif "city" in exp:
        err(qid, "city on a non-delivery item")

# ------------------------------------------------------------------ counts the brief asks for
cats = collections.Counter(meta[q["id"]]["cat"] for q in qs)
langs = collections.Counter(q["language"] for q in qs)
salam = sum(1 for q in qs if SALAM.search(q["turns"][0]))
multi = sum(1 for q in qs if meta[q["id"]]["cat"] == "followup" and len(q["turns"]) >= 2)
unknown = sum(1 for q in qs if q["expect"].get("fact") == "unknown")
known = sum(1 for q in qs if q["asks"] == "details" and q["expect"].get("fact") not in (None, "unknown"))
MINS = {"combo": 60, "followup": 30, "details": 25, "not_sold": 20, "ambiguous": 15}
if len(qs) < 220:
    err("questions", "only %d questions" % len(qs))
for c, n in MINS.items():
    if cats[c] < n:
        err("questions", "category %s has %d < %d" % (c, cats[c], n))
if multi < 30:
    err("questions", "only %d multi-turn follow-ups" % multi)
if langs["english"] < 30 or langs["urdu_script"] < 10 or salam < 10:
    err("questions", "language/salam minimums not met")
if not unknown or not known:
    err("questions", "details need both known and unknown facts")
alltext = " ".join(" ".join(q["turns"]).lower() for q in qs)
for w in ("hai", "available", "dastiyab", "mil sakta", "mil sakti", "mojood", "stock mein", "milega"):
    if w not in alltext:
        err("questions", "availability word %r never used" % w)
avail_vals = collections.Counter(str(q["expect"].get("available")) for q in qs if "available" in q["expect"])
combo_vals = collections.Counter(str(q["expect"].get("available")) for q in qs
                                 if meta[q["id"]]["cat"] == "combo")
used = {q["product"] for q in qs if q.get("product")} | {h for q in qs for h in q.get("choices", [])}

print("catalog: %d products, %d variants, %d out of stock (%.1f%%), %d with 1-3 left, "
      "%d products on sale; options per product %s" %
      (len(products), nvar, n_oos, 100.0 * n_oos / nvar, n_low, n_sale, dict(sorted(n_opts.items()))))
print("questions: %d; categories %s" % (len(qs), dict(cats)))
print("languages %s; beginning with a salam: %d; multi-turn follow-ups: %d" % (dict(langs), salam, multi))
print("details: %d facts in description, %d unknown" % (known, unknown))
print("availability labels (all): %s; in size+colour block: %s" % (dict(avail_vals), dict(combo_vals)))
print("products referenced by questions: %d of %d" % (len(used), len(products)))
print("labels recomputed: %s" % dict(n_checked))
for e in errors:
    print("MISMATCH", e)
print("%d mismatches" % len(errors))
sys.exit(1 if errors else 0)
