"""Optional PII redaction (`[ingest] redact_pii = true`): emails, phones, card numbers.

Runs on turn text and titles before anything is stored. Card numbers are
found first and only when they pass the Luhn check, so order numbers and
phone numbers of the same length are not mistaken for cards.
"""

from __future__ import annotations

import re
from dataclasses import replace

from drift.model import Document

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 13-19 digits, optionally grouped by spaces or dashes (4-4-4-4, 4-6-5 ...).
CARD_CANDIDATE = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# North American numbers "(614) 555-0142", "614.555.0142", "+1 614 555 0142", and
# international numbers written with a leading "+" ("+44 20 7946 0958").
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
    r"|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}"
    r")(?!\w)"
)
_MIN_PHONE_DIGITS = 8


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if luhn_valid(digits) else match.group()


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[phone]" if len(digits) >= _MIN_PHONE_DIGITS else match.group()


def redact_text(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = CARD_CANDIDATE.sub(_card, text)
    return PHONE.sub(_phone, text)


def redact_document(doc: Document) -> Document:
    """The document with PII masked in text and titles, and participants' addresses dropped."""
    return replace(
        doc,
        turns=tuple(
            replace(turn, text=redact_text(turn.text), speaker=turn.speaker and redact_text(turn.speaker))
            for turn in doc.turns
        ),
        title=redact_text(doc.title) if doc.title else doc.title,
        participants=tuple(replace(p, email=None, name=redact_text(p.name)) for p in doc.participants),
    )
