"""The Rasa pipeline component for bot/nlu_cues.py: cue words as sentence-level sparse features.

config.yml names it `bot.cue_featurizer.CueFeaturizer`; it goes after the tokenizer.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu_cues import NAMES, cue_vector


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class CueFeaturizer(SparseFeaturizer, GraphComponent):
    """Adds the cues of bot/nlu_cues.py to each message's text (sentence level)."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Needs tokens (for the sequence features' length)."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """`weight`: the value of a cue that fires (a few binary cues among many n-grams)."""
        return {**SparseFeaturizer.get_default_config(), "weight": 1.0}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """The weight must be positive."""
        if float(config.get("weight", 1.0)) <= 0:
            raise ValueError("CueFeaturizer: weight must be positive")

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str:
        """A hash of the word lists and the parser this component reads.

        Rasa's training cache fingerprints only this class's own source and config: without this,
        an edited cue list would reuse DIET trained on the old features (and fail on its width).
        """
        import bot.directory.places
        import bot.directory.search
        import bot.nlu_cues

        sources = (bot.nlu_cues, bot.directory.search, bot.directory.places)
        return hashlib.sha256("".join(map(inspect.getsource, sources)).encode()).hexdigest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CueFeaturizer:
        """Nothing to train or load: the word lists are in bot/nlu_cues.py."""
        return cls(execution_context.node_name, config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes the training examples in place."""
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds zero sequence features and the cue row as the sentence features."""
        for message in messages:
            text = message.get(TEXT)
            tokens = message.get(TOKENS_NAMES[TEXT], [])
            if not text or not tokens:
                continue
            sequence = scipy.sparse.coo_matrix((len(tokens), len(NAMES)))
            sentence = scipy.sparse.coo_matrix(cue_vector(text) * float(self._config["weight"]))
            self.add_features_to_message(sequence, sentence, TEXT, message)
        return messages
