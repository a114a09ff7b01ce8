"""Value claims and buyer themes: does the field repeat what marketing says, and does
marketing answer what buyers raise?

Pillars: marketing's claim-like sentences clustered into a few groups. Coverage:
for each pillar, the share of sales documents (calls, emails) in which a voice
says something close in meaning to one of its claims. Buyer themes: clusters of
substantive buyer utterances, each checked against the nearest marketing passage.
"""

from __future__ import annotations

import re

import numpy as np

from drift.measure import senses as sense_fns
from drift.measure import stats
from drift.measure.evidence import quote_at
from drift.model import Interval
from drift.results import BuyerTheme, PillarCoverage
from drift.store import SegmentTable

# Cosine similarity at which a rep or buyer sentence "echoes" a marketing claim, and
# at which a marketing passage "addresses" a buyer theme. Chosen on the demo corpus
# and the GitLab handbook pages: paraphrases of one claim by different writers score
# 0.55-0.8 with all-MiniLM-L6-v2, sentences on neighbouring topics 0.3-0.5.
ECHO_THRESHOLD = 0.55
ADDRESS_THRESHOLD = 0.55

_CLAIM_CUES = re.compile(
    r"\b(?:we|our|you|your|kestrel|helps?|lets?|cuts?|reduces?|saves?|automates?|predicts?|"
    r"faster|fewer|more|less|every|never|no more|built for|designed for|trusted by|\d+%|\d+x)\b",
    re.IGNORECASE,
)


def is_claim(text: str) -> bool:
    """A declarative marketing sentence that promises something (not a heading or a question)."""
    words = text.split()
    return 6 <= len(words) <= 60 and not text.rstrip().endswith("?") and bool(_CLAIM_CUES.search(text))


def is_substantive_buyer(text: str) -> bool:
    """Buyer utterances worth theming: questions, objections, pains, not small talk."""
    return len(text.split()) >= 7


def _doc_coverage(similarity: np.ndarray, doc_ids: np.ndarray) -> tuple[int, int, np.ndarray]:
    """Documents with at least one sentence above the echo threshold, out of all documents."""
    echoed = similarity >= ECHO_THRESHOLD
    docs = np.unique(doc_ids)
    hit_docs = np.unique(doc_ids[echoed])
    return len(hit_docs), len(docs), np.flatnonzero(echoed)


def value_pillars(table: SegmentTable, seed: int, pillar_names: dict[str, tuple[str, ...]] | None = None) -> list[PillarCoverage]:
    marketing = np.flatnonzero((table.voice == "marketing") & np.array([is_claim(t) for t in table.text], dtype=bool))
    if len(marketing) < 6:
        return []
    claim_vectors = table.vectors[marketing]
    labels = sense_fns.cluster_senses(claim_vectors, seed=seed, max_clusters=8)
    words = sense_fns.label_senses([table.text[i] for i in marketing], labels)
    central = sense_fns.central_quote_indices(claim_vectors, labels)
    doc_ids = np.array(table.doc_id, dtype=object)
    pillars = []
    for pillar_id in sorted(set(labels.tolist())):
        members = marketing[labels == pillar_id]
        if len(members) < 3:
            continue  # a one-off sentence is not a pillar
        coverage, documents, echoes, intervals = {}, {}, {}, {}
        for voice in ("rep", "buyer"):
            rows = np.flatnonzero((table.voice == voice) & np.isin(table.channel, ["call", "sales_email"]))
            if not len(rows):
                continue
            # Similarity to the closest claim of the pillar, per sales sentence.
            similarity = (table.vectors[rows] @ table.vectors[members].T).max(axis=1)
            hits, total, hit_rows = _doc_coverage(similarity, doc_ids[rows])
            coverage[voice] = hits / total
            documents[voice] = total
            low, high = stats.wilson_interval(hits, total)
            intervals[voice] = Interval(low, high)
            best = rows[hit_rows[np.argsort(-similarity[hit_rows])][:3]] if len(hit_rows) else []
            echoes[voice] = [quote_at(table, int(r), score=float(similarity[np.searchsorted(rows, r)])) for r in best]
        label_words = list(words[pillar_id])
        label = _named_pillar(label_words, pillar_names) or ", ".join(label_words[:4])
        pillars.append(
            PillarCoverage(
                pillar_id=int(pillar_id),
                label=label,
                words=label_words,
                claims=[quote_at(table, int(marketing[i])) for i in central[pillar_id][:3]],
                coverage=coverage,
                documents=documents,
                echoes=echoes,
                interval=intervals,
            )
        )
    return pillars


def _named_pillar(words: list[str], names: dict[str, tuple[str, ...]] | None) -> str | None:
    """A configured pillar name whose keywords overlap the cluster's distinctive words."""
    if not names:
        return None
    overlap = {name: len(set(w.lower() for w in keys) & set(words)) for name, keys in names.items()}
    best = max(overlap, key=overlap.get)
    return best if overlap[best] else None


def buyer_themes(table: SegmentTable, seed: int) -> list[BuyerTheme]:
    buyer = np.flatnonzero((table.voice == "buyer") & np.array([is_substantive_buyer(t) for t in table.text], dtype=bool))
    marketing = np.flatnonzero(table.voice == "marketing")
    if len(buyer) < 10:
        return []
    labels = sense_fns.cluster_senses(table.vectors[buyer], seed=seed, max_clusters=12)
    words = sense_fns.label_senses([table.text[i] for i in buyer], labels)
    central = sense_fns.central_quote_indices(table.vectors[buyer], labels)
    doc_ids = np.array(table.doc_id, dtype=object)
    all_buyer_docs = len(set(doc_ids[table.voice == "buyer"]))
    themes = []
    for theme_id in sorted(set(labels.tolist())):
        members = buyer[labels == theme_id]
        docs = len(set(doc_ids[members]))
        if docs < 2:
            continue  # one conversation is an anecdote, not a theme
        nearest, similarity = None, None
        first_addressed = None
        if len(marketing):
            # Best marketing match for each of the theme's utterances; the theme's
            # similarity is the median, so one lucky sentence does not "address" it.
            sims = table.vectors[members] @ table.vectors[marketing].T
            per_member = sims.max(axis=1)
            similarity = float(np.median(per_member))
            best = int(marketing[np.argmax(sims.max(axis=0))])
            nearest = quote_at(table, best, score=float(sims.max()))
            addressing = marketing[sims.max(axis=0) >= ADDRESS_THRESHOLD]
            months = sorted(m for m in table.month[addressing] if m)
            first_addressed = months[0] if months else None
        months = sorted(m for m in table.month[members] if m)
        themes.append(
            BuyerTheme(
                theme_id=int(theme_id),
                label=", ".join(list(words[theme_id])[:4]),
                words=list(words[theme_id]),
                utterances=len(members),
                documents=docs,
                share=docs / all_buyer_docs if all_buyer_docs else 0.0,
                addressed=similarity is not None and similarity >= ADDRESS_THRESHOLD,
                nearest_marketing=nearest,
                nearest_similarity=similarity,
                quotes=[quote_at(table, int(buyer[i])) for i in central[theme_id][:4]],
                first_month=months[0] if months else None,
                first_addressed_month=first_addressed,
            )
        )
    themes.sort(key=lambda t: (-t.documents, t.theme_id))
    return themes
