"""Does the loop close? When buyers first raised a theme, and when marketing copy began to
answer it.

Copy has dates: a version of a page counts from its date until the next version replaces
it, a dated page from its date on, and an undated page all along (nothing says when it
appeared). For every month of the corpus, a buyer theme's coverage by the copy published by
then is the share of its utterances that some of that copy answers (cosine at or above the
answer threshold). The theme is answered from the first month that coverage reaches what
the theme's addressed rule asks (ADDRESSED_RATIO of the reps' own coverage): the lag is the
months from its first mention to then, or it is "still unaddressed after N months".
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np

from drift.measure.evidence import quote_at
from drift.measure.versions import group_pages, months_between
from drift.model import Quote
from drift.results import BuyerTheme, Change
from drift.store import SegmentTable

CHUNK = 4096  # copy rows compared with a theme's utterances at a time


def copy_periods(table: SegmentTable, documents: Iterable[Mapping[str, object]],
                 copy_channels: Sequence[str] = ("web", "campaign_email")) -> tuple[np.ndarray, np.ndarray]:
    """Per table row, the month from which its copy was published and the month a later
    version replaced it ("" where unbounded; both "" for rows that are not copy)."""
    documents = list(documents)
    since = {str(d["doc_id"]): (str(d["month"]) if d.get("month") else "") for d in documents}
    until: dict[str, str] = {}
    for page in group_pages(documents):
        dated = [v for v in page.versions if v.date is not None]
        if dated:
            # The current version without a date of its own counts from the month after the newest dated one.
            newest = max(v.date for v in dated)  # type: ignore[type-var]
            for version in page.versions:
                if version.date is None and version.dated_by == "current":
                    since[version.doc_id] = _next_month(newest.strftime("%Y-%m"))
        for version, later in zip(page.versions, page.versions[1:]):
            if since.get(later.doc_id):
                until[version.doc_id] = since[later.doc_id]  # replaced by the next version from then
    copy = np.isin(table.channel, list(copy_channels))
    start = np.array([since.get(d, "") if c else "" for d, c in zip(table.doc_id, copy)], dtype=object)
    end = np.array([until.get(d, "") if c else "" for d, c in zip(table.doc_id, copy)], dtype=object)
    return start, end


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def first_answered(queries: np.ndarray, copy_vectors: np.ndarray, since: np.ndarray, until: np.ndarray,
                   months: Sequence[str], threshold: float, needed: float) -> str | None:
    """The first of `months` in which the copy published then answers at least `needed` of
    the queries (each answered by a copy row at `threshold` cosine or more); None if never.

    `since`/`until` bound each copy row's months ("" = unbounded), `until` exclusive.
    """
    if needed <= 0 or not len(queries) or not len(copy_vectors):
        return None
    periods = sorted(set(zip(since.tolist(), until.tolist())))
    index = {p: i for i, p in enumerate(periods)}
    group = np.array([index[p] for p in zip(since.tolist(), until.tolist())])
    hits = np.zeros((len(periods), len(queries)), dtype=bool)  # period -> which queries its copy answers
    queries = np.asarray(queries, dtype=np.float32)
    for start in range(0, len(copy_vectors), CHUNK):
        answered = (np.asarray(copy_vectors[start : start + CHUNK], dtype=np.float32) @ queries.T) >= threshold
        for g in np.unique(group[start : start + CHUNK]):
            hits[g] |= answered[group[start : start + CHUNK] == g].any(axis=0)
    for month in months:
        live = [i for i, (s, u) in enumerate(periods) if (not s or s <= month) and (not u or month < u)]
        if live and hits[live].any(axis=0).mean() >= needed:
            return month
    return None


def loop_sentence(theme: BuyerTheme, last_month: str | None) -> str | None:
    """"First raised in 2026-07; marketing copy began to answer it in 2026-09, 2 months later."
    or "... still unaddressed after 3 months (to 2026-10).", from the theme's months."""
    first = theme.first_month
    if not first:
        return None
    answered = theme.first_addressed_month
    if answered and answered <= first:
        return f"First raised in {first}; marketing copy already answered it then."
    if answered:
        lag = months_between(first, answered)
        return (f"First raised in {first}; marketing copy began to answer it in {answered}, "
                f"{lag} month{'s' if lag != 1 else ''} later.")
    if last_month and last_month >= first:
        waited = months_between(first, last_month)
        return f"First raised in {first}; still unaddressed by marketing copy after {waited} month{'s' if waited != 1 else ''} (to {last_month})."
    return f"First raised in {first}; not addressed by marketing copy."


def answered_changes(themes: Sequence[BuyerTheme], table: SegmentTable, since: np.ndarray) -> list[Change]:
    """A change for each theme copy began to answer after buyers raised it: the lag, the
    buyers' first words and the copy that answers them (published in the answering month)."""
    out = []
    by_text: dict[str, int] = {}
    for theme in themes:
        first, answered = theme.first_month, theme.first_addressed_month
        if not first or not answered or answered <= first:
            continue
        lag = months_between(first, answered)
        rows = [i for i in range(len(table)) if since[i] == answered]
        if not by_text:
            by_text = {text: i for i, text in enumerate(table.text)}
        answer = _best_answer(theme, table, rows, by_text)
        if answer is None:
            continue
        page = answer.source.rsplit(".", 1)[0]
        early = sorted((q for q in theme.quotes if q.month), key=lambda q: q.month or "")[:2] or theme.quotes[:2]
        out.append(Change(
            page=page, side="marketing", voice="marketing", kind="answered",
            title=f"Marketing copy began to answer buyers' “{theme.label}” in {answered}, {lag} month{'s' if lag != 1 else ''} after buyers first raised it",
            summary=(f"{theme.loop or f'First raised in {first}; marketing copy began to answer it in {answered}.'} "
                     f"Buyers raise “{theme.label}” in {theme.documents} conversations; copy published in {answered} "
                     f"answers it: “{answer.text[:200]}”."),
            date_from=first, date_to=answered, quotes_before=early, quotes_after=[answer],
            importance=round(min(0.6, 0.3 + 0.05 * lag + 0.1 * min(1.0, 3 * theme.share)), 4),
            details={"lag_months": lag, "theme": theme.label, "first_month": first, "answered_month": answered},
        ))
    return out


def _best_answer(theme: BuyerTheme, table: SegmentTable, rows: list[int], by_text: dict[str, int]) -> Quote | None:
    """The copy row (among `rows`) closest to the theme's quoted utterances."""
    if not rows or not theme.quotes:
        return None
    anchors = [by_text[q.text] for q in theme.quotes if q.text in by_text]
    if not anchors:
        return None
    sims = np.asarray(table.vectors[rows]) @ np.asarray(table.vectors[anchors]).T
    best = int(np.argmax(sims.max(axis=1)))
    return quote_at(table, rows[best], score=float(sims[best].max()))


FOLLOW_SIMILARITY = 0.6  # a rep sentence this close to marketing's new statement echoes it (claims.ECHO_THRESHOLD)


def followed_by_reps(changes: Sequence[Change], table: SegmentTable) -> None:
    """For each change marketing made to a statement, a practice or a figure: did the reps'
    language follow? Says so in the change's summary and details (the first month a rep
    sentence echoes the new version, or that none has since), where reps wrote or spoke later."""
    reps = np.flatnonzero(table.voice == "rep")
    if not len(reps):
        return
    rep_months = np.array([m or "" for m in table.month[reps]], dtype=object)
    by_text: dict[str, int] = {}
    for change in changes:
        if change.voice != "marketing" or change.kind == "answered" or not change.quotes_after:
            continue
        since = (change.date_to or "")[:7] or None
        if since is None and change.date_from:
            since = _next_month(change.date_from[:7])  # the current version: from after the last dated one
        if since is None:
            continue
        later = reps[rep_months >= since]
        if not len(later):
            continue  # no rep wrote or spoke after the change: nothing to follow yet
        if not by_text:
            by_text = {text: i for i, text in enumerate(table.text)}
        anchor = by_text.get(change.quotes_after[0].text)
        if anchor is None:
            continue
        sims = np.asarray(table.vectors[later]) @ np.asarray(table.vectors[anchor])
        echoed = later[sims >= FOLLOW_SIMILARITY]
        if len(echoed):
            first = min(table.month[i] for i in echoed)
            change.details["reps_followed"] = first
            change.summary += (f" Reps' language followed from {first} ({len(echoed)} "
                               f"sentence{'s' if len(echoed) != 1 else ''} close to the new wording).")
        else:
            last = max(m for m in rep_months if m)
            change.details["reps_followed"] = None
            change.summary += f" No rep sentence from {since} to {last} echoes the new wording."
