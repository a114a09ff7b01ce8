"""Per-sentence analysis is computed once per text and kept: a later report reads only what is new."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from drift.measure.per_text import cached
from drift.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pipeline"


def test_each_distinct_text_is_computed_once_per_kind(tmp_path):
    seen: list[str] = []

    def lengths(texts: list[str]) -> list[int]:
        seen.extend(texts)
        return [len(t) for t in texts]

    texts = ["Pricing is per seat.", "We need SSO first.", "Pricing is per seat."]
    with Store(tmp_path / "s.duckdb") as store:
        assert cached(store, "length:v1", texts, lengths, int, int) == [20, 18, 20]
        assert seen == ["Pricing is per seat.", "We need SSO first."]  # the repeat read once
        assert cached(store, "length:v1", texts + ["A new sentence."], lengths, int, int)[-1] == 15
        assert seen[2:] == ["A new sentence."]  # the kept ones are read back
        cached(store, "length:v2", texts[:1], lengths, int, int)  # another kind (code or settings) computes again
        assert seen[3:] == ["Pricing is per seat."]
        assert store.drop_analysis(["length:v2"]) == 3
    with Store(tmp_path / "s.duckdb", read_only=True) as store:  # read-only: computed, never written
        assert cached(store, "length:v2", ["Unseen text."], lengths, int, int) == [12]
        assert cached(store, "length:v2", ["Unseen text."], lengths, int, int) == [12]
        assert seen[4:] == ["Unseen text.", "Unseen text."]
    with pytest.raises(ValueError, match="2 results for 1 texts"):
        cached(None, "broken:v1", ["x"], lambda t: [1, 2], int, int)


def test_an_incremental_report_reads_only_the_new_sentences(tmp_path, monkeypatch, encoder):
    """Moods and concept matches of a second report are computed for the new month's sentences alone."""
    from drift.config import load_config
    from drift.measure import analyse as analyse_module
    from drift.pipeline import ingest

    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES, root)
    (root / "drift.toml").write_text(
        '[company]\ndomains = ["kestrelhq.com"]\n[voices]\nrep = ["Dana Whitfield"]\n'
        '[sides]\nmarketing = ["marketing/**"]\nsales = ["sales/**"]\n'
        '[[concepts]]\nname = "budget"\nterms = ["budget", "qualified opportunity"]\n'
    )
    config = load_config(root / "drift.toml")
    moods: list[str] = []
    named: list[str] = []
    real_moods, real_named = analyse_module.read_moods, analyse_module.find_named_all
    monkeypatch.setattr(analyse_module, "read_moods", lambda texts: moods.extend(texts) or real_moods(texts))
    monkeypatch.setattr(analyse_module, "find_named_all", lambda texts, terms: named.extend(texts) or real_named(texts, terms))
    with Store(tmp_path / "s.duckdb") as store:
        ingest([root], store, config, encoder)
        table = store.segment_table(encoder.info.key)
        first_moods, _ = analyse_module.read_genres(table, store)
        first_named = analyse_module.named_matches(store, table.text, [c.terms for c in config.concepts])
        assert moods and named and first_named[0]
        assert len(named) == len(set(table.text))  # each distinct sentence once
        moods.clear(), named.clear()

        (root / "marketing" / "security.md").write_text(
            "# Security your auditors will sign off on\n\nEvery plan includes SSO and an audit log. "
            "Your budget never changes when you add the audit log.\n", encoding="utf-8")
        ingest([root], store, config, encoder)
        table = store.segment_table(encoder.info.key)
        new = {t for t, s in zip(table.text, table.source) if s.endswith("security.md")}
        again_moods, _ = analyse_module.read_genres(table, store)
        again_named = analyse_module.named_matches(store, table.text, [c.terms for c in config.concepts])
        assert new and set(moods) == new and set(named) == new  # nothing seen last month is read again
        # The kept results are the ones a full pass gives.
        assert again_named == real_named(table.text, [c.terms for c in config.concepts])
        assert again_moods == dict(zip(again_moods, real_moods([table.text[r] for r in again_moods])))
        assert any(table.text[r] in new for r in again_named[0])


def test_facet_mentions_are_kept_per_sentence_and_read_back_the_same(tmp_path, monkeypatch):
    from drift.config import parse_config
    from drift.measure import analyse as analyse_module
    from drift.store import SegmentTable

    import numpy as np

    texts = ["We mostly sell to VPs of Finance at companies with 200-500 employees.",
             "Our controllers close the books in Excel today.", "Can you hear me?",
             "We mostly sell to VPs of Finance at companies with 200-500 employees."]
    n = len(texts)
    table = SegmentTable(text=texts, voice=np.array(["rep", "buyer", "buyer", "marketing"], dtype=object),
                         channel=np.array(["call"] * n, dtype=object), month=np.array(["2026-03"] * n, dtype=object),
                         source=["a.vtt"] * n, locator=[None] * n, doc_id=["d"] * n, context=texts,
                         vectors=np.zeros((n, 0), np.float32))
    config = parse_config({})
    read: list[str] = []
    real = analyse_module.extract_facets
    monkeypatch.setattr(analyse_module, "extract_facets", lambda text, *a: read.append(text) or real(text, *a))
    with Store(tmp_path / "s.duckdb") as store:
        first = analyse_module.facets_per_row(store, table, config)
        assert len(read) == 3  # the repeat read once
        again = analyse_module.facets_per_row(store, table, config)
        assert len(read) == 3 and again == first  # kept, and read back as the same mentions
        assert {m.facet for m in first[0]} >= {"company_size", "role"}
        assert first[0] == first[3] and first[2] == []
