"""Build the project's spaCy pipeline from the word lists in `data/spacy/`.

No pre-trained spaCy model can be downloaded where this runs, and none is
needed: Rasa's SpacyNLP only needs tokens, lemmas and our entities. The
pipeline is `spacy.blank("en")` + a lookup lemmatizer (tables from
spacy-lookups-data, copied into the saved pipeline) + an entity ruler.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Dict, List

import spacy
import yaml
from spacy.language import Language

from bot import PROJECT_ROOT
from bot.nlp.medications import load_lexicon

DATA_DIR = PROJECT_ROOT / "data" / "spacy"
DEFAULT_OUTPUT = PROJECT_ROOT / "build" / "spacy-pipeline"


def entity_patterns(data_dir: Path = DATA_DIR) -> List[Dict[str, Any]]:
    """All entity-ruler patterns; phrase patterns match on lower-cased text."""
    patterns: List[Dict[str, Any]] = []
    for spelling, medicine in load_lexicon().spellings():
        patterns.append({"label": "medication", "pattern": spelling, "id": medicine.name})
    procedures = yaml.safe_load((data_dir / "procedures.yml").read_text(encoding="utf-8")) or {}
    for name, spellings in (procedures.get("procedures") or {}).items():
        for spelling in {name.lower(), *(s.lower() for s in spellings or [])}:
            patterns.append({"label": "procedure", "pattern": spelling, "id": name})
    for line in (data_dir / "birads.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            patterns.append(json.loads(line))
    return patterns


def build(output: Path = DEFAULT_OUTPUT) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    # Patterns are added after initialize(), which would otherwise reset them.
    ruler.add_patterns(entity_patterns())
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    nlp = build(args.output)
    print(f"spaCy pipeline {nlp.pipe_names} saved to {args.output}")


if __name__ == "__main__":
    main()
