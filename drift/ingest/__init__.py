"""Ingest: read exports as they are into Documents with sides and voices.

    for path in discover(paths, config):
        try:
            documents = list(parse_file(path, config, side))
        except IngestFailure as failure:
            report(path, failure.reason)

Formats, recognised from content (detect.py), one parser family each:
- calls.py: Gong API JSON (`calls[]` metadata and `callTranscripts[]`, in one
  file or sibling files), WebVTT from Zoom ("Name: text") and Teams
  (`<v Name>`), SRT, Otter text exports, "Name: text" / "**Name:** text"
  transcripts in markdown or plain text, CSV with one row per utterance.
- email.py: .eml, .mbox (streamed), CSV email exports; quoted replies and
  signatures removed.
- copy.py: markdown (front matter removed), HTML (navigation, footers,
  scripts removed), plain text, PDF, Word .docx.
Side, channel and voice rules: voices.py. PII redaction: redact.py.
"""

from drift.ingest.detect import detect_format
from drift.ingest.discover import discover
from drift.ingest.errors import FileSkipped, IngestFailure
from drift.ingest.parse import parse_file

__all__ = ["FileSkipped", "IngestFailure", "detect_format", "discover", "parse_file"]
