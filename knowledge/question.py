"""A customer's question, read once: its words, the attribute values it names (grounded
later in the catalog), what it asks, which description fact, the product words, the city
and a salam. Resolution and composition both work from this one structure."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.attributes import COLOUR, SIZE, EMPTY_VOCABULARY, Mention, Vocabulary, mentions, phrase, tokens_of
from knowledge.roman_urdu import URDU_STOPWORDS, canonical_tokens, city_of, fold, outline, transliterate
from knowledge.search import product_terms


@dataclass
class Question:
    """What the dialogue knows about a message: its text, the NLU's intent and product
    entity (hints), the customer's city (their last order's, or one they named before)
    and the product discussed just before."""
    text: str
    intent: str | None = None
    language: str = "roman_urdu"
    product_entity: str | None = None
    product_id: str | None = None
    city: str | None = None
    current_product: str | None = None
    current_options: dict[str, str] = field(default_factory=dict)  # values named before on that product
    photo: bool = False  # the text is a photo's caption


AVAILABILITY, SIZES, COLOURS, PRICE, DETAILS, PICTURES = "availability", "sizes", "colours", "price", "details", "pictures"
DELIVERY, COD, RETURNS = "delivery", "cod", "returns"
STORE_ASPECTS = (DELIVERY, COD, RETURNS)

_INTENT_ASPECTS = {"ask_availability": AVAILABILITY, "ask_sizes": SIZES, "ask_colours": COLOURS, "ask_price": PRICE,
                   "ask_details": DETAILS, "ask_pictures": PICTURES, "ask_delivery": DELIVERY, "ask_cod": COD,
                   "ask_return_policy": RETURNS}

_WORDS = {
    DELIVERY: set("delivery deliver deliveries shipping ship courier pohanch pohnche pahunch pohanchega pohnchega "
                  "pohanchta pohanchti bhejte ڈیلیوری پہنچے پہنچ".split()),
    COD: set("cod cash advance".split()),
    RETURNS: set("return returns exchange wapas wapsi refund policy tabdeel badal".split()),
    PRICE: set("price prices qeemat keemat kimat rate rates cost costs discount قیمت".split()),
    PICTURES: set("picture pictures pic pics photo photos tasveer tasveerein tasveeren image images video تصویر".split()),
    COLOURS: set("colour colours color colors rang rangon shades shade رنگ رنگوں".split()),
    SIZES: set("size sizes saiz number numbers naap سائز".split()),
    DETAILS: set("detail details tafseel description quality".split()),
}
_PRICE_PHRASE = re.compile(r"\b(?:kitn[aeiy]+|kitnay|ktna)\s+(?:ka|ki|ke)\b|\bhow\s+much\b(?!\s+(?:does\s+it\s+weigh|"
                           r"weight|long))")
_DAYS = set("din days kab lagenge lagay lagega".split())
_AVAILABLE = set("available availability dastiyab dastyab mojood mojud maujood stock khatam sold milega milegi milenge "
                 "دستیاب موجود".split())
_CAN_HAVE = re.compile(r"\bmil\s+(?:sakta|sakti|sakte|jaye|jayega|jayegi|jaega|jaegi|jata|jati)\b|\bin stock\b|"
                       r"\bdo you have\b")

# description facts a customer asks about -> (words that ask it, words of a sentence that tells it)
TOPICS: dict[str, tuple[set[str], set[str]]] = {
    "origin": (set("kahan imported import country origin mulk".split()),
               set("imported origin country pakistan china turkey italy thailand korea local".split())),
    "fit": (set("fit fits fitting rahega rahegi aayega aaega ayega lun loon".split()),
            set("fit fits suits suit".split())),
    "length": (set("lambi lamba lambai lambaai length long lengths height oonchai unchai uncha oonchi".split()),
               set("length long cm inch inches metre meter metres meters m lambai height tall".split())),
    "weight": (set("wazan weight heavy halka halki bhari bhaari weigh weighs gram grams gm kg وزن".split()),
               set("weight weighs grams gram g kg gsm lightweight light".split())),
    "material": (set("kapra kapda kapray kapre fabric material bana bani bane made cloth stuff".split()),
                 set("fabric material made cotton leather polyester silk lawn linen wool rubber synthetic suede canvas "
                     "denim velvet chiffon khaddar cambric pvc eva plastic jersey fleece microfiber".split())),
    "dimensions": (set("dimensions dimension measurement measurements chorai choraai chaurai width naap ناپ".split()),
                   set("dimensions cm inch inches width height depth measures x".split())),
    "care": (set("dho dhona dhulai dhoya dhoyen dhulta dhulti wash washing washable care iron istri machine".split()),
             set("wash washable washing machine iron dry clean bleach care hand".split())),
    "contents": (set("box included include includes contents dabba dabbe".split()),
                 set("box includes included comes contains pack set pair with".split())),
    "sole": (set("sole tala talla".split()), set("sole soles".split())),
}
_SALAM = re.compile(r"^\W*(?:a+s+[sa]*la+m+\w*|salam\w*|slam|aoa|a\.o\.a|السلام|اسلام)\b", re.IGNORECASE)
_HELLO = re.compile(r"^\W*(?:hello+|hi+|hey+|helo+|hlo)\b", re.IGNORECASE)


def _greeting(text: str) -> str | None:
    """The greeting a message begins with, returned in kind: a salam gets its answer, a hello a hello."""
    if _SALAM.match(text):
        return "Wa alaikum assalam!"
    return "Hello!" if _HELLO.match(text) else None


@dataclass(frozen=True)
class Parsed:
    text: str
    words: frozenset[str]  # canonical tokens and the scanner's words
    mentions: list[Mention]  # sizes, colours and other values it may name (see knowledge.attributes)
    asks: str  # one of the aspects above
    topic: str | None  # details: which description fact ("length", "material", ...)
    terms: list[str]  # the words that can name a product
    city: str | None  # a city named in the message
    greeting: str | None  # the greeting to return when the message begins with one
    intent: str | None = None
    language: str = "roman_urdu"
    hints: list[str] = field(default_factory=list)  # the NLU's product entity, as product words
    availability_words: bool = False  # "available", "dastiyab", "milega", "stock"...
    value_terms: list[str] = field(default_factory=list)  # values named that are also words of product names
    asking: list[str] = field(default_factory=list)  # words of what is asked, naming no product
    asked_part: list[str] = field(default_factory=list)  # every product word after the genitive
    topic_words: frozenset[str] = frozenset()  # the words that asked the topic


def parse(q: Question, vocabulary: Vocabulary = EMPTY_VOCABULARY) -> Parsed:
    """Reads the question once; ``vocabulary`` is the live catalog's option values."""
    text = q.text
    found = mentions(text, vocabulary)
    scanned = tokens_of(text)
    words = frozenset(canonical_tokens(text)) | frozenset(scanned)
    city = next((c for c in map(city_of, scanned) if c), None)
    asking_words = words
    # a topic asked with words that name no product first: "shoe care kit ke dabbe mein" asks about the box
    topic = next((name for name, (asking, _) in TOPICS.items() if (words - vocabulary.names) & asking),
                 next((name for name, (asking, _) in TOPICS.items() if words & asking), None))
    # what names a value is no product word; if it is also in a product's name ("Rose Cream", "Black Strap
    # Sandal") it names one only when nothing else does
    covered = {i for m in found for i in range(m.start, m.end)}
    value_words = " ".join(t for i, t in enumerate(scanned) if i in covered and phrase(t) in vocabulary.names)
    # a follow-up "kapra kaunsa hai?" names no product: the words of what it asks are no product words
    asked_words = set().union(*(asking for asking, _ in TOPICS.values()), *_WORDS.values()) & asking_words
    product_part, asked_part = _split_asked(
        [_latin(t, vocabulary) for i, t in enumerate(scanned) if i not in covered], vocabulary)
    cities = {t for t in canonical_tokens(product_part) if city_of(t)}
    terms = product_terms(product_part, exclude=asked_words | cities)
    asking = product_terms(asked_part, exclude=asked_words | cities | set(terms))
    after = product_terms(asked_part, exclude=asked_words | cities)
    hints = product_terms(q.product_entity or "", exclude=asked_words)
    return Parsed(text=text, words=words, mentions=found, asks=_asks(q, asking_words, found, city, topic),
                  topic=topic, terms=terms, city=city, greeting=_greeting(fold(text)),
                  value_terms=product_terms(value_words), asking=asking, asked_part=after,
                  topic_words=frozenset(TOPICS[topic][0] & words) if topic else frozenset(),
                  intent=q.intent, language=q.language, hints=[h for h in hints if h not in terms],
                  availability_words=bool(words & _AVAILABLE) or bool(_CAN_HAVE.search(fold(text))))


_GENITIVE = frozenset("ka ki ke kay ky کا کی کے".split())


def _split_asked(tokens: list[str], vocabulary: Vocabulary) -> tuple[str, str]:
    """The words naming the product, and the words of what is asked of it: after a genitive
    ("baby lotion ki expiry date") or before an English "of" ("the thread count of the quilt
    cover"), words no product's name has are what is asked, not part of the product's name."""
    tokens = [t for t in tokens if t]
    if "of" in tokens[1:-1]:
        at = tokens.index("of")
        before, after = tokens[:at], tokens[at + 1:]
        return " ".join(after), " ".join(before)
    # "bachon ke liye X": for whom, and the product comes after
    genitive = next((i for i, t in enumerate(tokens) if t in _GENITIVE and tokens[i + 1:i + 2] != ["liye"]), None)
    if genitive is None:
        return " ".join(tokens), ""
    after = tokens[genitive + 1:]
    naming = [t for t in after if phrase(t) in vocabulary.names or phrase(t)[:-1] in vocabulary.names]
    # words after it that name some product stay product words; knowledge.answers asks with the ones
    # the chosen product does not have ("embroidered khussa ki heel": "heel" names a sandal)
    return " ".join(tokens[:genitive] + naming), " ".join(after)


def _latin(token: str, vocabulary: Vocabulary) -> str:
    """An Urdu-script word as the catalog's name words with its consonants (کھسہ -> "khussa")."""
    if token.isascii():
        return token
    if token in URDU_STOPWORDS:
        return ""
    # a word none of the catalog's names spells is left out: a guess at its letters names nothing
    return " ".join(sorted(vocabulary.outlines.get(outline(transliterate(token)), ())))


def _asks(q: Question, words: frozenset[str], found: list[Mention], city: str | None, topic: str | None) -> str:
    """What the question asks, from its words first; the intent only when the words do not say."""
    size_named = any(m.kind == SIZE for m in found)
    colour_named = any(m.kind == COLOUR for m in found)
    folded = fold(q.text)
    if words & _WORDS[COD]:  # "cash on delivery" is no delivery question
        return COD
    if words & _WORDS[DELIVERY] or (city and words & _DAYS):
        return DELIVERY
    if words & _WORDS[RETURNS]:
        return RETURNS
    if topic:
        return DETAILS
    if words & _WORDS[PRICE] or _PRICE_PHRASE.search(folded):
        return PRICE
    if words & _WORDS[PICTURES]:
        return PICTURES
    if words & _WORDS[COLOURS] and not colour_named:
        return COLOURS
    if words & _WORDS[SIZES] and not size_named:
        return SIZES
    if found:  # a size or colour named makes it an availability question whatever the intent
        return AVAILABILITY
    if words & _WORDS[DETAILS]:
        return DETAILS
    return _INTENT_ASPECTS.get(q.intent or "", AVAILABILITY)
