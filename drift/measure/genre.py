"""The genre of each document: copy written for customers, or a document written for staff.

A marketing handbook, a sales playbook, a style guide or an enablement page is written for
the company's own people; a web page, a blog post, a customer story or a campaign email is
written for buyers. Findings that rest only on the first kind are about internal process,
not about what customers hear, so the ranking weighs them down (`drift.measure.findings`).

The genre is read from the document's own sentences (`drift.measure.mood`), with no word
of any one company:

- *internal* signals: obligations ("should", "must", "make sure"), workplace-process words
  (forms, approvals, owners, meetings), markup for staff and tools (links, @mentions,
  #channels, file names), headings that name a process ("How to ...", "Process",
  "Checklist") and lines that are mostly tool names;
- *customer* signals: value claims (benefit and capability verbs), proof points (numbers with
  a unit that read as a result) and comparisons.

Each share is taken over the document's body sentences (headings apart), and the score is a
weighted sum: above 0, internal. Calls and sales emails are conversations, and campaign emails
customer copy, whatever their wording. Pure functions over arrays and moods; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from drift.measure.mood import Mood, read_moods

CUSTOMER, INTERNAL, CONVERSATION = "customer", "internal", "conversation"
GENRE_NAMES = {CUSTOMER: "customer-facing copy", INTERNAL: "internal document", CONVERSATION: "conversation"}
CONVERSATION_CHANNELS = ("call", "sales_email")
CUSTOMER_CHANNELS = ("campaign_email",)
# Body sentences read per document: a seeded-free, evenly spaced sample keeps the tagging
# linear in the number of documents, and 200 sentences fix a share to within a few points.
SENTENCES_PER_DOCUMENT = 200
# Weights of the score (positive: internal), set by reading the demo corpus's copy (every page
# below 0, the closest at -0.03) and public handbooks against their paths (process and playbook
# pages +0.1 to +1.9, product pages and articles -0.05 to -1.1; benchmarks/README.md). A page with
# no signal at all scores BIAS and counts as customer copy.
WEIGHTS = {"obligation": 2.5, "process": 2.0, "markup": 2.0, "process_headings": 1.0, "tool_lines": 1.0,
           "claims": -2.5, "proof": -3.0}
BIAS = -0.05
_PROCESS_HEADING = re.compile(
    r"^(?:how to|how we|how do i)\b|\b(?:process|procedure|checklist|workflow for|guidelines?|policy|policies|"
    r"responsibilit(?:y|ies)|onboarding|training|template|naming|conventions?|rituals?|cadence|meetings?|"
    r"best practices|dos and don'?ts|faq for|tips for|instructions|steps|escalation|handbook|playbook|"
    r"getting access|requesting|request|tracking|reporting)\b",
    re.IGNORECASE,
)


@dataclass
class DocumentGenre:
    """One document's genre and the shares that decided it."""

    doc_id: str
    source: str
    genre: str  # customer | internal | conversation
    score: float  # weighted sum of the signals; above 0 is internal
    sentences: int  # body sentences read
    signals: dict[str, float] = field(default_factory=dict)  # signal -> share of sentences (or headings)


def claim_signal(m: Mood) -> bool:
    """A sentence that promises something to a customer by its wording alone (benefit, proof, comparison)."""
    return (m.outcome > 0 or m.proof or m.comparison) and not (m.obligation or m.markup or m.question or m.process)


def signals(moods: Sequence[Mood], headings: Sequence[str]) -> dict[str, float]:
    """Shares of each signal over a document's body sentences (and its headings)."""
    body = [m for m in moods if m.words >= 4]
    n = max(1, len(body))
    share = lambda test: sum(1 for m in body if test(m)) / n  # noqa: E731
    return {
        "obligation": share(lambda m: m.obligation),
        "process": share(lambda m: m.process),
        "markup": share(lambda m: m.markup),
        "process_headings": (sum(1 for h in headings if _PROCESS_HEADING.search(h)) / len(headings)) if headings else 0.0,
        "tool_lines": share(lambda m: m.proper_share > 0.5 and not m.finite_verb),
        "claims": share(claim_signal),
        "proof": share(lambda m: m.proof),
    }


def score(shares: dict[str, float]) -> float:
    return BIAS + sum(WEIGHTS[k] * shares.get(k, 0.0) for k in WEIGHTS)


def classify(moods: Sequence[Mood], headings: Sequence[str]) -> tuple[str, float, dict[str, float]]:
    """(genre, score, shares) of one document from its body sentences' moods and its headings."""
    shares = signals(moods, headings)
    value = score(shares)
    return (INTERNAL if value > 0 else CUSTOMER), value, shares


def _spread(rows: np.ndarray, k: int) -> np.ndarray:
    """At most k rows, evenly spaced through the document (its start, middle and end all count)."""
    if len(rows) <= k:
        return rows
    return rows[np.linspace(0, len(rows) - 1, k).round().astype(int)]


def document_genres(table, moods: dict[int, Mood] | None = None) -> dict[str, DocumentGenre]:
    """Every document's genre, keyed by doc_id. `moods` (row -> Mood) may hold rows already read;
    the rest of the sampled rows are tagged here."""
    doc_ids = np.array(table.doc_id, dtype=object)
    blocks = table.block if table.block is not None else [None] * len(table)
    order = np.argsort(doc_ids, kind="stable")
    out: dict[str, DocumentGenre] = {}
    wanted: dict[str, tuple[np.ndarray, list[str]]] = {}
    bounds = np.flatnonzero(np.r_[True, doc_ids[order][1:] != doc_ids[order][:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:]):
        rows = np.sort(order[a:b])
        doc = str(doc_ids[rows[0]])
        channel = table.channel[rows[0]]
        if channel in CONVERSATION_CHANNELS or channel in CUSTOMER_CHANNELS:
            genre = CONVERSATION if channel in CONVERSATION_CHANNELS else CUSTOMER
            out[doc] = DocumentGenre(doc, table.source[rows[0]], genre, 0.0, 0)
            continue
        heads = [table.text[r] for r in rows if blocks[r] == "heading"]
        body = _spread(np.array([r for r in rows if blocks[r] != "heading"], dtype=np.int64), SENTENCES_PER_DOCUMENT)
        wanted[doc] = (body, heads)
    known = dict(moods or {})
    missing = sorted({int(r) for body, _ in wanted.values() for r in body} - set(known))
    known.update(zip(missing, read_moods([table.text[r] for r in missing])))
    for doc, (body, heads) in wanted.items():
        genre, value, shares = classify([known[int(r)] for r in body], heads)
        first = int(body[0]) if len(body) else int(np.flatnonzero(doc_ids == doc)[0])
        out[doc] = DocumentGenre(doc, table.source[first], genre, round(value, 4), len(body),
                                 {k: round(v, 4) for k, v in shares.items()})
    return out


def row_genres(table, genres: dict[str, DocumentGenre]) -> list[str | None]:
    """The genre of each row's document (None where a document has none)."""
    return [genres[d].genre if d in genres else None for d in table.doc_id]
