"""Run every measure over the store and assemble the Analysis the reports render."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import Callable, Sequence

import numpy as np

from drift import __version__
from drift.config import Config
from drift.embed import Encoder
from drift.ingest.company import CompanyGuess
from drift.measure import findings as F
from drift.measure.claims import COPY_CHANNELS, THEME_SAMPLE, buyer_themes, value_pillars
from drift.measure.genre import GENRE_NAMES, INTERNAL, DocumentGenre, document_genres, row_genres
from drift.measure.facets import FacetMention, extract_facets
from drift.measure.mood import Mood, read_moods
from drift.measure.per_text import analysis_kind, cached
from drift.measure.concepts import apply_fdr, measure_concept
from drift.measure.changes import change_findings, page_changes
from drift.measure.loop import answered_changes, copy_periods, followed_by_reps, loop_sentence
from drift.measure.contradictions import ContradictionSearch, contradiction_findings, find_contradictions, search_notes
from drift.measure.definitions import compare_definitions, definition_findings
from drift.measure.winloss import compare_outcomes
from drift.measure.icp import compare_facets
from drift.measure.language import distinctive_terms, topic_map
from drift.measure.trend import months_of, pair_series, voice_shifts
from drift.measure.usage_vectors import sense_vectors, usage_vectors
from drift.measure.usages import find_named_all, find_usages
from drift.model import VOICES
from drift.nlp import pipeline_info
from drift.results import Analysis, CorpusStats, RunInfo
from drift.store import SegmentTable, Store


def corpus_stats(store: Store, table: SegmentTable) -> CorpusStats:
    by_month: dict[str, dict[str, int]] = {}
    for month, voice in zip(table.month, table.voice):
        key = month or "undated"
        by_month.setdefault(key, {})
        by_month[key][voice] = by_month[key].get(voice, 0) + 1
    counts = store.counts()
    return CorpusStats(
        by_voice={v: int(np.sum(table.voice == v)) for v in (*VOICES, "unknown")},
        by_channel={c: int(np.sum(table.channel == c)) for c in sorted(set(table.channel))},
        by_month=dict(sorted(by_month.items())),
        documents=counts["documents"],
        files=counts["files"],
        unknown_voice_segments=int(np.sum(table.voice == "unknown")),
        fillers_dropped=None,
        failed_files=[{"source": f.path, "reason": f.reason or ""} for f in store.files("failed")],
        unassigned_files=[f.path for f in store.files("unassigned")],
    )


def read_genres(table: SegmentTable, store: Store | None = None) -> tuple[dict[int, Mood], dict[str, DocumentGenre]]:
    """The mood of every copy sentence (claims need them all) and each document's genre.

    Moods are read once per text and kept in `store` (drift.measure.per_text): a later report
    tags only the sentences it has not seen."""
    from drift.measure import mood as mood_module, quantities

    copy_rows = np.flatnonzero(np.isin(table.channel, COPY_CHANNELS)).tolist()
    kind = analysis_kind("mood", [mood_module, quantities])
    read = cached(store, kind, [table.text[r] for r in copy_rows], lambda texts: read_moods(texts), asdict,
                  lambda fields: Mood(**fields))
    moods = dict(zip(copy_rows, read))
    return moods, document_genres(table, moods)


def named_matches(store: Store | None, texts: Sequence[str], term_sets: Sequence[tuple[str, ...]]
                  ) -> list[dict[int, tuple[int, int]]]:
    """`find_named_all(texts, term_sets)`, each distinct text lemmatised once and its matches kept in `store`."""
    from drift.measure import usages as usages_module

    def per_text(batch: list[str]) -> list[list[list[int]]]:
        found: list[list[list[int]]] = [[] for _ in batch]
        for k, named in enumerate(find_named_all(batch, term_sets)):
            for i, (start, end) in named.items():
                found[i].append([k, start, end])
        return found

    kind = analysis_kind("named", [usages_module], [list(terms) for terms in term_sets])
    out: list[dict[int, tuple[int, int]]] = [{} for _ in term_sets]
    for row, matches in enumerate(cached(store, kind, texts, per_text, lambda m: m, lambda m: m)):
        for k, start, end in matches:
            out[k][row] = (start, end)
    return out


def facets_per_row(store: Store | None, table: SegmentTable, config: Config) -> list[list[FacetMention]]:
    """Every row's ICP facet mentions, each distinct sentence read once and kept in `store`."""
    from drift.measure import facets as facets_module, quantities

    def read(texts: list[str]) -> list[list[FacetMention]]:
        return [extract_facets(text, config.size_bands, config.size_words) for text in texts]

    kind = analysis_kind("facets", [facets_module, quantities],
                         [sorted(config.size_bands.items()), sorted(config.size_words.items())])
    return cached(store, kind, table.text, read, lambda found: [[m.facet, m.category, m.matched] for m in found],
                  lambda found: [FacetMention(*m) for m in found])


def company_notes(saved: str | None, company_name: str) -> list[str]:
    """Say so when the company was inferred from the files (drift.toml names none), and from what."""
    guess = json.loads(saved) if saved else {}
    if not guess.get("name") or guess["name"] != company_name:
        return []
    return [CompanyGuess(guess["name"], tuple(guess.get("domains") or ()), list(guess.get("evidence") or [])).describe()]


def genre_notes(genres: dict[str, DocumentGenre]) -> list[str]:
    """One line saying how many documents of each side were read as internal."""
    pages = [g for g in genres.values() if g.genre != "conversation"]
    internal = [g for g in pages if g.genre == INTERNAL]
    if not internal:
        return []
    return [f"Genre: {len(internal)} of {len(pages)} pages read as {GENRE_NAMES[INTERNAL]}s (playbooks, process pages, "
            "handbooks) from their wording; findings resting only on them rank lower, and each quote says its genre."]


def analyse(
    store: Store,
    config: Config,
    encoder: Encoder,
    since: str | None = None,
    until: str | None = None,
    previous_alignment: dict[str, float | None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    say = progress or (lambda _: None)
    settings = config.measure
    rng = np.random.default_rng(settings.seed)
    # Texts and context windows as string columns: about half the memory of Python strings, the same
    # analysis (the demo's Analysis is identical either way, benchmarks/README.md "Report against store size").
    table = store.segment_table(encoder.info.key, since=since, until=until, compact=True, columnar=True)
    notes: list[str] = []
    say(f"measuring {len(table):,} segments")
    months = months_of(table)
    say("document genres")
    moods, genres = read_genres(table, store)
    table = replace(table, genre=row_genres(table, genres))
    notes.extend(genre_notes(genres))
    notes.extend(company_notes(store.get_meta("company_inferred"), config.company_name))

    concepts, trends, shifts = [], [], []
    say("finding the tracked terms")
    named_by_concept = named_matches(store, table.text, [concept.terms for concept in config.concepts])
    for concept, named in zip(config.concepts, named_by_concept):
        say(f"concept: {concept.name}")
        examples = encoder.encode(list(concept.examples)) if concept.examples else np.zeros((0, table.vectors.shape[1] or encoder.dimension), np.float32)
        usages = find_usages(concept, table.text, table.vectors, examples, settings.semantic_threshold, named)
        definition = encoder.encode([concept.definition])[0] if concept.definition else None
        vectors = usage_vectors(store, encoder, table, usages.rows, usages.spans)
        result = measure_concept(concept, usages, vectors, table, settings, definition, rng,
                                 sense_vectors(store, encoder, table, usages.rows, usages.spans))
        concepts.append(result)
        if result.sampled:
            notes.append(f"“{concept.name}”: statistics use a random sample of {settings.max_usages} usages per voice "
                         f"for {', '.join(result.sampled)} (of {', '.join(str(result.usages[v]) for v in result.sampled)}).")
        if len(months) > 1:
            trends.extend(pair_series(usages, vectors, table, months, settings))
            voice_trends, voice_shift = voice_shifts(usages, vectors, table, months, settings, rng)
            trends.extend(voice_trends)
            shifts.extend(voice_shift)
    apply_fdr([pair for result in concepts for pair in result.pairs])

    say("definitions")
    definitions = compare_definitions(table, config.concepts)
    say("contradictions")
    search = ContradictionSearch()
    contradictions = find_contradictions(table, rng, search)
    notes.extend(search_notes(search))
    say("changes between versions of pages")
    documents = store.documents()
    changes = page_changes(table, documents)
    say("ICP facets")
    icp = compare_facets(table, config, documents, rng, facets_per_row(store, table, config))
    apply_fdr([pair for facet in icp for pair in facet.pairs])
    say("value claims and buyer themes")
    pillars = value_pillars(table, settings.seed, config.pillars, table.genre, moods)
    periods = copy_periods(table, documents, COPY_CHANNELS)
    themes = buyer_themes(table, settings.seed, periods)
    for theme in themes:
        theme.loop = loop_sentence(theme, months[-1] if months else None)
    win_loss = compare_outcomes(table, documents, pillars, themes, settings.min_support)
    changes = sorted(changes + answered_changes(themes, table, periods[0]), key=lambda c: -c.importance)
    followed_by_reps(changes, table)
    if any(theme.utterances > THEME_SAMPLE for theme in themes):
        notes.append(f"Buyer themes: coverage by copy and by reps is estimated on a random sample of {THEME_SAMPLE} "
                     "utterances per theme where a theme has more.")
    say("language and topics")
    distinctive = distinctive_terms(table, rng)
    topics = topic_map(table, rng, settings.seed)

    findings = F.rank(
        F.concept_findings(concepts, settings.alpha)
        + F.facet_findings(icp)
        + F.pillar_findings(pillars)
        + F.theme_findings(themes)
        + F.shift_findings(shifts, table)
        + definition_findings(definitions)
        + contradiction_findings(contradictions)
        + change_findings(changes),
        {g.source: g.genre for g in genres.values()},
    )
    info = encoder.info
    pipe = pipeline_info()
    run = RunInfo(
        generated_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        drift_version=__version__,
        model={"name": info.name, "path": info.path, "package_version": info.package_version,
               "sha256": info.sha256, "verified": info.verified},
        pipeline={"name": pipe.name, "version": pipe.version, "trained": pipe.trained},
        parameters=asdict(settings),
        config_source=config.source,
        store=str(store.path),
        company=config.company_name,
        since=since,
        until=until,
    )
    return Analysis(
        run=run,
        corpus=corpus_stats(store, table),
        alignment=F.alignment(concepts, settings.alpha),
        previous_alignment=previous_alignment,
        findings=findings,
        concepts=concepts,
        icp=icp,
        pillars=pillars,
        themes=themes,
        trends=trends,
        distinctive=distinctive,
        topics=topics,
        notes=notes,
        definitions=definitions,
        contradictions=contradictions,
        changes=changes,
        win_loss=win_loss,
    )

