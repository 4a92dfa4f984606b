"""Knowledge benchmarks: importing a generated 10k-product / 30k-variant Shopify export
(parse + validate + embed + index + publish), exact vs HNSW search cost by catalog size,
and question latency at 1k, 10k and 50k products."""
from __future__ import annotations

import csv
import io
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import faiss
import numpy as np

from bench.table import Table, percentiles
from knowledge.answers import Question, answer
from knowledge.catalog import Catalog
from knowledge.embeddings import embed
from knowledge.importers import import_bytes
from knowledge.index import EXACT_SEARCH_MAX, build_vector_index, index_kind
from knowledge.profile import DEMO_PROFILE, load_profile
from knowledge.search import ProductSearch
from knowledge.versions import CatalogStore

NAMES = ("Gulnaar Noor Zara Saba Hina Ayesha Mehr Rania Bahar Sana Maryam Zoya Iqra Laiba Anaya Hoor Dua Sitara "
         "Roshni Chandni Shabnam Rangeen Bano Naz Parveen Shireen Zeenat Kiran Mahnoor Alina").split()
STYLES = ("Embroidered Printed Digital Chikankari Classic Premium Festive Bridal Casual Formal Handmade Luxury "
          "Everyday Signature Heritage Block-Print Mirror-Work Zari Tilla Gota").split()
KINDS = [  # (name, type, sizes, colours)
    ("Lawn 3-Piece", "Lawn Suit", None, 3), ("Lawn 2-Piece", "Lawn Suit", None, 3), ("Kurta", "Kurta", 3, 1),
    ("Kurti", "Kurta", 3, 1), ("Shalwar Kameez", "Shalwar Kameez", 3, 1), ("Khussa", "Khussa", 3, 1),
    ("Chappal", "Chappal", 3, 1), ("Dupatta", "Dupatta", None, 3), ("Shawl", "Shawl", None, 3),
    ("Clutch", "Bag", None, 3), ("Tote Bag", "Bag", None, 3), ("Jhumka", "Jewellery", None, 3),
    ("Waistcoat", "Waistcoat", 3, 1), ("Khaddar 3-Piece", "Winter Suit", None, 3), ("Sherwani", "Men Formal", 3, 1)]
COLOURS = "White Black Red Green Blue Yellow Pink Grey Maroon Brown Golden Silver Beige Peach Mint Navy".split()
CLOTH_SIZES, SHOE_SIZES = ["S", "M", "L", "XL"], ["6", "7", "8", "9", "10"]
HEADER = ["Handle", "Title", "Body (HTML)", "Vendor", "Type", "Tags", "Published", "Option1 Name", "Option1 Value",
          "Option2 Name", "Option2 Value", "Variant SKU", "Variant Inventory Qty", "Variant Price",
          "Variant Compare At Price", "Image Src", "Status"]


def generated_export(products: int, seed: int = 7) -> bytes:
    """A Shopify product export with ``products`` products of 3 variants each."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(products):
        kind, ptype, sizes, colours = KINDS[n % len(KINDS)]
        title = f"{rng.choice(NAMES)} {rng.choice(STYLES)} {kind} {n}"
        handle = title.lower().replace(" ", "-")
        size_values = (SHOE_SIZES if ptype in ("Khussa", "Chappal") else CLOTH_SIZES) if sizes else [None]
        combos = ([(s, rng.choice(COLOURS)) for s in rng.sample(size_values, 3)] if sizes else
                  [(None, c) for c in rng.sample(COLOURS, 3)])
        price = rng.randrange(990, 15000, 100)
        for i, (size, colour) in enumerate(combos):
            first = i == 0
            writer.writerow([
                handle, title if first else "", f"<p>{title}: {ptype.lower()} in {colour.lower()}.</p>" if first else "",
                "Bench" if first else "", ptype if first else "", f"{ptype.lower()}, {kind.lower()}" if first else "",
                "TRUE" if first else "", ("Size" if sizes else "Color") if first else "", size or colour,
                ("Color" if sizes else "") if first else "", colour if sizes else "", f"B{n}-{i}",
                rng.randint(0, 30), f"{price}.00", "", "", "active" if first else ""])
    return out.getvalue().encode()


def bench_import() -> tuple[Table, ProductSearch]:
    """The import table, and the published catalog's search (reused as the pool below)."""
    data = generated_export(10_000)
    table = Table("Import of a generated Shopify export: 10,000 products / 30,000 variants",
                  ["stage", "seconds"])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = import_bytes(data, "bench.csv")
        parsed = time.perf_counter()
        store = CatalogStore(Path(tmp))
        published = store.publish(result.catalog)
        done = time.perf_counter()
        search = store.load()
    variants = sum(len(p.variants) for p in result.catalog.products.values())
    table.add(f"parse + validate ({len(data) / 1e6:.1f} MB, {len(result.catalog)} products, {variants} variants)",
              parsed - started)
    table.add(f"embed + {published.index_kind} index + publish", done - parsed)
    table.add("total (target <= 60 s on 2 cores)", done - started)
    return table, search


def search_at(products: int, pool: tuple[Catalog, np.ndarray]) -> ProductSearch:
    """A search over ``products`` products. Vectors beyond the embedded pool are the pool's
    vectors with noise: search cost depends on the count, not on the content."""
    catalog_pool, vectors_pool = pool
    ids = list(catalog_pool.products)
    rng = np.random.default_rng(1)
    catalog, rows = Catalog(), []
    for n in range(products):
        source = catalog_pool.products[ids[n % len(ids)]]
        product = source if n < len(ids) else replace(source, id=f"{source.id}-{n}")
        catalog.products[product.id] = product
        rows.append(vectors_pool[n % len(ids)] + (0 if n < len(ids) else rng.normal(0, 0.02, vectors_pool.shape[1])))
    vectors = np.asarray(rows, dtype=np.float32)
    faiss.normalize_L2(vectors)
    return ProductSearch(catalog, build_vector_index(vectors))


QUESTIONS = ["Zoya embroidered lawn 3 piece ki price?", "kala kurta M size hai?", "khussa 9 number golden",
             "Do you have the Sana printed dupatta in pink?", "sherwani XL available?", "tote bag kitne ka hai",
             "Mahnoor chikankari kurti chota size safaid", "jhumka golden", "peshawari chappal 10 number",
             "shawl surmai rang"]


def bench_index_kinds(pool) -> Table:
    table = Table("FAISS search cost by catalog size (one query vector, top 30; sets EXACT_SEARCH_MAX = "
                  f"{EXACT_SEARCH_MAX})", ["products", "exact p50 ms", "exact p95 ms", "hnsw p50 ms", "hnsw p95 ms",
                                           "hnsw recall@1 vs exact"])
    queries = embed(QUESTIONS)
    for size in (1_000, 10_000, 20_000, 50_000):
        vectors = search_at(size, pool).vectors
        flat = faiss.IndexFlatIP(vectors.d)
        flat.add(vectors.reconstruct_n(0, vectors.ntotal))
        hnsw = build_vector_index(vectors.reconstruct_n(0, vectors.ntotal), exact_max=0)
        timings = {}
        for name, index in (("exact", flat), ("hnsw", hnsw)):
            samples = []
            for _ in range(20):
                for q in queries:
                    started = time.perf_counter()
                    index.search(q[None, :], 30)
                    samples.append((time.perf_counter() - started) * 1000)
            timings[name] = percentiles(samples)
        exact_top = flat.search(queries, 1)[1][:, 0]
        hnsw_top = hnsw.search(queries, 1)[1][:, 0]
        table.add(size, *timings["exact"], *timings["hnsw"], f"{np.mean(exact_top == hnsw_top):.0%}")
    return table


def bench_questions(pool) -> Table:
    profile = load_profile(DEMO_PROFILE)
    table = Table("Question latency: text -> product -> composed answer (embedding included)",
                  ["products", "index", "p50 ms", "p95 ms (target <= 15 at 50k)"])
    for size in (1_000, 10_000, 50_000):
        search = search_at(size, pool)
        samples = []
        for _ in range(10):
            for text in QUESTIONS:
                started = time.perf_counter()
                answer(search, profile, Question(text=text))
                samples.append((time.perf_counter() - started) * 1000)
        table.add(size, index_kind(search.vectors), *percentiles(samples))
    return table


def bench_turns(turns: int = 20) -> Table:
    """A product question through the simulator next to a bare Rasa turn (a greeting),
    on the real stack with the demo store."""
    from tests.stack import start_stack, trained_model

    table = Table("WhatsApp turn through the simulator (webhook -> Rasa -> actions -> Graph API reply)",
                  ["turn", "p50 ms", "p95 ms"])
    with tempfile.TemporaryDirectory() as tmp:
        stack = start_stack(Path(tmp), trained_model())
        try:
            for name, text in (("bare Rasa turn (greeting)", "salam"),
                               ("product question (target p50 <= 2x bare)", "peshawari chappal 9 number brown hai?")):
                samples = []
                for n in range(turns):
                    started = time.perf_counter()
                    stack.say(f"+92300555{n:04d}", text)
                    samples.append((time.perf_counter() - started) * 1000)
                table.add(name, *percentiles(samples))
        finally:
            stack.stop()
    return table


def run() -> list[Table]:
    imported, search = bench_import()
    pool = (search.catalog, search.vectors.reconstruct_n(0, search.vectors.ntotal))
    return [imported, bench_index_kinds(pool), bench_questions(pool), bench_turns()]
