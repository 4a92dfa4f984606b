"""Second, independent pass: structural checks of catalog.csv against the example export,
and a re-computation of availability/price labels using raw csv.reader column positions."""
import csv, os, sys, yaml
HERE = os.path.dirname(os.path.abspath(__file__))
ex_header = next(csv.reader(open("/work/briefs/shopify_export_example.csv", encoding="utf-8")))
rows = list(csv.reader(open(os.path.join(HERE, "..", "catalog.csv"), encoding="utf-8")))
hdr, body = rows[0], rows[1:]
assert hdr == ex_header, "header differs from the example export"
I = {h: i for i, h in enumerate(hdr)}
PRODUCT_FIELDS = ["Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published", "Status"]
problems, seen, names, var = [], set(), {}, {}
for n, r in enumerate(body, 2):
    h = r[I["Handle"]]
    first = h not in seen
    seen.add(h)
    is_variant = bool(r[I["Variant SKU"]])
    for f in PRODUCT_FIELDS:
        if first and not r[I[f]]: problems.append(f"line {n}: first row of {h} lacks {f}")
        if not first and r[I[f]]: problems.append(f"line {n}: continuation row of {h} has {f}")
    if first:
        names[h] = [r[I[f"Option{k} Name"]] for k in (1, 2, 3) if r[I[f"Option{k} Name"]]]
        var[h] = []
    elif any(r[I[f"Option{k} Name"]] for k in (1, 2, 3)):
        problems.append(f"line {n}: option name on continuation row")
    if is_variant:
        if r[I["Variant Inventory Policy"]] != "deny": problems.append(f"line {n}: policy")
        vals = tuple(r[I[f"Option{k} Value"]] for k in range(1, len(names[h]) + 1))
        var[h].append((dict(zip(names[h], vals)), int(r[I["Variant Inventory Qty"]]), float(r[I["Variant Price"]])))
    else:
        if not r[I["Image Src"]] or any(r[I[f"Option{k} Value"]] for k in (1, 2, 3)):
            problems.append(f"line {n}: bad image continuation row")
nvar = sum(len(v) for v in var.values())
zero = sum(1 for v in var.values() for o, q, p in v if q == 0)
print(f"{len(var)} products, {nvar} variant rows, {len(body) - nvar} image-only rows, "
      f"{zero} variants out of stock ({100*zero/nvar:.0f}%), "
      f"{sum(1 for v in var.values() for o,q,p in v if 1 <= q <= 3)} with 1-3 left")
print("option names used:", sorted({n for v in names.values() for n in v}))
print("option counts:", {k: sum(1 for v in names.values() if len(v) == k) for k in (1, 2, 3)},
      "Default Title products:", sum(1 for v in names.values() if v == ["Title"]))
Q = yaml.safe_load(open(os.path.join(HERE, "..", "questions.yml"), encoding="utf-8"))["questions"]
for q in Q:
    h, e, o = q.get("product"), q.get("expect") or {}, q.get("options") or {}
    if not h: continue
    m = [(qty, pr) for opts, qty, pr in var[h] if all(opts.get(k) == v for k, v in o.items())]
    if "available" in e:
        want = "not_offered" if not m else any(qty > 0 for qty, _ in m)
        if e["available"] != want: problems.append(f"{q['id']}: availability {e['available']} vs {want}")
    if "price" in e and e["price"] != min(pr for _, pr in m): problems.append(f"{q['id']}: price")
print("\n".join(problems) or "second pass OK")
sys.exit(1 if problems else 0)
