"""Knowledge benchmarks: importing a generated 10k-product / 30k-variant Shopify export
(parse + validate + embed + index + publish) and re-importing it, exact vs HNSW search
cost by catalog size, question latency at 1k, 10k and 50k products, and a product
question through the simulator next to a bare Rasa turn. Each table names the machine
load it was measured under: the figures mean little without it on a shared 2-core machine."""

from __future__ import annotations

import csv
import io
import os
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import faiss
import numpy as np

from bench.table import Table, percentiles
from knowledge.answers import answer
from knowledge.catalog import Catalog
from knowledge.embeddings import clear_query_cache, dtype_name, embed, workers
from knowledge.importers import import_bytes
from knowledge.index import EXACT_SEARCH_MAX, build_vector_index, index_kind, search_vectors
from knowledge.profile import DEMO_PROFILE, load_profile
from knowledge.question import Question
from knowledge.search import ProductSearch, product_terms
from knowledge.versions import CatalogStore

NAMES = (
    "Gulnaar Noor Zara Saba Hina Ayesha Mehr Rania Bahar Sana Maryam Zoya Iqra Laiba Anaya Hoor Dua Sitara "
    "Roshni Chandni Shabnam Rangeen Bano Naz Parveen Shireen Zeenat Kiran Mahnoor Alina"
).split()
STYLES = (
    "Embroidered Printed Digital Chikankari Classic Premium Festive Bridal Casual Formal Handmade Luxury "
    "Everyday Signature Heritage Block-Print Mirror-Work Zari Tilla Gota"
).split()
KINDS = [  # (name, type, sizes, colours)
    ("Lawn 3-Piece", "Lawn Suit", None, 3),
    ("Lawn 2-Piece", "Lawn Suit", None, 3),
    ("Kurta", "Kurta", 3, 1),
    ("Kurti", "Kurta", 3, 1),
    ("Shalwar Kameez", "Shalwar Kameez", 3, 1),
    ("Khussa", "Khussa", 3, 1),
    ("Chappal", "Chappal", 3, 1),
    ("Dupatta", "Dupatta", None, 3),
    ("Shawl", "Shawl", None, 3),
    ("Clutch", "Bag", None, 3),
    ("Tote Bag", "Bag", None, 3),
    ("Jhumka", "Jewellery", None, 3),
    ("Waistcoat", "Waistcoat", 3, 1),
    ("Khaddar 3-Piece", "Winter Suit", None, 3),
    ("Sherwani", "Men Formal", 3, 1),
]
COLOURS = "White Black Red Green Blue Yellow Pink Grey Maroon Brown Golden Silver Beige Peach Mint Navy".split()
CLOTH_SIZES, SHOE_SIZES = ["S", "M", "L", "XL"], ["6", "7", "8", "9", "10"]
HEADER = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Variant SKU",
    "Variant Inventory Qty",
    "Variant Price",
    "Variant Compare At Price",
    "Image Src",
    "Status",
]


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
        combos = (
            [(s, rng.choice(COLOURS)) for s in rng.sample(size_values, 3)]
            if sizes
            else [(None, c) for c in rng.sample(COLOURS, 3)]
        )
        price = rng.randrange(990, 15000, 100)
        for i, (size, colour) in enumerate(combos):
            first = i == 0
            writer.writerow(
                [
                    handle,
                    title if first else "",
                    f"<p>{title}: {ptype.lower()} in {colour.lower()}.</p>" if first else "",
                    "Bench" if first else "",
                    ptype if first else "",
                    f"{ptype.lower()}, {kind.lower()}" if first else "",
                    "TRUE" if first else "",
                    ("Size" if sizes else "Color") if first else "",
                    size or colour,
                    ("Color" if sizes else "") if first else "",
                    colour if sizes else "",
                    f"B{n}-{i}",
                    rng.randint(0, 30),
                    f"{price}.00",
                    "",
                    "",
                    "active" if first else "",
                ]
            )
    return out.getvalue().encode()


def machine_load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} over 1 / 5 min, {os.cpu_count()} cores"


def changed_export(products: int, every: int = 100) -> bytes:
    """The same export a day later: every stock count new, one title in ``every`` renamed."""
    rows = list(csv.reader(io.StringIO(generated_export(products).decode())))
    rng = random.Random(11)
    stock, title = HEADER.index("Variant Inventory Qty"), HEADER.index("Title")
    for n, row in enumerate(rows[1:]):
        row[stock] = str(rng.randint(0, 30))
        if row[title] and n % (3 * every) == 0:  # three rows per product
            row[title] += " New Season"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def bench_import(products: int = 10_000) -> tuple[Table, ProductSearch]:
    """The import table, and the published catalog's search (reused as the pool below)."""
    data, next_day = generated_export(products), changed_export(products)
    load_before = machine_load()
    model_started = time.perf_counter()
    embed(["warm-up"])  # the app server loads the model at start; the CLI pays this once
    model_loaded = time.perf_counter() - model_started
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        result = import_bytes(data, "bench.csv")
        parsed = time.perf_counter()
        store = CatalogStore(Path(tmp))
        published = store.publish(result.catalog)
        done = time.perf_counter()
        search = store.load()
        loaded = time.perf_counter()
        republished = store.publish(import_bytes(next_day, "bench.csv").catalog)
        reimported = time.perf_counter()
    variants = sum(len(p.variants) for p in result.catalog.products.values())
    table = Table(
        f"Import of a generated Shopify export, {len(result.catalog):,} products / {variants:,} variants "
        f"({load_before} at the start)",
        ["stage", "seconds"],
    )
    table.add("before: load the embedding model, once per process (not in the total)", model_loaded)
    table.add(f"parse + validate ({len(data) / 1e6:.1f} MB)", parsed - started)
    table.add(
        f"embed {published.embedded:,} product texts ({workers()} threads, {dtype_name()})", published.embed_seconds
    )
    table.add(f"{published.index_kind} index + write the version + switch", published.seconds - published.embed_seconds)
    table.add("total: import + embed + index + publish (target <= 60 s on 2 cores)", done - started)
    table.add("then: load the new version to answer from (not in the total)", loaded - done)
    table.add(
        f"re-import the next day, every stock count changed and {republished.embedded} titles: "
        f"{republished.embedded} texts embedded, {republished.reused:,} vectors reused",
        reimported - loaded,
    )
    return table, search


def pool_vectors(products: int, pool: tuple[Catalog, np.ndarray]) -> tuple[Catalog, np.ndarray]:
    """``products`` products and their vectors. Beyond the embedded pool they are the pool's
    products under new ids with noisy vectors: search cost depends on the count, not the content."""
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
    return catalog, vectors


def search_at(products: int, pool: tuple[Catalog, np.ndarray]) -> ProductSearch:
    catalog, vectors = pool_vectors(products, pool)
    return ProductSearch(catalog, build_vector_index(vectors))


QUESTIONS = [
    "Zoya embroidered lawn 3 piece ki price?",
    "kala kurta M size hai?",
    "khussa 9 number golden",
    "Do you have the Sana printed dupatta in pink?",
    "sherwani XL available?",
    "tote bag kitne ka hai",
    "Mahnoor chikankari kurti chota size safaid",
    "jhumka golden",
    "peshawari chappal 10 number",
    "shawl surmai rang",
]


def bench_index_kinds(pool, sizes=(1_000, 10_000, 20_000, 50_000)) -> Table:
    table = Table(
        "FAISS search cost by catalog size, ms (one query vector, top 30, one thread; sets "
        f"EXACT_SEARCH_MAX = {EXACT_SEARCH_MAX}; {machine_load()})",
        ["products", "exact p50", "exact p95", "hnsw p50", "hnsw p95", "hnsw recall@1 vs exact"],
    )
    queries = embed([" ".join(product_terms(q)) for q in QUESTIONS])  # what a search embeds
    for size in sizes:
        _, vectors = pool_vectors(size, pool)
        flat = build_vector_index(vectors, exact_max=size)
        hnsw = build_vector_index(vectors, exact_max=0)
        timings = {}
        for name, index in (("exact", flat), ("hnsw", hnsw)):
            samples = []
            for _ in range(20):
                for q in queries:
                    started = time.perf_counter()
                    search_vectors(index, q[None, :], 30)
                    samples.append((time.perf_counter() - started) * 1000)
            timings[name] = percentiles(samples)
        exact_top = flat.search(queries, 1)[1][:, 0]
        hnsw_top = hnsw.search(queries, 1)[1][:, 0]
        table.add(size, *timings["exact"], *timings["hnsw"], f"{np.mean(exact_top == hnsw_top):.0%}")
    return table


def bench_questions(pool, sizes=(1_000, 10_000, 50_000), rounds: int = 20) -> Table:
    """Each question asked new (the query-vector cache emptied first, so it is embedded) and
    right after as a repeat (its vector cached), interleaved so both see the same load."""
    profile = load_profile(DEMO_PROFILE)
    table = Table(
        f"Question latency: text -> product -> composed answer, ms ({machine_load()})",
        [
            "products",
            "index",
            "new question p50",
            "new question p95 (target <= 15 at 50k)",
            "repeated question p50",
            "repeated question p95",
        ],
    )
    for size in sizes:
        search = search_at(size, pool)
        answer(search, profile, Question(text="warm-up"))
        new, repeated = [], []
        for _ in range(rounds):
            for text in QUESTIONS:
                clear_query_cache()
                for samples in (new, repeated):
                    started = time.perf_counter()
                    answer(search, profile, Question(text=text))
                    samples.append((time.perf_counter() - started) * 1000)
        table.add(size, index_kind(search.vectors), *percentiles(new), *percentiles(repeated))
    return table


PRODUCT_QUESTION = "peshawari chappal 9 number brown hai?"
TURNS, WARM_UP = 30, 5


def _simulator_turn(client, stack, phone: str, text: str) -> float:
    sent = client.post(f"{stack.sim_url}/sim/customers/{phone}/send", json={"text": text, "expect": 1, "wait": 30})
    result = sent.json()
    if result.get("first_reply_ms") is None:
        raise RuntimeError(f"no reply through the simulator: {result}")
    return result["first_reply_ms"]


def _rest_turn(client, stack, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = client.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text})
    elapsed = (time.perf_counter() - started) * 1000
    if not response.json():
        raise RuntimeError(f"no reply over REST to {text!r}")
    return elapsed


def bench_turns() -> Table:
    """A product question through the simulator (signed webhook -> channel -> Rasa -> actions
    -> knowledge -> Graph API send) next to a bare Rasa REST turn (a greeting) on the same
    model and servers, interleaved, each turn from a new customer. The same product question
    over REST shows what the WhatsApp channel adds to it."""
    import httpx

    from tests.stack import message_text, start_stack, trained_model

    stack = start_stack(Path(tempfile.mkdtemp(prefix="bench-knowledge-")), trained_model())
    paths: dict[str, list[float]] = {
        "product question through the simulator (webhook -> Graph API send)": [],
        "bare Rasa turn: greeting over REST": [],
        "the same product question over bare Rasa REST": [],
    }
    try:
        first = stack.say("+923005550000", PRODUCT_QUESTION, expect=1, wait=60)["replies"]
        if not first or "Peshawari Chappal" not in message_text(first[0]):
            raise RuntimeError(f"the product question was not answered from the catalog: {first}")
        with httpx.Client(timeout=60) as client:
            for n in range(WARM_UP + TURNS):
                turn = (
                    _simulator_turn(client, stack, f"+92300556{n:04d}", PRODUCT_QUESTION),
                    _rest_turn(client, stack, f"+92300557{n:04d}", "salam"),
                    _rest_turn(client, stack, f"+92300558{n:04d}", PRODUCT_QUESTION),
                )
                if n >= WARM_UP:
                    for samples, ms in zip(paths.values(), turn):
                        samples.append(ms)
    finally:
        stack.stop()
    bare = percentiles(paths["bare Rasa turn: greeting over REST"])[0]
    table = Table(
        f"Product-question turn vs a bare Rasa turn, {TURNS} new customers each, same model, ms "
        f"({machine_load()} at the end)",
        ["turn", "p50", "p95", "p50 / bare p50 (target <= 2 for the simulator turn)"],
    )
    for name, samples in paths.items():
        p50, p95 = percentiles(samples)
        table.add(name, p50, p95, p50 / bare)
    return table


def bench_answers() -> Table:
    """How often answers are about the right product and state every expected fact, and how
    many stated facts are false: the demo store's labelled set and a second store's (written
    from its catalog by someone who had not read the answer code), the second also end to end."""
    from knowledge.evaluation import evaluate
    from knowledge.evaluation import load_questions as load_demo_questions
    from tests.knowledge.labelled import (
        SECOND_STORE,
        Score,
        ask_in_process,
        judge,
        load_questions,
        load_store,
        score_through,
        start_store_stack,
    )
    from tests.stack import trained_model

    table = Table(f"Answers on labelled question sets ({machine_load()})",
                  ["set", "questions", "right product", "right product and every expected fact stated",
                   "false statements", "yes for an unavailable variant"])
    demo = evaluate(load_demo_questions(Path(__file__).resolve().parent.parent / "tests" / "knowledge"
                                        / "eval_questions.yml"))
    table.add("demo store, in process (top-1 product only)", demo.total, f"{demo.accuracy:.1%}", "", "", "")
    items, store = load_questions(), load_store()
    search = ProductSearch.build(import_bytes((SECOND_STORE / "catalog.csv").read_bytes(), "catalog.csv").catalog)
    profile = load_profile(SECOND_STORE / "profile.yml")
    score = Score()
    for item in items:
        score.add(item, judge(item, ask_in_process(search, profile, item)[0], store))
    stack = start_store_stack(Path(tempfile.mkdtemp(prefix="bench-second-store-")), trained_model())
    try:
        through = score_through(stack, items, store)
    finally:
        stack.stop()
    for name, s in (("second store, in process", score), ("second store, end to end through the simulator", through)):
        table.add(name, s.total, f"{s.accuracy:.1%}", f"{s.answered / s.total:.1%}", len(s.false), s.false_yes)
    return table


def run() -> list[Table]:
    imported, search = bench_import()
    pool = (search.catalog, search.vectors.reconstruct_n(0, search.vectors.ntotal))
    return [imported, bench_index_kinds(pool), bench_questions(pool), bench_turns(), bench_answers()]
