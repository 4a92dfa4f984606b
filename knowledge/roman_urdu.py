"""Roman Urdu spelling normalisation and language detection.

Standard library only: the Rasa NLU pipeline (``bot.nlu``, rasa env) and catalog
retrieval (``knowledge``, app env) both import this module, so the two never disagree
about what "kia" or "chahye" means.
"""
from __future__ import annotations

import re
import unicodedata

# canonical spelling -> variants customers type
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "hai": ("hay", "he", "hy", "haii", "hae"),
    "hain": ("hein", "hen", "hn", "hai'n"),
    "kya": ("kia", "kiya", "kyaa", "kea"),
    "nahi": ("nahin", "nai", "nahee", "nhi", "nahi", "ni", "nae"),
    "chahiye": ("chahye", "chahiay", "chaiye", "chahie", "chahiya", "chahiyay", "chaheye"),
    "kitne": ("kitnay", "kitnai", "kitney"),
    "kitna": ("kitnaa", "ktna"),
    "mein": ("mai", "mei", "mn", "mien"),
    "bahut": ("bohat", "bohot", "buhat", "bht", "bahot"),
    "acha": ("achha", "acchha", "accha", "achaa"),
    "theek": ("thik", "theak", "teek", "tik", "thk"),
    "shukriya": ("shukria", "shukriyaa", "shukrya"),
    "aap": ("ap", "aapka", "apka"),
    "kab": ("kb",),
    "kahan": ("kahaan", "kahn", "kidhar", "kidr"),
    "dein": ("den", "dain", "dijiye", "dijye", "dedo"),
    "karo": ("kro", "karein", "kren", "krein", "karen"),
    "kar": ("kr",),
    "haan": ("han", "haa", "ha", "hanji", "jee"),
    "salam": ("slam", "salaam", "asalam", "assalam", "assalamu", "asalaam", "assalaam", "salamualaikum"),
    "alaikum": ("alaykum", "alikum", "aleikum", "alaikam", "walaikum", "alaikom"),
    "bhejo": ("bhejain", "bhejen", "bhej", "bhejein", "bhijwa"),
    "safaid": ("safed", "sufaid", "safeed"),
    "kala": ("kaala", "kaali", "kali"),
    "laal": ("lal",),
    "neela": ("nila", "neeli", "nili"),
    "peela": ("pila", "peeli", "pili"),
    "gulabi": ("gulaabi",),
    "surmai": ("surmaee", "surmayi"),
}
_CANONICAL = {variant: canon for canon, variants in _SPELLINGS.items() for variant in variants}

# Words that only Roman Urdu uses (after normalisation) / only English uses. Words both
# languages share in shop talk ("size", "order", "price", "available") count for neither.
_URDU_MARKERS = frozenset(
    """hai hain kya nahi chahiye kitne kitna mein bahut acha theek shukriya aap kab kahan
    dein karo kar haan salam alaikum aoa assalamualaikum ka ki ke ko se mera meri mere
    tha thi yeh ye woh wo aur bhi abhi kal aaj hum mujhe kaise kyun kaun ji jee bhai
    behen baji wala wali wale dena lena milega milegi mil sakta sakti raha rahi rahe
    gaya gayi hoga hogi tak liye kuch sab koi kapra kapray""".split()
)
_ENGLISH_MARKERS = frozenset(
    """hello hi hey the is are you your have has what where when how my me please thanks
    thank can could would will there this that which want need good morning evening
    yes no not does did it for with about tell show any""".split()
)
_URDU_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_WORD = re.compile(r"[a-z']+")

ROMAN_URDU = "roman_urdu"
ENGLISH = "english"


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping Urdu script as it is."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
                   or _URDU_SCRIPT.match(c))


def normalize_word(word: str) -> str:
    """The canonical spelling of one lower-case word ("kia" -> "kya")."""
    return _CANONICAL.get(word, word)


def normalize(text: str) -> str:
    """Fold the text and replace every known spelling variant by its canonical form."""
    return _WORD.sub(lambda m: normalize_word(m.group(0)), fold(text))


def detect_language(text: str) -> str | None:
    """``"roman_urdu"``, ``"english"``, or None when the text gives no clear sign.

    Urdu script counts as Roman Urdu (Sauda answers it in Roman Urdu).
    """
    if _URDU_SCRIPT.search(text):
        return ROMAN_URDU
    words = [normalize_word(w) for w in _WORD.findall(fold(text))]
    if "aoa" in words or "salam" in words:
        return ROMAN_URDU
    urdu = sum(w in _URDU_MARKERS for w in words)
    english = sum(w in _ENGLISH_MARKERS for w in words)
    if urdu > english:
        return ROMAN_URDU
    if english > urdu:
        return ENGLISH
    return None
