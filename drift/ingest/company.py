"""Knowing the company without being told: its name and email domains, inferred from the exports.

When drift.toml names no company, header-block call notes cannot say who is
ours, and the report has no name to print. The exports usually say it many
times over, each in its own way:

- call notes: the company on every call's participants list (the buyer
  changes from call to call, the seller does not);
- meeting titles: "Acme x Northbeam - Discovery" (Zoom folders, Gong titles)
  put the host first;
- the website: the site name that recurs in page titles ("Pricing | Acme")
  and in `og:site_name`;
- email: the display name campaign emails are sent under ("Acme" <news@acme.io>);
- domains: the email domain of Gong's internal parties, and the domain that
  writes most of the sales email.

Each source only reads a file's first bytes (a Gong JSON file is read whole),
so the scan costs little next to an ingest. The guess says what it rested on,
so the report can say it and a person can check it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.parser import HeaderParser
from email.utils import getaddresses
from pathlib import Path

from drift.config import Config
from drift.ingest.callnotes import company_core, parse_participant, read_header
from drift.ingest.detect import detect_format
from drift.ingest.discover import discover
from drift.ingest.errors import IngestFailure
from drift.ingest.textio import read_head, sniff_text

# Title separators sites put between the page name and the site name.
_TITLE_PARTS = re.compile(r"\s+[|·—–-]\s+|\s*:\s+")
_SITE_NAME = re.compile(r"""<meta[^>]+property=["']og:site_name["'][^>]+content=["']([^"']+)""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
# "Acme x Northbeam - Discovery", "Northbeam <> Acme | Demo": the two companies of a meeting.
_MEETING_PAIR = re.compile(r"^\s*(?P<a>[^<>|]+?)\s+(?:x|X|<>|and|&|/)\s+(?P<b>[^|]+?)(?:\s+[-–|:]\s+.*)?$")
_DATED_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ _T][\d.:]+)?\s*")
_GENERIC_SENDERS = frozenset("news newsletter marketing hello info team noreply no-reply updates events".split())
MIN_EVIDENCE = 2  # a name seen once is not a company
ENTITY_SHARE = 0.3
_ACRONYM = re.compile(r"[A-Z0-9&]{1,5}s?")


@dataclass
class CompanyGuess:
    """The company drift inferred, its domains, and what each rested on (phrases for the report)."""

    name: str | None = None
    domains: tuple[str, ...] = ()
    evidence: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One sentence for the report and the ingest summary."""
        if not self.name:
            return "The company is not named in drift.toml and could not be inferred from the files."
        domains = f" (email domains {', '.join(self.domains)})" if self.domains else ""
        return (f"The company is not named in drift.toml; drift inferred “{self.name}”{domains} from "
                f"{'; '.join(self.evidence)}.")


@dataclass
class _Tally:
    """Sightings of each candidate name (keyed by its core) per kind of evidence."""

    display: dict[str, Counter[str]] = field(default_factory=dict)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)

    def see(self, kind: str, names: Iterable[str]) -> None:
        seen = set()
        for name in names:
            name = " ".join(name.split()).strip(" .,;\"'")
            core = company_core(name)
            if len(core) < 2 or core in seen:
                continue
            seen.add(core)
            self.display.setdefault(core, Counter())[name] += 1
            self.by_kind.setdefault(kind, Counter())[core] += 1
        self.totals[kind] += 1


def _call_note_companies(text: str) -> list[str] | None:
    lines = text.split("\n")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        lines = text[end + 4 :].split("\n") if end > 0 else lines
    header = read_header(lines)
    if header is None or not header.entries:
        return None
    return [c for c in (parse_participant(e).company for e in header.entries) if c]


def _meeting_host(title: str) -> str | None:
    match = _MEETING_PAIR.match(_DATED_FOLDER.sub("", title))
    return match.group("a").strip() if match else None


def _email_domain(address: str) -> str | None:
    return address.rsplit("@", 1)[1].lower().strip("> ") if "@" in address else None


def _scan(paths: Sequence[str | Path], config: Config, tally: _Tally, domains: Counter[str],
          internal_domains: Counter[str], limit: int) -> None:
    meeting_folders: set[Path] = set()
    for count, path in enumerate(discover(paths, config)):
        if count >= limit:
            break
        try:
            head = read_head(path)
        except IngestFailure:
            continue
        fmt = detect_format(path, head)
        text = sniff_text(head) if fmt not in (None, "pdf", "docx") else None
        if text is None:
            continue
        if fmt in ("text_transcript", "markdown", "text"):
            companies = _call_note_companies(text)
            if companies is not None:
                tally.see("call notes", companies)
        elif fmt == "html":
            titles = [_TITLE_PARTS.split(" ".join(t.split())) for t in _TITLE.findall(text)[:1]]
            tally.see("page titles", [part for parts in titles for part in parts if 0 < len(part.split()) <= 4])
            tally.see("site name", _SITE_NAME.findall(text)[:1])
        elif fmt in ("vtt", "srt", "otter") and path.parent not in meeting_folders:
            meeting_folders.add(path.parent)
            host = _meeting_host(path.parent.name)
            if host:
                tally.see("meeting titles", [host])
        elif fmt == "gong_json":
            _gong(path, tally, internal_domains)
        elif fmt in ("eml", "mbox"):
            _email(text, tally, domains)


def _gong(path: Path, tally: _Tally, internal_domains: Counter[str]) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError, RecursionError):
        return
    for item in data if isinstance(data, list) else [data]:
        calls = item.get("calls") if isinstance(item, dict) else None
        for call in calls if isinstance(calls, list) else []:
            if not isinstance(call, dict):
                continue
            meta = call.get("metaData") if isinstance(call.get("metaData"), dict) else {}
            title = str(meta.get("title") or "")
            pair = re.split(r"\s+<>\s+|\s+x\s+", title.split("|")[0])
            if len(pair) == 2:
                tally.see("meeting titles", pair)  # both sides: the seller is the one on every call
            for party in call.get("parties") or []:
                if isinstance(party, dict) and str(party.get("affiliation", "")).lower() == "internal":
                    domain = _email_domain(str(party.get("emailAddress") or ""))
                    if domain:
                        internal_domains[domain] += 1


def _email(text: str, tally: _Tally, domains: Counter[str]) -> None:
    if text.startswith("From "):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    headers = HeaderParser().parsestr(text.split("\n\n", 1)[0], headersonly=True)
    senders = getaddresses(headers.get_all("from", []))
    everyone = senders + getaddresses(headers.get_all("to", []) + headers.get_all("cc", []))
    for domain in {_email_domain(address) for _, address in everyone} - {None}:
        domains[domain] += 1  # type: ignore[index]
    for display, address in senders:
        local = address.split("@", 1)[0].lower()
        if display and local in _GENERIC_SENDERS:
            tally.see("campaign senders", [display])


def _organisations(paths: Sequence[str | Path], config: Config, tally: _Tally, files: int, chars: int) -> None:
    """The organisations spaCy's entity recogniser finds in the first words of copy documents,
    counted once per document (slow: only for `drift init --from`, on a bounded sample)."""
    from drift.nlp import load_pipeline

    texts = []
    for path in discover(paths, config):
        if len(texts) >= files:
            break
        try:
            head = read_head(path, chars * 2)
        except IngestFailure:
            continue
        if detect_format(path, head) in ("markdown", "html", "text"):
            text = sniff_text(head)
            if text:
                texts.append(re.sub(r"<[^>]*>|\[([^\]]*)\]\([^)]*\)", r" \1 ", text)[:chars])
    if not texts:
        return
    nlp, _ = load_pipeline()
    if "ner" not in nlp.pipe_names:
        return
    keep = {"ner", "tok2vec", "tagger", "attribute_ruler"}
    joined = "\n".join(texts)

    def common_word(name: str) -> bool:
        """"Customer" in a contract is a defined term: the word also runs in lower case."""
        lower = len(re.findall(rf"(?<![\w.]){re.escape(name.lower())}(?!\w)", joined))
        return lower >= len(re.findall(rf"(?<![\w.]){re.escape(name)}(?!\w)", joined))

    for doc in nlp.pipe(texts, disable=[name for name in nlp.pipe_names if name not in keep]):
        # Acronyms (API, SSO, CRM) are tagged ORG far more often than they name a company.
        # A capitalised common noun ("Customer" opening a sentence) is no name: a proper noun is needed.
        names = [
            e.text
            for e in doc.ents
            if e.label_ == "ORG" and not _ACRONYM.fullmatch(e.text.strip()) and any(t.pos_ == "PROPN" for t in e)
        ]
        names = [n for n in names if not re.search(r"[\d\[\]()/#@=\"]", n) and not common_word(n)]
        tally.see("organisations named in the copy", names)


def infer_company(
    paths: Sequence[str | Path], config: Config | None = None, limit: int = 5000, entities: bool = False
) -> CompanyGuess:
    """The company behind the exports under `paths`, with what the guess rests on.

    The name is the candidate seen most often across the kinds of evidence
    (call-note participants, meeting titles, page titles and site name, campaign
    sender names), weighted by the share of each kind it appears in: the seller is
    on every call, the buyer on one. A name needs at least two sightings.
    Domains: Gong's internal parties' domains, and email domains that contain
    the name. At most `limit` files are looked at. With `entities`, the
    organisations spaCy finds in a sample of the copy count too (slow).
    """
    config = config or Config()
    tally, domains, internal = _Tally(), Counter[str](), Counter[str]()
    _scan(paths, config, tally, domains, internal, limit)
    if entities:
        _organisations(paths, config, tally, files=30, chars=4000)
    scores: Counter[str] = Counter()
    sightings: Counter[str] = Counter()
    for kind, counts in tally.by_kind.items():
        for core, seen in counts.items():
            scores[core] += seen / max(tally.totals[kind], 1)
            sightings[core] += seen
    ranked = [core for core, _ in scores.most_common() if sightings[core] >= MIN_EVIDENCE]
    entity_kind = "organisations named in the copy"
    if ranked and set(k for k, c in tally.by_kind.items() if c.get(ranked[0])) == {entity_kind}:
        # Named entities alone are weak evidence: the name must be in a good share of the copy.
        if tally.by_kind[entity_kind][ranked[0]] < ENTITY_SHARE * tally.totals[entity_kind]:
            ranked = []
    guess = CompanyGuess()
    if ranked:
        core = ranked[0]
        # The fullest form seen more than once ("Kestrel Labs" over "Kestrel"), else the commonest.
        forms = tally.display[core]
        repeated = [name for name, seen in forms.items() if seen >= 2 or len(forms) == 1]
        guess.name = max(repeated, key=len) if repeated else forms.most_common(1)[0][0]
        for kind, counts in tally.by_kind.items():
            if counts.get(core):
                guess.evidence.append(f"{kind} ({counts[core]} of {tally.totals[kind]})")
    label = re.sub(r"[^a-z0-9]", "", (company_core(guess.name) if guess.name else ""))
    found = [d for d in internal if d]
    found += [d for d in domains if label and label in re.sub(r"[^a-z0-9]", "", d.split(".")[0]) and d not in found]
    guess.domains = tuple(sorted(found))
    if internal:
        guess.evidence.append(f"Gong internal parties ({', '.join(sorted(internal))})")
    return guess


def our_company(config: Config) -> str | None:
    """The company name the config gives, or None when it gives none (the default placeholder)."""
    name = config.company_name.strip()
    return None if not name or name == Config().company_name else name


def with_company(config: Config, guess: CompanyGuess) -> Config:
    """The config with the inferred company filled in where the config is silent."""
    changes: dict[str, object] = {}
    if guess.name and our_company(config) is None:
        changes["company_name"] = guess.name
    if guess.domains and not config.company_domains:
        changes["company_domains"] = guess.domains
    return config.with_overrides(**changes) if changes else config
