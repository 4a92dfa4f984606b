"""Custom NLU components for the Rasa pipeline (rasa env)."""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.spelling import spelling_key


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class RomanUrduSpelling(GraphComponent):
    """Puts each token's spelling key (knowledge/spelling.py) in its lemma.

    Runs right after the tokenizer. Token text and offsets stay as typed (entity spans
    keep pointing at the customer's words); featurizers that read lemmas
    (CountVectorsFeaturizer, the default) see one word whether the customer wrote "bohat",
    "bahut" or "bht", "hai" or "h", "please" or "plz" — the same rules that generate the
    training data's spelling variants (scripts/augment_nlu.py).
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RomanUrduSpelling":
        return cls()

    @staticmethod
    def _normalise(message: Message) -> None:
        for token in message.get(TOKENS_NAMES[TEXT]) or []:
            token.lemma = spelling_key(token.text)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalise(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalise(message)
        return messages


# What an entity of each kind may look like (docs/conversation-contract.md). DIET tags by
# context and sometimes puts an order number on a shoe size or a colour on any word; these
# checks keep only what has the right shape.
_TRANSACTION_ID = re.compile(r"\d{8,14}")
_ORDER_SHAPE = re.compile(r"(?i)(?:SD-?|#)\d{3,8}")
_AFTER_ORDER = re.compile(r"(?i)(?:order|آرڈر)\W*(?:no\.?|number|num|#|id|nmbr)?\W*$")
_PHONE = re.compile(r"(?:\+92|0092|92|0)?3\d{2}[- ]?\d{7}")
_SIZE_NUMBER = re.compile(r"\d{1,2}(?:\.5)?")
_VOCABULARY_ENTITIES = ("colour", "cancel_reason")  # tagged only on words the training data tags


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class EntityContract(GraphComponent, EntityExtractorMixin):
    """Drops entities of the wrong shape, after DIET and the synonym mapper.

    A transaction ID is 8-14 digits; an order number has the store's shape (SD-10234,
    #10234) or follows the word "order"; a phone has a phone's shape; a colour or a cancel
    reason contains a word annotated (or listed in a lookup table) as one in the training
    data. A short number that is none of these in a product question is a size.
    """

    FILENAME = "entity_vocabulary.json"

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Dict[str, List[str]]] = None) -> None:
        self._model_storage, self._resource = model_storage, resource
        self.vocabulary = {name: set(words) for name, words in (vocabulary or {}).items()}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EntityContract":
        return cls(model_storage, resource)

    @staticmethod
    def _words(text: str) -> List[str]:
        return [spelling_key(w) for w in text.split()]

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: Dict[str, set] = {name: set() for name in _VOCABULARY_ENTITIES}
        for example in training_data.entity_examples:
            for entity in example.get(ENTITIES, []):
                if entity["entity"] in vocabulary:
                    text = example.get(TEXT)[entity["start"]:entity["end"]]
                    vocabulary[entity["entity"]].update(self._words(text))
        for table in training_data.lookup_tables:
            if table["name"] in vocabulary:
                for element in table["elements"]:
                    vocabulary[table["name"]].update(self._words(element))
        with self._model_storage.write_to(self._resource) as storage:
            (storage / self.FILENAME).write_text(json.dumps({k: sorted(v) for k, v in vocabulary.items()}))
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "EntityContract":
        with model_storage.read_from(resource) as storage:
            return cls(model_storage, resource, json.loads((storage / cls.FILENAME).read_text()))

    def _fits(self, entity: Dict[str, Any], text: str) -> bool:
        kind, typed = entity["entity"], text[entity["start"]:entity["end"]]
        if kind == "transaction_id":
            return bool(_TRANSACTION_ID.fullmatch(typed))
        if kind == "order_id":
            return bool(_ORDER_SHAPE.fullmatch(typed) or _AFTER_ORDER.search(text[:entity["start"]]))
        if kind == "phone":
            return bool(_PHONE.fullmatch(typed.replace(" ", "")))
        if kind in self.vocabulary:
            return any(w in self.vocabulary[kind] for w in self._words(typed))
        return True

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text, kept = message.get(TEXT) or "", []
            product_question = ((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "").startswith("ask_")
            for entity in message.get(ENTITIES) or []:
                if self._fits(entity, text):
                    kept.append(entity)
                elif product_question and _SIZE_NUMBER.fullmatch(text[entity["start"]:entity["end"]]):
                    kept.append({**entity, "entity": "size", "value": text[entity["start"]:entity["end"]]})
            message.set(ENTITIES, kept, add_to_output=True)
        return messages
