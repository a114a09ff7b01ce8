"""Optional PII redaction (`[ingest] redact_pii = true`), applied before anything is stored.

Every text field a Document carries is redacted: turn text, speakers and locators (an
email's locator is its subject), the title, participants' names and job titles; addresses
are dropped and thread ids (Message-IDs, which hold addresses) replaced by an opaque hash
that still groups a thread. Segments, their context windows and report captions are built
from these fields, so none of them sees the raw values.

What is found, each replaced by a placeholder naming its kind (PLACEHOLDERS; `drift doctor`
counts them in the store):
- emails, also written to dodge scrapers ("dana at kestrel dot com", "dana [at] x [dot] io");
- IBANs (country length and mod-97 check, python-stdnum);
- card numbers of 13-19 digits with any one separator, only when they pass the Luhn check;
- US social security numbers with or without dashes (area/group/serial rules; undashed only
  next to words like "SSN"), and national ids whose check digit makes a match precise:
  German tax id, French NIR, Spanish DNI/NIE, Italian codice fiscale, Indian Aadhaar,
  Canadian SIN (with its name nearby), and the UK National Insurance number by its format;
- phone numbers: North American ones, any written with "+" and a country code, and national
  formats ("020 7946 0958", "030 12345678", "01 23 45 67 89", "03-1234-5678", "98765 43210")
  kept only when Google's libphonenumber (`phonenumbers`) says they are valid numbers in one
  of the common regions, so dates, amounts and order numbers stay.
Card numbers are found before phones, so a card is never half-masked as a phone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import phonenumbers
from stdnum import iban as std_iban
from stdnum.ca import sin as ca_sin
from stdnum.de import idnr as de_idnr
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fr import nir as fr_nir
from stdnum.in_ import aadhaar as in_aadhaar
from stdnum.it import codicefiscale as it_cf
from stdnum.us import ssn as us_ssn

from drift.model import Document

PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "phone": "[phone]",
    "card": "[card]",
    "iban": "[iban]",
    "ssn": "[ssn]",
    "national_id": "[national id]",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# "name at domain dot com", "name [at] domain [dot] com", "name(at)domain(dot)co(dot)uk":
# the "at" and at least one "dot" must be written out, and the address end in a letter TLD.
_AT = r"(?:\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+)"
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[A-Za-z0-9][\w.+-]*{_AT}[A-Za-z0-9-]+(?:(?:{_DOT}|\.)[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,12}}\b",
    re.IGNORECASE,
)
IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
# 13-19 digits, optionally grouped by one kind of separator (4-4-4-4, 4-6-5, dots, slashes).
CARD_CANDIDATE = re.compile(r"(?<![\d.,/_-])\d(?:[ ./_-]?\d){12,18}(?![\d_-]|[.,/]\d)")
SSN_DASHED = re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")
SSN_PLAIN = re.compile(
    r"\b(?:ssn|ss#|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:no|number|num|#))?)\W{0,6}(\d{9})\b", re.IGNORECASE
)
# National ids whose check digit or letter keeps false matches rare; each is a candidate
# pattern and a validator (python-stdnum), and the ones a bare number could fake need
# their name nearby.
_NATIONAL_IDS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (re.compile(r"(?<![\w-])\d{2} ?\d{3} ?\d{3} ?\d{3}(?![\w-])"), de_idnr.is_valid),  # Steuer-IdNr (11)
    (re.compile(r"(?<![\w-])[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?![\w-])"), fr_nir.is_valid),
    (re.compile(r"(?<![\w-])\d{8}-?[A-Z](?![\w-])"), es_dni.is_valid),
    (re.compile(r"(?<![\w-])[XYZ]-?\d{7}-?[A-Z](?![\w-])"), es_nie.is_valid),
    (re.compile(r"(?<![\w-])[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z](?![\w-])"), it_cf.is_valid),
    (re.compile(r"(?<![\w-])[2-9]\d{3}[ -]\d{4}[ -]\d{4}(?![\w-])"), in_aadhaar.is_valid),
    (re.compile(r"(?i)\b(?:sin|social insurance(?: number)?)\W{0,6}(\d{3}[ -]?\d{3}[ -]?\d{3})\b"), ca_sin.is_valid),
)
# UK National Insurance number: two prefix letters (a few never issued), six digits, A-D.
NINO = re.compile(r"(?<![\w-])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w-])")
# North American numbers "(614) 555-0142", "614.555.0142", "+1 614 555 0142", and
# international numbers written with a leading "+" ("+44 20 7946 0958").
PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
    r"|\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}"
    r")(?!\w)"
)
# National formats: a trunk "0" (UK, DE, FR, JP, AU ...) or an Indian mobile's 5-5 grouping.
NATIONAL_PHONE = re.compile(
    r"(?<![\w+.,/-])(?:\(?0\d{1,5}\)?(?:[ .-]?\d{2,5}){1,4}|[6-9]\d{4}[ -]\d{5})(?![\w/-]|[.,]\d)"
)
PHONE_REGIONS = ("GB", "DE", "FR", "IN", "JP", "AU", "IT", "ES", "NL", "BR", "MX", "IE", "CH", "AT", "BE", "SE")
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
    text = match.group()
    separators = set(re.sub(r"\d", "", text))
    groups = re.split(r"\D", text)
    if len(separators) > 1 or (separators and min(len(g) for g in groups) < 3):
        return text  # "3.14159265358979" or mixed punctuation: a number, not a card
    return PLACEHOLDERS["card"] if luhn_valid(re.sub(r"\D", "", text)) else text


def _iban(match: re.Match[str]) -> str:
    return PLACEHOLDERS["iban"] if std_iban.is_valid(match.group()) else match.group()


def _ssn(match: re.Match[str]) -> str:
    return PLACEHOLDERS["ssn"] if us_ssn.is_valid(match.group()) else match.group()


def _ssn_plain(match: re.Match[str]) -> str:
    number = match.group(1)
    if not us_ssn.is_valid(number):
        return match.group()
    return match.group()[: match.start(1) - match.start()] + PLACEHOLDERS["ssn"]


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return PLACEHOLDERS["phone"] if len(digits) >= _MIN_PHONE_DIGITS else match.group()


@lru_cache(maxsize=4096)
def _valid_national_phone(text: str) -> bool:
    for region in PHONE_REGIONS:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _national_phone(match: re.Match[str]) -> str:
    text = match.group()
    if len(re.sub(r"\D", "", text)) < _MIN_PHONE_DIGITS:
        return text
    return PLACEHOLDERS["phone"] if _valid_national_phone(text) else text


def _national_id(validator: Callable[[str], bool]) -> Callable[[re.Match[str]], str]:
    def replace_match(match: re.Match[str]) -> str:
        group = 1 if match.re.groups else 0
        if not validator(match.group(group)):
            return match.group()
        return match.group()[: match.start(group) - match.start()] + PLACEHOLDERS["national_id"]

    return replace_match


def redact_text(text: str) -> str:
    """`text` with every kind of PII above replaced by its placeholder."""
    if not text:
        return text
    text = EMAIL.sub(PLACEHOLDERS["email"], text)
    text = OBFUSCATED_EMAIL.sub(PLACEHOLDERS["email"], text)
    if not any(ch.isdigit() for ch in text):
        return text  # every other kind holds digits
    text = IBAN_CANDIDATE.sub(_iban, text)
    text = CARD_CANDIDATE.sub(_card, text)
    text = SSN_DASHED.sub(_ssn, text)
    text = SSN_PLAIN.sub(_ssn_plain, text)
    for pattern, validator in _NATIONAL_IDS:
        text = pattern.sub(_national_id(validator), text)
    text = NINO.sub(PLACEHOLDERS["national_id"], text)
    text = PHONE.sub(_phone, text)
    return NATIONAL_PHONE.sub(_national_phone, text)


def opaque_id(value: str) -> str:
    """A stable stand-in for an identifier that may hold PII (a Message-ID): same in, same out."""
    return "id-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _maybe(text: str | None) -> str | None:
    return redact_text(text) if text else text


def redact_document(doc: Document) -> Document:
    """The document with PII masked in every text field, addresses dropped, ids made opaque."""
    return replace(
        doc,
        turns=tuple(
            replace(turn, text=redact_text(turn.text), speaker=_maybe(turn.speaker), locator=_maybe(turn.locator))
            for turn in doc.turns
        ),
        title=_maybe(doc.title),
        thread_id=opaque_id(doc.thread_id) if doc.thread_id else doc.thread_id,
        participants=tuple(
            replace(p, email=None, name=redact_text(p.name), title=_maybe(p.title)) for p in doc.participants
        ),
    )
