"""The project's spaCy pipeline: built from data/, loadable by path, finds our entities."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from bot.nlp.build_pipeline import build
from bot.nlp.medications import load_lexicon


@pytest.fixture(scope="module")
def nlp(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("spacy") / "pipeline"
    build(path)
    return spacy.load(path)  # loaded from disk, as Rasa's SpacyNLP does


def ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.label_, e.text.lower()) for e in nlp(text).ents]


def test_the_pipeline_is_blank_english_with_lemmatizer_and_ruler(nlp) -> None:
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["lemmatizer", "entity_ruler"]


@pytest.mark.parametrize("text, expected", [
    ("i take eliquis, do i stop it before my biopsy", ("medication", "eliquis")),
    ("im on Xarelto for afib", ("medication", "xarelto")),
    ("does warferin matter", ("medication", "warferin")),
    ("can i keep my baby aspirin", ("medication", "baby aspirin")),
    ("is ADVIL ok the day before", ("medication", "advil")),
    ("i take fish oil every morning", ("medication", "fish oil")),
    ("what about omega-3 pills", ("medication", "omega-3")),
    ("and vitamin e?", ("medication", "vitamin e")),
    ("they want a stereotactic biopsy", ("procedure", "stereotactic biopsy")),
    ("the needle biospy", ("procedure", "biospy")),
    ("my mamogram was weird", ("procedure", "mamogram")),
    ("what does birads 3 mean", ("birads", "birads 3")),
    ("my report says BI-RADS 4B", ("birads", "bi-rads 4b")),
    ("bi rads category 4a??", ("birads", "bi rads category 4a")),
    ("it says birads4c", ("birads", "birads4c")),
])
def test_entities(nlp, text: str, expected: tuple[str, str]) -> None:
    assert expected in ents(nlp, text)


def test_ordinary_words_are_not_entities(nlp) -> None:
    assert ents(nlp, "i am scared about what the doctor will say") == []


def test_lemmas_come_from_the_lookup_tables(nlp) -> None:
    assert [t.lemma_ for t in nlp("biopsies were bleeding")] == ["biopsy", "be", "bleed"]


def test_every_medicine_spelling_maps_back_to_a_guidance_class(nlp) -> None:
    lexicon = load_lexicon()
    for text in ["Eliquis", "elliquis", "fish oils", "Aleve", "low-dose aspirin"]:
        medicine = lexicon.lookup(text)
        assert medicine is not None, text
    assert lexicon.lookup("eliquis").guidance_class == "blood_thinner"
    assert lexicon.lookup("aleve").guidance_class == "nsaid"
    assert lexicon.lookup("low dose aspirin").guidance_class == "aspirin"
    assert lexicon.lookup("tumeric").guidance_class == "herbal"
