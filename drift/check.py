"""`drift check`: does new copy describe the customer, the value and the terms the way
reps and buyers actually do?

Only the new copy is encoded; the store's rep and buyer sentences are read with
their stored embeddings. Alerts follow prose linters (Vale): each has a line,
a column span, a severity (error / warning / suggestion), the rule that fired and
a message. The verdict fails only on error-severity alerts.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from drift.config import Config
from drift.measure.claims import claim_mask
from drift.measure.definitions import (CriteriaSummary, canonical_criteria, compare_definitions, definition_conflicts,
                                       rep_criteria, summarise_criteria)
from drift.measure.facets import extract_facets
from drift.measure.usages import find_named_all
from drift.measure.words import STOP
from drift.model import Quote, Segment

SEVERITIES = ("error", "warning", "suggestion")
NEIGHBOURS = 5  # field usages averaged when judging how a concept is used
RARE_SEGMENT_SHARE = 0.2  # an ICP segment in fewer field mentions than this is "rarely talked to"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


@dataclass(frozen=True)
class Alert:
    path: str
    line: int
    column: int
    end_column: int
    severity: str
    rule: str
    message: str
    evidence: tuple[Quote, ...] = ()


@dataclass
class FileResult:
    path: str
    sentences: int
    claims: int
    unsupported: int
    alerts: list[Alert] = field(default_factory=list)


@dataclass
class CheckResult:
    files: list[FileResult]
    passed: bool
    thresholds: dict[str, float]

    @property
    def alerts(self) -> list[Alert]:
        return [a for f in self.files for a in f.alerts]


@dataclass(frozen=True)
class FieldEvidence:
    """What reps and buyers say, read once from the store."""

    texts: list[str]
    voices: np.ndarray
    vectors: np.ndarray
    sources: list[str]
    locators: list[str | None]
    months: list[str | None]
    marketing_texts: list[str]
    marketing_vectors: np.ndarray

    def quote(self, row: int, score: float) -> Quote:
        return Quote(self.texts[row], self.voices[row], self.sources[row], self.locators[row], self.months[row],
                     None, round(float(score), 3))


def load_field(store, model: str, with_vectors: bool = True) -> FieldEvidence:
    table = store.segment_table(model, with_vectors=with_vectors)
    field_rows = np.flatnonzero(np.isin(table.voice, ["rep", "buyer"]))
    marketing_rows = np.flatnonzero(table.voice == "marketing")
    return FieldEvidence(
        texts=[table.text[i] for i in field_rows],
        voices=table.voice[field_rows],
        vectors=table.vectors[field_rows],
        sources=[table.source[i] for i in field_rows],
        locators=[table.locator[i] for i in field_rows],
        months=[table.month[i] for i in field_rows],
        marketing_texts=[table.text[i] for i in marketing_rows],
        marketing_vectors=table.vectors[marketing_rows],
    )


@dataclass(frozen=True)
class FieldIndex:
    """What check needs to know about the whole field beyond its vectors.

    Costly to compute on a big store (every sentence's ICP facets, every concept's lemma-aware
    matches: a cold `drift check` on a 100,000-segment store takes 59 s, a warm one 5-7 s on
    2 cores, benchmarks/README.md "check") and unchanged until the store changes, so
    it is computed once per store state and configuration and cached (see field_index).
    """

    mentions: dict[tuple[str, str], int]  # (facet, category) -> mentions in rep and buyer sentences
    named: dict[str, tuple[list[int], list[int]]]  # concept -> (field rows, marketing rows) naming it
    rep_definitions: dict[str, CriteriaSummary] = field(default_factory=dict)  # concept -> the reps' criteria

    def to_json(self) -> str:
        return json.dumps({"mentions": [[f, c, n] for (f, c), n in sorted(self.mentions.items())],
                           "named": self.named,
                           "rep_definitions": {k: v.to_json() for k, v in self.rep_definitions.items()}})

    @classmethod
    def from_json(cls, raw: str) -> "FieldIndex":
        data = json.loads(raw)
        return cls({(f, c): n for f, c, n in data["mentions"]},
                   {name: (list(a), list(b)) for name, (a, b) in data["named"].items()},
                   {k: CriteriaSummary.from_json(v) for k, v in data.get("rep_definitions", {}).items()})


def build_field_index(field: FieldEvidence, config: Config, table=None) -> FieldIndex:
    """`table` (the store's segment table, vectors not needed) adds the reps' own definitions."""
    mentions = Counter((m.facet, m.category) for t in field.texts
                       for m in extract_facets(t, config.size_bands, config.size_words))
    terms = [c.terms for c in config.concepts]
    in_field, in_marketing = find_named_all(field.texts, terms), find_named_all(field.marketing_texts, terms)
    named = {c.name: (sorted(a), sorted(b)) for c, a, b in zip(config.concepts, in_field, in_marketing)}
    reps = rep_criteria(compare_definitions(table, config.concepts)) if table is not None else {}
    return FieldIndex(dict(mentions), named, reps)


_INDEX_META = "check.field_index"
INDEX_VERSION = 2  # bump when FieldIndex gains a field, so older caches are rebuilt


def field_index(store, field: FieldEvidence, config: Config, model: str) -> FieldIndex:
    """The store's FieldIndex, from the cache when the store and the relevant config are unchanged.

    Cached in the store's meta table when it is writable (`drift ingest` warms it), otherwise
    under DRIFT_CACHE_DIR/check, keyed by the store's fingerprint, model, drift version and the
    concepts, size bands and size words in force.
    """
    from drift import __version__
    from drift.cache import cache_dir

    relevant = json.dumps([__version__, INDEX_VERSION, model, store.fingerprint(), [(c.name, list(c.terms)) for c in config.concepts],
                           sorted(config.size_bands.items()), sorted(config.size_words.items())], default=str)
    key = hashlib.sha256(relevant.encode()).hexdigest()[:32]
    sidecar = cache_dir() / "check" / f"{key}.json"
    for raw in (store.get_meta(_INDEX_META), sidecar.read_text() if sidecar.is_file() else None):
        if raw:
            try:
                cached = json.loads(raw)
                if cached.get("key") == key:
                    return FieldIndex.from_json(cached["index"])
            except (ValueError, KeyError, TypeError):
                pass  # a damaged cache is rebuilt
    index = build_field_index(field, config, store.segment_table(model, with_vectors=False))
    payload = json.dumps({"key": key, "index": index.to_json()})
    if not store.read_only:
        store.set_meta(_INDEX_META, payload)
    else:
        try:
            sidecar.parent.mkdir(parents=True, exist_ok=True)
            tmp = sidecar.with_suffix(".part")
            tmp.write_text(payload)
            tmp.replace(sidecar)
        except OSError:
            pass  # a read-only cache directory only costs speed
    return index


def warm_field_index(store, config: Config, model: str) -> None:
    """Compute and store the FieldIndex now (after an ingest), so the next check starts fast."""
    field_index(store, load_field(store, model, with_vectors=False), config, model)


def locate(sentence: str, lines: list[str], hint: int | None) -> tuple[int, int, int]:
    """1-based line and column span of a sentence in the original file (best effort)."""
    probe = sentence[:40].strip()
    order = range(len(lines))
    if hint:
        order = sorted(order, key=lambda i: abs(i + 1 - hint))
    for i in order:
        col = lines[i].find(probe)
        if col >= 0:
            return i + 1, col + 1, col + 1 + len(sentence)
    return (hint or 1), 1, 1 + len(sentence)


def _line_hint(segment: Segment) -> int | None:
    match = re.match(r"line (\d+)", segment.locator or "")
    return int(match.group(1)) if match else None


def check_segments(
    path: str,
    raw_text: str,
    segments: list[Segment],
    vectors: np.ndarray,
    field: FieldEvidence,
    config: Config,
    index: FieldIndex | None = None,
) -> FileResult:
    settings = config.check
    index = index if index is not None else build_field_index(field, config)
    lines = raw_text.splitlines()
    result = FileResult(path, len(segments), 0, 0)

    def alert(segment: Segment, severity: str, rule: str, message: str, evidence=()) -> None:
        line, col, end = locate(segment.text, lines, _line_hint(segment))
        result.alerts.append(Alert(path, line, col, end, severity, rule, message, tuple(evidence)))

    similarity = vectors @ field.vectors.T if len(field.texts) else np.zeros((len(segments), 0))

    # 1. Claims with no rep or buyer support (new copy is customer copy: read as such).
    claims = claim_mask([s.text for s in segments], [getattr(s, "block", None) for s in segments]) if segments else []
    for i, segment in enumerate(segments):
        if not claims[i] or similarity.shape[1] == 0:
            continue
        result.claims += 1
        evidence = []
        for voice in ("rep", "buyer"):
            mask = field.voices == voice
            if mask.any():
                j = int(np.flatnonzero(mask)[np.argmax(similarity[i, mask])])
                evidence.append(field.quote(j, similarity[i, j]))
        best = max((q.score for q in evidence), default=0.0)
        if best < settings.support_threshold:
            result.unsupported += 1
            alert(segment, "warning", "drift.UnsupportedClaim",
                  f"nothing reps or buyers say supports this claim (closest: {best:.2f} < {settings.support_threshold})",
                  evidence)

    # 2. Concepts used in marketing's sense rather than the field's.
    in_copy = find_named_all([s.text for s in segments], [c.terms for c in config.concepts])
    for concept, named in zip(config.concepts, in_copy):
        if not named:
            continue
        field_named, marketing_named = index.named.get(concept.name, ([], []))
        field_rows = np.array(field_named, dtype=int)
        marketing_rows = np.array(marketing_named, dtype=int)
        if len(field_rows) < config.measure.min_support:
            continue
        for i in named:
            sims = np.sort(similarity[i, field_rows])[::-1][:NEIGHBOURS]
            drift = 1.0 - float(sims.mean())
            closer_to_marketing = False
            if len(marketing_rows) >= NEIGHBOURS:
                m_sims = np.sort(vectors[i] @ field.marketing_vectors[marketing_rows].T)[::-1][:NEIGHBOURS]
                closer_to_marketing = float(m_sims.mean()) > float(sims.mean())
            if drift > settings.max_concept_drift:
                top = field_rows[np.argsort(-similarity[i, field_rows])[:2]]
                alert(segments[i], "error" if closer_to_marketing else "warning", "drift.ConceptSense",
                      f"“{concept.name}” is used here in a sense reps and buyers do not use "
                      f"(drift {drift:.2f} > {settings.max_concept_drift})"
                      + ("; it matches marketing's own usage, not the field's" if closer_to_marketing else ""),
                      [field.quote(int(j), similarity[i, j]) for j in top])

    # 3. ICP statements aimed at segments the field rarely talks to.
    field_mentions = Counter(index.mentions)
    facet_totals = Counter()
    for (facet, _), n in field_mentions.items():
        facet_totals[facet] += n
    for segment in segments:
        for mention in extract_facets(segment.text, config.size_bands, config.size_words):
            if mention.facet not in ("company_size", "role", "industry") or facet_totals[mention.facet] < config.measure.min_support:
                continue
            share = field_mentions[(mention.facet, mention.category)] / facet_totals[mention.facet]
            if share < RARE_SEGMENT_SHARE:
                alert(segment, "warning", "drift.ICPMismatch",
                      f"targets {mention.category!s} ({mention.matched}), which is {share:.0%} of the "
                      f"{facet_totals[mention.facet]} {mention.facet.replace('_', ' ')} mentions by reps and buyers")

    # 4. Definitions the copy states that conflict with the agreed one (error) or the reps' (warning).
    if segments:
        for comparison in compare_definitions(page_table(segments), config.concepts):
            page = summarise_criteria(comparison.definitions.get("marketing", []))
            if page is None:
                continue
            concept = next((c for c in config.concepts if c.name == comparison.name), None)
            first = comparison.definitions["marketing"][0]
            where = next((s for s in segments if s.text in first.quote.text or first.quote.text.startswith(s.text[:60])),
                         segments[0])
            references = [("error", "the agreed definition in drift.toml", canonical_criteria(concept) if concept else None),
                          ("warning", "the reps' own definition", index.rep_definitions.get(comparison.name))]
            for severity, name, reference in references:
                reasons = definition_conflicts(page, reference) if reference else []
                if reasons:
                    evidence = [Quote(reference.quote, "rep" if severity == "warning" else "marketing",
                                      reference.source or "drift.toml")]
                    alert(where, severity, "drift.DefinitionConflict",
                          f"defines “{comparison.name}” differently from {name}: {'; '.join(reasons)}", evidence)

    # 5. Words the copy leans on that buyers never use.
    buyer_words = Counter(w.lower() for t, v in zip(field.texts, field.voices) if v == "buyer" for w in _WORD.findall(t))
    if sum(buyer_words.values()) >= 200:
        copy_words = Counter(w.lower() for s in segments for w in _WORD.findall(s.text))
        stop = set(STOP)
        for word, count in copy_words.most_common():
            if count < 3:
                break
            if word in stop or buyer_words[word]:
                continue
            first = next(s for s in segments if word in s.text.lower())
            alert(first, "suggestion", "drift.UnusedWord",
                  f"“{word}” appears {count} times in this copy; buyers never use it")

    result.alerts.sort(key=lambda a: (a.line, a.column, SEVERITIES.index(a.severity), a.rule))
    return result


def page_table(segments: list[Segment]):
    """New copy's segments as a segment table (no vectors), so the definitions reader sees its layout."""
    from drift.store import SegmentTable

    n = len(segments)
    return SegmentTable(
        text=[s.text for s in segments], voice=np.array(["marketing"] * n, dtype=object),
        channel=np.array([s.channel for s in segments], dtype=object), month=np.array([s.month for s in segments], dtype=object),
        source=[s.source for s in segments], locator=[s.locator for s in segments], doc_id=[s.doc_id for s in segments],
        context=[s.context for s in segments], vectors=np.zeros((n, 0), np.float32),
        block=[s.block for s in segments], position=np.array([s.position for s in segments]),
    )


def verdict(files: list[FileResult], config: Config) -> bool:
    """Fail on any error alert, or when too many claims are unsupported."""
    claims = sum(f.claims for f in files)
    unsupported = sum(f.unsupported for f in files)
    share = unsupported / claims if claims else 0.0
    if share > config.check.max_unsupported_share:
        for f in files:
            if f.claims:
                f.alerts.insert(0, Alert(f.path, 1, 1, 1, "error", "drift.UnsupportedShare",
                                         f"{share:.0%} of claims ({unsupported}/{claims}) have no support from reps or "
                                         f"buyers (threshold {config.check.max_unsupported_share:.0%})"))
                break
    return not any(a.severity == "error" for f in files for a in f.alerts)


def check_files(paths: list[Path], store, config: Config, encoder, display_names: list[str] | None = None,
                model: str | None = None) -> CheckResult:
    """Check each copy file against the store. Raises IngestFailure for unreadable input.

    `model` is the key the store's field vectors are read under (default: the encoder's,
    `ModelInfo.key`); the copy is encoded with `encoder`, so the two must be one model.
    """
    model = model or encoder.info.key
    from drift.ingest import parse_file
    from drift.segment import segment_documents

    field = load_field(store, model)
    index = field_index(store, field, config, model)
    results = []
    for number, path in enumerate(paths):
        name = display_names[number] if display_names else str(path)
        documents = list(parse_file(path, config, side="marketing"))
        segments = [s for _, segs in segment_documents(documents) for s in segs]
        vectors = encoder.encode([s.text for s in segments])
        raw = path.read_text(encoding="utf-8", errors="replace")
        results.append(check_segments(name, raw, segments, vectors, field, config, index))
    passed = verdict(results, config)
    return CheckResult(results, passed, {
        "max_unsupported_share": config.check.max_unsupported_share,
        "support_threshold": config.check.support_threshold,
        "max_concept_drift": config.check.max_concept_drift,
    })
