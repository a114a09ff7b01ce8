"""What the measures hand to the report: plain dataclasses, JSON-able with `to_dict`.

The HTML, Markdown and JSON reports render exactly these objects and compute
nothing; `drift check` and the tests read the same objects.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import date, datetime
from typing import Any

from drift.model import Finding, Interval, Quote

SCHEMA_VERSION = "1.0"


@dataclass
class PairScore:
    """Drift between two voices' usages of one concept."""

    voices: tuple[str, str]
    score: float | None  # None when insufficient evidence
    interval: Interval | None
    p_value: float | None
    q_value: float | None  # Benjamini-Hochberg across all concept-pair tests
    n: dict[str, int]
    insufficient: bool = False


@dataclass
class Sense:
    """One meaning of a concept, found by clustering usages across voices."""

    sense_id: int
    label: str  # distinctive words, joined
    words: list[str]
    counts: dict[str, int]  # voice -> usages in this sense
    shares: dict[str, float]  # voice -> share of that voice's usages
    quotes: dict[str, list[Quote]]  # voice -> most central usages of this sense


@dataclass
class ConceptResult:
    name: str
    terms: list[str]
    definition: str | None
    usages: dict[str, int]  # voice -> usages found
    named_usages: dict[str, int]  # of which named a term (the rest matched by meaning)
    pairs: list[PairScore]
    senses: list[Sense]
    sense_jsd: dict[str, float]  # "marketing-rep" -> JS distance of sense shares
    definition_distance: dict[str, float]  # voice -> cosine distance to the canonical definition
    quotes: dict[str, list[Quote]]  # voice -> representative usages
    sampled: dict[str, int] = field(default_factory=dict)  # voice -> usages kept when sampled
    # Same voice, different channel (e.g. "rep: call vs sales_email"): drift from register alone.
    channel_baseline: dict[str, float] = field(default_factory=dict)


@dataclass
class FacetStatement:
    """One sentence stating a facet: what it says ("> 500 employees", "VP of Application Development") and where."""

    label: str
    category: str  # band or role category; for sizes the unit ("employees", "hosts")
    quote: Quote


@dataclass
class FacetResult:
    """An ICP facet (company size, role, industry...) as each voice describes it."""

    facet: str
    counts: dict[str, dict[str, int]]  # voice -> category -> mentions
    pairs: list[PairScore]  # score = Jensen-Shannon distance
    top: dict[str, tuple[str, float]]  # voice -> (modal category, its share)
    quotes: dict[str, list[Quote]]
    # The distinct statements each voice makes (sizes with their numbers, roles as titled), most telling first.
    statements: dict[str, list[FacetStatement]] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)  # plain sentences: bands that don't line up ...
    band_distance: float | None = None  # Jaccard distance of the sides' size-band edges (0 = same lines)


@dataclass
class PillarCoverage:
    """A marketing value pillar and how often reps and buyers echo it."""

    pillar_id: int
    label: str
    words: list[str]
    claims: list[Quote]  # marketing's own sentences in this pillar
    coverage: dict[str, float]  # voice -> share of sales documents where it is echoed
    documents: dict[str, int]  # voice -> sales documents with that voice
    echoes: dict[str, list[Quote]]  # voice -> best matching quotes
    interval: dict[str, Interval]
    size: int = 0  # claim sentences in the pillar


@dataclass
class BuyerTheme:
    theme_id: int
    label: str
    words: list[str]
    utterances: int
    documents: int
    share: float  # of buyer documents
    addressed: bool
    nearest_marketing: Quote | None
    copy_coverage: float | None  # share of the theme's utterances that marketing copy answers
    quotes: list[Quote]
    first_month: str | None
    first_addressed_month: str | None
    rep_coverage: float | None = None  # share of its utterances reps answer in other conversations
    # The loop in one sentence: when buyers first raised it, and when copy began to answer it
    # (the lag in months) or how long it has gone unaddressed (measure.loop).
    loop: str | None = None


@dataclass
class Contradiction:
    """Two sides saying opposite things about one subject, with the sentences on each side."""

    subject: str  # readable: "the word “integrated”", "seats (volume price)"
    title: str  # a sentence-like headline
    summary: str  # one plain sentence naming the signal
    signal: str  # prohibition | polarity | quantity | scope
    voices: tuple[str, str]
    stances: dict[str, str]  # voice -> what it does ("rules out", "uses", "states 250+ seats")
    counts: dict[str, int]  # voice -> its sentences holding that stance
    quotes: dict[str, list[Quote]]  # voice -> the clearest sentences, the paired ones first
    evidence: dict[str, list[list[int]]]  # voice -> [start, end] of the signal in each quote's text
    evidence_text: dict[str, str]  # voice -> the words that fired in its first quote
    similarity: float  # mean cosine of the paired sentences
    importance: float  # effect x evidence x volume, as for findings
    pairs: int = 0  # sentence pairs behind it


@dataclass
class TrendSeries:
    """One measure over months, for one concept and voice pair (or one voice)."""

    concept: str
    voices: tuple[str, ...]
    months: list[str]
    values: list[float | None]
    n: list[int]
    alerts: list[str]  # months that moved beyond the reference window's variability
    measure: str | None = None  # what the values are, for the chart's axis (e.g. "drift from reference months")


@dataclass
class DistinctiveTerm:
    term: str
    z: float
    count: int
    example: Quote | None
    other_counts: dict[str, int] = field(default_factory=dict)  # the other voices' counts of the same term
    note: str = ""  # "marketing never uses it" where another side has no usage at all


@dataclass
class Topic:
    topic_id: int
    label: str
    words: list[str]
    size: int
    shares: dict[str, float]  # voice -> share of that voice's segments
    quote: Quote | None


@dataclass
class Criterion:
    """One requirement of a definition: a threshold, a BANT element, a behaviour, a stage..."""

    kind: str  # threshold | budget | authority | need | timing | behaviour | score | stage | fit | meeting | framework
    label: str  # readable: "at least 1,500 employees", "a decision maker"
    evidence: str  # the words in the quote that carry it
    unit: str | None = None  # thresholds only
    low: float | None = None
    high: float | None = None
    comparator: str | None = None


@dataclass
class Definition:
    """A side's own statement of what a term means, quoted whole (with its list items)."""

    term: str
    voice: str
    pattern: str  # copular, named-as, criteria, glossary, heading, colon-list, spoken
    quote: Quote
    criteria: list[Criterion]


@dataclass
class CriterionCell:
    """What one voice's definitions say for one criterion, and where."""

    labels: list[str]  # "at least 100 points", "a decision maker"
    evidence: list[Quote]  # the definitions that state it


@dataclass
class CriterionRow:
    """One row of the side-by-side table: a criterion and each voice's cell."""

    criterion: str  # "lead score (points)", "a decision maker"
    cells: dict[str, CriterionCell]  # voice -> cell (absent: the voice's definitions never state it)
    differs: bool  # one side only, or thresholds that disagree


@dataclass
class DefinitionChange:
    """One side's definition of a term on one page, changed between two dated versions."""

    voice: str
    page: str
    term: str
    before_month: str
    after_month: str
    summary: str  # "Marketing's definition on “growth” changed between 2022-05 and 2023-08: dropped ...; added ..."
    before: Quote
    after: Quote


@dataclass
class DefinitionComparison:
    """One concept's definitions per voice, and where they disagree."""

    name: str
    title: str
    summary: str
    status: str  # disagree | agree | one side | undefined
    usages: dict[str, int]  # voice -> sentences naming the term
    definitions: dict[str, list[Definition]]  # voice -> its definitions
    disagreements: list[str]  # plain sentences
    expansions: dict[str, dict[str, list[str]]]  # acronym -> voice -> expansions as written
    expansion_quotes: dict[str, list[Quote]]
    only_voice: str | None = None  # the one voice that uses the term at all
    importance: float = 0.0
    criteria_table: list[CriterionRow] = field(default_factory=list)
    usage_quotes: dict[str, list[Quote]] = field(default_factory=dict)  # where a voice uses it without defining it
    changes: list[DefinitionChange] = field(default_factory=list)  # the same side's definition across dated versions


@dataclass
class Change:
    """What a page said before and after an edit, or one figure across all its versions.

    `kind`: "value" (a price or limit changed; `series` holds every version's value),
    "practice" (a named practice replaced by another), "statement" (a statement's figures,
    names, negation or bounds changed), "answered" (copy began to answer a buyer theme).
    Dates are ISO dates of the versions; `date_to` None is the current version, which has
    no date of its own (it is newer than every dated one).
    """

    page: str  # the page's key: its path without version dates or extension
    side: str | None  # marketing | sales
    voice: str  # whose words the page is: marketing | rep
    kind: str
    title: str  # a readable phrase
    summary: str  # one plain sentence
    date_from: str | None
    date_to: str | None
    quotes_before: list[Quote]
    quotes_after: list[Quote]
    quantities_before: list[str] = field(default_factory=list)  # as written: "$4", "Minimum 150.000"
    quantities_after: list[str] = field(default_factory=list)
    importance: float = 0.0  # 0..1, on the findings' scale
    series: list[dict[str, Any]] = field(default_factory=list)  # value: [{date, value, source, locator}]
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class WinLossRow:
    """One claim or theme in won against lost conversations."""

    subject: str  # the pillar's or theme's label
    kind: str  # "claim reps echo" | "theme buyers raise"
    voice: str
    counts: dict[str, int]  # outcome -> conversations where it happens
    totals: dict[str, int]  # outcome -> conversations with that outcome
    shares: dict[str, float]
    intervals: dict[str, Interval]  # Wilson 95%
    difference: float | None  # won share - lost share; None below min_support
    insufficient: bool
    quotes: dict[str, list[Quote]]  # outcome -> where it happens


@dataclass
class WinLoss:
    status: str  # "compared", "no outcomes in this corpus", or why there are too few
    won_documents: int
    lost_documents: int
    rows: list[WinLossRow]


@dataclass
class CorpusStats:
    by_voice: dict[str, int]
    by_channel: dict[str, int]
    by_month: dict[str, dict[str, int]]  # month -> voice -> segments
    documents: int
    files: int
    unknown_voice_segments: int
    fillers_dropped: int | None
    failed_files: list[dict[str, str]]  # {source, reason}
    unassigned_files: list[str]


@dataclass
class RunInfo:
    generated_at: str
    drift_version: str
    model: dict[str, Any]
    pipeline: dict[str, Any]
    parameters: dict[str, Any]
    config_source: str | None
    store: str | None
    since: str | None = None
    until: str | None = None
    company: str | None = None  # config's company name, for the report's title


@dataclass
class Analysis:
    run: RunInfo
    corpus: CorpusStats
    alignment: dict[str, float | None]  # "marketing-rep" -> 0..1 (1 = same meaning)
    previous_alignment: dict[str, float | None] | None
    findings: list[Finding]  # ranked by importance, most important first
    concepts: list[ConceptResult]
    icp: list[FacetResult]
    pillars: list[PillarCoverage]
    themes: list[BuyerTheme]
    trends: list[TrendSeries]
    distinctive: dict[str, list[DistinctiveTerm]]  # voice -> terms it uses more than the others
    topics: list[Topic]
    notes: list[str] = field(default_factory=list)  # sampling and other caveats
    definitions: list[DefinitionComparison] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)  # cross-side stance conflicts
    changes: list[Change] = field(default_factory=list)  # dated changes between versions of pages
    win_loss: WinLoss | None = None  # won against lost conversations, where exports carry outcomes
    schema_version: str = SCHEMA_VERSION  # keep last: new sections go above it


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples, dates and numpy scalars -> JSON types, keys kept in order."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value
