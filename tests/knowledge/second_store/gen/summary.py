from catalog_lib import load
P = load()
nv = sum(len(p["variants"]) for p in P.values())
z = sum(1 for p in P.values() for v in p["variants"] if v["qty"] == 0)
low = sum(1 for p in P.values() for v in p["variants"] if 1 <= v["qty"] <= 3)
print(len(P), "products", nv, "variants", z, "zero", low, "low")
for h, p in P.items():
    prices = sorted({"%.0f/%.0f" % (v["price"], v["compare"] or 0) for v in p["variants"]})
    print("== %s | %s | %s" % (h, p["names"], ", ".join(prices)))
    print("   " + "  ".join("/".join(v["opts"].values()) + "=" + str(v["qty"]) for v in p["variants"]))
