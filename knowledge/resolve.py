"""Which product a question is about: a list reply's id, a product the text names, the
product just discussed (a follow-up), or several close candidates to choose from."""
from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.attributes import Mention, ground
from knowledge.catalog import Product
from knowledge.question import Parsed
from knowledge.search import ProductSearch

# A candidate counts when the question shares a word with it or, failing that, when the
# embedding is close; candidates within MARGIN of the best are too close to tell apart.
LEXICAL_MIN = 0.5
DENSE_MIN = 0.55
MARGIN = 0.12
MAX_CHOICES = 10


@dataclass(frozen=True)
class Resolution:
    product: Product | None = None
    choices: list[Product] = field(default_factory=list)  # ambiguous: ask which one
    terms: list[str] = field(default_factory=list)  # the words that named a product
    follow_up: bool = False  # no product named; the one just discussed was used

    @property
    def unknown(self) -> bool:
        """A product was named but the catalog has nothing like it."""
        return bool(self.terms) and self.product is None and not self.choices


def resolve(search: ProductSearch, parsed: Parsed, *, product_id: str | None = None, current_product: str | None = None,
            mode: str = "hybrid") -> Resolution:
    """The product a parsed question (knowledge.question.Parsed) is about."""
    products = search.catalog.products
    if product_id in products:
        return Resolution(product=products[product_id])
    terms = list(dict.fromkeys(parsed.terms + parsed.hints))
    current = products.get(current_product or "")
    if not terms and current is not None:  # "pack of 3 wala?" after the lip balm: about the lip balm
        return Resolution(product=current, follow_up=True)
    if not terms and not parsed.value_terms:
        return Resolution()
    found = _named(search, terms or parsed.value_terms, parsed, current_product, mode)
    # "cotton bath towel bara wala": the value is in a name; but when every candidate offers the
    # value as an option ("Redmi Note 12 ka cover"), a product whose name also has it is no better
    if found.choices and terms and parsed.value_terms and not all(_offers(p, parsed.mentions) for p in found.choices):
        again = _named(search, terms + parsed.value_terms, parsed, current_product, mode)
        return again if again.product is not None else found
    return found


def _named(search: ProductSearch, terms: list[str], parsed: Parsed, current_product: str | None, mode: str) -> Resolution:
    """The product (or the close candidates) the words name."""
    products = search.catalog.products
    matches = [m for m in search.search(terms, k=MAX_CHOICES * 2, mode=mode)
               if m.lexical >= LEXICAL_MIN or m.dense >= DENSE_MIN]
    if not matches:
        return Resolution(terms=terms)
    best = matches[0]
    # close in score, or naming the product as fully as the best does ("khussa" -> every khussa)
    close = [m.product_id for m in matches
             if m.score >= best.score - MARGIN or (best.lexical > 0 and m.lexical >= best.lexical)]
    if current_product in close:
        return Resolution(product=products[current_product], terms=terms)
    if len(close) > 1 and parsed.mentions:
        fitting = [pid for pid in close if _offers(products[pid], parsed.mentions)]
        close = fitting or close
    if len(close) == 1:
        return Resolution(product=products[close[0]], terms=terms)
    return Resolution(choices=[products[pid] for pid in close[:MAX_CHOICES]], terms=terms)


def _offers(product: Product, mentions: list[Mention]) -> bool:
    """The product has every value the question names (as an option, or in its name)."""
    grounding = ground(product, mentions)
    return not grounding.missing and not grounding.ignored
