"""Custom NLU components for the Rasa pipeline (rasa env)."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
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
