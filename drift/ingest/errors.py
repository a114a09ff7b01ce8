"""The one exception ingest raises for input it cannot read."""

from __future__ import annotations


class IngestFailure(ValueError):
    """A file drift cannot read, with the reason in words a user understands.

    `unexpected` marks a failure that no parser foresaw (a library or parser
    error wrapped at the boundary so one file never stops a batch); the fuzz
    tests assert it never happens, so such cases get a proper message.
    """

    def __init__(self, reason: str, *, unexpected: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unexpected = unexpected


class FileSkipped(IngestFailure):
    """A file drift does not read on purpose: empty, or not a type it supports.

    Not a failure: the run still succeeds, the file is recorded as "skipped" with
    the reason ("empty", "not a supported type (...)"). It subclasses IngestFailure
    so a caller that only knows IngestFailure (check, a single-file parse) still
    treats it as "nothing to read here".
    """
