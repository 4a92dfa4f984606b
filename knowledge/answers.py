"""Answers composed from catalog and profile facts only, in Roman Urdu or English.

Every sentence of a product answer states facts (knowledge.facts) computed from the
variants that match everything the customer named; ``answer`` checks them all against
the variant table before the answer leaves (a contradiction is logged and replaced by a
safe answer). The reply shape follows the seed: a salam returned, yes/no for the asked
variant, what else is in stock in it, the price with its discount, delivery days for the
customer's city, the link and an invitation to order, in a few lines."""
from __future__ import annotations

import itertools
import json
import logging
import re
from dataclasses import replace
from typing import Any, Callable, Iterable

from knowledge import facts as F
from knowledge.attributes import (COLOUR, EMPTY_VOCABULARY, SIZE, Grounding, Mention, Missing, carry, ground, name_words,
                                  option_kind, options_of, phrase)
from knowledge.catalog import Product, Variant
from knowledge.facts import Answer, Fact, where_of
from knowledge.profile import StoreProfile
from knowledge.question import (AVAILABILITY, COD, COLOURS, DELIVERY, DETAILS, PICTURES, PRICE, RETURNS, SIZES,
                                TOPICS, Parsed, Question, parse)
from knowledge.resolve import Resolution, resolve
from knowledge.roman_urdu import ENGLISH, canonical_tokens
from knowledge.search import ProductSearch, loosely_in, unexplained

logger = logging.getLogger(__name__)

HANDOFF_PAYLOAD = "/human_handoff"
MAX_SELECTIONS = 4  # "M aur L, black ya brown": at most this many combinations answered one by one


def answer(search: ProductSearch | None, profile: StoreProfile, q: Question, mode: str = "hybrid") -> Answer:
    """The reply to a product or store question, every stated fact checked."""
    parsed = parse(q, search.vocabulary if search else EMPTY_VOCABULARY)
    say = _Say(q.language)
    reply = _compose(search, profile, q, parsed, say, mode)
    wrong = F.violations(reply.facts, search.catalog if search else None, profile)
    if wrong:  # a bug, never the customer's problem: say nothing that may be false
        logger.error("answer to %r contradicts the catalog, sent a safe answer instead: %s", q.text, wrong)
        reply = _safe(say)
    if parsed.greeting:
        reply.text = f"{parsed.greeting}\n" + reply.text
        reply.response = None  # the domain's fixed sentence would drop the salam
    return reply


def _compose(search: ProductSearch | None, profile: StoreProfile, q: Question, parsed: Parsed, say: "_Say",
             mode: str) -> Answer:
    city = parsed.city or q.city
    if parsed.asks in (COD, RETURNS):
        return STORE_ANSWERS[parsed.asks](profile, say, city)
    if search is None:
        return _delivery(profile, say, city) if parsed.asks == DELIVERY else _unknown(say, [])
    resolution = resolve(search, parsed, product_id=q.product_id, current_product=q.current_product, mode=mode)
    if parsed.asks == DELIVERY:
        reply = _delivery(profile, say, city)
        if resolution.product is not None:  # "iski delivery Karachi mein?": about the product discussed
            _about(reply, resolution.product, profile, say, invite=any(v.in_stock for v in resolution.product.variants))
        return reply
    if resolution.choices:
        return _choose(resolution, parsed, say)
    if resolution.product is None and q.photo:  # a person sees the picture in the console
        return Answer(say("Tasveer se product pehchan nahi saka. Kya main aap ki baat hamari team se karwa doon? "
                          "Woh tasveer dekh kar bata denge.", "I can't tell the product from the picture. Shall I "
                          "connect you with our team? They will see your picture."),
                      handoff_offered=True, buttons=[_handoff_button(say)], facts=[Fact(F.UNKNOWN, resolution.terms)])
    if resolution.product is None:
        faq = _faq(profile, parsed, q.language)
        if faq or resolution.terms:
            return faq or _unknown(say, resolution.terms)
        return Answer(say("Kaun sa product? Us ka naam likh dijiye.", "Which product do you mean? Send its name."),
                      response="utter_ask_which_product", facts=[Fact(F.ASK_WHICH)])
    product = resolution.product
    grounding = ground(product, parsed.mentions)
    if resolution.follow_up and q.current_options:
        grounding = carry(grounding, q.current_options, product)
    context = _Context(product, profile, say, grounding, parsed, city, unexplained(product, resolution.terms))
    reply = PRODUCT_ANSWERS.get(_what_is_asked(context), _availability)(context)
    selections = context.selections()
    reply.options = selections[0] if len(selections) == 1 and not grounding.missing else {}
    _about(reply, product, profile, say, invite=any(f.kind in (F.AVAILABLE, F.IN_STOCK) and f.value
                                                    for f in reply.facts))
    return reply


def _what_is_asked(c: "_Context") -> str:
    """The parsed question's aspect, refined on the product: words asked of it and no size,
    colour or availability word ask a description fact ("ke saath charging cable aati hai?");
    the size of a product made in one size is its dimensions."""
    asks = c.parsed.asks
    if c.parsed.topic and c.parsed.topic_words <= name_words(c.product):  # "Wash & Wear Kurta" asks no washing
        c.parsed = replace(c.parsed, topic=None)
        asks = AVAILABILITY if asks == DETAILS else asks
    if asks == AVAILABILITY and c.extra and not c.parsed.mentions and not c.parsed.availability_words:
        return DETAILS
    if asks == SIZES and not any(option_kind(o) == SIZE for o in c.options) and not c.parsed.topic:
        c.parsed = replace(c.parsed, topic="dimensions")
        return DETAILS
    return asks


class _Say:
    def __init__(self, language: str):
        self.english = language == ENGLISH

    def __call__(self, roman_urdu: str, english: str) -> str:
        return english if self.english else roman_urdu


class _Context:
    """One product question being answered: the product, what was named on it, and how to say things."""

    def __init__(self, product: Product, profile: StoreProfile, say: _Say, grounding: Grounding, parsed: Parsed,
                 city: str | None, unexplained: list[str]):
        self.product, self.profile, self.say = product, profile, say
        self.grounding, self.parsed, self.city = grounding, parsed, city
        self.not_understood = [m.text for m in grounding.ignored] + unexplained
        # the question's words of what it asks about the product: the ones after a genitive it does not have
        self.extra = parsed.asking + [w for w in unexplained if w in parsed.asked_part and w not in parsed.asking]
        self.options = options_of(product)
        self.facts: list[Fact] = []
        self.lines: list[str] = []

    def fact(self, kind: str, value: Any, where: Iterable[tuple[str, str]] = (), option: str | None = None) -> Fact:
        made = Fact(kind, value, self.product.id, tuple(where), option)
        self.facts.append(made)
        return made

    def answer(self, **kwargs: Any) -> Answer:
        return Answer("\n".join(line for line in self.lines if line), facts=self.facts, **kwargs)

    def selections(self) -> list[dict[str, str]]:
        """Each combination of the named values, in option order."""
        named = [(name, self.grounding.selection[name]) for name in self.options if name in self.grounding.selection]
        if not named:
            return []
        combos = itertools.product(*[[(name, v) for v in values] for name, values in named])
        return [dict(c) for c in itertools.islice(combos, MAX_SELECTIONS)]


def money(amount: float) -> str:
    return f"Rs {amount:,.0f}" if float(amount).is_integer() else f"Rs {amount:,.2f}"


def _and(items: list[str], say: _Say) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + say(" aur ", " and ") + items[-1]


def _label(selection: dict[str, str]) -> str:
    return " ".join(selection.values())


def _noun(option: str | None, say: _Say) -> str:
    kind = option_kind(option) if option else SIZE
    if kind == SIZE:
        return say("sizes", "sizes")
    if kind == COLOUR:
        return say("rang", "colours")
    return option.lower()


def _matching(product: Product, selection: dict[str, str]) -> list[Variant]:
    return F.matching(product, where_of(selection))


# --- sentences, each from the facts it states ----------------------------------------------

def _in_stock_line(c: _Context, option: str, where: dict[str, str]) -> str:
    """Which values of ``option`` are in stock among the variants matching ``where``."""
    say = c.say
    if where and not _matching(c.product, where):
        c.fact(F.NOT_OFFERED, F.COMBINATION, where_of(where))
        return say(f"{c.product.title} {_label(where)} mein nahi banta.", f"{c.product.title} is not made in "
                   f"{_label(where)}.")
    variants = [v for v in _matching(c.product, where) if v.in_stock]
    values = [v for v in c.options[option] if any(x.options.get(option) == v for x in variants)]
    c.fact(F.IN_STOCK, values, where_of(where), option)
    noun = _noun(option, say)
    if where:
        if not values:
            return say(f"{_label(where)} mein koi aur {noun} stock mein nahi.", f"No {noun} in stock in {_label(where)}.")
        return say(f"{_label(where)} mein {noun}: {_and(values, say)}.", f"{noun.capitalize()} in {_label(where)}: "
                   f"{_and(values, say)}.")
    if not values:
        return say(f"Koi {noun} stock mein nahi.", f"No {noun} in stock.")
    return say(f"Stock mein {noun}: {_and(values, say)}.", f"{noun.capitalize()} in stock: {_and(values, say)}.")


def _missing_line(c: _Context, missing: Missing, where: dict[str, str]) -> str:
    """A value the product does not offer, and what is in stock instead (given ``where``)."""
    title, say, mention = c.product.title, c.say, missing.mention
    if missing.option is None:
        kind = mention.kind
        c.fact(F.NOT_OFFERED, kind)
        if kind == SIZE:
            return say(f"{title} mein size nahi hota (ek hi naap).", f"{title} comes in one size only.")
        return say(f"{title} ek hi rang mein aata hai.", f"{title} comes in one colour only.")
    said = _said(mention)
    c.fact(F.NOT_OFFERED, said, option=missing.option)
    line = say(f"Maazrat, {title} {said} mein nahi aata.", f"Sorry, {title} does not come in {said}.")
    where = {k: v for k, v in where.items() if k != missing.option}
    return line + " " + _in_stock_line(c, missing.option, where)


def _said(mention: Mention) -> str:
    """A named value as the customer meant it: "brown" for "bhoora", "43" for "43 number"."""
    for prefix in ("c:", "n:", "l:", "u:", "r:", "d:"):
        key = next((k[2:] for k in sorted(mention.keys) if k.startswith(prefix)), None)
        if key:
            return key
    return mention.text


def _price_line(c: _Context, selection: dict[str, str], with_title: bool = True) -> str:
    variants = _matching(c.product, selection) or list(c.product.variants)
    where = where_of(selection) if _matching(c.product, selection) else ()
    low, high = min(v.price for v in variants), max(v.price for v in variants)
    c.fact(F.PRICE, (low, high), where)
    say, title = c.say, c.product.title
    if low != high:
        return say(f"{title} ki qeemat {money(low)} se {money(high)} tak hai.",
                   f"{title} costs {money(low)} to {money(high)}.")
    line = say(f"{title} ki qeemat {money(low)} hai", f"{title} is {money(low)}")
    compare = next((v.compare_at_price for v in variants if v.price == low and v.compare_at_price), None)
    if compare:
        off = round(100 * (1 - low / compare))
        c.fact(F.COMPARE_AT, compare, where)
        c.fact(F.DISCOUNT, off, where)
        line += say(f" (pehle {money(compare)}, {off}% off)", f" (was {money(compare)}, {off}% off)")
    return line + "."


def _selection_line(c: _Context, selection: dict[str, str]) -> str:
    """Yes or no for one combination of named values, with "only N left" when few are."""
    title, say, label = c.product.title, c.say, _label(selection)
    variants = _matching(c.product, selection)
    if not variants:
        c.fact(F.NOT_OFFERED, F.COMBINATION, where_of(selection))
        return say(f"Maazrat, {title} {label} mein nahi banta.", f"Sorry, {title} is not made in {label}.")
    available = any(v.in_stock for v in variants)
    c.fact(F.AVAILABLE, available, where_of(selection))
    if not available:
        return say(f"Maazrat, {title} ({label}) abhi stock mein nahi hai.",
                   f"Sorry, {title} ({label}) is out of stock right now.")
    line = say(f"Ji haan, {title} ({label}) available hai.", f"Yes, {title} ({label}) is in stock.")
    stock = [v.stock for v in variants]
    if None not in stock and sum(stock) <= c.profile.low_stock_threshold:
        c.fact(F.LEFT, sum(stock), where_of(selection))
        line += " " + say(f"Sirf {sum(stock)} baqi hain.", f"Only {sum(stock)} left.")
    return line


# --- product answers -------------------------------------------------------------------------

def _availability(c: _Context) -> Answer:
    """Variant-exact: yes/no for what was named, and the nearest in stock when it is not."""
    g, say = c.grounding, c.say
    selections = c.selections()
    named = selections[0] if len(selections) == 1 else {}
    c.lines += [_missing_line(c, m, named) for m in g.missing]
    # a number named that fits no option of this product ("64GB" of a cover, "30" of a "30W" it
    # does not list) may change the question: no yes is said for the rest of it
    unread = [m.text for m in g.ignored if any(ch.isdigit() for ch in m.text)] if g.named else c.not_understood
    if unread:
        words = ", ".join(f'"{w}"' for w in unread)
        c.lines.append(say(f"Maazrat, {words} {c.product.title} mein samajh nahi aaya.",
                           f"Sorry, I did not understand {words} for {c.product.title}."))
    if selections and not g.missing and not unread:
        for selection in selections:
            c.lines.append(_selection_line(c, selection))
        if len(selections) == 1:
            c.lines += _around(c, selections[0])
    elif selections:  # part of it is not offered: what the rest has, never a yes
        said = {m.option for m in g.missing}
        c.lines += [_in_stock_line(c, option, named) for option in c.options if option not in named and option not in said]
    elif not g.named:
        if not c.not_understood:  # a plain yes only when the whole question was understood
            available = any(v.in_stock for v in c.product.variants)
            c.fact(F.AVAILABLE, available)
            c.lines.append(say(f"Ji haan, {c.product.title} available hai.", f"Yes, {c.product.title} is in stock.")
                           if available else say(f"Maazrat, {c.product.title} abhi stock mein nahi hai.",
                                                 f"Sorry, {c.product.title} is out of stock right now."))
            _low_stock(c)
        c.lines += [_in_stock_line(c, option, {}) for option in c.options]
    c.lines.append(_price_line(c, selections[0] if len(selections) == 1 and not g.missing else {}))
    c.lines.append(_delivery_line(c))
    return c.answer()


def _around(c: _Context, selection: dict[str, str]) -> list[str]:
    """After a yes: the other options in stock in what was named (colours in that size).
    After a no: the nearest in stock — other values of each named option, the rest fixed."""
    variants = _matching(c.product, selection)
    if any(v.in_stock for v in variants):
        return [_in_stock_line(c, option, selection) for option in c.options if option not in selection]
    lines = []
    for option in selection:
        rest = {k: v for k, v in selection.items() if k != option}
        lines.append(_in_stock_line(c, option, rest))
    return lines


def _low_stock(c: _Context) -> None:
    stock = [v.stock for v in c.product.variants]
    if len(stock) == 1 and stock[0] is not None and 0 < stock[0] <= c.profile.low_stock_threshold:
        c.fact(F.LEFT, stock[0])
        c.lines[-1] += " " + c.say(f"Sirf {stock[0]} baqi hain.", f"Only {stock[0]} left.")


def _option_list(kind: str) -> Callable[[_Context], Answer]:
    """Which sizes (or colours) there are, given the other values named; what is sold out."""
    def compose(c: _Context) -> Answer:
        option = next((o for o in c.options if option_kind(o) == kind), None)
        if option is None and kind == SIZE:  # "kya sizes hain?" about volumes or packs
            option = next((o for o in c.options if option_kind(o) != COLOUR), None)
        if option is None:
            c.lines.append(_missing_line(c, Missing(_Asked(kind), None), {}))
            return _availability(c)
        c.lines += [_missing_line(c, m, {}) for m in c.grounding.missing]
        selections = c.selections()
        where = {k: v for k, v in selections[0].items() if k != option} if selections and \
            not c.grounding.missing else {}
        if where and not _matching(c.product, where):
            c.lines.append(_in_stock_line(c, option, where))  # says the combination is not made
            where = {}
        c.lines.append(_in_stock_line(c, option, where))
        in_stock = c.facts[-1].value
        offered = [v for v in c.options[option] if any(x.options.get(option) == v for x in _matching(c.product, where))]
        sold_out = [v for v in offered if v not in in_stock]
        if sold_out:
            c.fact(F.OFFERED, offered, where_of(where), option)
            c.lines.append(c.say(f"Khatam: {_and(sold_out, c.say)}.", f"Sold out: {_and(sold_out, c.say)}."))
        c.lines.append(_price_line(c, where))
        return c.answer()
    return compose


class _Asked:
    """A size or colour asked about in general ("kya sizes hain?"), for the missing line."""
    def __init__(self, kind: str):
        self.kind, self.keys, self.text = kind, frozenset[str](), kind


def _price(c: _Context) -> Answer:
    c.lines += [_missing_line(c, m, {}) for m in c.grounding.missing]
    selections = c.selections()
    c.lines.append(_price_line(c, selections[0] if len(selections) == 1 and not c.grounding.missing else {}))
    return c.answer()


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_RANGE_IN_TEXT = re.compile(r"(\d+)\s*(?:to|-|–)\s*(\d+)")
_NUMERIC_TOPICS = ("length", "weight", "dimensions")


def _details(c: _Context) -> Answer:
    """A description fact, quoted: the sentence that tells what was asked (its topic, the
    words of the question the product's name does not have, the values named), or that we
    do not know, with a person offered. Never a sentence made up."""
    product, say, topic = c.product, c.say, c.parsed.topic
    sentences = [s.strip() for s in _SENTENCE.split(product.description) if s.strip()]
    if topic is None and not c.extra:
        text = " ".join(sentences[:3])
        if text:
            c.fact(F.DESCRIPTION, text)
        c.lines.append(f"{product.title}: {text}" if text else
                       say("Is ki tafseel catalog mein nahi hai.", "The catalog has no description for it."))
        c.lines.append(_price_line(c, {}))
        return c.answer()
    found = _telling_sentence(c, sentences + list(product.tags))
    if found is None:
        c.lines.append(say(f"Maazrat, {product.title} ki yeh maloomat hamare paas nahi. Kya main aap ki baat hamari "
                           "team se karwa doon?", f"Sorry, we don't have that information about {product.title}. "
                           "Shall I connect you with our team?"))
        return c.answer(handoff_offered=True, buttons=[_handoff_button(say)])
    c.fact(F.DESCRIPTION, found)
    c.lines.append(f"{product.title}: {found}")
    return c.answer()


def _telling_sentence(c: _Context, sentences: list[str]) -> str | None:
    """The sentence that answers: it has the topic's words (and a number, for a measure) and
    every word the question asks with; the values named and numbers in its ranges count extra."""
    topic = c.parsed.topic
    telling = TOPICS[topic][1] if topic else set()
    values = {w for vals in c.grounding.selection.values() for v in vals for w in phrase(v).split()}
    numbers = {float(k[2:]) for m in c.parsed.mentions for k in m.keys if k[:2] in ("n:", "a:")}
    best, best_score = None, 0.0
    for sentence in sentences:
        words = set(canonical_tokens(sentence))
        if topic and not (words & telling) or topic in _NUMERIC_TOPICS and not re.search(r"\d", sentence):
            continue
        said = [w for w in c.extra if loosely_in(w, words)]
        if not topic and len(said) < len(c.extra):  # with no topic, the question's own words say what it asks
            continue
        score = 1 + len(words & telling) + len(words & values) + len(said) + len(set(c.extra) & words) + sum(
            2 for lo, hi in _RANGE_IN_TEXT.findall(sentence) for n in numbers if float(lo) <= n <= float(hi))
        if score > best_score:
            best, best_score = sentence, score
    return best


def _pictures(c: _Context) -> Answer:
    selections = c.selections()
    matching = [v.image for v in (_matching(c.product, selections[0]) if selections else []) if v.image]
    image = next(iter(matching), None) or next(iter(c.product.images), None)
    if image is None:
        c.lines.append(c.say(f"{c.product.title} ki tasveer abhi hamare paas nahi; website par dekh lein.",
                             f"We have no picture of {c.product.title} yet; please see the website."))
        return c.answer()
    c.fact(F.IMAGE, image)
    c.lines.append(c.product.title)
    return c.answer(image=image)


PRODUCT_ANSWERS = {AVAILABILITY: _availability, SIZES: _option_list(SIZE), COLOURS: _option_list(COLOUR),
                   PRICE: _price, DETAILS: _details, PICTURES: _pictures}


def _delivery_line(c: _Context) -> str:
    named, rule = c.profile.delivery.for_city(c.city)
    c.facts.append(Fact(F.DELIVERY, (named, rule.days, rule.charge)))
    if named:
        return c.say(f"{named} mein delivery {rule.days} din ({money(rule.charge)}).",
                     f"Delivery to {named}: {rule.days} days ({money(rule.charge)}).")
    return c.say(f"Delivery {rule.days} din ({money(rule.charge)}).", f"Delivery: {rule.days} days ({money(rule.charge)}).")


def _about(reply: Answer, product: Product, profile: StoreProfile, say: _Say, invite: bool) -> None:
    """The product's link, and an invitation to order when something asked for is in stock."""
    reply.text += "\n" + profile.product_url(product.id)
    if invite:
        reply.text += "\n" + say("Order karna chahein?", "Would you like to order?")
    reply.product_id = product.id
    reply.facts.append(Fact(F.PRODUCT, product.id, product.id))


# --- store answers --------------------------------------------------------------------------

def _delivery(profile: StoreProfile, say: _Say, city: str | None) -> Answer:
    table = profile.delivery
    named, rule = table.for_city(city)
    facts = [Fact(F.DELIVERY, (named, rule.days, rule.charge))]
    if city:
        place = named or city
        text = say(f"Ji haan, {place} mein delivery {rule.days} din mein hoti hai, charges {money(rule.charge)}.",
                   f"Yes, delivery to {place} takes {rule.days} days and costs {money(rule.charge)}.")
    else:
        cities = ", ".join(f"{name} {r.days} {say('din', 'days')} ({money(r.charge)})" for name, r in table.cities.items())
        facts += [Fact(F.DELIVERY, (name, r.days, r.charge)) for name, r in table.cities.items()]
        text = say(f"Delivery: {cities}; baqi shehron mein {rule.days} din ({money(rule.charge)}). Apna shehar batayein?",
                   f"Delivery: {cities}; other cities {rule.days} days ({money(rule.charge)}). Which city are you in?")
    if table.free_above is not None:
        text += " " + say(f"{money(table.free_above)} se zyada ke order par delivery free hai.",
                          f"Delivery is free on orders above {money(table.free_above)}.")
    return Answer(text, facts=facts)


def _cod(profile: StoreProfile, say: _Say, city: str | None) -> Answer:
    cod = profile.cod
    facts = [Fact(F.STORE, {"cod": cod.available})]
    if not cod.available:
        return Answer(say("Maazrat, cash on delivery dastiyab nahi; advance payment JazzCash / Easypaisa se hoti hai.",
                          "Sorry, cash on delivery is not available; we take advance payment by JazzCash / Easypaisa."),
                      facts=facts)
    text = say("Ji haan, cash on delivery (COD) available hai", "Yes, cash on delivery (COD) is available")
    if cod.max_order:
        text += say(f" {money(cod.max_order)} tak ke order par", f" on orders up to {money(cod.max_order)}")
    if cod.charge:
        text += say(f"; COD charges {money(cod.charge)}", f"; COD costs {money(cod.charge)}")
    return Answer(text + ".", facts=facts)


def _returns(profile: StoreProfile, say: _Say, city: str | None) -> Answer:
    text = profile.returns.in_language("english" if say.english else "roman_urdu")
    if profile.exchange:
        text += " " + profile.exchange.in_language("english" if say.english else "roman_urdu")
    return Answer(text, facts=[Fact(F.STORE, "returns")])


STORE_ANSWERS = {COD: _cod, RETURNS: _returns}


# --- when no single product fits -----------------------------------------------------------

def choose_payload(product_id: str) -> str:
    return "/choose_product" + json.dumps({"product_id": product_id})


def _choose(resolution: Resolution, parsed: Parsed, say: _Say) -> Answer:
    """A list to pick from; each row's stock status is about what was named, when all of it
    was understood on that product, else about the product."""
    buttons, facts = [], [Fact(F.CHOICES, [p.id for p in resolution.choices])]
    for product in resolution.choices:
        grounding = ground(product, parsed.mentions)
        prices = [v.price for v in product.variants]
        facts.append(Fact(F.PRICE, (min(prices), max(prices)), product.id))
        selection = {k: v[0] for k, v in grounding.selection.items() if len(v) == 1}
        description = money(min(prices))
        if not grounding.missing and not grounding.ignored and len(selection) == len(grounding.selection):
            available = any(v.in_stock for v in _matching(product, selection))
            facts.append(Fact(F.AVAILABLE, available, product.id, where_of(selection)))
            description += " · " + (say("stock mein", "in stock") if available else say("khatam", "sold out"))
        buttons.append({"title": product.title, "payload": choose_payload(product.id), "description": description})
    text = say("Kaunsa product chahiye? Neeche se chun lein:", "Which one do you mean? Please pick one:")
    return Answer(text, buttons=buttons, facts=facts)


def _faq(profile: StoreProfile, parsed: Parsed, language: str) -> Answer | None:
    for entry in profile.faq:
        if parsed.words & set(entry.keywords):
            return Answer(entry.answer.in_language(language), facts=[Fact(F.STORE, {"faq": entry.keywords[0]})])
    return None


def _handoff_button(say: _Say) -> dict:
    return {"title": say("Team se baat", "Talk to the team"), "payload": HANDOFF_PAYLOAD}


def _unknown(say: _Say, terms: list[str]) -> Answer:
    """Says plainly that the catalog has no such product and offers a person."""
    named = f' "{" ".join(terms)}"' if terms else " yeh"
    text = say(f"Maazrat,{named} hamare catalog mein nahi mila. Kya main aap ki baat hamari team se karwa doon?",
               f"Sorry, I couldn't find{named if terms else ' that'} in our catalog. Shall I connect you with our team?")
    return Answer(text, handoff_offered=True, facts=[Fact(F.UNKNOWN, terms)], response="utter_product_not_found",
                  buttons=[_handoff_button(say)])


def _safe(say: _Say) -> Answer:
    return Answer(say("Maazrat, is waqt yeh maloomat confirm nahi ho saki. Kya main aap ki baat hamari team se "
                      "karwa doon?", "Sorry, I can't confirm that right now. Shall I connect you with our team?"),
                  handoff_offered=True, buttons=[_handoff_button(say)])
