"""Read catalog.csv (Shopify export) into products with variants."""
import csv, os
CSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "catalog.csv")

def load(path=CSV):
    prods = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            h = r["Handle"]
            if h not in prods:
                prods[h] = {"title": r["Title"], "body": r["Body (HTML)"], "names": [], "variants": []}
                for i in (1, 2, 3):
                    if r[f"Option{i} Name"]:
                        prods[h]["names"].append(r[f"Option{i} Name"])
            p = prods[h]
            if not r["Variant SKU"]:
                continue  # image continuation row
            opts = {p["names"][i]: r[f"Option{i+1} Value"] for i in range(len(p["names"]))}
            p["variants"].append({"opts": opts, "qty": int(r["Variant Inventory Qty"]),
                                  "price": float(r["Variant Price"]),
                                  "compare": float(r["Variant Compare At Price"]) if r["Variant Compare At Price"] else None})
    return prods
