"""The cue featurizer in the NLU pipeline (bot/nlu_cues.py): which cues fire, and the features."""

from __future__ import annotations

import pytest

from bot.nlu_cues import NAMES, cue_vector, cues


def fired(text: str) -> set[str]:
    return {name for name, on in cues(text).items() if on}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("herstelgroep in Zwolle?", {"place", "group_kind"}),
        ("is there a recovery college near me", {"group_kind", "looking_for"}),
        ("wat is WRAP", {"group_kind", "what_is"}),
        ("ik voel me zo eenzaam", {"negative"}),
        ("I'm proud of myself", {"positive"}),
        ("het gaat op en af maar ik red me", {"steady"}),
        ("alles is me te veel", {"overload"}),
        ("ik sta op de brug", {"danger"}),
        ("het gaat niet goed", {"negated_positive"}),
        ("I'm not happy at all", {"negated_positive"}),
        ("ik heb nergens zin in", {"negated_positive"}),
        ("things aren't going so well", {"negated_positive"}),
        ("ik ben bang dat ik mezelf iets aandoe", {"danger"}),
        ("mijn broer noemde me gestoord", {"someone_said"}),
        ("someone called me crazy at work", {"someone_said"}),
        ("ik schaam me voor het label", {"label"}),
        ("what are my strengths", {"strengths"}),
        ("absoluut niet", {"negation", "negated_yes"}),
        ("of course not", {"negation", "negated_yes"}),
        ("ik zie door de bomen het bos niet meer", {"overload"}),
        ("wat wordt het weerbericht voor morgen", {"everyday"}),
        ("motiveer me eens", {"encourage"}),
        ("a ray of light please", {"encourage"}),
        ("I wrote a farewell note", {"danger"}),
        ("can you help me with my homework", {"everyday"}),
        ("ik wil de check-in niet afmaken", {"stop"}),
        ("het kabbelt maar wat voort", {"steady"}),
        ("my symptoms are bearable", {"steady"}),
        ("ik voel me niet zo best", {"negative"}),
        ("I feel confident lately", {"positive"}),
        ("thx", {"thanks"}),
        ("dankjewel", {"thanks"}),
        ("sla deze vraag over", {"skip"}),
        ("next question please", {"skip"}),
        ("moet ik het mijn baas vertellen", {"disclose"}),
        ("should I tell my friends", {"disclose"}),
        ("waar kan ik parkeren", {"everyday"}),
        ("how does a microwave work", {"everyday"}),
        ("worden mijn berichten bewaard", {"privacy"}),
        ("who can read my messages", {"privacy"}),
        ("ajuu, tot morgen", {"farewell"}),
        ("ok see ya", {"farewell"}),
    ],
)
def test_cues_fire_on_their_words(text, expected):
    assert expected <= fired(text)


@pytest.mark.parametrize("text", ["het gaat niet goed", "not great", "geen zin in iets"])
def test_a_negated_positive_word_is_not_positive(text):
    assert "positive" not in fired(text)


@pytest.mark.parametrize("text", ["absoluut", "of course", "ja, waarom niet"])
def test_a_plain_yes_is_not_a_negated_yes(text):
    assert "negated_yes" not in fired(text)


@pytest.mark.parametrize("text", ["I want to stop living", "ik wil stoppen met leven"])
def test_a_stop_word_inside_a_danger_phrase_is_not_stop(text):
    assert "danger" in fired(text) and "stop" not in fired(text)


def test_stop_still_fires_next_to_danger_words():
    assert {"danger", "stop"} <= fired("stop, I want to kill myself")


@pytest.mark.parametrize("text", ["vandaag was een goede dag", "I can't sleep at night"])
def test_day_and_night_alone_are_not_farewell(text):
    assert "farewell" not in fired(text)


def test_grateful_is_positive_not_thanks():
    assert {"positive"} <= fired("ik ben dankbaar") and "thanks" not in fired("ik ben dankbaar")


@pytest.mark.parametrize("text", ["ik ben er weer", "hoe werkt deze app", "ik wil de vier vragen"])
def test_everyday_is_not_fooled_by_weer_app_or_the_four_questions(text):
    assert not {"everyday", "strengths"} & fired(text)


def test_no_cue_on_a_plain_greeting():
    assert fired("hallo daar") == set()


def test_cue_vector_is_one_row_in_names_order():
    row = cue_vector("alles is me te veel")
    assert row.shape == (1, len(NAMES))
    assert row[0, NAMES.index("overload")] == 1.0


@pytest.mark.filterwarnings("ignore")  # importing Rasa in-process warns (jax, sqlalchemy...)
def test_the_component_adds_sentence_and_sequence_features():
    from rasa.engine.graph import ExecutionContext
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.cue_featurizer import CueFeaturizer

    message = Message(data={TEXT: "herstelgroep in Zwolle"})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    context = ExecutionContext(None, node_name="cues")
    featurizer = CueFeaturizer.create(CueFeaturizer.get_default_config(), None, None, context)
    featurizer.process([message])
    sequence, sentence = message.get_sparse_features(TEXT)
    assert sequence.features.shape == (3, len(NAMES))
    assert sentence.features.shape == (1, len(NAMES))
    assert sentence.features.toarray()[0, NAMES.index("place")] == 1.0


@pytest.mark.filterwarnings("ignore")  # importing Rasa in-process warns (jax, sqlalchemy...)
def test_the_weight_scales_the_cues_and_must_be_positive():
    from rasa.engine.graph import ExecutionContext
    from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.cue_featurizer import CueFeaturizer

    context = ExecutionContext(None, node_name="cues")
    config = {**CueFeaturizer.get_default_config(), "weight": 3.0}
    message = Message(data={TEXT: "alles is me te veel"})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    CueFeaturizer.create(config, None, None, context).process([message])
    _, sentence = message.get_sparse_features(TEXT)
    assert sentence.features.toarray()[0, NAMES.index("overload")] == 3.0
    with pytest.raises(ValueError):
        CueFeaturizer.create({**config, "weight": 0}, None, None, context)


@pytest.mark.filterwarnings("ignore")  # importing Rasa in-process warns (jax, sqlalchemy...)
def test_the_cache_fingerprint_follows_the_word_lists(monkeypatch):
    """Rasa caches trained components by fingerprint; an edited cue list must change it."""
    from bot.cue_featurizer import CueFeaturizer

    before = CueFeaturizer.fingerprint_addon({})
    monkeypatch.setattr("inspect.getsource", lambda module: module.__name__ + " edited")
    assert CueFeaturizer.fingerprint_addon({}) != before
