"""Per-sentence analysis computed once per text and kept in the store.

A monthly report reads a store that grew by a tenth; most of its sentences were read last
month. What a measure derives from one sentence alone (its mood, which tracked terms it names
and where) depends only on the text, the code that reads it and the settings, so it is kept
in the store's `analysis` table under a *kind*: a name, a digest of the source of the modules
that compute it, the spaCy pipeline's version and the settings. A later run computes it only
for texts it has not seen under that kind; changed code or settings make a new kind, so a stale
result is never read (`Store.drop_analysis` clears old kinds).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Sequence, TypeVar

from drift.model import content_hash

T = TypeVar("T")


@lru_cache(maxsize=64)
def _source_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def analysis_kind(name: str, modules: Sequence[ModuleType], settings: Any = None) -> str:
    """`name:digest`, the digest over the modules' source files, the spaCy pipeline and `settings` (JSON-able)."""
    from drift import __version__
    from drift.nlp import pipeline_info

    pipe = pipeline_info()
    parts = [__version__, pipe.name, pipe.version or "", json.dumps(settings, sort_keys=True, default=str)]
    parts += [_source_digest(m.__file__) for m in modules if getattr(m, "__file__", None)]
    return f"{name}:{hashlib.sha256(chr(0).join(parts).encode()).hexdigest()[:16]}"


def text_key(text: str) -> str:
    """The key a text's analysis is kept under: its hash, as segments store it (Segment.text_hash)."""
    return content_hash(text)[:32]


def cached(store, kind: str, texts: Sequence[str], compute: Callable[[list[str]], Sequence[T]],
           dump: Callable[[T], Any], load: Callable[[Any], T]) -> list[T]:
    """`compute(texts)`, reading each distinct text's result from the store when it was kept under `kind`.

    `compute` sees each text it has to read once, in first-seen order, and must return one
    result per text; `dump` turns a result into something JSON can hold and `load` turns it back.
    New results are kept when the store is writable (a read-only store only costs the time).
    """
    keys = [text_key(t) for t in texts]
    distinct: dict[str, str] = {}
    for key, text in zip(keys, texts):
        distinct.setdefault(key, text)
    kept = store.analysis_for(kind, list(distinct)) if store is not None and distinct else {}
    results: dict[str, T] = {key: load(json.loads(raw)) for key, raw in kept.items()}
    missing = [key for key in distinct if key not in results]
    if missing:
        fresh = list(compute([distinct[key] for key in missing]))
        if len(fresh) != len(missing):
            raise ValueError(f"{kind}: {len(fresh)} results for {len(missing)} texts")
        results.update(zip(missing, fresh))
        if store is not None and not store.read_only:
            store.add_analysis(kind, {key: json.dumps(dump(value), separators=(",", ":"))
                                      for key, value in zip(missing, fresh)})
    return [results[key] for key in keys]
