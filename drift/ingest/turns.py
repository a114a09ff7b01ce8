"""Building turns from timed utterances: clocks, speaker labels, merging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from drift.model import Turn

CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_CLOCK_PARTS = re.compile(r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?\Z")
# A speaker label: starts with a letter, then letters, digits, spaces and the
# punctuation real display names use ("Mary-Ann O'Neil", "J. Ortiz", "Speaker 2").
NAME = r"[^\W\d_][\w.'’ \-]{0,58}?"
# Zoom labels dial-in callers by their number: "+1 330-555-0119: Hello?".
PHONE_LABEL = r"\+?\d[\d ().-]{6,}\d"
# Display names may carry a company or pronouns in brackets: "Tomás Reyes (Kestrel)".
_LABEL_SUFFIX = r"(?:[ \t]*\([^():\n]{1,40}\))?"
_SPEAKER_PREFIX = re.compile(
    rf"^\s*(?:\[(?P<bracket>{NAME})\]:?|(?P<plain>{NAME}{_LABEL_SUFFIX}|{PHONE_LABEL}):)\s+(?P<text>\S.*)\Z",
    re.S,
)
# A transcript line: "Dana: text", "**Dana Whitfield:** text", "[00:01:15] Dana: text",
# "**[00:01:15] Dana:** text", "Dana (01:15): text".
_TURN_LINE = re.compile(
    rf"""^\s*
    (?:\*\*|__)?  # "**[00:00:41] Sam Okafor:**" puts the clock inside the bold
    (?:[\[(](?P<pre>{CLOCK})[\])]\s*)?
    (?:\*\*|__)?
    (?P<name>{NAME})
    (?:\*\*|__)?
    \s*(?:[\[(](?P<post>{CLOCK})[\])]\s*)?
    (?:\*\*|__)?:(?:\*\*|__)?
    \s+(?P<text>\S.*)\Z""",
    re.X,
)
# Otter.ai text export speaker line: "Dana Whitfield  0:05" or "Dana Whitfield  1:02:03".
OTTER_SPEAKER_LINE = re.compile(
    rf"^(?P<name>{NAME})[ \t]{{2,}}(?P<clock>(?:\d{{1,2}}:)?\d{{1,2}}:\d{{2}})[ \t]*\Z"
)
_NAME_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du", "bin", "al"}
)
# Labels that look like "Name:" in prose and notes but are never speakers.
NOT_SPEAKERS = frozenset(
    (
        "note|notes|nb|ps|p.s|update|edit|tip|warning|important|summary|agenda|action items|next steps|"
        "q|a|question|answer|re|fwd|fw|subject|from|to|cc|bcc|sent|date|time|location|http|https|example|"
        "result|results|step|goal|goals|outcome|todo|source|"
        # transcript header keys
        "title|call|meeting|participants|attendees|speakers|duration|recorded|call id|meeting id|call date|"
        "call type|meeting type|deal stage|length|recording|platform|attendee|call notes|meeting notes"
    ).split("|")
)
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*\s*\Z")


@dataclass(frozen=True)
class Utterance:
    """One cue, sentence group or row before consecutive ones are merged."""

    text: str
    speaker: str | None
    start_ms: int | None = None
    locator: str | None = None


def clock(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_clock(value: str) -> int | None:
    """Milliseconds from "1:02:03", "12:31", "00:12:31.500" or "00:12:31,500"."""
    match = _CLOCK_PARTS.match(value.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    ms = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def is_name_shaped(name: str) -> bool:
    """Looks like a person's display name: 1-6 words, capitalised, not a label."""
    words = name.split()
    if not 1 <= len(words) <= 6 or name.casefold().rstrip(".") in NOT_SPEAKERS:
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.casefold() in _NAME_PARTICLES for w in words)


def split_speaker(text: str) -> tuple[str, str] | None:
    """("Dana Whitfield", "text") from "Dana Whitfield: text" or "[Dana Whitfield] text"."""
    match = _SPEAKER_PREFIX.match(text)
    if not match:
        return None
    name = (match.group("bracket") or match.group("plain")).strip()
    if len(name.split()) > 6 or name.casefold().rstrip(".") in NOT_SPEAKERS:
        return None
    return name, match.group("text").strip()


@dataclass(frozen=True)
class TurnLine:
    name: str
    text: str
    start_ms: int | None


def parse_turn_line(line: str) -> TurnLine | None:
    match = _TURN_LINE.match(line)
    if not match:
        return None
    name = match.group("name").strip()
    if len(name.split()) > 6 or name.casefold().rstrip(".") in NOT_SPEAKERS:
        return None
    stamp = match.group("pre") or match.group("post")
    return TurnLine(name, match.group("text").strip(), parse_clock(stamp) if stamp else None)


def accepted_speakers(candidates: Iterable[str]) -> set[str]:
    """Candidate labels that are speakers: name-shaped, or used for at least two cues.

    A cue like "So the thing is: we need it" would otherwise turn "So the thing
    is" into a speaker; real names either look like names or recur.
    """
    counts: dict[str, int] = {}
    for name in candidates:
        counts[name] = counts.get(name, 0) + 1
    return {name for name, count in counts.items() if count >= 2 or is_name_shaped(name)}


def merge_utterances(utterances: Iterable[Utterance]) -> tuple[Turn, ...]:
    """Consecutive utterances by the same speaker become one turn.

    Captioning tools split speech into short cues; a turn is what one person
    said before someone else spoke. Cues without a speaker are merged until a
    sentence ends, so a sentence split across cues stays whole.
    """
    turns: list[Turn] = []
    texts: list[str] = []
    first: Utterance | None = None

    def close() -> None:
        if first is not None and texts:
            turns.append(
                Turn(
                    text=" ".join(texts),
                    speaker=first.speaker,
                    locator=first.locator,
                    start_ms=first.start_ms,
                )
            )

    for utterance in utterances:
        text = " ".join(utterance.text.split())
        if not text:
            continue
        same_speaker = first is not None and utterance.speaker == first.speaker
        if same_speaker and (utterance.speaker is not None or not _SENTENCE_END.search(texts[-1])):
            texts.append(text)
            continue
        close()
        first, texts = utterance, [text]
    close()
    return tuple(turns)
