"""Which side a document is on and whose voice each turn is.

Side, first that applies: the `side` the caller passes (`--side`), the config's
`[sides]` globs, a `marketing/` or `sales/` folder in the path, then the format
(calls and one-to-one emails are sales, bulk campaign emails are marketing).
Copy found nowhere in particular stays unassigned (None) and is reported.

Voice of a turn on the marketing side is always "marketing". On the sales side,
for each speaker, first that applies:
1. Explicit metadata. Affiliation "external" (Gong External, CSV role
   buyer/customer/prospect) is a buyer. Affiliation "internal" (Gong Internal,
   CSV role rep/sales) is an employee: the roster says whether marketing or
   rep, and a colleague not on the roster is a rep.
2. The `[voices]` roster in drift.toml, by display name or by the name in a
   first.last email address, ignoring case, accents, a "(Company)" suffix and
   the "Last, First" order of company directories.
3. An email address on one of `company.domains`: a rep.
4. Heuristics, each documented here so nothing is guessed silently:
   a. an email address on another domain (when company domains are set) is a
      buyer: outsiders write to and meet with sales as prospects;
   b. on a call with at least one known employee (rep or marketing), the
      speakers left are buyers: the roster and company domains describe the
      company's side, and a sales call's other side is the buyer's.
      This is the rule the config template states ("everyone else is a
      buyer"); a colleague missing from the roster would be miscounted, which
      is why the roster should list everyone who speaks on calls;
   c. a document on the sales side that is not a conversation (a playbook,
      a deck, a handbook page) is the sales team's own writing: a rep.
Anyone still unresolved is "unknown", counted by the report, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import cast

from drift.config import Config
from drift.ingest.paths import matches_any, side_from_folders
from drift.model import Channel, Document, Participant, Side, Turn, Voice

_SUFFIX = re.compile(r"\s*(?:\(.*?\)|\[.*?\]|\|.*|<.*?>)\s*")
FORMAT_SIDES: dict[str, Side] = {"call": "sales", "sales_email": "sales", "campaign_email": "marketing"}


def name_key(name: str) -> str:
    """Compare names ignoring case, accents and spacing: "Tomás  Reyes" == "tomas reyes"."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower().rstrip(">") or None


def is_company_domain(domain: str, config: Config) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in config.company_domains)


def path_side(path: Path, config: Config, side: Side | None = None) -> Side | None:
    """The side a file's location gives it (before its format is considered)."""
    if side:
        return side
    if matches_any(config.marketing_globs, path, config.root):
        return "marketing"
    if matches_any(config.sales_globs, path, config.root):
        return "sales"
    return side_from_folders(path, config.root)


def final_channel(channel: Channel, side: Side | None) -> Channel:
    """Email on the marketing side is campaign email; copy on the sales side is a doc."""
    if channel in ("sales_email", "campaign_email"):
        return "campaign_email" if side == "marketing" or channel == "campaign_email" else "sales_email"
    if channel in ("web", "doc"):
        return "doc" if side == "sales" else "web"
    return channel


class Roster:
    """The config's people, looked up by name or by a first.last email address."""

    def __init__(self, config: Config) -> None:
        # parse_config only accepts the roster voices "marketing" and "rep".
        self._voices = {name_key(name): cast(Voice, voice) for name, voice in config.people.items()}

    def voice(self, participant: Participant) -> Voice | None:
        bare = _SUFFIX.sub(" ", participant.name).strip()
        candidates = [participant.name, bare]
        last, comma, first = bare.partition(",")
        if comma and "," not in first:
            candidates.append(f"{first} {last}")  # directory style "Oyelaran, Marcus"
        if participant.email and "@" in participant.email:
            local = participant.email.split("@", 1)[0]
            candidates.append(re.sub(r"[._-]+", " ", local))
        for candidate in candidates:
            voice = self._voices.get(name_key(candidate))
            if voice:
                return voice
        return None


def speaker_voice(participant: Participant, roster: Roster, config: Config) -> Voice | None:
    """Voice from metadata, roster, domain and the email heuristic; None if unresolved."""
    affiliation = (participant.affiliation or "").lower()
    if affiliation == "external":
        return "buyer"
    known = roster.voice(participant)
    if affiliation == "internal":
        return known or "rep"
    if known:
        return known
    domain = _email_domain(participant.email)
    if domain and is_company_domain(domain, config):
        return "rep"
    if domain and config.company_domains:
        return "buyer"
    return None


def resolve_voices(doc: Document, side: Side | None, config: Config) -> tuple[Turn, ...]:
    if side == "marketing":
        return tuple(replace(turn, voice="marketing") for turn in doc.turns)
    if side != "sales":
        return tuple(replace(turn, voice="unknown") for turn in doc.turns)
    roster = Roster(config)
    by_name = {name_key(p.name): p for p in doc.participants}
    speakers = list(dict.fromkeys(t.speaker for t in doc.turns if t.speaker))
    voices: dict[str, Voice | None] = {
        s: speaker_voice(by_name.get(name_key(s)) or Participant(name=s), roster, config) for s in speakers
    }
    unresolved = [s for s, v in voices.items() if v is None]
    resolved = [v for v in voices.values() if v is not None]
    if doc.channel == "call" and {"rep", "marketing"} & set(resolved):
        voices.update(dict.fromkeys(unresolved, "buyer"))
    if doc.channel in ("web", "doc"):
        # Rule 4c: a page, deck or playbook on the sales side is the sales team's own writing.
        return tuple(replace(t, voice=(voices.get(t.speaker) if t.speaker else None) or "rep") for t in doc.turns)
    return tuple(
        replace(t, voice=(voices.get(t.speaker) if t.speaker else None) or "unknown") for t in doc.turns
    )


def finish(doc: Document, side_of_path: Side | None, config: Config) -> Document:
    """Give a parsed document its side, final channel and turn voices."""
    side = side_of_path or FORMAT_SIDES.get(doc.channel)
    channel = final_channel(doc.channel, side)
    placed = replace(doc, side=side, channel=channel)
    return replace(placed, turns=resolve_voices(placed, side, config))
