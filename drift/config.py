"""`drift.toml`: who is who, which files belong to which side, what to track.

The config is read once at the edge (CLI or caller) and passed down as a plain
`Config` value; no stage reads files or environment variables on its own.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_NAME = "drift.toml"


class ConfigError(ValueError):
    """The config file is missing a key, has a wrong type, or cannot be parsed."""


@dataclass(frozen=True)
class Concept:
    name: str
    terms: tuple[str, ...]
    examples: tuple[str, ...] = ()
    definition: str | None = None


@dataclass(frozen=True)
class CsvColumns:
    """Column names of a CSV export with one row per utterance or per email."""

    call_id: str = "call_id"
    speaker: str = "speaker"
    text: str = "text"
    timestamp: str = "timestamp"
    role: str = "role"
    date: str = "date"
    # email CSV exports
    sender: str = "from"
    recipients: str = "to"
    subject: str = "subject"
    body: str = "body"


@dataclass(frozen=True)
class MeasureSettings:
    min_support: int = 8  # usages per voice below which a score is "insufficient evidence"
    permutations: int = 999
    bootstrap: int = 500
    alpha: float = 0.05  # false discovery rate for Benjamini-Hochberg
    semantic_threshold: float = 0.62  # cosine to concept prototype for unnamed usages
    max_usages: int = 400  # per concept and voice; sampled above this (said in the report)
    seed: int = 13


@dataclass(frozen=True)
class CheckSettings:
    # Share of claim-like sentences with no rep or buyer support above which check fails.
    max_unsupported_share: float = 0.5
    # Cosine similarity below which a claim counts as unsupported.
    support_threshold: float = 0.5
    # Drift of a concept's sense in the copy vs reps/buyers above which it is an error.
    max_concept_drift: float = 0.35


@dataclass(frozen=True)
class Config:
    company_name: str = "our company"
    company_domains: tuple[str, ...] = ()
    # Employee name -> voice ("marketing" or "rep"); anyone not listed and not
    # on a company domain is resolved by metadata or heuristics in ingest.voices.
    people: dict[str, str] = field(default_factory=dict)
    marketing_globs: tuple[str, ...] = ()
    sales_globs: tuple[str, ...] = ()
    # Defaults are defined below the class; the lambdas read them when a Config is made.
    concepts: tuple[Concept, ...] = field(default_factory=lambda: DEFAULT_CONCEPTS)
    size_bands: dict[str, tuple[int, int | None]] = field(default_factory=lambda: dict(DEFAULT_SIZE_BANDS))
    size_words: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SIZE_WORDS))
    pillars: dict[str, tuple[str, ...]] = field(default_factory=dict)
    csv: CsvColumns = field(default_factory=CsvColumns)
    measure: MeasureSettings = field(default_factory=MeasureSettings)
    check: CheckSettings = field(default_factory=CheckSettings)
    redact_pii: bool = False
    # Path globs never ingested (relative to the config file), e.g. README.md.
    exclude_globs: tuple[str, ...] = ()
    source: str | None = None  # the file it was read from, for the report

    @property
    def root(self) -> Path | None:
        """The folder globs are relative to: the config file's folder."""
        return Path(self.source).resolve().parent if self.source else None

    def with_overrides(self, **changes: Any) -> "Config":
        return replace(self, **changes)


DEFAULT_CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "qualified lead",
        ("qualified lead", "MQL", "marketing qualified lead", "marketing-qualified lead",
         "sales-ready lead", "SQL", "sales qualified lead", "SAO", "qualified opportunity",
         "sales accepted opportunity", "lead qualification", "qualified"),
        ("A lead is qualified once they are a good fit and ready for a sales conversation.",),
    ),
    Concept(
        "ideal customer",
        ("ideal customer", "ICP", "ideal customer profile", "target customer", "target account",
         "who we sell to", "our buyer", "persona"),
        ("Our ideal customer is a company of this size, in this industry, with this role buying.",),
    ),
    Concept(
        "buying intent",
        ("buying intent", "intent", "purchase intent", "in-market", "ready to buy", "buying signal"),
        ("They are showing signs that they are ready to buy.",),
    ),
    Concept(
        "pipeline health",
        ("pipeline health", "pipeline", "healthy pipeline", "pipeline coverage", "funnel"),
        ("How healthy is our pipeline this quarter?",),
    ),
    Concept(
        "good account",
        ("good account", "good fit", "great fit", "strong account", "best customers", "right fit"),
        ("This account is a great fit for us.",),
    ),
    Concept(
        "value proposition",
        ("value proposition", "value prop", "why us", "differentiator", "what makes us different"),
        ("What makes our product different is the value it delivers.",),
    ),
    Concept(
        "pricing",
        ("pricing", "price", "per seat", "per user", "license", "subscription", "cost", "quote",
         "platform fee", "contract"),
        ("How much does it cost and how is it priced?",),
    ),
    Concept(
        "time to value",
        ("onboarding", "time to value", "go-live", "go live", "implementation", "rollout",
         "set up", "setup", "up and running"),
        ("How long does it take to get up and running?",),
    ),
)

# Employee counts. Upper bound None means open-ended.
DEFAULT_SIZE_BANDS: dict[str, tuple[int, int | None]] = {
    "small business": (1, 99),
    "mid-market": (100, 999),
    "enterprise": (1000, None),
}
DEFAULT_SIZE_WORDS: dict[str, str] = {
    "smb": "small business",
    "small business": "small business",
    "small businesses": "small business",
    "startup": "small business",
    "startups": "small business",
    "mid-market": "mid-market",
    "midmarket": "mid-market",
    "mid-sized": "mid-market",
    "mid-size": "mid-market",
    "midsize": "mid-market",
    "enterprise": "enterprise",
    "enterprises": "enterprise",
    "fortune 500": "enterprise",
    "fortune 1000": "enterprise",
    "global 2000": "enterprise",
    "large enterprise": "enterprise",
}


def _tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _section(raw: dict, name: str) -> dict:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _dataclass_from(cls: type, table: dict, where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"unknown key(s) in [{where}]: {', '.join(sorted(unknown))}")
    return cls(**table)


def parse_config(raw: dict, source: str | None = None) -> Config:
    """Build a Config from the parsed TOML table, validating as it goes."""
    company = _section(raw, "company")
    voices = _section(raw, "voices")
    sides = _section(raw, "sides")
    people: dict[str, str] = {}
    for voice_name in ("marketing", "rep"):
        for person in _tuple(voices.get(voice_name), f"voices.{voice_name}"):
            people[person] = voice_name

    concepts = DEFAULT_CONCEPTS
    if "concepts" in raw:
        if not isinstance(raw["concepts"], list):
            raise ConfigError("[[concepts]] must be an array of tables")
        concepts = tuple(
            Concept(
                name=str(c["name"]),
                terms=_tuple(c.get("terms"), f"concepts.{c.get('name')}.terms") or (str(c["name"]),),
                examples=_tuple(c.get("examples"), f"concepts.{c.get('name')}.examples"),
                definition=c.get("definition"),
            )
            for c in raw["concepts"]
        )

    icp = _section(raw, "icp")
    size_bands = dict(DEFAULT_SIZE_BANDS)
    for band, bounds in icp.get("size_bands", {}).items():
        low, high = (bounds + [None])[:2] if isinstance(bounds, list) else (bounds, None)
        size_bands[band] = (int(low), None if high is None else int(high))
    size_words = dict(DEFAULT_SIZE_WORDS)
    size_words.update({k.lower(): v for k, v in icp.get("size_words", {}).items()})

    pillars = {name: _tuple(words, f"pillars.{name}") for name, words in _section(raw, "pillars").items()}

    return Config(
        company_name=company.get("name", "our company"),
        company_domains=tuple(d.lower().lstrip("@") for d in _tuple(company.get("domains"), "company.domains")),
        people=people,
        marketing_globs=_tuple(sides.get("marketing"), "sides.marketing"),
        sales_globs=_tuple(sides.get("sales"), "sides.sales"),
        concepts=concepts,
        size_bands=size_bands,
        size_words=size_words,
        pillars=pillars,
        csv=_dataclass_from(CsvColumns, _section(raw, "csv"), "csv"),
        measure=_dataclass_from(MeasureSettings, _section(raw, "measure"), "measure"),
        check=_dataclass_from(CheckSettings, _section(raw, "check"), "check"),
        redact_pii=bool(_section(raw, "ingest").get("redact_pii", False)),
        exclude_globs=_tuple(_section(raw, "ingest").get("exclude"), "ingest.exclude"),
        source=source,
    )


def load_config(path: str | Path | None = None, search_from: str | Path | None = None) -> Config:
    """Read `path`, or the nearest drift.toml at or above `search_from`, or defaults."""
    if path is None and search_from is not None:
        start = Path(search_from).resolve()
        for folder in [start, *start.parents] if start.is_dir() else [start.parent, *start.parent.parents]:
            candidate = folder / CONFIG_NAME
            if candidate.is_file():
                path = candidate
                break
    if path is None:
        return Config()
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from None
    try:
        return parse_config(raw, source=str(path))
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"{path}: {err}") from None


def _toml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "]"


def write_template(path: Path) -> None:
    """A commented drift.toml holding the defaults, for `drift init`."""
    measure, check = MeasureSettings(), CheckSettings()
    lines = [
        "# drift configuration. Paths in [sides] are globs relative to this file.",
        "",
        "[company]",
        'name = "Your Company"',
        '# Email domains of your employees: senders on them are reps (or marketing, see [voices]).',
        'domains = ["example.com"]',
        "",
        "# Employees by voice, as their names appear in transcripts and emails.",
        "[voices]",
        "marketing = []",
        "rep = []",
        "",
        "# Which files are marketing copy and which are sales conversations.",
        "[sides]",
        'marketing = ["marketing/**"]',
        'sales = ["sales/**"]',
        "",
        "[ingest]",
        'exclude = ["README.md"]',
        "redact_pii = false  # replace emails, phone and card numbers before storing",
        "",
        "# Column names of CSV exports (utterances or emails).",
        "[csv]",
        *(f'{name} = "{value}"' for name, value in vars(CsvColumns()).items()),
        "",
        "[measure]",
        f"min_support = {measure.min_support}  # usages per voice below which a result is 'insufficient evidence'",
        f"permutations = {measure.permutations}",
        f"bootstrap = {measure.bootstrap}",
        f"alpha = {measure.alpha}  # false discovery rate (Benjamini-Hochberg)",
        f"semantic_threshold = {measure.semantic_threshold}  # cosine to a concept for usages that do not name it",
        f"max_usages = {measure.max_usages}",
        f"seed = {measure.seed}",
        "",
        "[check]",
        f"max_unsupported_share = {check.max_unsupported_share}",
        f"support_threshold = {check.support_threshold}",
        f"max_concept_drift = {check.max_concept_drift}",
        "",
        "# Company size bands in employees; words like 'enterprise' map to a band.",
        "[icp.size_bands]",
        *(f'"{band}" = [{low}, {high if high is not None else 0}]'.replace(", 0]", "]") for band, (low, high) in DEFAULT_SIZE_BANDS.items()),
        "",
        "# Tracked concepts: terms are matched by lemma; examples and the definition are optional.",
    ]
    for concept in DEFAULT_CONCEPTS:
        lines += ["", "[[concepts]]", f'name = "{concept.name}"', f"terms = {_toml_list(concept.terms)}",
                  f"examples = {_toml_list(concept.examples)}", '# definition = "What we agreed this means."']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
