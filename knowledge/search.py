"""Finding the product a question names: canonical query words, then dense (FAISS) and
lexical scores combined."""
from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np

from knowledge.attributes import Vocabulary
from knowledge.catalog import Catalog, Product
from knowledge.embeddings import embed_query, embed_reusing
from knowledge.index import LexicalIndex, build_vector_index, search_vectors, skeleton, term
from knowledge.roman_urdu import canonical_tokens

# Words that never name a product: Roman Urdu and English function words, question words
# and the shop-talk of the question itself (price, size, delivery...).
STOPWORDS = frozenset("""
hai hain kya nahi chahiye kitne kitna kitni mein bahut acha theek shukriya aap kab kahan dein karo kar
haan ka ki ke ko se mera meri mere tha thi yeh ye woh wo aur bhi abhi kal aaj hum mujhe kaise kyun kaun
ji jee bhai behen kon kaun konsa konsi konse kaunsa kaunsi kaunse kon-se kin na yar yaar baji wala wali wale dena lena milega milegi milay mil sakta sakti sakte raha rahi rahe
gaya gayi hoga hogi tak liye kuch sab koi iska iski iske uska uski uske is us in un jo par pe koi
bata batao batayen batain dikhao dikha bhejo bhej sirf wala hay hy plz pls please sir madam maam
price prices qeemat keemat kimat rate cost rs rupay rupees discount sale kam zyada
size sizes saiz number no num colour colours color colors rang rangon available availability
stock dastiyab mojood mojud hai khatam left bacha bache
delivery deliver deliveries charges charge shipping din days day time lagenge lagay lagta
cod cash return returns exchange wapas wapsi policy
picture pictures pic pics photo photos tasveer tasveerein image images dekhna dekhni
detail details fabric material quality kapra kapray kapda
the a an is are do does you your have has what which where when how my me i it in of for
with and or to this that these those any there can could would will get show tell about
want need much many some please hi hello dear also only still more than n
aapke apke aapki apki aapne paas pass pas hamare humare tumhare apne mujhe hamein humein chahta chahti chahte
milta milti milte mila mili sakta sakti sakte saktay skta skti milay milain milenge mojood mojud mojoud maujood
dastiyab dastyab dastiab stock in-stock sold out khatam ho hoga hogi hota hoti hote hein hay he
salam alaikum walaikum assalam aoa o waalaikum
saal sal years year umar item items cheez cheezein product products sell sells selling bechte rakhte
jayega jayegi jaye jaega jaegi jata jati aata aati aate saath sath hua hui huay kis kaise bhai liye
dikhayein dikhaen dikhain dikhana dikha dikhaiye bataen bataiye batayein what whats
assalamualaikum asalamualaikum assalamoalaikum salaam walaikumassalam aoa hello
come comes came go goes buy order send sent look looking like got give
order karna karni karwana lena leni lene bhi dobara phir wala wali wale walay yeh ye is isko isay ise
""".split())

LEXICAL_WEIGHT = 0.6  # tuned on the evaluation set (python -m knowledge eval)
DENSE_CANDIDATES = 30


def product_terms(text: str, exclude: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The words of a message that can name a product: canonical, without function and
    question words, numbers, nor the words in ``exclude``."""
    return [t for t in canonical_tokens(text) if t not in STOPWORDS and t not in exclude and not t[0].isdigit()]


DESCRIPTION_WEIGHT = 0.5  # a suit whose description says "chiffon dupatta" is not a dupatta
TAG_WEIGHT = 0.8  # "kids school shoes" names "Kids Black School Shoes" more than a sneaker tagged "school"


def document_terms(product: Product) -> dict[str, float]:
    """The words a product is found by lexically: its name counts fully, its type and tags
    a little less, words only in its description half."""
    def words(text: str) -> list[str]:
        tokens = canonical_tokens(text)
        tokens += [part for t in tokens if "-" in t and not t[0].isdigit() for part in t.split("-")]
        return [t for t in tokens if t not in STOPWORDS and not t.isdigit()]

    terms = {t: DESCRIPTION_WEIGHT for t in words(product.description)}
    terms.update({t: TAG_WEIGHT for t in words(" ".join([product.product_type, *product.tags]))})
    terms.update({t: 1.0 for t in words(product.title)})
    return terms


def loosely_in(word: str, words: set[str]) -> bool:
    """The word, or one spelt or inflected a little differently ("filling" / "fillers",
    "adjust" / "adjustable", "chapal" / "chappal"), is among ``words``."""
    word = term(word)
    outline = skeleton(word)
    return any(term(w) == word or (outline and skeleton(term(w)) == outline)
               or (min(len(w), len(word)) >= 4 and w[:4] == word[:4]) for w in words)


def unexplained(product: Product, terms: list[str]) -> list[str]:
    """The question's product words that this product's text does not have, even spelt
    loosely: words the answer did not understand ("mustrd" when no product is mustard)."""
    known = {term(w) for w in document_terms(product)}
    outlines = {skeleton(w) for w in known} - {None}
    return [t for t in terms if term(t) not in known and (skeleton(term(t)) or "") not in outlines]


def catalog_vectors(catalog: Catalog, known: dict[str, np.ndarray] | None = None) -> tuple[np.ndarray, list[str]]:
    """One embedding per product, in catalog order, and the keys they are stored under;
    products whose text has a vector in ``known`` (an earlier version's) are not encoded again."""
    return embed_reusing([p.search_text() for p in catalog.products.values()], known or {})


@dataclass(frozen=True)
class Match:
    product_id: str
    score: float
    dense: float
    lexical: float


class ProductSearch:
    """Hybrid search over one catalog version; ``mode`` is "hybrid", "dense" or "lexical"."""

    def __init__(self, catalog: Catalog, vectors: faiss.Index):
        self.catalog = catalog
        self.ids = list(catalog.products)
        self.vectors = vectors
        self.lexical = LexicalIndex([document_terms(catalog.products[pid]) for pid in self.ids])
        self.vocabulary = Vocabulary.of(catalog.products.values(), known=self.lexical.vocabulary)

    @classmethod
    def build(cls, catalog: Catalog, exact_max: int | None = None) -> "ProductSearch":
        vectors, _ = catalog_vectors(catalog)
        index = build_vector_index(vectors) if exact_max is None else build_vector_index(vectors, exact_max)
        return cls(catalog, index)

    def search(self, terms: list[str], k: int = 10, mode: str = "hybrid") -> list[Match]:
        """The best ``k`` products for the query words, best first."""
        if not terms or not self.ids:
            return []
        lexical = self.lexical.scores(terms) if mode != "dense" else np.zeros(len(self.ids), np.float32)
        dense: dict[int, float] = {}
        if mode != "lexical":
            query = embed_query(" ".join(terms))
            sims, rows = search_vectors(self.vectors, query, min(DENSE_CANDIDATES, len(self.ids)))
            dense = {int(r): float(s) for r, s in zip(rows[0], sims[0]) if r >= 0}
            for row in _top(lexical, DENSE_CANDIDATES):
                if row not in dense:
                    dense[row] = float(self.vectors.reconstruct(row) @ query[0])
            candidates = dense
        else:
            candidates = {row: 0.0 for row in _top(lexical, DENSE_CANDIDATES)}
        weight = LEXICAL_WEIGHT if mode == "hybrid" else 1.0
        matches = [Match(self.ids[row], sim + weight * float(lexical[row]), sim, float(lexical[row]))
                   for row, sim in candidates.items()]
        return sorted(matches, key=lambda m: -m.score)[:k]


def _top(scores: np.ndarray, k: int) -> list[int]:
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k)[:k]]
    return [int(i) for i in positive]
