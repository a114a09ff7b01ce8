"""Recognise a file's format from its first bytes, using the extension only as a tie-break.

Exports get renamed, so content wins: a `.txt` that starts with WEBVTT is a
VTT transcript, a `.json` without Gong's keys is not a Gong export. Plain text
and markdown have no signature, so they are recognised by extension only.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from drift.ingest.callnotes import parse_participant, read_header
from drift.ingest.textio import sniff_text
from drift.ingest.turns import OTTER_SPEAKER_LINE, accepted_speakers, parse_turn_line
from drift.ingest.voices import name_key

# Formats detect_format returns, with the words used in messages.
FORMAT_LABELS: dict[str, str] = {
    "gong_json": "Gong JSON export",
    "vtt": "WebVTT transcript",
    "srt": "SRT subtitle transcript",
    "otter": "Otter text transcript",
    "text_transcript": "text transcript",
    "csv": "CSV export",
    "eml": "email message",
    "mbox": "mailbox",
    "html": "HTML page",
    "markdown": "markdown document",
    "text": "text document",
    "pdf": "PDF document",
    "docx": "Word document",
}
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# Page templates as they sit in a website repository: HTML with template tags.
TEMPLATE_SUFFIXES = frozenset(
    {".ejs", ".erb", ".njk", ".nunjucks", ".liquid", ".hbs", ".handlebars", ".mustache", ".jinja", ".jinja2", ".j2"}
)
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
# Extensions that promise a format drift reads: a file under one of them that cannot be
# read is a failure. Anything else drift cannot read is skipped, not failed.
SUPPORTED_SUFFIXES = (
    MARKDOWN_SUFFIXES
    | HTML_SUFFIXES
    | TEMPLATE_SUFFIXES
    | CSV_SUFFIXES
    | {".txt", ".text", ".vtt", ".srt", ".eml", ".mbox", ".pdf", ".docx"}
)
# Structured data and configuration: never prose, even when its lines look like "key: value".
DATA_SUFFIXES = frozenset(
    {".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".xml", ".plist", ".properties", ".lock", ".env"}
)
# Words for the kinds of files drift skips, by extension, for the ingest summary.
_KINDS: dict[str, str] = {
    **dict.fromkeys(".png .jpg .jpeg .gif .webp .svg .ico .bmp .tif .tiff .heic .avif".split(), "image"),
    **dict.fromkeys(".zip .tar .gz .tgz .bz2 .xz .7z .rar".split(), "archive"),
    **dict.fromkeys(".woff .woff2 .ttf .otf .eot".split(), "font"),
    **dict.fromkeys(".mp3 .m4a .wav .ogg .flac .mp4 .mov .webm .avi .mkv".split(), "audio or video"),
    **dict.fromkeys(".xlsx .xls .ods .numbers .pptx .ppt .key .odp".split(), "spreadsheet or slides"),
    ".json": "JSON that is not a Gong export",
    **dict.fromkeys(".yml .yaml".split(), "YAML data"),
    **dict.fromkeys(sorted(DATA_SUFFIXES - {".yml", ".yaml"}), "configuration or data"),
}

_GONG_KEYS = re.compile(r'"(?:callTranscripts|metaData)"\s*:')
_MBOX_FROM = re.compile(r"From \S+ +\S")
_SRT_START = re.compile(r"\d+[ \t]*\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_HTML_TAG = re.compile(r"<(?:p|div|h[1-6]|title|meta|section|article|span|table|ul)\b", re.I)
_HEADER_LINE = re.compile(r"([!-9;-~]+):(?:[ \t]|$)")
_EMAIL_ANCHORS = frozenset({"from", "received", "message-id", "return-path", "delivered-to", "mime-version"})
_EMAIL_HEADERS = frozenset(
    {"to", "cc", "subject", "date", "message-id", "in-reply-to", "references", "reply-to", "content-type"}
)
# Default column names that mark a delimited first line as a CSV header.
_CSV_COLUMNS = frozenset(
    "call_id callid speaker text timestamp role date from to subject body sender recipients utterance start".split()
)


def _email_headers(text: str) -> bool:
    """The text opens with an RFC 5322 header block naming a sender."""
    names: set[str] = set()
    for line in text.split("\n"):
        if not line.strip():
            break
        if line[0] in " \t":
            if not names:
                return False
            continue
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        names.add(match.group(1).lower())
    return bool(names & _EMAIL_ANCHORS) and bool(names & _EMAIL_HEADERS)


def _csv_header(text: str) -> bool:
    first = text.split("\n", 1)[0].lower()
    for delimiter in ",;\t|":
        fields = {field.strip().strip('"') for field in first.split(delimiter)}
        if len(fields) >= 2 and len(fields & _CSV_COLUMNS) >= 2:
            return True
    return False


def _body_after_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return text[end + 4 :]
    return text


def _otter(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    return bool(lines) and OTTER_SPEAKER_LINE.match(lines[0].strip()) is not None


def _looks_like_transcript(text: str) -> bool:
    """Most turns are "Name: text" lines and speakers recur.

    Marketing copy has "**Label:** text" lines too (feature lists), but each
    label appears once; in a conversation the same few people speak again.
    """
    lines = _body_after_front_matter(text).split("\n")
    header = read_header(lines)
    if header is not None:
        # Call notes with a header block: its lines are metadata, not turns.
        lines = lines[header.end :]
    names = [line.name for line in map(parse_turn_line, lines) if line is not None]
    if len(names) < 3:
        return False
    if header is not None and header.entries and _speakers_listed(names, header.entries):
        # The people who speak are the participants the header lists: a call, however
        # long its turns run over several paragraphs.
        return len(set(names)) >= 2
    # In a transcript most lines are turns; a handbook page with a Q:/A: section or a
    # few "**Customer:**" quotes is still a page.
    content_lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if len(names) < 0.5 * len(content_lines) or _fixed_cycle(names):
        return False
    speakers = accepted_speakers(names)
    repeated = {name for name in speakers if names.count(name) >= 2}
    distinct = set(names)
    return len(distinct) >= 2 and bool(repeated) and len(distinct) <= max(2, len(names) // 2)


def _speakers_listed(names: list[str], entries: list[str]) -> bool:
    """At least two distinct speakers are participants named in the header (full or first name)."""
    listed = set()
    for entry in entries:
        name = parse_participant(entry).name
        listed.add(name_key(name))
        listed.add(name_key(name.split()[0]) if name.split() else "")
    return len({name_key(n) for n in names} & listed) >= 2


def _fixed_cycle(labels: list[str]) -> bool:
    """Field records ("Vertical: ..., Problem: ..., Solution: ...") repeat the same labels
    in the same order; four or more people on a call do not speak in a fixed round."""
    if len(set(labels)) < 4:
        return False
    successors: dict[str, Counter[str]] = {}
    for current, following in zip(labels, labels[1:]):
        successors.setdefault(current, Counter())[following] += 1
    # Share of transitions that go to each label's usual successor.
    usual = sum(counts.most_common(1)[0][1] for counts in successors.values())
    return usual >= 0.7 * (len(labels) - 1)


def detect_format(path: Path, head: bytes) -> str | None:
    """The format of a file from its first bytes (and its name as a tie-break), or None."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        # A .docx is a ZIP package; other ZIPs (xlsx, archives) are not read.
        return "docx" if suffix == ".docx" or b"word/" in head else None
    text = sniff_text(head)
    if text is None:
        return None
    stripped = text.lstrip("\ufeff \t\n")
    if not stripped or suffix in DATA_SUFFIXES:
        return None
    if suffix in TEMPLATE_SUFFIXES:
        return "html"
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if stripped[0] in "{[":
        if _GONG_KEYS.search(text):
            return "gong_json"
        # A page may open with a link or a shortcode ("[Book a demo](...)", "{% raw %}"):
        # a named copy or text file stays one; only other files are taken for JSON.
        if suffix not in (MARKDOWN_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES) - {""}:
            return None
    if _MBOX_FROM.match(text):
        return "mbox"
    if _email_headers(stripped):
        return "eml"
    if _HTML_START.match(stripped) or (suffix in HTML_SUFFIXES and _HTML_TAG.search(stripped)):
        return "html"
    if _SRT_START.match(stripped):
        return "srt"
    if suffix in CSV_SUFFIXES or _csv_header(stripped):
        return "csv"
    if _otter(stripped):
        return "otter"
    if _looks_like_transcript(stripped):
        return "text_transcript"
    if suffix in MARKDOWN_SUFFIXES or (suffix in TEXT_SUFFIXES and stripped.startswith("---\n")):
        return "markdown"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return None


def describe_unknown(path: Path, head: bytes) -> str:
    """Why detect_format returned None, in words for the ingest summary."""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive that is not a Word .docx document"
    text = sniff_text(head)
    if text is None:
        return "binary data, not a document drift can read"
    stripped = text.lstrip("\ufeff \t\n")
    if not stripped:
        return "no text found (the file is blank)"
    if stripped[0] in "{[":
        return "a JSON file, but not a Gong export (no 'callTranscripts' or 'calls[].metaData')"
    expected = {
        ".vtt": "a .vtt file without the WEBVTT header",
        ".srt": "a .srt file without numbered, timed cues",
        ".eml": "a .eml file without email headers",
        ".mbox": "a .mbox file that does not start with a 'From ' line",
        ".json": "a .json file that is not JSON",
    }.get(suffix)
    if expected:
        return expected
    return (
        f"unrecognised format{f' ({suffix} file)' if suffix else ''}: expected a call transcript "
        "(Gong JSON, VTT, SRT, Otter or text), email (.eml, .mbox, CSV) or copy "
        "(.md, .html, .txt, .pdf, .docx)"
    )


def is_blank(head: bytes) -> bool:
    """The file's first bytes hold no text at all (nothing, or only spaces and newlines)."""
    if not head:
        return True
    text = sniff_text(head)
    return text is not None and not text.strip("\ufeff \t\n\r\f\v\xa0")


def unsupported_kind(path: Path, head: bytes) -> str | None:
    """Why a file detect_format does not know is skipped rather than failed, or None.

    A file whose extension promises a format drift reads (.vtt, .md, .pdf ...) but
    cannot be read is broken: a failure. Any other file drift does not read (an image,
    YAML data, an archive, a JSON file that is no export) is skipped.
    """
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    kind = _KINDS.get(suffix)
    if kind is None:
        if head.startswith(b"PK\x03\x04"):
            kind = "ZIP archive"
        elif sniff_text(head) is None:
            kind = f"binary {suffix} file" if suffix else "binary file"
        else:
            kind = f"{suffix} file" if suffix else "text without a known layout"
    return f"not a supported type ({kind})"
