"""`drift init --from PATH`: scan a folder of exports and propose a drift.toml to confirm.

The proposal holds what the exports say, with the evidence beside each line
so a person can check it quickly:

- the company and its email domains (company.py says how they were inferred);
- a roster by voice: every employee the exports mark as ours (Gong's internal
  parties, call-note headers naming our company or a selling title, senders
  on our domains), with counts ("Maria Lopez: 3 calls, header says Account
  Executive"); someone whose own writing sits on the marketing side, or whose
  title is a marketing one, is proposed as marketing, everyone else as a rep;
- sides: `marketing/` and `sales/` folders where they exist, else each top
  folder by what it holds (calls and one-to-one email are sales, pages and
  campaign email are marketing);
- speakers drift could not place, most frequent first, as comments under the
  roster, so it is easy to complete.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from drift.config import Config, write_template
from drift.ingest.callnotes import company_matches
from drift.ingest.company import CompanyGuess, infer_company, with_company
from drift.ingest.discover import discover
from drift.ingest.errors import IngestFailure
from drift.ingest.parse import parse_file
from drift.ingest.voices import is_company_domain, name_key
from drift.model import Document, Participant

MARKETING_TITLE = re.compile(
    r"\b(?:marketing|demand gen(?:eration)?|content|brand|growth|communications|PMM|CMO|events|"
    r"campaigns?|social media|web(?:site)? (?:manager|editor))\b",
    re.I,
)
UNRESOLVED_SHOWN = 25


@dataclass
class Person:
    name: str
    calls: int = 0
    emails: int = 0
    marketing_writing: int = 0  # campaign emails sent, marketing pages authored
    titles: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)  # "Gong says internal", "header", "domain"

    @property
    def voice(self) -> str:
        title = self.titles.most_common(1)[0][0] if self.titles else ""
        if self.marketing_writing or MARKETING_TITLE.search(title):
            return "marketing"
        return "rep"

    def describe(self) -> str:
        parts = []
        if self.calls:
            parts.append(f"{self.calls} call{'s' if self.calls != 1 else ''}")
        if self.emails:
            parts.append(f"{self.emails} email{'s' if self.emails != 1 else ''}")
        if self.marketing_writing:
            parts.append(f"{self.marketing_writing} on the marketing side")
        if self.titles:
            parts.append(f"header says {self.titles.most_common(1)[0][0]}")
        parts.extend(source for source, _ in self.sources.most_common())
        return ", ".join(parts)


@dataclass
class Proposal:
    company: CompanyGuess
    people: dict[str, Person]
    unresolved: Counter[str]  # speaker -> turns
    unresolved_calls: Counter[str]
    sides: dict[str, list[str]]
    files: int = 0
    unreadable: int = 0


def _top_folder(path: Path, root: Path) -> str | None:
    try:
        parts = PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


def _employee(person: Participant, config: Config) -> str | None:
    """Why the export marks this participant as ours, or None."""
    if (person.affiliation or "") == "internal":
        return "header or export says ours"
    domain = person.email.rsplit("@", 1)[1].lower() if person.email and "@" in person.email else None
    if domain and is_company_domain(domain, config):
        return f"writes from {domain}"
    return None


@dataclass
class _Seen:
    """What is kept of a conversation to list its unplaced speakers once the roster is known."""

    call: bool
    turns: Counter[str]
    unknown: set[str]


def _note(doc: Document, config: Config, proposal: Proposal, seen: list[_Seen]) -> None:
    people = proposal.people
    by_key = {name_key(p.name): p for p in doc.participants}
    turns = Counter(t.speaker for t in doc.turns if t.speaker)
    if doc.channel in ("call", "sales_email"):
        unknown = {t.speaker for t in doc.turns if t.speaker and t.voice == "unknown"}
        seen.append(_Seen(doc.channel == "call", turns, unknown))
    for participant in doc.participants:
        why = _employee(participant, config)
        if why is None or (config.company_name and company_matches(config.company_name, participant.name)):
            continue  # a campaign sent under the company's own name is no person
        person = people.setdefault(name_key(participant.name), Person(participant.name))
        if doc.channel == "call" and turns.get(participant.name):
            person.calls += 1
        elif doc.channel in ("sales_email", "campaign_email"):
            person.emails += 1
        if doc.channel == "campaign_email" or (doc.side == "marketing" and doc.channel != "call"):
            person.marketing_writing += 1
        if participant.title:
            person.titles[participant.title] += 1
        person.sources[why] += 1
    for speaker in turns:
        if doc.side == "marketing" and doc.channel in ("web", "doc") and name_key(speaker) not in by_key:
            person = people.get(name_key(speaker))
            if person is not None:
                person.marketing_writing += 1


def propose_config(paths: Sequence[str | Path], entities: bool = True) -> Proposal:
    """Scan the exports under `paths` (every file parsed, nothing stored) and propose a config."""
    company = infer_company(paths, entities=entities)
    config = with_company(Config(), company)
    proposal = Proposal(company, {}, Counter(), Counter(), {"marketing": [], "sales": []})
    roots = [Path(p) for p in paths if Path(p).is_dir()]
    folder_sides: dict[str, Counter[str]] = {}
    seen: list[_Seen] = []
    for path in discover(paths, config):
        proposal.files += 1
        try:
            docs = list(parse_file(path, config))
        except IngestFailure:
            proposal.unreadable += 1
            continue
        top = next((t for r in roots if (t := _top_folder(path, r))), None)
        for doc in docs:
            if top and doc.side:
                folder_sides.setdefault(top, Counter())[doc.side] += 1
            _note(doc, config, proposal, seen)
    # With the proposed roster, a call with one of our people has buyers for the rest (voices.py,
    # rule 4b); whoever is left in a conversation without any of them is listed.
    for conversation in seen:
        ours = any(name_key(s) in proposal.people for s in conversation.turns)
        for speaker in conversation.unknown:
            if name_key(speaker) not in proposal.people and not (ours and conversation.call):
                proposal.unresolved[speaker] += conversation.turns[speaker]
                proposal.unresolved_calls[speaker] += 1
    for folder, counts in sorted(folder_sides.items()):
        if folder.casefold() in ("marketing", "sales"):
            proposal.sides[folder.casefold()].append(f"{folder}/**")
        elif counts:
            proposal.sides[counts.most_common(1)[0][0]].append(f"{folder}/**")
    return proposal


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_proposal(proposal: Proposal, source: str, base: str = "") -> str:
    """The proposed drift.toml: company, roster and sides with their evidence, then the defaults.

    `base` is the scanned folder relative to where the file will be written ("" when it is
    written in that folder), put in front of the [sides] globs.
    """
    prefix = base.strip("/") + "/" if base.strip("/") not in ("", ".") else ""
    company = proposal.company
    lines = [
        f"# drift configuration proposed by `drift init --from {source}`.",
        "# Check every line (drift guessed them from the files), then keep or edit it.",
        f"# Scanned {proposal.files} files ({proposal.unreadable} could not be read or were skipped).",
        "",
        "[company]",
    ]
    if company.name:
        lines += [f"# Inferred from {'; '.join(company.evidence)}.", f"name = {_toml_string(company.name)}"]
    else:
        lines += ["# The company could not be inferred from the files: name it here.", 'name = "Your Company"']
    lines += [f"domains = [{', '.join(_toml_string(d) for d in company.domains)}]", "", "[voices]"]
    for voice in ("marketing", "rep"):
        people = sorted(
            (p for p in proposal.people.values() if p.voice == voice), key=lambda p: (-(p.calls + p.emails), p.name)
        )
        lines.append(f"{voice} = [")
        lines += [f"    {_toml_string(p.name)},  # {p.describe()}" for p in people]
        lines.append("]")
    if proposal.unresolved:
        lines += ["# Speakers drift could not place (counted as unknown), most frequent first.",
                  "# Add each employee to a list above; buyers need no entry."]
        for speaker, turns in proposal.unresolved.most_common(UNRESOLVED_SHOWN):
            calls = proposal.unresolved_calls[speaker]
            lines.append(f"#   {speaker}: {turns} turns in {calls} conversation{'s' if calls != 1 else ''}")
        if len(proposal.unresolved) > UNRESOLVED_SHOWN:
            lines.append(f"#   ... and {len(proposal.unresolved) - UNRESOLVED_SHOWN} more")
    lines += ["", "# Which files are marketing copy and which are sales conversations (folders found)."]
    lines += ["[sides]"]
    for side in ("marketing", "sales"):
        lines.append(f"{side} = [{', '.join(_toml_string(prefix + g) for g in proposal.sides[side])}]")
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "drift.toml"
        write_template(template)
        defaults = template.read_text(encoding="utf-8")
    rest = defaults[defaults.index("\n[ingest]\n") :] if "\n[ingest]\n" in defaults else ""
    return "\n".join(lines) + "\n" + rest
