"""The keyword baseline: Okapi BM25 over each entry's title and web answer, top entry wins.

It is the bar the assistant must clear by a wide margin; a classifier that does
no better than a keyword search is not worth its training data.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import List, Optional, Sequence, Tuple

_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> List[str]:
    return _WORD.findall(text.lower())


class BM25:
    def __init__(self, documents: Sequence[Tuple[str, str]], k1: float = 1.5, b: float = 0.75) -> None:
        """`documents` are (label, text) pairs."""
        self.labels = [label for label, _ in documents]
        self.docs = [Counter(tokens(text)) for _, text in documents]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / max(len(self.docs), 1)
        df: Counter = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def scores(self, query: str) -> List[float]:
        terms = tokens(query)
        out = []
        for doc, length in zip(self.docs, self.lengths, strict=False):
            score = 0.0
            for t in terms:
                tf = doc.get(t, 0)
                if tf:
                    norm = self.k1 * (1 - self.b + self.b * length / self.avg)
                    score += self.idf[t] * tf * (self.k1 + 1) / (tf + norm)
            out.append(score)
        return out

    def best(self, query: str) -> Optional[str]:
        scores = self.scores(query)
        top = max(range(len(scores)), key=scores.__getitem__)
        return self.labels[top] if scores[top] > 0 else None
