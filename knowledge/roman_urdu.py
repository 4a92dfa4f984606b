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
    # product words
    "kameez": ("qameez", "qamees", "kamees", "kamiz", "qamiz", "قمیض"),
    "shalwar": ("salwar", "shalwaar", "شلوار"),
    "dupatta": ("dupata", "duppata", "dopatta", "dupatay", "dupattay"),
    "khussa": ("khusa", "kusa", "khosa", "khussay", "khusay", "کھسہ", "کھسے", "کھُسہ"),
    "chappal": ("chapal", "chappel", "chapel", "chappals", "چپل", "چپلیں"),
    "jhumka": ("jhumkay", "jhumke", "jhumkey", "jhumkas"),
    "choorian": ("churiyan", "choriyan", "chooriyan", "churian"),
    "footwear": ("joota", "jota", "jooti", "joote", "jootay", "shoes", "shoe", "جوتا", "جوتے", "جوتی", "شوز"),
    "kurta": ("kurtaa", "kurtay", "kurte", "کرتا"),
    "embroidered": ("kadhai", "karhai", "kasheeda", "kashida", "embroidery"),
    # who a product is for, as catalogs name it
    "men": ("gents", "mens", "male", "mard", "mardana", "mardon", "مردانہ", "جینٹس"),
    "ladies": ("women", "womens", "woman", "female", "aurat", "aurton", "zanana", "lady", "لیڈیز", "خواتین"),
    "kids": ("bachon", "bachay", "bache", "bachoon", "children", "childrens", "child", "بچوں", "بچے"),
    "boys": ("boy", "larka", "larkay", "larke", "larkon", "beta", "bete", "لڑکوں", "لڑکے"),
    "girls": ("girl", "larki", "larkiyan", "larkiyon", "bachi", "beti", "لڑکیوں", "بچی"),
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
    if text.isascii():  # nothing to normalise: most messages and catalog text
        return text.lower()
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


# --- shop vocabulary: colours, sizes, piece counts, cities -------------------------------

# canonical (English, as catalogs name them) -> words customers type
_COLOURS: dict[str, tuple[str, ...]] = {
    "white": ("white", "safaid", "safed", "sufaid", "safeed", "sufed", "سفید"),
    "off-white": ("off-white", "offwhite", "off white"),
    "black": ("black", "kala", "kaala", "kaali", "kali", "siyah", "kalay", "kaale", "kale", "kaalay", "کالا", "کالی",
              "کالے", "سیاہ"),
    "red": ("red", "laal", "lal", "surkh", "لال", "سرخ"),
    "green": ("green", "hara", "hari", "haraa", "hare", "sabz", "ہرا", "ہری", "ہرے", "سبز"),
    "blue": ("blue", "neela", "nila", "neeli", "nili", "neelay", "neele", "نیلا", "نیلی", "نیلے"),
    "sky blue": ("sky blue", "skyblue", "aasmani", "asmani"),
    "yellow": ("yellow", "peela", "pila", "peeli", "pili", "peele", "پیلا", "پیلی", "پیلے"),
    "pink": ("pink", "gulabi", "gulaabi", "گلابی"),
    "grey": ("grey", "gray", "surmai", "surmaee", "surmayi", "slaiti", "سرمئی"),
    "maroon": ("maroon", "mehroon", "maroonish", "mehroni", "مہرون"),
    "brown": ("brown", "bhoora", "bhura", "bhoori", "bhora", "bhori", "bhoore", "بھورا", "بھوری", "بھورے"),
    "orange": ("orange", "narangi", "naranji", "نارنجی"),
    "purple": ("purple", "jamni", "baingani", "جامنی"),
    "golden": ("golden", "gold", "sunehri", "sunehra", "سنہری"),
    "silver": ("silver", "chandi", "rupehla", "rupehli"),
    "beige": ("beige", "fawn"),
    "cream": ("cream",),
    "peach": ("peach",),
    "mustard": ("mustard", "sarson"),
    "navy": ("navy", "navy blue"),
    "mint": ("mint",),
    "tan": ("tan",),
    "multi": ("multi", "multicolor", "multicolour", "multicoloured", "multi-color", "multi-colour"),
}
_COLOUR_OF = {word: colour for colour, words in _COLOURS.items() for word in words}

# sizes: clothing letters and the Urdu words for them; shoe sizes are bare numbers
_SIZES: dict[str, tuple[str, ...]] = {
    "XS": ("xs", "extra-small"),
    "S": ("s", "small", "chota", "chhota", "choti", "chhoti", "chotay"),
    "M": ("m", "medium", "darmiyana", "darmiyani", "med"),
    "L": ("l", "large", "bara", "bada", "bari", "badi", "baray"),
    "XL": ("xl", "extra-large"),
    "XXL": ("xxl", "2xl"),
}
_SIZE_OF = {word: size for size, words in _SIZES.items() for word in words}
_LETTER_SIZES = frozenset("sml")  # one-letter sizes: only when written alone or beside "size"

_NUMBERS = {"ek": 1, "aik": 1, "one": 1, "do": 2, "two": 2, "teen": 3, "three": 3, "char": 4,
            "chaar": 4, "four": 4, "panch": 5, "paanch": 5, "five": 5}

_CITIES: dict[str, tuple[str, ...]] = {
    "Karachi": ("karachi", "khi", "krachi", "karachee", "کراچی"),
    "Lahore": ("lahore", "lhr", "lahor", "lahour", "لاہور"),
    "Islamabad": ("islamabad", "isb", "isl", "islamabaad", "isloo", "اسلام آباد", "اسلام‌آباد"),
    "Rawalpindi": ("rawalpindi", "pindi", "rwp", "rawalpindee", "راولپنڈی", "پنڈی"),
    "Faisalabad": ("faisalabad", "fsd", "faislabad", "lyallpur", "فیصل آباد", "فیصل‌آباد"),
    "Multan": ("multan", "mux", "ملتان"),
    "Peshawar": ("peshawar", "pesh", "psh", "pishawar", "پشاور"),
    "Quetta": ("quetta", "qta", "koita", "کوئٹہ"),
    "Hyderabad": ("hyderabad", "hyd", "hydrabad", "haiderabad", "حیدرآباد"),
    "Sialkot": ("sialkot", "skt", "سیالکوٹ"),
    "Gujranwala": ("gujranwala", "grw", "گوجرانوالہ"),
    "Sukkur": ("sukkur", "sukhar"),
    "Abbottabad": ("abbottabad", "abbotabad", "atd"),
    "Bahawalpur": ("bahawalpur", "bwp"),
    "Sargodha": ("sargodha",),
    "Gujrat": ("gujrat",),
    "Mardan": ("mardan",),
    "Larkana": ("larkana",),
}
_CITY_OF = {word: city for city, words in _CITIES.items() for word in words}

# "9 number", "size 9", "9 no" -> shoe size 9; "teen piece", "3pc", "3-piece" -> 3-piece
_SHOE_SIZE = re.compile(r"\b(?:size|saiz|number|no\.?|num)\s*#?(\d{1,2})\b|\b(\d{1,2})\s*(?:number|no\b|num\b)")
_PIECES = re.compile(r"\b(\d|" + "|".join(_NUMBERS) + r")\s*-?\s*(?:piece|pieces|pc|pcs|peace|pis)\b")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# Urdu script letters as Roman letters: a product word in Urdu script then meets the
# catalog's Latin words through their consonant outline (پشاوری "pshawri" ~ "peshawari")
_URDU_LETTERS = str.maketrans({
    "ا": "a", "آ": "aa", "ب": "b", "پ": "p", "ت": "t", "ٹ": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h",
    "خ": "kh", "د": "d", "ڈ": "d", "ذ": "z", "ر": "r", "ڑ": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh",
    "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "k", "ک": "k", "ك": "k",
    "گ": "g", "ل": "l", "م": "m", "ن": "n", "ں": "n", "و": "o", "ہ": "h", "ھ": "h", "ۃ": "h", "ء": "", "ی": "i",
    "ي": "i", "ے": "e", "ئ": "", "ؤ": "o", "ۓ": "e", "ّ": "", "ٔ": ""})
URDU_STOPWORDS = frozenset("""کیا کیہ ہے ہیں ہو میں کا کی کے سے کو یہ وہ اور بھی تو نہیں ملے ملے گا گی گے ملتا ملتی ملے گا
    دستیاب موجود رنگ رنگوں سائز نمبر سال چاہیے چاہئے کتنے کتنی کتنا قیمت آپ پاس کون کن سا سی والا والی
    ہوگا ہوگی کب کہاں دن میں پہنچے پہنچے گی پہنچ کیسے بارے بتائیں بتا دیں ہاں جی السلام علیکم""".split())


_NOT_CONSONANTS = re.compile(r"[aeiouyhwv]")  # w and v too: Urdu script writes one letter for w, v, o and u
_REPEATS = re.compile(r"(.)\1+")


def outline(word: str) -> str:
    """The consonants of a word, doubled ones once: spellings of one word mostly share
    it, and so does the Urdu-script word in Roman letters ("peshawari", پشاوری "pshaori" -> "psr")."""
    word = word.replace("ck", "k").replace("c", "k").replace("q", "k").replace("z", "s")
    return _REPEATS.sub(r"\1", _NOT_CONSONANTS.sub("", word))


def transliterate(word: str) -> str:
    """An Urdu-script word in Roman letters ("چپل" -> "chpl"), for matching catalog words."""
    if word.endswith("ہ"):  # a final he is the vowel a: کھسہ "khussa"
        word = word[:-1] + "ا"
    return word.translate(_URDU_LETTERS)


def colour_of(word: str) -> str | None:
    """The catalog colour a customer's word names ("safaid" -> "white"), or None."""
    return _COLOUR_OF.get(fold(word))


def city_of(word: str) -> str | None:
    """The city a spelling or abbreviation names ("Khi" -> "Karachi"), or None."""
    return _CITY_OF.get(fold(word).strip())


def size_of(word: str) -> str | None:
    """The size a word names ("chota" -> "S", "9" -> "9"), or None."""
    word = fold(word).strip()
    return word if word.isdigit() and 1 <= len(word) <= 2 else _SIZE_OF.get(word)


def canonical_tokens(text: str) -> list[str]:
    """The message as canonical tokens: spellings fixed, colours in English, sizes in
    capitals ("S", "9"), piece counts as "3-piece", cities by their name in lower case.

    Retrieval matches these against catalog text put through the same function.
    """
    text = re.sub(r"'s\b", "", normalize(text))
    text = _PIECES.sub(lambda m: f" {_NUMBERS.get(m.group(1), m.group(1))}-piece ", text)
    text = _SHOE_SIZE.sub(lambda m: f" size {m.group(1) or m.group(2)} ", text)
    text = re.sub(r"\bextra\s+(small|large)\b", r"extra-\1", text)
    text = re.sub(r"\boff\s+white\b", "off-white", text)
    tokens = []
    for token in _TOKEN.findall(text):
        if token in _COLOUR_OF:
            token = _COLOUR_OF[token]
        elif token in _CITY_OF:
            token = _CITY_OF[token].lower()
        elif token in _SIZE_OF and token not in _LETTER_SIZES:
            token = _SIZE_OF[token]
        tokens.append(token)
    return tokens
