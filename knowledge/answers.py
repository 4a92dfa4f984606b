"""Answers composed from catalog and profile facts only, in Roman Urdu or English.

Each answer carries ``facts``: the values its text states, so tests can check every
stated price, size, colour, stock count and delivery term against the data."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from knowledge.catalog import Product, Variant
from knowledge.profile import StoreProfile
from knowledge.resolve import Resolution, resolve
from knowledge.roman_urdu import ENGLISH, canonical_tokens, extract_attributes
from knowledge.search import ProductSearch

PRODUCT_ASPECTS = ("ask_availability", "ask_sizes", "ask_colours", "ask_price", "ask_details", "ask_pictures")
STORE_ASPECTS = ("ask_delivery", "ask_cod", "ask_return_policy")
HANDOFF_PAYLOAD = "/human_handoff"

# Words that say what is asked when the intent does not (no NLU, or a generic intent).
_ASPECT_WORDS = {
    "ask_delivery": {"delivery", "deliver", "shipping", "charges", "courier", "pohanch", "pohnche", "pahunch"},
    "ask_cod": {"cod", "cash"},
    "ask_return_policy": {"return", "returns", "exchange", "wapas", "wapsi", "refund", "policy"},
    "ask_price": {"price", "prices", "qeemat", "keemat", "kimat", "rate", "cost", "kitne", "kitna", "much"},
    "ask_pictures": {"picture", "pictures", "pic", "pics", "photo", "photos", "tasveer", "image", "images"},
    "ask_details": {"fabric", "material", "detail", "details", "kapra", "kapda", "quality"},
    "ask_colours": {"colour", "colours", "color", "colors", "rang", "rangon"},
    "ask_sizes": {"size", "sizes", "saiz"},
}


@dataclass
class Question:
    text: str
    intent: str | None = None
    language: str = "roman_urdu"
    product_entity: str | None = None
    product_id: str | None = None
    size: str | None = None
    colour: str | None = None
    city: str | None = None
    current_product: str | None = None


@dataclass
class Answer:
    text: str
    product_id: str | None = None  # the product now being discussed
    buttons: list[dict] = field(default_factory=list)
    image: str | None = None
    facts: dict = field(default_factory=dict)
    handoff_offered: bool = False
    response: str | None = None  # the domain response saying the same fixed sentence, if any


def answer(search: ProductSearch | None, profile: StoreProfile, q: Question, mode: str = "hybrid") -> Answer:
    """The reply to a product or store question."""
    say = _Say(q.language)
    attributes = extract_attributes(q.text)
    sizes = _merge(q.size, attributes["sizes"])
    colours = _merge(q.colour, attributes["colours"])
    city = q.city or next(iter(attributes["cities"]), None)
    aspect = aspect_of(q.intent, q.text)
    if aspect in STORE_ASPECTS:
        return STORE_ANSWERS[aspect](profile, say, city)
    if search is None:
        return _unknown(say, [])
    resolution = resolve(search, q.text, product_id=q.product_id, product_entity=q.product_entity,
                         current_product=q.current_product, sizes=sizes, colours=colours, mode=mode)
    if resolution.choices:
        return _choose(resolution, profile, say, sizes)
    if resolution.product is None:
        faq = _faq(profile, q)
        if faq or resolution.terms:
            return faq or _unknown(say, resolution.terms)
        return Answer(say("Kaun sa product? Us ka naam likh dijiye (maslan \"lawn 3-piece\").",
                          "Which product do you mean? Send its name (e.g. \"lawn 3-piece\")."),
                      response="utter_ask_which_product", facts={"ask_which": True})
    product = resolution.product
    compose = PRODUCT_ANSWERS.get(aspect, _summary)
    reply = compose(product, profile, say, sizes, colours)
    reply.text += "\n" + say(f"Order ke liye: {profile.product_url(product.id)}",
                             f"To order: {profile.product_url(product.id)}")
    reply.product_id = product.id
    reply.facts["product_id"] = product.id
    return reply


def aspect_of(intent: str | None, text: str) -> str:
    """What is asked: the intent when it is a product/store one, else the question's words."""
    if intent in PRODUCT_ASPECTS or intent in STORE_ASPECTS:
        return intent
    tokens = set(canonical_tokens(text))
    return next((aspect for aspect, words in _ASPECT_WORDS.items() if tokens & words), "summary")


class _Say:
    def __init__(self, language: str):
        self.english = language == ENGLISH

    def __call__(self, roman_urdu: str, english: str) -> str:
        return english if self.english else roman_urdu


def money(amount: float) -> str:
    return f"Rs {amount:,.0f}" if float(amount).is_integer() else f"Rs {amount:,.2f}"


def _merge(value: str | None, found: list[str]) -> list[str]:
    return list(dict.fromkeys(([value] if value else []) + found))


def _and(items: list[str], say: _Say) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + say(" aur ", " and ") + items[-1]


def _matching(product: Product, sizes: list[str], colours: list[str]) -> list[Variant]:
    return [v for v in product.variants
            if (not sizes or v.size in sizes) and (not colours or v.colour_key in colours)]


# --- product answers ------------------------------------------------------------------------

def _price_line(product: Product, variants: list[Variant], say: _Say, facts: dict) -> str:
    prices = sorted({v.price for v in variants})
    lowest = min(variants, key=lambda v: v.price)
    facts["price"] = prices[0] if len(prices) == 1 else prices
    if len(prices) > 1:
        return say(f"{product.title} ki qeemat {money(prices[0])} se {money(prices[-1])} tak hai.",
                   f"{product.title} costs {money(prices[0])} to {money(prices[-1])}.")
    line = say(f"{product.title} ki qeemat {money(prices[0])} hai", f"{product.title} is {money(prices[0])}")
    if lowest.compare_at_price:
        off = round(100 * (1 - lowest.price / lowest.compare_at_price))
        facts["compare_at_price"] = lowest.compare_at_price
        facts["discount_percent"] = off
        line += say(f" (pehle {money(lowest.compare_at_price)}, {off}% off)",
                    f" (was {money(lowest.compare_at_price)}, {off}% off)")
    return line + "."


def _options_in_stock(product: Product, variants: list[Variant], say: _Say, facts: dict) -> str:
    """Which sizes and colours are in stock among ``variants``."""
    parts = []
    in_stock = [v for v in variants if v.in_stock]
    sizes = list(dict.fromkeys(v.size for v in in_stock if v.size))
    colours = list(dict.fromkeys(v.colour for v in in_stock if v.colour))
    if product.sizes:
        facts["sizes"] = sizes
        parts.append(say(f"Sizes: {_and(sizes, say)}", f"sizes {_and(sizes, say)}"))
    if product.colours:
        facts["colours"] = colours
        parts.append(say(f"Rang: {_and(colours, say)}", f"colours {_and(colours, say)}"))
    return "; ".join(parts)


def _requested(product: Product, sizes: list[str], colours: list[str], say: _Say) -> tuple[list[str], list[str], str]:
    """Keeps the sizes/colours the product has; explains the ones it does not."""
    notes = []
    if sizes and not product.sizes:
        notes.append(say(f"{product.title} mein size nahi hota (ek hi naap).",
                         f"{product.title} comes in one size only."))
        sizes = []
    unknown = [s for s in sizes if s not in product.sizes]
    if unknown:
        notes.append(say(f"{product.title} {_and(unknown, say)} size mein nahi banta; sizes: {_and(product.sizes, say)}.",
                         f"{product.title} is not made in size {_and(unknown, say)}; sizes: {_and(product.sizes, say)}."))
    keys = {v.colour_key: v.colour for v in product.variants if v.colour}
    missing = [c for c in colours if c not in keys]
    if missing:
        names = list(dict.fromkeys(keys.values()))
        notes.append(say(f"{product.title} {_and(missing, say)} rang mein nahi aata; rang: {_and(names, say)}.",
                         f"{product.title} does not come in {_and(missing, say)}; colours: {_and(names, say)}."))
    return [s for s in sizes if s in product.sizes], [c for c in colours if c in keys], " ".join(notes)


def _availability(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str]) -> Answer:
    facts: dict = {}
    sizes, colours, notes = _requested(product, sizes, colours, say)
    lines = [notes] if notes else []
    if sizes or colours:
        lines.append(_combination_line(product, profile, say, sizes, colours, facts))
        in_stock = _options_in_stock(product, product.variants, say, facts)
        if in_stock:
            lines.append(say(f"Stock mein: {in_stock}.", f"In stock: {in_stock}."))
    else:
        lines.append(_stock_line(product, profile, say, facts))
    lines.append(_price_line(product, _matching(product, sizes, colours) or list(product.variants), say, facts))
    return Answer(" ".join(lines), facts=facts)


def _combination_line(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str],
                      facts: dict) -> str:
    """Whether the asked size/colour is in stock, with "only N left" when stock is low."""
    variants = _matching(product, sizes, colours)
    asked = " ".join(sizes + ([_and([_colour_name(product, c) for c in colours], say)] if colours else []))
    facts["asked"] = {"sizes": sizes, "colours": colours}
    facts["available"] = any(v.in_stock for v in variants)
    if not facts["available"]:
        return say(f"Maazrat, {product.title} ({asked}) abhi stock mein nahi hai.",
                   f"Sorry, {product.title} ({asked}) is out of stock right now.")
    line = say(f"Ji haan, {product.title} ({asked}) available hai.", f"Yes, {product.title} ({asked}) is in stock.")
    stock = [v.stock for v in variants]
    if None not in stock and sum(stock) <= profile.low_stock_threshold:
        facts["left"] = sum(stock)
        line += " " + say(f"Sirf {sum(stock)} baqi hain.", f"Only {sum(stock)} left.")
    return line


def _stock_line(product: Product, profile: StoreProfile, say: _Say, facts: dict) -> str:
    available = any(v.in_stock for v in product.variants)
    facts["available"] = available
    if not available:
        return say(f"Maazrat, {product.title} abhi stock mein nahi hai.", f"Sorry, {product.title} is out of stock right now.")
    options = _options_in_stock(product, product.variants, say, facts)
    if len(product.variants) == 1 and product.variants[0].stock is not None \
            and product.variants[0].stock <= profile.low_stock_threshold:
        facts["left"] = product.variants[0].stock
        options = say(f"sirf {product.variants[0].stock} baqi hain", f"only {product.variants[0].stock} left")
    return say(f"Ji haan, {product.title} available hai" + (f" — {options}." if options else "."),
               f"Yes, {product.title} is in stock" + (f": {options}." if options else "."))


def _colour_name(product: Product, key: str) -> str:
    return next((v.colour for v in product.variants if v.colour_key == key), key)


def _sizes(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str]) -> Answer:
    if not product.sizes:
        facts = {"sizes": []}
        text = say(f"{product.title} mein size nahi hota (ek hi naap).", f"{product.title} comes in one size only.")
        return Answer(text + " " + _stock_line(product, profile, say, facts), facts=facts)
    return _availability(product, profile, say, sizes, colours)


def _price(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str]) -> Answer:
    facts: dict = {}
    sizes, colours, notes = _requested(product, sizes, colours, say)
    variants = _matching(product, sizes, colours) or list(product.variants)
    text = " ".join(filter(None, [notes, _price_line(product, variants, say, facts)]))
    return Answer(text, facts=facts)


def _details(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str]) -> Answer:
    facts: dict = {}
    description = product.description or say("Is ki tafseel catalog mein nahi hai.", "The catalog has no description for it.")
    text = f"{product.title}: {description[:600]}\n" + _price_line(product, list(product.variants), say, facts)
    return Answer(text, facts=facts)


def _pictures(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str]) -> Answer:
    matching = [v.image for v in _matching(product, sizes, colours) if v.image]
    image = next(iter(matching), None) or next(iter(product.images), None)
    if image is None:
        return Answer(say(f"{product.title} ki tasveer abhi hamare paas nahi; website par dekh lein.",
                          f"We have no picture of {product.title} yet; please see the website."))
    return Answer(product.title, image=image, facts={"image": image})


def _summary(product: Product, profile: StoreProfile, say: _Say, sizes: list[str], colours: list[str]) -> Answer:
    return _availability(product, profile, say, sizes, colours)


PRODUCT_ANSWERS = {"ask_availability": _availability, "ask_sizes": _sizes, "ask_colours": _availability,
                   "ask_price": _price, "ask_details": _details, "ask_pictures": _pictures}


# --- store answers --------------------------------------------------------------------------

def _delivery(profile: StoreProfile, say: _Say, city: str | None) -> Answer:
    table = profile.delivery
    named, rule = table.for_city(city)
    facts = {"city": named, "delivery_days": rule.days, "delivery_charge": rule.charge}
    if city:
        place = named or city
        text = say(f"{place} mein delivery {rule.days} din mein hoti hai, charges {money(rule.charge)}.",
                   f"Delivery to {place} takes {rule.days} days and costs {money(rule.charge)}.")
    else:
        cities = ", ".join(f"{name} {r.days} {say('din', 'days')} ({money(r.charge)})" for name, r in table.cities.items())
        facts["cities"] = {name: [r.days, r.charge] for name, r in table.cities.items()}
        text = say(f"Delivery: {cities}; baqi shehron mein {rule.days} din ({money(rule.charge)}). Apna shehar batayein?",
                   f"Delivery: {cities}; other cities {rule.days} days ({money(rule.charge)}). Which city are you in?")
    if table.free_above is not None:
        facts["free_above"] = table.free_above
        text += " " + say(f"{money(table.free_above)} se zyada ke order par delivery free hai.",
                          f"Delivery is free on orders above {money(table.free_above)}.")
    return Answer(text, facts=facts)


def _cod(profile: StoreProfile, say: _Say, city: str | None) -> Answer:
    cod = profile.cod
    facts = {"cod": cod.available}
    if not cod.available:
        return Answer(say("Maazrat, cash on delivery dastiyab nahi; advance payment JazzCash / Easypaisa se hoti hai.",
                          "Sorry, cash on delivery is not available; we take advance payment by JazzCash / Easypaisa."),
                      facts=facts)
    text = say("Ji haan, cash on delivery (COD) available hai", "Yes, cash on delivery (COD) is available")
    if cod.max_order:
        facts["cod_max_order"] = cod.max_order
        text += say(f" {money(cod.max_order)} tak ke order par", f" on orders up to {money(cod.max_order)}")
    if cod.charge:
        facts["cod_charge"] = cod.charge
        text += say(f"; COD charges {money(cod.charge)}", f"; COD costs {money(cod.charge)}")
    return Answer(text + ".", facts=facts)


def _returns(profile: StoreProfile, say: _Say, city: str | None) -> Answer:
    text = profile.returns.in_language("english" if say.english else "roman_urdu")
    if profile.exchange:
        text += " " + profile.exchange.in_language("english" if say.english else "roman_urdu")
    return Answer(text, facts={"policy": "returns"})


STORE_ANSWERS = {"ask_delivery": _delivery, "ask_cod": _cod, "ask_return_policy": _returns}


# --- when no single product fits -----------------------------------------------------------

def choose_payload(product_id: str) -> str:
    return "/choose_product" + json.dumps({"product_id": product_id})


def _choose(resolution: Resolution, profile: StoreProfile, say: _Say, sizes: list[str]) -> Answer:
    buttons = []
    for product in resolution.choices:
        low = min(v.price for v in product.variants)
        stock = [v for v in product.variants if not sizes or v.size in sizes]
        status = say("stock mein", "in stock") if any(v.in_stock for v in stock) else say("khatam", "sold out")
        buttons.append({"title": product.title, "payload": choose_payload(product.id),
                        "description": f"{money(low)} · {status}"})
    text = say("Kaunsa product chahiye? Neeche se chun lein:", "Which one do you mean? Please pick one:")
    return Answer(text, buttons=buttons, facts={"choices": [p.id for p in resolution.choices]})


def _faq(profile: StoreProfile, q: Question) -> Answer | None:
    tokens = set(canonical_tokens(q.text))
    for entry in profile.faq:
        if tokens & set(entry.keywords):
            return Answer(entry.answer.in_language(q.language), facts={"faq": entry.keywords[0]})
    return None


def _unknown(say: _Say, terms: list[str]) -> Answer:
    """Says plainly that the catalog has no such product and offers a person."""
    named = f' "{" ".join(terms)}"' if terms else " yeh"
    text = say(f"Maazrat,{named} hamare catalog mein nahi mila. Kya main aap ki baat hamari team se karwa doon?",
               f"Sorry, I couldn't find{named if terms else ' that'} in our catalog. Shall I connect you with our team?")
    return Answer(text, handoff_offered=True, facts={"unknown": True}, response="utter_product_not_found",
                  buttons=[{"title": say("Team se baat", "Talk to the team"), "payload": HANDOFF_PAYLOAD}])
