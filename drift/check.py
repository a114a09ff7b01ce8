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
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np

from drift.config import Concept, Config
from drift.measure.facets import FacetMention, company_sizes, extract_facets, keyword_facets, roles
from drift.model import Quote, Segment

if TYPE_CHECKING:
    from drift.measure.definitions import CriteriaSummary
    from drift.sidecar import FieldColumns

# The readers built on spaCy (claims, concept names, definitions, stop words) are imported where
# they are used: a check pays for spaCy only when the page has something for them to read.

SEVERITIES = ("error", "warning", "suggestion")
NEIGHBOURS = 5  # field usages averaged when judging how a concept is used
RARE_SEGMENT_SHARE = 0.2  # an ICP segment in fewer field mentions than this is "rarely talked to"
ICP_FACETS = ("company_size", "role", "industry")  # the facets drift.ICPMismatch judges
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
    """What reps and buyers say (and marketing's own sentences), read once from the store.

    The columns are sequences, usually memory-mapped from the store's sidecar
    (drift.sidecar): a check reads every vector but only the texts it quotes or searches.
    `vectors` may be a float16 `CompactVectors`; use `field.vectors @ x`, which both support.
    """

    texts: Sequence[str]
    voices: np.ndarray
    vectors: np.ndarray
    sources: Sequence[str]
    locators: Sequence[str | None]
    months: Sequence[str | None]
    marketing_texts: Sequence[str]
    marketing_vectors: np.ndarray

    def quote(self, row: int, score: float) -> Quote:
        return Quote(self.texts[row], self.voices[row], self.sources[row], self.locators[row], self.months[row],
                     None, round(float(score), 3))


def field_from_columns(columns: "FieldColumns") -> FieldEvidence:
    from drift.store import CompactVectors

    n, end = columns.n_field, len(columns)
    vectors = columns.vectors
    half = vectors.half if isinstance(vectors, CompactVectors) else np.asarray(vectors)
    return FieldEvidence(
        texts=columns.text.view(0, n), voices=columns.voice[:n], vectors=CompactVectors(half[:n]),
        sources=columns.source.view(0, n), locators=columns.locator.view(0, n), months=columns.month.view(0, n),
        marketing_texts=columns.text.view(n, end), marketing_vectors=CompactVectors(half[n:end]),
    )


def load_field(store, model: str, with_vectors: bool = True) -> FieldEvidence:
    """The field from the store's memory-mapped sidecar; without one, from the store (and the sidecar written,
    beside the store or in the cache, so the next check opens it in milliseconds)."""
    from drift.sidecar import from_table, read_field, write_field

    columns = read_field(store, model) if with_vectors else None
    if columns is None:
        columns = from_table(store.segment_table(model, compact=True, with_vectors=with_vectors))
        if with_vectors:
            write_field(store, model, columns)
    return field_from_columns(columns)


@dataclass(frozen=True)
class FieldIndex:
    """What check needs to know about the whole field beyond its vectors.

    Costly to compute on a big store (every sentence's ICP facets, a concept's lemma-aware
    matches, the reps' definitions) and unchanged until the store changes, so each part is
    computed when a page first needs it and cached per store state (see field_index):
    `named` holds the concepts computed so far, `rep_definitions` is None until a page
    defines a term. `drift ingest` computes every part.
    """

    mentions: dict[tuple[str, str], int]  # (facet, category) -> mentions in rep and buyer sentences
    named: dict[str, tuple[list[int], list[int]]]  # concept -> (field rows, marketing rows) naming it
    rep_definitions: "dict[str, CriteriaSummary] | None" = None  # concept -> the reps' criteria; None: not read
    buyer_words: frozenset[str] = frozenset()  # every lower-cased word (4+ letters) buyers use
    buyer_word_count: int = 0  # how many such words buyers said in all

    def to_json(self) -> str:
        return json.dumps({"mentions": [[f, c, n] for (f, c), n in sorted(self.mentions.items())],
                           "named": self.named, "buyer_words": sorted(self.buyer_words),
                           "buyer_word_count": self.buyer_word_count,
                           "rep_definitions": None if self.rep_definitions is None else
                           {k: v.to_json() for k, v in self.rep_definitions.items()}})

    @classmethod
    def from_json(cls, raw: str) -> "FieldIndex":
        data = json.loads(raw)
        reps = data.get("rep_definitions")
        if reps:
            from drift.measure.definitions import CriteriaSummary

            reps = {k: CriteriaSummary.from_json(v) for k, v in reps.items()}
        return cls({(f, c): n for f, c, n in data["mentions"]},
                   {name: (list(a), list(b)) for name, (a, b) in data["named"].items()},
                   reps, frozenset(data.get("buyer_words", ())), int(data.get("buyer_word_count", 0)))


def facet_reader(facet: str, config: Config):
    """The reader of one ICP facet: text -> its mentions of that facet (drift.measure.facets)."""
    readers = {"company_size": lambda text: company_sizes(text, config.size_bands, config.size_words),
               "role": roles, "industry": lambda text: keyword_facets(text, "industry")}
    return readers[facet]


def field_facts(field: FieldEvidence, config: Config, facets: Sequence[str] = ICP_FACETS
                ) -> tuple[dict[tuple[str, str], int], frozenset[str], int]:
    """Mentions of the given ICP facets in rep and buyer sentences (each distinct sentence read once,
    counted as often as it occurs), and the words buyers use."""
    mentions: Counter = Counter()
    repeats = Counter(field.texts)
    for facet in facets:
        read = facet_reader(facet, config)
        for text, n in repeats.items():
            for mention in read(text):
                mentions[(mention.facet, mention.category)] += n
    words: set[str] = set()
    count = 0
    for text, voice in zip(field.texts, field.voices):
        if voice == "buyer":
            found = _WORD.findall(text)
            count += len(found)
            words.update(w.lower() for w in found)
    return dict(mentions), frozenset(words), count


def named_rows(field: FieldEvidence, concepts: Sequence[Concept]) -> dict[str, tuple[list[int], list[int]]]:
    """Per concept, the field rows and marketing rows that name it (lemma-aware, drift.measure.usages)."""
    if not concepts:
        return {}
    from drift.measure.usages import find_named_all

    terms = [c.terms for c in concepts]
    in_field, in_marketing = find_named_all(field.texts, terms), find_named_all(field.marketing_texts, terms)
    return {c.name: (sorted(a), sorted(b)) for c, a, b in zip(concepts, in_field, in_marketing)}


def rep_definitions(table, concepts: Sequence[Concept]) -> dict:
    """The reps' own criteria per defined term, from the whole store's segment table (no vectors needed)."""
    from drift.measure.definitions import compare_definitions, rep_criteria

    return rep_criteria(compare_definitions(table, concepts))


def build_field_index(field: FieldEvidence, config: Config, table=None) -> FieldIndex:
    """Every part at once. `table` (the store's segment table, vectors not needed) adds the reps' own definitions."""
    mentions, words, count = field_facts(field, config)
    reps = rep_definitions(table, config.concepts) if table is not None else {}
    return FieldIndex(mentions, named_rows(field, config.concepts), reps, words, count)


_INDEX_META = "check.field_index"
INDEX_VERSION = 4  # bump when FieldIndex changes shape, so older caches are rebuilt


def _concepts_key(concepts: Sequence[Concept]) -> list:
    return [[c.name, list(c.terms)] for c in concepts]  # lists, as it reads back from JSON


def field_index(store, field: FieldEvidence, config: Config, model: str, concepts: Sequence[str] | None = None,
                definitions: bool = True, table=None, facets: Sequence[str] | None = None) -> FieldIndex:
    """The store's FieldIndex with the parts asked for, from the cache where the store and config are unchanged.

    `concepts` names the concepts whose matches are needed (None: all of the config's), `facets` the
    ICP facets whose mentions are (None: all ICP_FACETS);
    `definitions` asks for the reps' definitions (read from `table`, or the store, when missing).
    Parts computed here are added to the cache: in the store's meta table when it is writable
    (`drift ingest` warms every part), otherwise in a file beside the store (or under
    DRIFT_CACHE_DIR/check), keyed by the store's fingerprint, model, drift version and the size
    bands and size words in force; a concept's matches also by its terms.
    """
    from drift import __version__
    from drift.cache import cache_dir

    relevant = json.dumps([__version__, INDEX_VERSION, model, store.fingerprint(),
                           sorted(config.size_bands.items()), sorted(config.size_words.items())], default=str)
    key = hashlib.sha256(relevant.encode()).hexdigest()[:32]
    files = [Path(f"{store.path}.field") / f"index-{key}.json", cache_dir() / "check" / f"{key}.json"]
    cached: dict = {}
    for place in ("meta", *files):
        try:
            raw = store.get_meta(_INDEX_META) if place == "meta" else (place.read_text() if place.is_file() else None)
            data = json.loads(raw) if raw else None
        except (OSError, ValueError):
            continue  # a damaged cache is rebuilt
        if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("index"), dict):
            cached = data
            break
    part = cached.get("index", {})
    changed = False
    done = part.get("facets_done", []) if "mentions" in part else []
    todo = [f for f in (ICP_FACETS if facets is None else facets) if f in ICP_FACETS and f not in done]
    if todo or "mentions" not in part:
        mentions, words, count = field_facts(field, config, todo)
        part["mentions"] = part.get("mentions", []) + [[f, c, n] for (f, c), n in sorted(mentions.items())]
        part.update({"facets_done": done + todo, "buyer_words": sorted(words), "buyer_word_count": count})
        changed = True
    wanted = [c for c in config.concepts if concepts is None or c.name in set(concepts)]
    terms = cached.setdefault("terms", {})
    missing = [c for c in wanted if terms.get(c.name) != list(c.terms) or c.name not in part.get("named", {})]
    if missing:
        named = part.setdefault("named", {})
        named.update(named_rows(field, missing))
        terms.update({c.name: list(c.terms) for c in missing})
        changed = True
    part.setdefault("named", {})
    if definitions and cached.get("definitions_for") != _concepts_key(config.concepts):
        table = table if table is not None else store.segment_table(model, with_vectors=False)
        part["rep_definitions"] = {k: v.to_json() for k, v in rep_definitions(table, config.concepts).items()}
        cached["definitions_for"] = _concepts_key(config.concepts)
        changed = True
    if cached.get("definitions_for") != _concepts_key(config.concepts):
        part["rep_definitions"] = None  # read for other concepts: not valid for these
    if changed:
        cached.update({"key": key, "index": part})
        payload = json.dumps(cached)
        if not store.read_only:
            store.set_meta(_INDEX_META, payload)
        else:
            for file in files:
                try:
                    file.parent.mkdir(parents=True, exist_ok=True)
                    tmp = file.with_suffix(f".{os.getpid()}.part")
                    tmp.write_text(payload)
                    tmp.replace(file)
                    _forget_old_indexes(file)
                    break
                except OSError:
                    continue  # a read-only folder only costs speed
    index = FieldIndex.from_json(json.dumps(part))
    if concepts is not None:  # only what was asked: a concept cached earlier with other terms is not returned
        index = FieldIndex(index.mentions, {c.name: index.named[c.name] for c in wanted if c.name in index.named},
                           index.rep_definitions, index.buyer_words, index.buyer_word_count)
    return index


#: A cached index file not written for this long belongs to a store state or config no longer used.
STALE_INDEX_DAYS = 14


def _forget_old_indexes(current: Path) -> None:
    """Remove index files beside `current` that nobody has written for STALE_INDEX_DAYS."""
    cutoff = time.time() - STALE_INDEX_DAYS * 86400
    for other in current.parent.glob("*.json"):
        try:
            if other != current and other.stat().st_mtime < cutoff:
                other.unlink()
        except OSError:
            pass


def warm_field_index(store, config: Config, model: str) -> None:
    """After an ingest: write the field's sidecar and compute every part of the FieldIndex, so the next
    check starts fast (one read of the store for both)."""
    from drift.sidecar import from_table, write_field

    table = store.segment_table(model, compact=True)
    columns = from_table(table)
    write_field(store, model, columns)
    field_index(store, field_from_columns(columns), config, model, table=table)


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


@dataclass(frozen=True)
class PageReading:
    """What a page names and defines: read before the field index, which is then computed only for these."""

    named: list[dict[int, tuple[int, int]]]  # per config concept: segment -> span of the term
    definitions: list  # (DefinitionComparison, the page's CriteriaSummary) per term the page defines
    mentions: list[list[FacetMention]]  # per segment, its ICP facet mentions

    @property
    def facets(self) -> list[str]:
        return sorted({m.facet for found in self.mentions for m in found if m.facet in ICP_FACETS})

    @property
    def concepts(self) -> list[int]:
        return [k for k, found in enumerate(self.named) if found]


def read_page(segments: list[Segment], config: Config) -> PageReading:
    from drift.measure.definitions import compare_definitions, summarise_criteria
    from drift.measure.usages import find_named_all

    named = find_named_all([s.text for s in segments], [c.terms for c in config.concepts])
    definitions = []
    if segments:
        for comparison in compare_definitions(page_table(segments), config.concepts):
            page = summarise_criteria(comparison.definitions.get("marketing", []))
            if page is not None:
                definitions.append((comparison, page))
    mentions = [extract_facets(s.text, config.size_bands, config.size_words) for s in segments]
    return PageReading(named, definitions, mentions)


# A sentence can only contradict in words or figures: a number, or a word of ruling out.
_CONFLICT_CUE = re.compile(r"\d|\b(?:never|don't|do not|avoid|no longer|not)\b", re.IGNORECASE)


def check_segments(
    path: str,
    raw_text: str,
    segments: list[Segment],
    vectors: np.ndarray,
    field: FieldEvidence,
    config: Config,
    index: FieldIndex | None = None,
    page: PageReading | None = None,
) -> FileResult:
    from drift.measure.claims import claim_mask
    from drift.measure.definitions import canonical_criteria, definition_conflicts

    settings = config.check
    index = index if index is not None else build_field_index(field, config)
    page = page if page is not None else read_page(segments, config)
    lines = raw_text.splitlines()
    result = FileResult(path, len(segments), 0, 0)

    def alert(segment: Segment, severity: str, rule: str, message: str, evidence=()) -> None:
        line, col, end = locate(segment.text, lines, _line_hint(segment))
        result.alerts.append(Alert(path, line, col, end, severity, rule, message, tuple(evidence)))

    similarity = (field.vectors @ vectors.T).T if len(field.texts) else np.zeros((len(segments), 0))

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
    for concept, named in zip(config.concepts, page.named):
        if not named:
            continue
        field_named, marketing_named = index.named.get(concept.name, ([], []))
        field_rows = np.array(field_named, dtype=int)
        marketing_rows = np.array(marketing_named, dtype=int)
        if len(field_rows) < config.measure.min_support:
            continue
        # The named sentences against this concept's marketing rows, in one product (the float16 rows
        # are read once, not once per sentence).
        marketing_sims = (field.marketing_vectors[marketing_rows] @ vectors[list(named)].T).T \
            if len(marketing_rows) >= NEIGHBOURS else None
        for position, i in enumerate(named):
            sims = np.sort(similarity[i, field_rows])[::-1][:NEIGHBOURS]
            drift = 1.0 - float(sims.mean())
            closer_to_marketing = False
            if marketing_sims is not None:
                m_sims = np.sort(marketing_sims[position])[::-1][:NEIGHBOURS]
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
    for segment, mentions in zip(segments, page.mentions):
        for mention in mentions:
            if mention.facet not in ICP_FACETS or facet_totals[mention.facet] < config.measure.min_support:
                continue
            share = field_mentions[(mention.facet, mention.category)] / facet_totals[mention.facet]
            if share < RARE_SEGMENT_SHARE:
                alert(segment, "warning", "drift.ICPMismatch",
                      f"targets {mention.category!s} ({mention.matched}), which is {share:.0%} of the "
                      f"{facet_totals[mention.facet]} {mention.facet.replace('_', ' ')} mentions by reps and buyers")

    # 4. Definitions the copy states that conflict with the agreed one (error) or the reps' (warning).
    if segments:
        for comparison, defined in page.definitions:
            concept = next((c for c in config.concepts if c.name == comparison.name), None)
            first = comparison.definitions["marketing"][0]
            where = next((s for s in segments if s.text in first.quote.text or first.quote.text.startswith(s.text[:60])),
                         segments[0])
            references = [("error", "the agreed definition in drift.toml", canonical_criteria(concept) if concept else None),
                          ("warning", "the reps' own definition", (index.rep_definitions or {}).get(comparison.name))]
            for severity, name, reference in references:
                reasons = definition_conflicts(defined, reference) if reference else []
                if reasons:
                    evidence = [Quote(reference.quote, "rep" if severity == "warning" else "marketing",
                                      reference.source or "drift.toml")]
                    alert(where, severity, "drift.DefinitionConflict",
                          f"defines “{comparison.name}” differently from {name}: {'; '.join(reasons)}", evidence)

    # 4b. Copy that contradicts what reps say: a word one side rules out, figures that disagree.
    if segments and similarity.shape[1] and any(_CONFLICT_CUE.search(s.text) for s in segments):
        from drift.measure.contradictions import page_conflicts

        for i, row, signal in page_conflicts([s.text for s in segments], vectors, field.texts, field.vectors, field.voices):
            if signal.kind == "prohibition":
                rules_out = signal.stances[0] == "rules out"
                message = (f"contradicts what reps say: the copy rules out “{signal.key}”, reps use it" if rules_out else
                           f"contradicts what reps say: the copy uses “{signal.key}”, which reps rule out")
            else:
                message = (f"contradicts what reps say about {signal.key}: the copy says {signal.stances[0]}, "
                           f"reps say {signal.stances[1]}")
            alert(segments[i], "warning", "drift.Contradiction", message, [field.quote(row, float(similarity[i, row]))])

    # 5. Words the copy leans on that buyers never use.
    if index.buyer_word_count >= 200:
        copy_words = Counter(w.lower() for s in segments for w in _WORD.findall(s.text))
        unused = [(w, n) for w, n in copy_words.most_common() if n >= 3 and w not in index.buyer_words]
        stop: set[str] = set()
        if unused:
            from drift.measure.words import STOP

            stop = set(STOP)
        for word, count in unused:
            if word in stop:
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
    from drift.segment import segment_documents, split_sentences

    field = load_field(store, model)
    results = []
    for number, path in enumerate(paths):
        name = display_names[number] if display_names else str(path)
        documents = list(parse_file(path, config, side="marketing"))
        # Edited copy: sentences by punctuation, not spaCy's recogniser (see split_sentences).
        segments = [s for _, segs in segment_documents(documents, splitter=split_sentences) for s in segs]
        page = read_page(segments, config)
        # Only the concepts this page names, and the reps' definitions only when it defines a term:
        # what a store nobody warmed computes now, and caches for the next check.
        index = field_index(store, field, config, model, concepts=[config.concepts[k].name for k in page.concepts],
                            definitions=bool(page.definitions), facets=page.facets)
        vectors = encoder.encode([s.text for s in segments])
        raw = path.read_text(encoding="utf-8", errors="replace")
        results.append(check_segments(name, raw, segments, vectors, field, config, index, page))
    passed = verdict(results, config)
    return CheckResult(results, passed, {
        "max_unsupported_share": config.check.max_unsupported_share,
        "support_threshold": config.check.support_threshold,
        "max_concept_drift": config.check.max_concept_drift,
    })
