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
    photo: bool = False  # the text is a photo's caption


AVAILABILITY, SIZES, COLOURS, PRICE, DETAILS, PICTURES = "availability", "sizes", "colours", "price", "details", "pictures"
DELIVERY, COD, RETURNS = "delivery", "cod", "returns"
STORE_ASPECTS = (DELIVERY, COD, RETURNS)

_INTENT_ASPECTS = {"ask_availability": AVAILABILITY, "ask_sizes": SIZES, "ask_colours": COLOURS, "ask_price": PRICE,
                   "ask_details": DETAILS, "ask_pictures": PICTURES, "ask_delivery": DELIVERY, "ask_cod": COD,
                   "ask_return_policy": RETURNS}

_WORDS = {
    DELIVERY: set("delivery deliver deliveries shipping ship courier pohanch pohnche pahunch pohanchega pohnchega "
                  "pohanchta pohanchti bhejte".split()),
    COD: set("cod cash advance".split()),
    RETURNS: set("return returns exchange wapas wapsi refund policy tabdeel badal".split()),
    PRICE: set("price prices qeemat keemat kimat rate rates cost costs discount".split()),
    PICTURES: set("picture pictures pic pics photo photos tasveer tasveerein tasveeren image images video".split()),
    COLOURS: set("colour colours color colors rang rangon shades shade".split()),
    SIZES: set("size sizes saiz number numbers naap".split()),
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
_GREETING = re.compile(r"^\W*(?:a+s+[sa]*la+m+\w*|salam\w*|slam|aoa|a\.o\.a|السلام|اسلام)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    text: str
    words: frozenset[str]  # canonical tokens and the scanner's words
    mentions: list[Mention]  # sizes, colours and other values it may name (see knowledge.attributes)
    asks: str  # one of the aspects above
    topic: str | None  # details: which description fact ("length", "material", ...)
    terms: list[str]  # the words that can name a product
    city: str | None  # a city named in the message
    greeting: bool  # begins with a salam
    intent: str | None = None
    language: str = "roman_urdu"
    hints: list[str] = field(default_factory=list)  # the NLU's product entity, as product words
    availability_words: bool = False  # "available", "dastiyab", "milega", "stock"...


def parse(q: Question, vocabulary: Vocabulary = EMPTY_VOCABULARY) -> Parsed:
    """Reads the question once; ``vocabulary`` is the live catalog's option values."""
    text = q.text
    found = mentions(text, vocabulary)
    scanned = tokens_of(text)
    words = frozenset(canonical_tokens(text)) | frozenset(scanned)
    city = next((c for c in map(city_of, scanned) if c), None)
    # words of a product's name ask nothing: "Wash & Wear Kurta" is no washing question
    asking_words = words - vocabulary.names
    topic = next((name for name, (asking, _) in TOPICS.items() if asking_words & asking), None)
    # what names a value is no product word, unless a product's name has it ("Rose Cream", "Leather Wallet")
    covered = {i for m in found for i in range(m.start, m.end)}
    rest = " ".join(_latin(t, vocabulary) for i, t in enumerate(scanned)
                    if i not in covered or phrase(t) in vocabulary.names)
    # a follow-up "kapra kaunsa hai?" names no product: the words of what it asks are no product words
    asked_words = set().union(*(asking for asking, _ in TOPICS.values()), *_WORDS.values()) & asking_words
    cities = {t for t in canonical_tokens(rest) if city_of(t)}
    terms = product_terms(rest, exclude=asked_words | cities)
    hints = product_terms(q.product_entity or "", exclude=asked_words)
    return Parsed(text=text, words=words, mentions=found, asks=_asks(q, asking_words, found, city, topic),
                  topic=topic, terms=terms, city=city, greeting=bool(_GREETING.match(fold(text))),
                  intent=q.intent, language=q.language, hints=[h for h in hints if h not in terms],
                  availability_words=bool(words & _AVAILABLE) or bool(_CAN_HAVE.search(fold(text))))


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
