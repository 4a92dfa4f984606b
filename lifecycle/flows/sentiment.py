"""Is a free-text answer to "how was your order?" positive or negative (Roman Urdu, English,
a mix)? Word lists with the usual spellings, and negation ("acha nahi tha", "not good")
flips the word near it. Mixed answers count as negative: a person should look."""
from __future__ import annotations

import re
from typing import Optional

POSITIVE = {
    "acha", "achha", "accha", "achi", "achhi", "acchi", "achay", "ache", "achy", "zabardast", "zbrdst",
    "kamaal", "kamal", "shandar", "shandaar", "behtareen", "behtreen", "bohtreen", "mast", "pasand", "khush",
    "perfect", "great", "good", "nice", "excellent", "amazing", "awesome", "love", "loved", "lovely", "beautiful",
    "satisfied", "happy", "best", "fantastic", "wonderful", "superb", "theek", "thik", "thek", "sahi", "fine",
    "khoobsurat", "khubsurat", "shukriya", "thanks", "thank", "👍", "❤️", "😍",
}
NEGATIVE = {
    "bakwas", "bakwaas", "bekar", "bekaar", "kharab", "khrab", "kharaab", "ganda", "gandi", "bura", "buri", "bure",
    "ghatiya", "ghateya", "fazool", "problem", "masla", "masala", "shikayat", "toota", "tuta", "tooti", "tuti",
    "phata", "phati", "ghalat", "galat", "late", "der", "dair", "nuqsan", "damaged", "broken", "torn", "wrong",
    "bad", "worst", "poor", "terrible", "horrible", "awful", "disappointed", "disappointing", "fake", "cheap",
    "refund", "return", "complaint", "issue", "faulty", "defective", "missing", "👎", "😡", "😠",
}
NEGATIONS = {"nahi", "nahin", "nai", "nhi", "na", "not", "no", "never", "nope", "mat"}
_WORD = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)


def classify(text: str) -> Optional[str]:
    """``"positive"``, ``"negative"`` or None when the text says neither clearly."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    positive = negative = 0
    for i, word in enumerate(words):
        nearby = words[max(0, i - 2):i] + words[i + 1:i + 3]
        negated = any(w in NEGATIONS or w in ("n't", "dont", "didnt", "wasnt", "isnt") for w in nearby)
        if word in POSITIVE:
            if negated:
                negative += 1
            else:
                positive += 1
        elif word in NEGATIVE:
            if negated:  # "koi masla nahi", "no problem"
                positive += 1
            else:
                negative += 1
    if negative:
        return "negative"
    return "positive" if positive else None
