"""Call notes with a header block: who was on the call, when, and how it ended.

Reps and note-taking tools write calls as Markdown or text with a header
before the conversation:

    # Call notes: Renewal review
    **Call ID:** RNW-2025-114
    **Date:** March 3, 2025
    **Participants:**
    - Dev (Acme Account Executive)
    - Rosa Lindqvist (Head of Finance, Northbeam Ltd)
    **Outcome:** Renewed, 2-year term
    ---
    **Dev:** Rosa, thanks for making the time ...

The header's lines are metadata, never speakers. This module finds where the
header ends, reads its fields, and reads each participant entry into a name,
a job title and a company ("Name (Role, Company)", "Name - Title at Company",
"Name, Title", "Name (Company)"). Which company is the seller is decided from
the config, or, when the config names none, from the job titles on the call
(an account executive sells) and, across a corpus, from the company that is
on every call (company.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from drift.model import Participant

# Header keys as note takers write them, by the field they fill.
HEADER_FIELDS: dict[str, str] = {
    **dict.fromkeys(
        "title|call|call title|meeting|meeting title|subject|topic|call name|meeting name".split("|"), "title"
    ),
    **dict.fromkeys("call id|meeting id|id|call ref|reference|ref|call number|recording id".split("|"), "call_id"),
    **dict.fromkeys("date|call date|meeting date|when|date and time|date/time|held on".split("|"), "date"),
    **dict.fromkeys("duration|length|call length|call duration|time".split("|"), "duration"),
    **dict.fromkeys(
        "participants|attendees|speakers|present|people|on the call|who|attendance|invitees".split("|"),
        "participants",
    ),
    **dict.fromkeys(
        "outcome|result|status|deal status|stage|deal stage|disposition|decision|call outcome|deal outcome".split("|"),
        "outcome",
    ),
    **dict.fromkeys(
        "account|company|customer|prospect|client|organisation|organization|opportunity|deal|buyer".split("|"),
        "account",
    ),
    **dict.fromkeys(
        "recording|recorded by|platform|location|type|call type|meeting type|owner|host|organizer|organiser|"
        "notes by|note taker|source|tags|crm|region|segment|product|products discussed".split("|"),
        "other",
    ),
}
_KEY_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z /&'-]{0,30}?)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?"
    r"\s*(?P<value>.*?)\s*$"
)
_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_BOLD_LABEL = re.compile(r"^\s*(?:\*\*|__)(?P<text>[^*_]+?)(?:\*\*|__)\s*:?\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(?P<text>.+?)\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_EMAIL = re.compile(r"<?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?")


def header_key(label: str) -> str | None:
    """The field a header label fills ("Call ID" -> "call_id"), or None."""
    return HEADER_FIELDS.get(" ".join(label.casefold().replace("’", "'").split()))


@dataclass
class CallHeader:
    """What a call's header block says, with the index of the first line after it."""

    end: int
    keys: int = 0  # how many known "Key: value" lines it holds
    title: str | None = None
    call_id: str | None = None
    date: str | None = None
    duration: str | None = None
    outcome: str | None = None
    account: str | None = None
    entries: list[str] = field(default_factory=list)  # participant entries as written


def read_header(lines: list[str], start: int = 0) -> CallHeader | None:
    """The header block at the top of `lines`, or None when there is none.

    A header is a run of known "Key: value" lines, a title heading, and a
    participants list (after a "Participants:" key or heading), ended by a
    rule (---) or by the first line that is none of these. It counts only with
    at least two known keys, or a participants list.
    """
    header = CallHeader(end=start)
    listing = False
    index = start
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        key_line = _KEY_LINE.match(line)
        field_name = header_key(key_line.group("key")) if key_line else None
        label = _HEADING.match(line) or _BOLD_LABEL.match(line)
        label_field = header_key(label.group("text").rstrip(":")) if label else None
        bullet = _BULLET.match(line)
        if not stripped:
            index += 1
            continue
        if _RULE.match(line):
            if header.keys or header.entries:
                index += 1  # the rule belongs to the header
                break
            index += 1
            continue
        if field_name in ("account", "other") and key_line and not _short_value(key_line.group("value")):
            field_name = None  # "Customer: Thanks for making the time." is a turn, not a field
        if field_name:
            header.keys += 1
            value = key_line.group("value").strip().strip("*_").strip() if key_line else ""
            listing = field_name == "participants"
            if listing and value:
                header.entries.extend(split_entries(value))
            elif value and getattr(header, field_name, None) is None and field_name != "other":
                setattr(header, field_name, value)
        elif label_field == "participants":
            listing = True
        elif _HEADING.match(line) and not header.keys and not header.entries and header.title is None:
            header.title = _HEADING.match(line).group("text")  # type: ignore[union-attr]
        elif bullet and listing:
            header.entries.append(bullet.group("text"))
        else:
            break
        index += 1
        header.end = index
    if header.keys >= 2 or header.entries:
        header.end = index
        return header
    return None


def _short_value(value: str) -> bool:
    value = value.strip().strip("*_").strip()
    words = value.split()
    return len(words) <= 8 and not (len(words) > 4 and re.search(r"[.?!]\s*$", value))


def split_entries(text: str) -> list[str]:
    """Split "A (X, Y), B and C" on commas and " and " outside brackets; when the list is
    separated by semicolons ("Ann, CFO; Bo, CTO"), on semicolons only. An "&" never splits:
    it belongs to company names ("Marlow & Finch")."""
    separators = ";" if ";" in text else ",;"
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char in separators and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    if separators == ";":
        return [p.strip() for p in parts if p.strip()]
    return [p.strip() for part in parts for p in re.split(r"\s+and\s+", part) if p.strip()]


# ---------------------------------------------------------------- participant entries

# Words that make a phrase a job title (general English job vocabulary), and words that
# qualify one ("Senior", "Account", "of Finance").
TITLE_HEADS = frozenset(
    "executive manager director head lead vp svp evp avp president chief officer engineer architect consultant "
    "specialist representative rep analyst administrator admin coordinator controller comptroller founder "
    "cofounder co-founder owner partner principal associate advisor adviser strategist designer developer buyer "
    "planner supervisor superintendent foreman counsel accountant treasurer secretary intern ceo cfo cto coo cio "
    "ciso cmo cro cpo ae sdr bdr se csm am tam gm md evangelist recruiter agent clerk technician operator "
    "scientist researcher marketer trainer champion sponsor leader".split()
)
TITLE_QUALIFIERS = frozenset(
    "senior sr sr. junior jr jr. staff regional global national enterprise commercial mid-market midmarket smb "
    "account accounts sales solutions solution customer customers success support technical product marketing "
    "finance financial operations ops it information technology security procurement purchasing supply chain "
    "logistics warehouse warehousing inventory revenue business development field inside channel partnerships "
    "implementation onboarding professional services engineering data platform infrastructure systems hr people "
    "legal compliance risk audit accounting payable payables receivable receivables ap ar strategy growth demand "
    "generation brand content communications program project deputy assistant vice of and & the for general "
    "managing distribution returns quality facilities transportation e-commerce ecommerce digital retail store "
    "branch area district division department team group country emea apac americas west east north south "
    "central dock receiving shipping plant production manufacturing fulfillment fulfilment office executive "
    "client key strategic corporate order orders credit billing payments treasury tax controls devops "
    "it/ops cx ux ui design research analytics insights".split()
)
# Titles of people who sell: when no company is known, someone with one of these is on our side.
SELLER_ROLE = re.compile(
    r"\b(?:account executive|AE|SDR|BDR|sales (?:engineer|rep(?:resentative)?|executive|development)|"
    r"solutions? (?:engineer|consultant|architect)|SE|account manager|customer success(?: manager)?|CSM|"
    r"technical account manager|TAM|implementation (?:lead|manager|consultant|specialist)|"
    r"onboarding (?:lead|manager|specialist))\b",
    re.I,
)


def _title_word(word: str) -> bool:
    return word.casefold().strip(".,") in TITLE_HEADS


# Words that start a title whatever follows: "VP Clinical Operations", "Head of Anything".
LEADING_HEADS = frozenset("vp svp evp avp head director chief president vice".split())


def _title_start(words: list[str]) -> int | None:
    """Index where a job title begins in "Acme Account Executive" (1), or None if none does."""
    for start in range(len(words)):
        tail = [w.casefold().strip(".,()") for w in words[start:]]
        if tail[0] in LEADING_HEADS:
            return start
        if any(w in TITLE_HEADS for w in tail) and all(w in TITLE_HEADS or w in TITLE_QUALIFIERS for w in tail):
            return start
    return None


def _title_and_company(parts: list[str]) -> tuple[str | None, str | None]:
    """Sort the descriptors after a name into a job title and a company."""
    titles, companies = [], []
    for part in (p.strip(" -–—|") for p in parts):
        if not part:
            continue
        at = re.split(r"\s+(?:at|@)\s+", part, maxsplit=1)
        if len(at) == 2 and _title_start(at[0].split()) is not None:
            titles.append(at[0])
            companies.append(at[1])
            continue
        words = part.split()
        start = _title_start(words)
        if start is None:
            companies.append(part)
        elif start == 0:
            titles.append(part)
        else:
            companies.append(" ".join(words[:start]))
            titles.append(" ".join(words[start:]))
    return (", ".join(titles) or None), (companies[0] if companies else None)


def parse_participant(entry: str) -> Participant:
    """A participant from an entry as headers write them.

    "Rosa Lindqvist (Head of Finance, Northbeam Ltd)", "Dev (Acme Account Executive)",
    "Dana Whitfield - Account Executive at Kestrel Labs", "Sam Ortiz, VP Operations",
    "Priya Raman <priya@kestrelhq.com>". The title keeps what the entry says about the
    person (role and company) for the report; `company` is the company alone.
    """
    entry = entry.strip().strip("*_").strip()
    email_match = _EMAIL.search(entry)
    email = email_match.group(1) if email_match else None
    if email_match:
        entry = (entry[: email_match.start()] + entry[email_match.end() :]).strip()
    match = re.match(r"(?P<name>[^(,|–—]+?)(?:\s+-\s+|\s*[(,|–—]\s*|$)(?P<rest>.*)$", entry)
    name = (match.group("name") if match else entry).strip().strip("*_").strip() or (email or entry)
    rest = (match.group("rest") or "").strip() if match else ""
    parts = [p for p in re.split(r"\s*[(),|]\s*|\s+[-–—]\s+", rest) if p.strip()]
    _, company = _title_and_company(parts)
    return Participant(name=name, email=email, title=rest.strip(" ()") or None, company=company)


def is_seller_role(title: str | None) -> bool:
    return bool(title and SELLER_ROLE.search(title))


# Words that end company names without telling companies apart ("Corvid Systems" is "Corvid"
# in "Corvid Account Executive").
COMPANY_SUFFIXES = frozenset(
    "inc inc. incorporated ltd ltd. limited llc llp plc gmbh ag sa s.a. a.s. bv b.v. nv oy ab as spa srl "
    "corp corp. corporation co co. company group holdings labs lab systems technologies technology software "
    "solutions hq io ai".split()
)


def company_core(name: str) -> str:
    """A company name without its legal form or generic ending, lower case: "corvid"."""
    words = name.casefold().replace(",", " ").split()
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def company_matches(company_name: str, text: str | None) -> bool:
    """`text` names the company (ignoring case, spacing and a generic ending)."""
    if not text or not company_name or not company_name.strip():
        return False
    core = company_core(company_name)
    return re.search(rf"(?<!\w){re.escape(core)}(?!\w)", " ".join(text.casefold().split())) is not None


def same_company(a: str, b: str) -> bool:
    return company_core(a) == company_core(b)


def affiliate(
    participants: list[Participant],
    company_name: str | None,
    domains: tuple[str, ...] = (),
    named: tuple[str | None, ...] = (),
) -> list[Participant]:
    """Mark each header participant internal (our company) or external, where the header says.

    With a company name or domains (from the config, or inferred over the corpus):
    naming our company or writing from our domain means internal; naming another
    company, or another domain, means external. Without either, within the call:
    the seller is the company of the people whose titles sell (account executive,
    sales engineer, customer success ...); the company the header's account line or
    title names (`named`) is the buyer; of two companies, the one that is not the
    buyer sells. Someone with a selling title and no company is ours. Whatever stays
    unmarked is left to the voice rules (voices.py).
    """
    marked = []
    for person in participants:
        affiliation = person.affiliation
        domain = person.email.rsplit("@", 1)[1].lower() if person.email and "@" in person.email else None
        if affiliation is None and domain and domains:
            ours = any(domain == d or domain.endswith("." + d) for d in domains)
            affiliation = "internal" if ours else "external"
        if affiliation is None and company_name:
            if company_matches(company_name, person.company) or company_matches(company_name, person.title):
                affiliation = "internal"
            elif person.company:
                affiliation = "external"
        marked.append(replace(person, affiliation=affiliation))
    if company_name or any(p.affiliation for p in marked):
        return [
            replace(p, affiliation="internal") if p.affiliation is None and not p.company and is_seller_role(p.title)
            else p
            for p in marked
        ]
    companies: list[str] = []
    for person in marked:
        if person.company and not any(same_company(person.company, c) for c in companies):
            companies.append(person.company)
    sellers = [c for c in companies if any(same_company(c, p.company or "") and is_seller_role(p.title) for p in marked)]
    buyers = [c for c in companies if any(company_matches(c, text) for text in named if text)]
    seller = sellers[0] if len(sellers) == 1 and sellers[0] not in buyers else None
    if seller is None and len(companies) == 2 and len(buyers) == 1:
        seller = next(c for c in companies if c != buyers[0])
    out = []
    for person in marked:
        if person.company and seller is not None:
            person = replace(person, affiliation="internal" if same_company(person.company, seller) else "external")
        elif not person.company and is_seller_role(person.title):
            person = replace(person, affiliation="internal")
        out.append(person)
    return out


# ---------------------------------------------------------------- outcome

_LOST = re.compile(
    r"\b(?:closed[- ]lost|lost|churn(?:ed)?|cancel+ed|declined|rejected|not renew(?:ing|ed)?|did not renew|"
    r"won'?t renew|chose (?:a )?competitor|went with|no[- ]go|disqualified|dead|passed on)\b",
    re.I,
)
_WON = re.compile(
    r"\b(?:closed[- ]won|won|signed|renewed|purchased|bought|converted|expanded|upsold|"
    r"verbal (?:yes|commit)|po (?:received|issued))\b",
    re.I,
)


def outcome_of(text: str | None) -> str | None:
    """"won", "lost" or "open" from a header's outcome ("Renewed, 2-year term" -> won)."""
    if not text or not text.strip():
        return None
    if _LOST.search(text):
        return "lost"
    if _WON.search(text):
        return "won"
    return "open"
