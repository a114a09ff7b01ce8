"""Call transcripts: Gong JSON, WebVTT (Zoom, Teams), SRT, Otter, text and CSV.

Every parser yields one Document per call with channel "call", turns that
merge consecutive cues by the same speaker, locators "HH:MM:SS" where times
are known, and participants with whatever the export says about them.
Side and voices are resolved afterwards (voices.finish).
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp

from drift.config import Config
from drift.ingest.callnotes import affiliate, outcome_of, parse_participant, read_header, split_entries
from drift.ingest.company import our_company
from drift.ingest.copy import split_front_matter
from drift.ingest.dates import date_from_path, parse_date, parse_written_date
from drift.ingest.errors import IngestFailure
from drift.ingest.paths import meeting_title
from drift.ingest.textio import csv_rows, read_text
from drift.ingest.turns import (
    OTTER_SPEAKER_LINE,
    Utterance,
    accepted_speakers,
    clock,
    merge_utterances,
    parse_clock,
    parse_turn_line,
    split_speaker,
)
from drift.ingest.voices import name_key
from drift.model import Document, Participant

# ---------------------------------------------------------------- Gong

GONG_AFFILIATIONS = {"internal": "internal", "external": "external"}  # "Unknown" says nothing
GONG_OUTCOMES = {"closed won": "won", "closed lost": "lost"}


def load_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        if not text.rstrip().endswith(("}", "]")):
            raise IngestFailure(f"invalid JSON: the file ends early, truncated? ({err.msg})") from None
        raise IngestFailure(f"invalid JSON at line {err.lineno}, column {err.colno} ({err.msg})") from None
    except RecursionError:
        raise IngestFailure("invalid JSON: nested too deeply") from None


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise IngestFailure(f"Gong export: '{key}' should be a list, found {type(value).__name__}")
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise IngestFailure(f"Gong export: {what} should be an object, found {type(value).__name__}")
    return value


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _ms(value: Any) -> int | None:
    return (
        int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None
    )


def _call_id(call: dict[str, Any]) -> str:
    meta = _dict(call.get("metaData", {}), "a call's 'metaData'")
    return str(meta.get("id", ""))


def gong_sections(data: Any) -> tuple[dict[str, dict[str, Any]], list[tuple[str, list[Any]]]]:
    """Call metadata by call id, and (call id, transcript items) pairs.

    Accepts the API's `/v2/calls/extensive` shape (`calls[]`), the
    `/v2/calls/transcript` shape (`callTranscripts[]`), both in one object, a
    single call object with `metaData`, or a list of any of these.
    """
    calls: dict[str, dict[str, Any]] = {}
    transcripts: list[tuple[str, list[Any]]] = []
    for item in data if isinstance(data, list) else [data]:
        item = _dict(item, "each top-level entry")
        for call in _list(item, "calls"):
            call = _dict(call, "each entry of 'calls'")
            calls[_call_id(call)] = call
        if "metaData" in item:
            calls[_call_id(item)] = item
            if "transcript" in item:
                transcripts.append((_call_id(item), _list(item, "transcript")))
        for entry in _list(item, "callTranscripts"):
            entry = _dict(entry, "each entry of 'callTranscripts'")
            if not isinstance(entry.get("transcript"), list):
                raise IngestFailure("Gong export: a 'callTranscripts' entry has no 'transcript' list")
            transcripts.append((str(entry.get("callId", "")), entry["transcript"]))
    return calls, transcripts


@lru_cache(maxsize=8)
def _calls_in_folder(folder: Path, signature: tuple[tuple[str, int, int], ...]) -> dict[str, dict[str, Any]]:
    """Call metadata from every Gong JSON file in a folder (signature keys the cache)."""
    found: dict[str, dict[str, Any]] = {}
    for name, _size, _mtime in signature:
        path = folder / name
        try:
            with path.open("rb") as handle:
                if b'"metaData"' not in handle.read(64 * 1024):
                    continue
            calls, _ = gong_sections(load_json(path))
        except (IngestFailure, OSError):
            continue  # a broken sibling is reported when it is ingested itself
        found.update(calls)
    return found


def sibling_call_metadata(path: Path) -> dict[str, dict[str, Any]]:
    """Gong often exports transcripts and call metadata as separate files side by side."""
    siblings = []
    for sibling in sorted(path.parent.glob("*.json")):
        try:
            stat = sibling.stat()
        except OSError:
            continue
        siblings.append((sibling.name, stat.st_size, stat.st_mtime_ns))
    return _calls_in_folder(path.parent, tuple(siblings))


def _party(party: dict[str, Any]) -> Participant:
    speaker_id = party.get("speakerId")
    name = _text(party.get("name")) or _text(party.get("emailAddress")) or f"Gong speaker {speaker_id}"
    affiliation = _text(party.get("affiliation"))
    return Participant(
        name=name,
        email=_text(party.get("emailAddress")),
        title=_text(party.get("title")),
        affiliation=GONG_AFFILIATIONS.get((affiliation or "").lower()),
    )


def gong_outcome(call: dict[str, Any]) -> str | None:
    """The deal outcome, won or lost, from the Salesforce opportunity stage in the call's CRM context."""
    for system in call.get("context") or []:
        objects = system.get("objects") if isinstance(system, dict) else None
        for obj in objects if isinstance(objects, list) else []:
            if not isinstance(obj, dict) or str(obj.get("objectType", "")).lower() != "opportunity":
                continue
            for field in obj.get("fields") or []:
                if isinstance(field, dict) and field.get("name") == "StageName":
                    outcome = GONG_OUTCOMES.get(str(field.get("value", "")).strip().lower())
                    if outcome:
                        return outcome
    return None


def _gong_document(path: Path, call_id: str, items: list[Any], call: dict[str, Any]) -> Document:
    meta = _dict(call.get("metaData", {}), "a call's 'metaData'")
    parties = [_dict(p, "each entry of 'parties'") for p in _list(call, "parties")]
    participants = [_party(p) for p in parties]
    names = {
        str(p.get("speakerId")): person.name
        for p, person in zip(parties, participants, strict=True)
        if p.get("speakerId")
    }
    utterances = []
    for item in items:
        item = _dict(item, "each transcript entry")
        speaker_id = str(item.get("speakerId", ""))
        sentences = [_dict(s, "each sentence") for s in _list(item, "sentences")]
        texts = [text for s in sentences if (text := _text(s.get("text")))]
        if not texts:
            continue
        start = _ms(sentences[0].get("start"))
        if speaker_id not in names:
            names[speaker_id] = f"Gong speaker {speaker_id}"
            participants.append(Participant(name=names[speaker_id]))
        utterances.append(
            Utterance(" ".join(texts), names[speaker_id], start, clock(start) if start is not None else None)
        )
    return Document(
        source=str(path),
        format="gong_json",
        side=None,
        channel="call",
        turns=merge_utterances(utterances),
        date=parse_date(meta.get("started")) or parse_date(meta.get("scheduled")) or date_from_path(path),
        title=_text(meta.get("title")),
        thread_id=call_id or None,
        part=call_id,
        participants=tuple(participants),
        outcome=gong_outcome(call),
    )


def parse_gong(path: Path, config: Config) -> Iterator[Document]:
    calls, transcripts = gong_sections(load_json(path))
    if not transcripts and not calls:
        raise IngestFailure("a Gong export with neither 'callTranscripts' nor 'calls'")
    # A metadata-only file yields nothing: its transcripts' files read it as a sibling.
    if any(call_id not in calls for call_id, _ in transcripts):
        calls = {**sibling_call_metadata(path), **calls}
    documents = [
        _gong_document(path, call_id, items, calls.get(call_id, {})) for call_id, items in transcripts
    ]
    if transcripts and not any(doc.turns for doc in documents):
        raise IngestFailure("no text found: the Gong transcripts have no sentences")
    yield from (doc for doc in documents if doc.turns)


# ---------------------------------------------------------------- WebVTT and SRT

# WebVTT writes "00:01:02.500"; Microsoft Teams writes "0:1:2.5" ("H:M:S.f"), which
# webvtt-py reads when not in strict mode, so only the shape is checked here.
_VTT_TIMESTAMP = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_VTT_TIMING = re.compile(rf"^[ \t]*{_VTT_TIMESTAMP}[ \t]+-->[ \t]+{_VTT_TIMESTAMP}(?:[ \t]+\S.*)?\Z")
_SRT_TIMESTAMP = r"\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}"
_SRT_TIMING = re.compile(rf"^[ \t]*{_SRT_TIMESTAMP}[ \t]*-->[ \t]*{_SRT_TIMESTAMP}(?:[ \t]+\S.*)?\Z")
# Teams writes the speaker as a voice span: <v Dana Whitfield>text</v>.
_VOICE_SPAN = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>]+)>(.*?)(?=</v>|<v[ .\t]|\Z)", re.S)
_CUE_TAG = re.compile(r"<[^>]*>")


def _check_timings(text: str, timing: re.Pattern[str], label: str) -> None:
    """Name the first broken timing line; the caption library would skip or fail vaguely."""
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" in line and not timing.match(line):
            raise IngestFailure(
                f"{label} with a broken cue timestamp on line {number}: {line.strip()[:80]!r}"
            )
        if "-->" in line and timing is _VTT_TIMING:
            # In lenient mode webvtt-py skips a cue with an impossible time ("00:00:75.000")
            # without a word; its own timestamp reader says what is wrong.
            for stamp in re.findall(_VTT_TIMESTAMP, line)[:2]:
                try:
                    Timestamp.from_string(stamp)
                except MalformedCaptionError as err:
                    raise IngestFailure(f"{label} with a broken cue timestamp on line {number}: {err}") from None


def _cue_text(raw: str) -> str:
    return " ".join(html.unescape(_CUE_TAG.sub("", raw)).split())


def _caption_utterances(captions: list[webvtt.Caption]) -> list[Utterance]:
    """Speakers from voice spans, or from "Name: text" prefixes that recur or look like names."""
    cues: list[tuple[int, list[tuple[str | None, str]]]] = []
    for caption in captions:
        start = caption.start_time.in_milliseconds()
        spans = _VOICE_SPAN.findall(caption.raw_text)
        if spans:
            cues.append((start, [(" ".join(name.split()), _cue_text(body)) for name, body in spans]))
        else:
            cues.append((start, [(None, _cue_text(caption.raw_text))]))
    prefixed = [split_speaker(text) for _, parts in cues for name, text in parts if name is None]
    speakers = accepted_speakers(found[0] for found in prefixed if found)
    utterances = []
    for start, parts in cues:
        for name, text in parts:
            if name is None and (found := split_speaker(text)) and found[0] in speakers:
                name, text = found
            utterances.append(Utterance(text, name, start, clock(start)))
    return utterances


def _recording_document(path: Path, fmt: str, utterances: list[Utterance]) -> Document:
    return Document(
        source=str(path),
        format=fmt,
        side=None,
        channel="call",
        turns=merge_utterances(utterances),
        date=date_from_path(path),
        title=meeting_title(path),
        participants=tuple(
            Participant(name=n) for n in dict.fromkeys(u.speaker for u in utterances if u.speaker)
        ),
    )


def parse_vtt(path: Path, config: Config) -> Iterator[Document]:
    """WebVTT from Zoom ("Name: text" cues) or Teams (`<v Name>` spans, GUID or "n-m" cue ids,
    "0:0:0.570" times, cues that overlap when two people talk at once).

    Cues are put in order of their start time, so overlapping speech reads in the
    order it was said; webvtt-py does the parsing, in its lenient mode.
    """
    text = read_text(path)
    _check_timings(text, _VTT_TIMING, "a WebVTT file")
    try:
        captions = webvtt.from_string(text, strict=False).captions
    except (MalformedFileError, MalformedCaptionError) as err:
        raise IngestFailure(f"not a valid WebVTT file ({err})") from None
    captions = sorted(captions, key=lambda caption: caption.start_time.in_milliseconds())
    yield _recording_document(path, "vtt", _caption_utterances(captions))


def parse_srt(path: Path, config: Config) -> Iterator[Document]:
    text = read_text(path)
    _check_timings(text, _SRT_TIMING, "an SRT file")
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format="srt").captions
    except (MalformedFileError, MalformedCaptionError) as err:
        raise IngestFailure(f"not a valid SRT file ({err})") from None
    yield _recording_document(path, "srt", _caption_utterances(captions))


# ---------------------------------------------------------------- Otter

_OTTER_FOOTER = re.compile(r"^\s*Transcribed by https?://otter\.ai\s*$", re.I)


def parse_otter(path: Path, config: Config) -> Iterator[Document]:
    """Otter's text export: a "Name  0:05" line, the words, a blank line."""
    utterances: list[Utterance] = []
    speaker: tuple[str, int | None] | None = None
    lines: list[str] = []

    def close() -> None:
        if speaker and lines:
            start = speaker[1]
            utterances.append(
                Utterance(" ".join(lines), speaker[0], start, clock(start) if start is not None else None)
            )

    for line in read_text(path).split("\n"):
        match = OTTER_SPEAKER_LINE.match(line.strip())
        if match:
            close()
            speaker, lines = (match.group("name").strip(), parse_clock(match.group("clock"))), []
        elif line.strip() and not _OTTER_FOOTER.match(line):
            lines.append(line.strip())
    close()
    yield _recording_document(path, "otter", utterances)


# ---------------------------------------------------------------- text and markdown transcripts

_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<text>.+?)\s*#*\s*$")


def _front_matter_participants(value: Any) -> list[Participant]:
    people = []
    for item in value if isinstance(value, list) else [value] if value else []:
        if isinstance(item, dict) and item.get("name"):
            entry = parse_participant(str(item["name"]))
            people.append(
                Participant(
                    name=entry.name,
                    email=_text(item.get("email")) or entry.email,
                    title=_text(item.get("title")) or entry.title,
                    affiliation=GONG_AFFILIATIONS.get(str(item.get("affiliation", "")).lower()),
                    company=_text(item.get("company")) or entry.company,
                )
            )
        elif isinstance(item, str):
            people.extend(parse_participant(e) for e in split_entries(item))
    return people


def _full_names(speakers: list[str], participants: list[Participant]) -> dict[str, str]:
    """Map "Dana" to "Dana Whitfield" when the header lists exactly one Dana."""
    by_first: dict[str, list[str]] = {}
    for person in participants:
        words = person.name.split()
        if words:
            by_first.setdefault(name_key(words[0]), []).append(person.name)
    full = {name_key(p.name): p.name for p in participants}
    mapping = {}
    for speaker in speakers:
        key = name_key(speaker)
        if key in full:
            mapping[speaker] = full[key]
        elif len(by_first.get(key, [])) == 1:
            mapping[speaker] = by_first[key][0]
    return mapping


def parse_text_transcript(path: Path, config: Config) -> Iterator[Document]:
    """Turns written "Name: text" or "**Name:** text", after an optional header block.

    The header (front matter, and/or "Call ID:", "Date:", "Participants:",
    "Outcome:" lines with a participants list, ended by a rule or the first
    turn; see callnotes.py) gives title, date, call id, outcome and people; its
    lines are never turns. Lines that are not turns continue the previous turn.
    """
    metadata, body, offset = split_front_matter(read_text(path))
    lines = body.split("\n")
    header = read_header(lines)
    start = header.end if header else 0
    parsed = [parse_turn_line(line) if index >= start else None for index, line in enumerate(lines)]
    speakers = accepted_speakers(t.name for t in parsed if t)
    first_turn = next((i for i, t in enumerate(parsed) if t and t.name in speakers), len(lines))
    if header is None:
        # Loose header lines before the first turn ("Date: ...", a title heading).
        header = read_header(lines[:first_turn])
    title = _text(str(metadata.get("title", ""))) if metadata.get("title") else None
    people = _front_matter_participants(metadata.get("participants"))
    if header is not None:
        title = title or header.title
        people += [parse_participant(entry) for entry in header.entries]
    elif first_turn and _HEADING.match(lines[0]):
        title = title or _HEADING.match(lines[0]).group("text")  # type: ignore[union-attr]
    when = parse_date(metadata.get("date")) or parse_written_date(header.date if header else None)
    outcome = outcome_of(str(metadata["outcome"])) if metadata.get("outcome") else None
    outcome = outcome or outcome_of(header.outcome if header else None)
    call_id = _text(str(metadata.get("call_id", ""))) or (header.call_id if header else None)
    # The account line and the title name the customer ("Vireo Health - security review").
    named = (header.account, title) if header is not None else (title,)
    participants = affiliate(people, our_company(config), config.company_domains, named)

    full_names = _full_names(sorted(speakers), participants)
    utterances: list[Utterance] = []
    for index in range(first_turn, len(lines)):
        turn, line = parsed[index], lines[index].strip()
        if turn and turn.name in speakers:
            name = full_names.get(turn.name, turn.name)
            locator = clock(turn.start_ms) if turn.start_ms is not None else f"line {index + 1 + offset}"
            utterances.append(Utterance(turn.text, name, turn.start_ms, locator))
        elif line and utterances and not _HEADING.match(line) and not re.fullmatch(r"[-*_]{3,}", line):
            last = utterances[-1]
            utterances[-1] = Utterance(f"{last.text} {line}", last.speaker, last.start_ms, last.locator)
    known = {name_key(p.name) for p in participants}
    participants += [
        Participant(name=n)
        for n in dict.fromkeys(u.speaker for u in utterances if u.speaker)
        if name_key(n) not in known
    ]
    yield Document(
        source=str(path),
        format="text_transcript",
        side=None,
        channel="call",
        turns=merge_utterances(utterances),
        date=when or date_from_path(path),
        title=title,
        thread_id=call_id,
        participants=tuple(participants),
        outcome=outcome,
    )


# ---------------------------------------------------------------- CSV, one row per utterance

# Values of the CSV role column that say which side of the table someone sat on.
INTERNAL_ROLES = "rep sales seller ae sdr bdr se internal employee host marketing company us".split()
EXTERNAL_ROLES = "buyer customer prospect client external guest lead them".split()
ROLE_AFFILIATIONS = {**dict.fromkeys(INTERNAL_ROLES, "internal"), **dict.fromkeys(EXTERNAL_ROLES, "external")}


def _row_offset(value: str) -> tuple[int | None, str | None]:
    """(ms into the call, ISO datetime text) from a timestamp cell: "00:12:31", "751.5" s or ISO."""
    value = value.strip()
    if not value:
        return None, None
    ms = parse_clock(value)
    if ms is not None:
        return ms, None
    try:
        return int(float(value) * 1000), None
    except (ValueError, OverflowError):
        return None, value


def parse_csv_calls(path: Path, config: Config, text: str) -> Iterator[Document]:
    """Rows grouped by call id (the whole file is one call without that column).

    A numeric timestamp is seconds from the start of the call; a date-time
    timestamp gives the call's date and the offset from its first row.
    """
    columns = config.csv
    _, rows = csv_rows(text)
    calls: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        calls.setdefault(row.get(columns.call_id.lower(), "").strip(), []).append((line, row))
    for call_id, call_rows in calls.items():
        utterances: list[Utterance] = []
        affiliations: dict[str, str] = {}
        first_moment = None
        when = None
        for line, row in call_rows:
            speaker = (row.get(columns.speaker.lower()) or "").strip() or None
            ms, moment = _row_offset(row.get(columns.timestamp.lower()) or "")
            if moment:
                stamp = _datetime(moment)
                if stamp is not None:
                    first_moment = first_moment or stamp
                    ms = _offset_ms(first_moment, stamp)
                    when = when or stamp.date()
            role = (row.get(columns.role.lower()) or "").strip().lower()
            if speaker and role in ROLE_AFFILIATIONS:
                affiliations.setdefault(speaker, ROLE_AFFILIATIONS[role])
            when = when or parse_date(row.get(columns.date.lower()))
            locator = clock(ms) if ms is not None else f"row {line}"
            utterances.append(Utterance(row.get(columns.text.lower()) or "", speaker, ms, locator))
        speakers = dict.fromkeys(u.speaker for u in utterances if u.speaker)
        yield Document(
            source=str(path),
            format="csv_calls",
            side=None,
            channel="call",
            turns=merge_utterances(utterances),
            date=when or date_from_path(path),
            thread_id=call_id or None,
            part=call_id,
            participants=tuple(Participant(name=s, affiliation=affiliations.get(s)) for s in speakers),
        )


def _offset_ms(first: datetime, later: datetime) -> int | None:
    try:
        return max(int((later - first).total_seconds() * 1000), 0)
    except TypeError:  # one timestamp has a time zone and the other not
        return None


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None
