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
