"""What changed between the versions of each page, as dated changes a reader can check.

For every page with two or more versions (drift.measure.versions), consecutive versions are
aligned sentence by sentence (drift.measure.align). From the alignments come:

- value series: one statement followed across all versions ("App runs - 1000" ->
  "App runs - 5000" -> ...), its figures read by the shared quantity normaliser, reported
  when the figure of one measure changes; and per page the lowest price stated in each
  version (the entry price), which survives a page being rebuilt;
- replaced practices: a name (an acronym, a capitalised or quoted name) that leaves a page
  while another arrives in a similar sentence, e.g. one qualification framework for another;
- changed statements: a statement whose names, negation or bounds changed ("may" erase ->
  "will" erase, "paid" -> "free", "inbound and outbound" -> "just inbound"), found both in
  aligned pairs and, for rewritten pages, among the sentences that name the same term
  before and after.

Formatting-only edits and rewordings with the same meaning are not changes (align.py).
Every change quotes both versions with file, line and date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Sequence

import numpy as np

from drift.measure import quantities as Q
from drift.measure.align import NEGATION, SCOPE, Alignment, align, difference, names, normalise
from drift.measure.evidence import quote_at
from drift.measure.versions import Page, Version, group_pages, months_between
from drift.measure.words import STOP
from drift.model import Finding
from drift.results import Change
from drift.store import SegmentTable

STATEMENT_SIMILARITY = 0.7  # an aligned pair this close is one statement, edited
PRACTICES_SHOWN = 4  # acronyms named in a practice change's title, most used first
PRACTICES_LISTED = 12  # ... and in its summary
MEANING_SIMILARITY = 0.5  # the sentences around a named term, before and after, below this: it means something else
TERM_SENTENCES = 5  # a shared word in more sentences than this is too common to follow
TERM_SIMILARITY = 0.3  # a rewritten sentence about a shared term must still be about the same thing
NEAR_WORDS = 3  # words either side of a term that scope it ("just doing inbound", "a free trial")
PER_TRANSITION = 5  # statement and practice changes kept per pair of versions, best first
COMMON_SHARE = 0.2  # a word in more than this share of documents is too general to be a page's subject
SUCCESSION_MONTHS = 6  # a folder's page rewritten under a new name begins within this of the old one's end
SUCCESSION_SIMILARITY = 0.85  # ... and its text's centroid is this close to the old one's
MOVED_SHARE = 0.3  # a new page repeating this share of an ended page's last text is that page, moved
DUPLICATE_SHARE = 0.8  # an older copy repeating this much of another version is that version
OTHER_SIDE_SAMPLE = 50_000  # sentences with a figure read on the other side at most (seeded sample above)
FINDINGS = 8  # change findings handed to the ranking at most
_CURRENCIES = {"usd": "$", "eur": "€", "gbp": "£"}
_STOP = set(STOP)
_LOWER = re.compile(r"(?<![\w/.-])[a-z]{3,}(?![\w/.-])")  # a word written in lower case (not in a path or identifier)
_BOUNDS = {"minimum", "maximum", "at least", "at most", "up to", "more than", "less than", "fewer than", "over", "under",
           "above", "below"}
_PRACTICE = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]+s?\b")  # BANT, MEDDPICC, SOC2, MQLs
_PERIODS = {"month", "year", "week", "day", "quarter", "hour"}
_WORD = re.compile(r"[a-z][a-z'-]+")
# A short quoted label ("Talk to an expert", "Cold"): a named thing, as a capitalised name is.
_QUOTED = re.compile(r"[\"“]([A-Za-z][A-Za-z' -]{1,38}[A-Za-z])[\"”]")


@dataclass
class _Page:
    page: Page
    versions: list[Version]
    rows: list[list[int]]  # per version: table rows in reading order
    side: str | None
    voice: str
    alignments: list[Alignment] = field(default_factory=list)
    moved_from: list[str] = field(default_factory=list)  # earlier keys of a page that moved


# --------------------------------------------------------------------------- naming


def page_name(key: str) -> str:
    """"marketing/docs/terms_of_service" -> "terms of service"."""
    last = key.rstrip("/").split("/")[-1] or key
    return re.sub(r"[-_]+", " ", last).strip() or key


def owner(voice: str) -> str:
    return "Marketing" if voice == "marketing" else "Sales"


def _page_title(page: "_Page") -> str:
    """"Marketing page “pricing”", "Sales page “sales” (formerly “customers”)"."""
    name = page_name(page.page.key)
    moved = [page_name(k) for k in page.moved_from if page_name(k) != name]
    return f"{owner(page.voice)} page “{name}”" + (f" (formerly {_join(moved)})" if moved else "")


def version_label(version: Version, page: Page | None = None) -> str:
    if version.date is not None:
        return version.date.isoformat()
    if version.dated_by == "older copy":
        return "an undated older copy"
    newest = page.newest_dated if page else None
    return f"the current version (after {newest.isoformat()})" if newest else "the current version"


def _iso(version: Version) -> str | None:
    return version.date.isoformat() if version.date else None


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- versions


def _pages(table: SegmentTable, documents: Iterable[Mapping[str, object]]) -> list[_Page]:
    documents = list(documents)
    side_of = {str(d["doc_id"]): d.get("side") for d in documents}
    rows_of: dict[str, list[int]] = {}
    for row, doc in enumerate(table.doc_id):
        rows_of.setdefault(doc, []).append(row)
    position = table.position if table.position is not None else np.arange(len(table))
    out = []
    for page in group_pages(documents, min_versions=1):
        versions, rows = [], []
        for version in page.versions:
            mine = sorted(rows_of.get(version.doc_id, []), key=lambda r: int(position[r]))
            if mine:
                versions.append(version)
                rows.append(mine)
        if not versions:
            continue
        side = side_of.get(versions[-1].doc_id) or page.side
        out.append(_Page(page, versions, rows, side, "marketing" if side == "marketing" else "rep"))
    out = _join_moved(table, out)
    kept = []
    for page in out:
        page.versions, page.rows = _distinct(table, page.versions, page.rows)
        if len(page.versions) >= 2:
            kept.append(page)
    return kept


def _versioned(page: "_Page") -> bool:
    """Kept in versions: some version is dated by its file or folder name (a snapshot), not only
    by the date its own text gives (which is when a page was published, not when it changed)."""
    return any(v.dated_by in ("file name", "folder") for v in page.versions)


def _centroid(table: SegmentTable, rows: list[int]) -> np.ndarray:
    v = np.asarray(table.vectors[rows]).mean(axis=0)
    return v / (np.linalg.norm(v) + 1e-9)


def _succeeds(table: SegmentTable, old: "_Page", new: "_Page", pages: list["_Page"]) -> bool:
    """A page rewritten under a new name: the next page of the folder to begin after this one
    ended, within a few months, on the same subjects (close centroids of their texts)."""
    ended = old.versions[-1].date
    first = new.versions[0].date
    if ended is None or first is None or months_between(ended.isoformat(), first.isoformat()) > SUCCESSION_MONTHS:
        return False
    folder = old.page.key.rsplit("/", 1)[0]
    rivals = [p for p in pages if p is not old and p.side == old.side and p.page.key.rsplit("/", 1)[0] == folder
              and p.versions[0].date is not None and ended < p.versions[0].date < first]
    if rivals:
        return False
    return float(_centroid(table, old.rows[-1]) @ _centroid(table, new.rows[0])) >= SUCCESSION_SIMILARITY


def _join_moved(table: SegmentTable, pages: list[_Page]) -> list[_Page]:
    """A page that ends where another begins, in the same folder, with much of the same text,
    moved (renamed): its versions continue under the new name (growth/ -> marketing/ -> demand/)."""
    def parent(key: str) -> str:
        return key.rsplit("/", 1)[0] if "/" in key else ""

    texts = {id(p): ({normalise(table.text[r]) for r in p.rows[-1]}, {normalise(table.text[r]) for r in p.rows[0]})
             for p in pages}
    joined = True
    while joined:
        joined = False
        for old in pages:
            if any(v.date is None for v in old.versions) or not _versioned(old):
                continue  # a page with a current version is still there; a page with no snapshots is just a page
            for new in pages:
                if new is old or new.side != old.side or parent(new.page.key) != parent(old.page.key) or not _versioned(new):
                    continue
                first = new.versions[0].date
                if first is not None and first <= old.versions[-1].date:  # type: ignore[operator]
                    continue
                last_text, _ = texts[id(old)]
                _, first_text = texts[id(new)]
                shared = len(last_text & first_text) >= MOVED_SHARE * max(1, min(len(last_text), len(first_text)))
                if not shared and not _succeeds(table, old, new, pages):
                    continue
                new.versions = old.versions + new.versions
                new.rows = old.rows + new.rows
                new.moved_from = [*old.moved_from, old.page.key, *new.moved_from]
                texts[id(new)] = (texts[id(new)][0], texts[id(old)][1])
                pages = [p for p in pages if p is not old]
                joined = True
                break
            if joined:
                break
    return pages


def _distinct(table: SegmentTable, versions: list[Version], rows: list[list[int]]) -> tuple[list[Version], list[list[int]]]:
    """Versions that differ from the one before; an older copy that repeats another version goes."""
    texts = [{normalise(table.text[r]) for r in version_rows} for version_rows in rows]
    keep = []
    for k, version in enumerate(versions):
        if version.dated_by == "older copy":
            others = [texts[j] for j in range(len(versions)) if j != k and versions[j].dated_by != "older copy"]
            if any(len(texts[k] & other) >= DUPLICATE_SHARE * len(texts[k]) for other in others):
                continue
        if keep and texts[keep[-1]] == texts[k]:
            continue  # nothing but formatting changed: the earlier date stands
        keep.append(k)
    return [versions[k] for k in keep], [rows[k] for k in keep]


def _align_pages(table: SegmentTable, pages: list[_Page]) -> None:
    sections = table.section if table.section is not None else [None] * len(table)
    for page in pages:
        for old, new in zip(page.rows, page.rows[1:]):
            page.alignments.append(align(
                [table.text[r] for r in old], [table.text[r] for r in new],
                table.vectors[old], table.vectors[new],
                [sections[r] for r in old], [sections[r] for r in new],
            ))


# --------------------------------------------------------------------------- values


def _measure_key(q: Q.Quantity) -> tuple[str, tuple[str, ...]]:
    return q.unit, tuple(sorted(q.per))


def measure_label(q: Q.Quantity) -> str:
    """"usd" per ("execution",) -> "price per execution"; "cpu_cores" -> "CPU cores"."""
    unit = "price" if q.unit in _CURRENCIES else q.unit.replace("cpu_cores", "CPU cores").replace("_", " ")
    return unit + "".join(f" per {p.replace('_', ' ')}" for p in q.per)


def _chains(page: _Page) -> list[list[tuple[int, int]]]:
    """Each statement followed across versions: [(version index, table row)], oldest first."""
    chain_of = {i: [(0, row)] for i, row in enumerate(page.rows[0])}
    current = dict(chain_of)
    chains = list(chain_of.values())
    for k, alignment in enumerate(page.alignments):
        nxt = {}
        paired = {pair.new: pair.old for pair in alignment.pairs}
        for j, row in enumerate(page.rows[k + 1]):
            if j in paired and paired[j] in current:
                chain = current[paired[j]]
            else:
                chain = []
                chains.append(chain)
            chain.append((k + 1, row))
            nxt[j] = chain
        current = nxt
    return [c for c in chains if len(c) > 1]


def _first_of(quantities: list[Q.Quantity], key) -> Q.Quantity | None:
    return next((q for q in quantities if q.unit and _measure_key(q) == key), None)


def _value_changes(table: SegmentTable, page: _Page) -> list[Change]:
    out: list[Change] = []
    found = {row: Q.find_quantities(table.text[row]) for rows in page.rows for row in rows
             if any(c.isdigit() for c in table.text[row]) or _has_number_word(table.text[row])}
    for chain in _chains(page):
        keys = []
        for _, row in chain:
            for q in found.get(row, []):
                if q.unit and _measure_key(q) not in keys:
                    keys.append(_measure_key(q))
        for key in keys:
            points = [(k, row, q) for k, row in chain if (q := _first_of(found.get(row, []), key)) is not None]
            if len(points) < 2:
                continue
            moves = sum(1 for a, b in zip(points, points[1:]) if _differs(a[2], b[2]))
            if moves:
                out.append(_value_change(table, page, points, moves, entry=False))
    entry = _entry_price(table, page, found)
    if entry:
        values = {p[2].value for p in entry.details["points"]}
        # A statement's own price series inside the entry price series says nothing more.
        out = [c for c in out if not (c.details.get("unit") in _CURRENCIES
                                      and {p[2].value for p in c.details["points"]} <= values)]
        out.append(entry)
    for change in out:
        change.details.pop("points", None)
    return out


def _has_number_word(text: str) -> bool:
    return bool(re.search(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|fifty|hundred|"
                          r"thousand|dozen)\b", text, re.I))


def _differs(a: Q.Quantity, b: Q.Quantity) -> bool:
    """Another figure, or the same figure turned into a bound ("150.000" -> "Minimum 150.000")."""
    return Q.conflicts(a, b) or (a.comparator != b.comparator and a.canonical and b.canonical)


def _entry_price(table: SegmentTable, page: _Page, found: dict[int, list[Q.Quantity]]) -> Change | None:
    """The lowest positive price each version states, when it moved: what a buyer pays to start."""
    points = []
    for k, rows in enumerate(page.rows):
        # A price to start with is a plain amount or one per period (per host per month), not a
        # rate per unit of use ("$0.0009/app execution", "$75 per CPU core").
        prices = [(q.value, row, q) for row in rows for q in found.get(row, [])
                  if q.unit in _CURRENCIES and q.value > 0 and (not q.per or set(q.per) & _PERIODS)]
        if prices:
            value, row, q = min(prices, key=lambda p: (p[0], p[1]))
            points.append((k, row, q))
    if len(points) < 3:
        return None
    moves = sum(1 for a, b in zip(points, points[1:]) if _differs(a[2], b[2]) or a[2].per != b[2].per)
    if moves < 2:
        return None
    return _value_change(table, page, points, moves, entry=True)


def _written(q: Q.Quantity, text: str) -> str:
    """The figure as the page writes it ("$3500/month", "Minimum 150.000")."""
    return q.text.strip()


def _value_change(table: SegmentTable, page: _Page, points, moves: int, entry: bool) -> Change:
    first, last = points[0], points[-1]
    label = "entry price" if entry else measure_label(first[2])
    section = None if entry or table.section is None else table.section[first[1]]
    what = f"{label} under “{section}”" if section and section.lower() not in label else label
    # Consecutive versions stating the same figure are one step of the series.
    steps = [points[0]]
    for point in points[1:]:
        if _differs(steps[-1][2], point[2]) or (entry and steps[-1][2].per != point[2].per):
            steps.append(point)
    written = [_written(q, table.text[row]) for _, row, q in steps]
    when = [_when(page.versions[k], page) for k, _, _ in steps]
    times = "once" if moves == 1 else ("twice" if moves == 2 else f"{_number_word(moves)} times")
    span = f"between {_month(page.versions[first[0]])} and {_month(page.versions[last[0]])}"
    title = f"{_page_title(page)}: {what} changed {times} ({' → '.join(written)})"
    summary = (f"{span[0].upper()}{span[1:]}, {owner(page.voice).lower()}'s page “{page_name(page.page.key)}” changed "
               f"its {what} {times}: {', '.join(f'{w} ({d})' for w, d in zip(written, when))}.")
    series = [{"date": _iso(page.versions[k]), "version": version_label(page.versions[k], page.page),
               "value": _written(q, table.text[row]), "number": q.value, "source": table.source[row],
               "locator": table.locator[row]} for k, row, q in points]
    unit = first[2].unit
    importance = min(0.9, 0.45 + 0.1 * min(moves, 4)) * (1.0 if unit in _CURRENCIES else 0.9)
    return Change(
        page=page.page.key, side=page.side, voice=page.voice, kind="value", title=title, summary=summary,
        date_from=_iso(page.versions[first[0]]), date_to=_iso(page.versions[last[0]]),
        quotes_before=[quote_at(table, row) for _, row, _ in steps[:-1]][-3:],
        quotes_after=[quote_at(table, steps[-1][1])],
        quantities_before=written[:-1], quantities_after=written[-1:],
        importance=round(importance, 4), series=series,
        details={"measure": what, "unit": unit, "per": list(first[2].per), "changes": moves, "points": points},
    )


def _month(version: Version) -> str:
    return version.date.strftime("%Y-%m") if version.date else "the current version"


def _number_word(n: int) -> str:
    words = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}
    return words.get(n, str(n))


# --------------------------------------------------------------------------- statements and practices


def _terms(text: str) -> set[str]:
    """Names (acronyms, capitalised and quoted names) of a sentence, lower-cased."""
    found = names(text)
    found |= {m.group(1).strip().lower() for m in _QUOTED.finditer(text)}
    return found


def _singular(acronym: str) -> str:
    """"mqls" -> "mql", "ndas" -> "nda" ("sms", "aws" stay: a short one is not a plural)."""
    return acronym[:-1] if len(acronym) >= 4 and acronym.endswith("s") and not acronym.endswith("ss") else acronym


def _practices(table: SegmentTable, rows: list[int]) -> dict[str, list[int]]:
    """Acronyms of three letters or more (BANT, MEDDPICC, SOC2), singular, in sentences of a few
    words (not a table of contents line), with the sentences where they occur."""
    out: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        text = table.text[row]
        if len(_WORD.findall(text.lower())) < 4:
            continue
        for term in {_singular(m.group().lower()) for m in _PRACTICE.finditer(text)}:
            out.setdefault(term, []).append(i)
    return out


def _contains(text_lower: str, term: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(term)}s?(?![a-z0-9])", text_lower) is not None


def _describe(diff) -> str:
    parts = []
    names_gone = [n for n in diff.names_gone if n not in SCOPE]
    names_new = [n for n in diff.names_new if n not in SCOPE]
    if names_gone or names_new:
        gone = ", ".join(f"“{n}”" for n in names_gone)
        new = ", ".join(f"“{n}”" for n in names_new)
        parts.append(f"{gone} replaced by {new}" if gone and new else (f"{gone} dropped" if gone else f"{new} added"))
    if diff.negation:
        parts.append("now negated" if diff.negated_after else "no longer negated")
    if diff.scope_gone or diff.scope_new:
        words = [f"“{w}” dropped" for w in diff.scope_gone] + [f"“{w}” added" for w in diff.scope_new]
        parts.append(", ".join(words))
    return "; ".join(parts)


def _statement_score(diff, similarity: float) -> float:
    score = 0.2 + 0.1 * similarity
    if diff.scope_gone or diff.scope_new or diff.negation:
        score += 0.2  # what is promised, required or ruled out changed
    if diff.names_gone and diff.names_new:
        score += 0.05  # a name replaced (a person, a team, a product or a practice)
    return score


def _statement_change(table: SegmentTable, page: _Page, k: int, old_row: int, new_row: int, diff, score: float,
                      subject: str | None = None) -> Change:
    before, after = page.versions[k], page.versions[k + 1]
    about = f" about “{_as_written(table.text[new_row], subject)}”" if subject else ""
    title = f"{_page_title(page)} changed what it says{about}: {_describe(diff)} ({_when(before, page)} → {_when(after, page)})"
    summary = (f"On {version_label(before, page.page)} the page said “{_short(table.text[old_row])}”; "
               f"on {version_label(after, page.page)} it says “{_short(table.text[new_row])}”.")
    return Change(
        page=page.page.key, side=page.side, voice=page.voice, kind="statement", title=title, summary=summary,
        date_from=_iso(before), date_to=_iso(after),
        quotes_before=[quote_at(table, old_row)], quotes_after=[quote_at(table, new_row)],
        quantities_before=list(diff.numbers_before), quantities_after=list(diff.numbers_after),
        importance=round(min(0.6, score), 4),
        details={"difference": _describe(diff), "subject": subject},
    )


def _transition_changes(table: SegmentTable, page: _Page, k: int, common: set[str], lower_words: set[str]) -> list[Change]:
    """Statement and practice changes between version k and k + 1, best first, a few at most."""
    alignment = page.alignments[k]
    old_rows, new_rows = page.rows[k], page.rows[k + 1]
    candidates: list[tuple[float, Change]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()

    # 1. Aligned pairs whose names, negation or bounds changed (figures are the value series' job).
    for pair in alignment.changed:
        diff = pair.difference
        if pair.similarity < STATEMENT_SIMILARITY:
            continue
        if not (diff.names_gone or diff.names_new or diff.negation or diff.scope_gone or diff.scope_new):
            continue
        bounds_only = bool(diff.scope_gone or diff.scope_new) and set(diff.scope_gone + diff.scope_new) <= _BOUNDS
        if diff.numbers_changed or (diff.numbers_before and bounds_only and not (diff.names_gone or diff.names_new)):
            continue  # a figure or its bound changed: the value series says so
        score = _statement_score(diff, pair.similarity)
        candidates.append((score, _statement_change(table, page, k, old_rows[pair.old], new_rows[pair.new], diff, score)))
        used_old.add(pair.old)
        used_new.add(pair.new)

    old_text = " ".join(table.text[r] for r in old_rows).lower()
    new_text = " ".join(table.text[r] for r in new_rows).lower()
    # Sentences with a close counterpart are settled: their edits were judged above (or are
    # figures). A loose pair (a rewrite that happens to sit near) stays open to step 4.
    settled = [p for p in alignment.pairs if p.kind != "changed" or p.similarity >= STATEMENT_SIMILARITY
               or p.difference.numbers_changed]
    settled_old = {p.old for p in settled}
    settled_new = {p.new for p in settled}

    # 2. Acronyms that left the page while others arrived: named practices replaced (a
    # qualification framework for another, one tool or team for another).
    # A word in capitals that the corpus also writes in lower case is emphasis ("a FREE feature"), not a name.
    plain = lower_words | {w for rows in page.rows for r in rows for w in _LOWER.findall(table.text[r])}
    gone = {t: i for t, i in _practices(table, old_rows).items() if not _contains(new_text, t) and t not in plain}
    arrived = {t: j for t, j in _practices(table, new_rows).items() if not _contains(old_text, t) and t not in plain}
    if gone and arrived:
        change = _practice_change(table, page, k, gone, arrived)
        candidates.append((change.importance, change))

    # 3. Named terms both versions use, for something else: the sentences naming them (or under a
    # heading naming them) changed and say different things ("Talk to an expert": a qualifying
    # meeting for large companies, later a community support call).
    kept_old = {p.old for p in alignment.pairs if p.kind != "changed"}
    kept_new = {p.new for p in alignment.pairs if p.kind != "changed"}
    for change in _meaning_shifts(table, page, k, old_text, new_text, kept_old, kept_new):
        candidates.append((change.importance, change))

    # 4. A term both versions use in a rewritten sentence, bounded or negated differently right
    # beside it: "inbound marketing or outbound outreach" -> "just doing inbound sales",
    # "payment ... for POV development" -> "a free POV".
    for term, old_idx, new_idx in _shared_terms(table, old_rows, new_rows, common):
        old_idx = [i for i in old_idx if i not in settled_old and i not in used_old]
        new_idx = [j for j in new_idx if j not in settled_new and j not in used_new]
        best = None
        for i in old_idx:
            near_old = _near(table.text[old_rows[i]], term)
            for j in new_idx:
                near_new = _near(table.text[new_rows[j]], term)
                if near_old == near_new:
                    continue
                sim = float(np.dot(table.vectors[old_rows[i]], table.vectors[new_rows[j]]))
                if sim >= TERM_SIMILARITY and (best is None or sim > best[0]):
                    best = (sim, i, j, near_old, near_new)
        if best is None:
            continue
        sim, i, j, near_old, near_new = best
        diff = difference(table.text[old_rows[i]], table.text[new_rows[j]])
        diff = replace(diff, scope_gone=tuple(sorted(near_old - near_new - {"not"})), scope_new=tuple(sorted(near_new - near_old - {"not"})),
                       negation=("not" in near_old) != ("not" in near_new),
                       negated_after="not" in near_new and "not" not in near_old, names_gone=(), names_new=())
        score = _statement_score(diff, sim) + (0.05 if term in _terms(table.text[old_rows[i]]) else 0.0)
        candidates.append((score, _statement_change(table, page, k, old_rows[i], new_rows[j], diff, score, subject=term)))
        used_old.add(i)
        used_new.add(j)

    candidates.sort(key=lambda c: -c[0])
    seen: set[tuple[str, str]] = set()
    out = []
    for _, change in candidates:
        key = (change.quotes_before[0].text, change.quotes_after[0].text)
        if key in seen:
            continue
        seen.add(key)
        out.append(change)
        if len(out) == PER_TRANSITION:
            break
    return out


def _near(text: str, term: str, window: int = NEAR_WORDS) -> set[str]:
    """Bounding and negating words within `window` words of the term: how the sentence scopes it."""
    raw = re.findall(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*", text)
    words = [w.lower() for w in raw]
    target = term.split()
    found: set[str] = set()
    for start in range(len(words) - len(target) + 1):
        if words[start : start + len(target)] == target:
            span = [*range(max(0, start - window), start), *range(start + len(target), start + len(target) + window)]
            for at in span:
                if at >= len(words):
                    continue
                word = words[at]
                if word in SCOPE and not (at > 0 and raw[at][0].isupper()):
                    found.add(word)
                elif word in NEGATION or word.endswith("n't") or word.endswith("n’t"):
                    found.add("not")
    return found


def _shared_terms(table, old_rows, new_rows, common: set[str]) -> list[tuple[str, list[int], list[int]]]:
    """Terms both versions use in a few sentences each: names, and content words that are
    specific to few documents of the corpus (`common` holds the others)."""
    def index(rows):
        where: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            text = table.text[r]
            words = {w for w in _WORD.findall(text.lower())
                     if w not in _STOP and len(w) > 3 and w not in SCOPE and w not in common}
            for term in words | _terms(text):
                where.setdefault(term, []).append(i)
        return where

    old_where, new_where = index(old_rows), index(new_rows)
    out = []
    for term in sorted(set(old_where) & set(new_where)):
        a, b = old_where[term], new_where[term]
        if len(a) <= TERM_SENTENCES and len(b) <= TERM_SENTENCES:
            out.append((term, a, b))
    return out


def _practice_change(table: SegmentTable, page: _Page, k: int, gone: dict[str, list[int]],
                     arrived: dict[str, list[int]]) -> Change:
    """The acronyms a page stopped and started naming between two versions, most used first."""
    before, after = page.versions[k], page.versions[k + 1]
    old_rows, new_rows = page.rows[k], page.rows[k + 1]
    gone_order = sorted(gone, key=lambda t: (-len(gone[t]), t))[:PRACTICES_SHOWN]
    new_order = sorted(arrived, key=lambda t: (-len(arrived[t]), t))[:PRACTICES_SHOWN]
    shown_gone = [_as_written(table.text[old_rows[gone[t][0]]], t) for t in gone_order]
    shown_new = [_as_written(table.text[new_rows[arrived[t][0]]], t) for t in new_order]
    title = (f"{_page_title(page)}: stopped naming {_join(shown_gone)} and began naming {_join(shown_new)} "
             f"({_when(before, page)} → {_when(after, page)})")
    all_gone = sorted(gone, key=lambda t: (-len(gone[t]), t))[:PRACTICES_LISTED]
    all_new = sorted(arrived, key=lambda t: (-len(arrived[t]), t))[:PRACTICES_LISTED]
    summary = (f"On {version_label(before, page.page)} the page names "
               f"{_counted([_as_written(table.text[old_rows[gone[t][0]]], t) for t in all_gone], gone, all_gone)}; "
               f"on {version_label(after, page.page)} none of these, and it names "
               f"{_counted([_as_written(table.text[new_rows[arrived[t][0]]], t) for t in all_new], arrived, all_new)}.")
    # Prominence: a framework named in many sentences and then never again is a practice change;
    # one placeholder that went is not.
    importance = 0.25 + 0.05 * min(6, sum(len(v) for v in gone.values())) + 0.03 * min(4, len(arrived))
    return Change(
        page=page.page.key, side=page.side, voice=page.voice, kind="practice", title=title, summary=summary,
        date_from=_iso(before), date_to=_iso(after),
        quotes_before=[quote_at(table, old_rows[gone[t][0]]) for t in gone_order[:2]],
        quotes_after=[quote_at(table, new_rows[arrived[t][0]]) for t in new_order[:2]],
        importance=round(min(0.6, importance), 4),
        details={"gone": shown_gone, "new": shown_new},
    )


def _join(items: list[str]) -> str:
    items = [f"“{i}”" for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _counted(shown: list[str], where: dict[str, list[int]], order: list[str]) -> str:
    return ", ".join(f"“{s}” ({len(where[t])} {'sentence' if len(where[t]) == 1 else 'sentences'})"
                     for s, t in zip(shown, order))


def _when(version: Version, page: _Page) -> str:
    return version.date.isoformat() if version.date else "current"


def _context_rows(table: SegmentTable, rows: list[int], term: str, skip: set[int]) -> list[int]:
    """Indices of the rows naming `term` or sitting under a heading that names it, and the row
    after each (a statement is often finished in the next sentence), unchanged ones skipped."""
    sections = table.section
    picked: list[int] = []
    for i, row in enumerate(rows):
        naming = _contains(table.text[row].lower(), term)
        under = sections is not None and sections[row] is not None and _contains(sections[row].lower(), term)
        if naming or under:
            for j in (i, i + 1) if naming else (i,):
                if j < len(rows) and j not in skip and j not in picked:
                    picked.append(j)
    return picked


def _meaning_shifts(table: SegmentTable, page: _Page, k: int, old_text: str, new_text: str,
                    skip_old: set[int], skip_new: set[int]) -> list[Change]:
    old_rows, new_rows = page.rows[k], page.rows[k + 1]
    terms: set[str] = set()
    for rows in (old_rows, new_rows):
        for row in rows:
            terms |= {m.group(1).strip().lower() for m in _QUOTED.finditer(table.text[row]) if " " in m.group(1).strip()}
    out = []
    for term in sorted(terms):
        if len(term) < 3 or not (_contains(old_text, term) and _contains(new_text, term)):
            continue
        named_old = [i for i, r in enumerate(old_rows) if _contains(table.text[r].lower(), term)]
        named_new = [j for j, r in enumerate(new_rows) if _contains(table.text[r].lower(), term)]
        if len(named_old) > TERM_SENTENCES or len(named_new) > TERM_SENTENCES:
            continue  # a term used everywhere is the page's subject, not one practice
        if any(i in skip_old for i in named_old):
            continue  # one of its statements survived: the term kept (part of) its meaning
        before = _context_rows(table, old_rows, term, skip_old)
        after = _context_rows(table, new_rows, term, skip_new)
        if not before or not after:
            continue
        a = np.asarray(table.vectors[[old_rows[i] for i in before]]).mean(axis=0)
        b = np.asarray(table.vectors[[new_rows[j] for j in after]]).mean(axis=0)
        similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))
        if similarity >= MEANING_SIMILARITY:
            continue
        out.append(_meaning_change(table, page, k, term, before[:2], after[:2], similarity))
    out.sort(key=lambda c: -c.importance)
    return out[:1]


def _meaning_change(table: SegmentTable, page: _Page, k: int, term: str, before: list[int], after: list[int],
                    similarity: float) -> Change:
    old, new = page.versions[k], page.versions[k + 1]
    old_rows, new_rows = page.rows[k], page.rows[k + 1]
    shown = _as_written(" ".join(table.text[new_rows[j]] for j in after) + " " + " ".join(
        table.text[old_rows[i]] for i in before), term)
    title = f"{_page_title(page)}: “{shown}” now stands for something else ({_when(old, page)} → {_when(new, page)})"
    summary = (f"On {version_label(old, page.page)} the page said “{_short(' '.join(table.text[old_rows[i]] for i in before), 160)}”; "
               f"on {version_label(new, page.page)} it says “{_short(' '.join(table.text[new_rows[j]] for j in after), 160)}”.")
    return Change(
        page=page.page.key, side=page.side, voice=page.voice, kind="meaning", title=title, summary=summary,
        date_from=_iso(old), date_to=_iso(new),
        quotes_before=[quote_at(table, old_rows[i]) for i in before],
        quotes_after=[quote_at(table, new_rows[j]) for j in after],
        importance=round(0.3 + 0.3 * max(0.0, MEANING_SIMILARITY - similarity) / MEANING_SIMILARITY, 4),
        details={"term": shown, "similarity": round(similarity, 4)},
    )


def _as_written(text: str, term: str) -> str:
    match = re.search(re.escape(term), text, re.I)
    return match.group() if match else term


# --------------------------------------------------------------------------- entry points


def lowercase_words(table: SegmentTable, sample: int = 20_000, seed: int = 0) -> set[str]:
    """Words the corpus writes in lower case (on a seeded sample of at most `sample` sentences)."""
    rows = range(len(table))
    if len(table) > sample:
        rows = sorted(np.random.default_rng(seed).choice(len(table), sample, replace=False).tolist())
    return {w for i in rows for w in _LOWER.findall(table.text[i])}


def common_words(table: SegmentTable, share: float = COMMON_SHARE, sample: int = 5000, seed: int = 0) -> set[str]:
    """Words in more than `share` of documents (on a seeded sample of at most `sample`
    documents): too general to follow from one version to the next."""
    words_of: dict[str, set[str]] = {}
    for text, doc in zip(table.text, table.doc_id):
        words_of.setdefault(doc, set()).update(_WORD.findall(text.lower()))
    docs = sorted(words_of)
    if len(docs) > sample:
        docs = sorted(np.random.default_rng(seed).choice(docs, sample, replace=False).tolist())
    counts: dict[str, int] = {}
    for doc in docs:
        for word in words_of[doc]:
            counts[word] = counts.get(word, 0) + 1
    limit = max(2, share * len(docs))
    return {w for w, n in counts.items() if n > limit}



def page_changes(table: SegmentTable, documents: Iterable[Mapping[str, object]]) -> list[Change]:
    """Every page's dated changes, most important first."""
    pages = _pages(table, documents)
    _align_pages(table, pages)
    common = common_words(table) if pages else set()
    lower_words = lowercase_words(table) if pages else set()
    out: list[Change] = []
    for page in pages:
        out.extend(_value_changes(table, page))
        for k in range(len(page.alignments)):
            out.extend(_transition_changes(table, page, k, common, lower_words))
    _say_what_the_other_side_states(table, out)
    out.sort(key=lambda c: (-c.importance, c.page, c.date_to or "9999", c.title))
    return out


def _say_what_the_other_side_states(table: SegmentTable, changes: list[Change]) -> None:
    """A price or limit one side keeps changing, and the other side never states: say so (the
    gap is the finding: "no sales page states a price")."""
    wanted = [c for c in changes if c.kind == "value"]
    if not wanted:
        return
    found: dict[str, list[Q.Quantity]] = {}
    for voice in {c.voice for c in wanted}:
        other = [i for i, v in enumerate(table.voice) if v in (("rep",) if voice == "marketing" else ("marketing",))
                 and any(ch.isdigit() for ch in table.text[i])]
        if len(other) > OTHER_SIDE_SAMPLE:  # a seeded sample keeps this linear; a stated figure recurs
            other = sorted(np.random.default_rng(0).choice(other, OTHER_SIDE_SAMPLE, replace=False).tolist())
        found[voice] = [q for i in other for q in Q.find_quantities(table.text[i])]
    for change in wanted:
        unit, per = change.details.get("unit"), tuple(change.details.get("per") or ())
        measure = Q.Quantity("", (0, 0), unit, 1.0, 1.0, "=", per)
        other_side = "sales" if change.voice == "marketing" else "marketing"
        if unit in _CURRENCIES:
            same = [q for q in found[change.voice] if q.unit in _CURRENCIES]
            what = "a price"
        else:
            same = [q for q in found[change.voice] if Q.same_measure(q, measure)]
            what = f"a figure for {measure_label(measure)}"
        change.details["other_side_states"] = len(same)
        if not same:
            change.summary += f" No {other_side} page, call or email states {what}."


def change_findings(changes: Sequence[Change], limit: int = FINDINGS) -> list[Finding]:
    """The most important changes as findings, at most two per page, for the ranked summary."""
    out: list[Finding] = []
    per_page: dict[str, int] = {}
    for change in changes:
        if len(out) == limit:
            break
        if per_page.get(change.page, 0) >= 2:
            continue
        per_page[change.page] = per_page.get(change.page, 0) + 1
        out.append(Finding(
            kind="change",
            title=change.title,
            summary=change.summary,
            voices=(change.voice,),
            effect=float(change.details.get("changes", 1)),
            interval=None,
            p_value=None,
            q_value=None,
            sample_sizes={"versions": max(2, len(change.series))},
            quotes={"before": list(change.quotes_before), "after": list(change.quotes_after)},
            importance=change.importance,
            subject=change.page,
            details={"change": change.kind, "date_from": change.date_from, "date_to": change.date_to,
                     "page": change.page},
        ))
    return out
