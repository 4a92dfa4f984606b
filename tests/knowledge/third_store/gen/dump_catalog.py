#!/usr/bin/env python3
"""Print a human-readable view of catalog.csv (used while labelling questions by hand)."""
import csv, os, re
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "catalog.csv")
prods = {}
order = []
with open(path, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        h = r["Handle"]
        if h not in prods:
            prods[h] = {"first": r, "variants": []}
            order.append(h)
        if r["Variant Price"]:
            prods[h]["variants"].append(r)
for h in order:
    p = prods[h]; fr = p["first"]
    names = [fr["Option%d Name" % i] for i in (1, 2, 3) if fr["Option%d Name" % i]]
    print("=" * 70)
    print(h, "|", fr["Title"], "| options:", names)
    print("   ", re.sub("<[^>]+>", " ", fr["Body (HTML)"]).strip())
    for v in p["variants"]:
        vals = [v["Option%d Value" % i] for i in (1, 2, 3) if v["Option%d Value" % i]]
        print("    %-40s qty=%-3s price=%s%s" % (" / ".join(vals), v["Variant Inventory Qty"], v["Variant Price"],
              (" (was %s)" % v["Variant Compare At Price"]) if v["Variant Compare At Price"] else ""))
