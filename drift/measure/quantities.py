"""Quantities in a sentence: a number (or interval) with a unit, a comparator and rate denominators.

One normaliser shared by ICP facets, definitions, contradictions and version changes, so that
"no less than 30 points", "1,000+ employees", "$7.00 / host / month" and "six weeks" are read
the same way everywhere and can be compared:

    >>> [q.text for q in find_quantities("Premium is $7.00 / host / month for up to 500 hosts")]
    ['$7.00 / host / month', 'up to 500 hosts']

Pure functions over text with regular expressions: no model, no corpus words. What is not a
quantity is masked first (URLs, dates, times of day, phone numbers, versions, "24/7", "Top 10",
list numbering, identifiers glued to letters such as FY22 or Q3), so a sentence that states no
quantity yields nothing rather than a guess.

Numbers written in words are read from a small table ("two", "fifty", "twenty-five", "a dozen",
"a third of"). `number-parser` (PyPI) was measured on the same phrases: it reads "a third" as
the ordinal 3 ("a 3 of deals") and misses "a dozen", and the cardinal words it does read are all
in the table, so it is not a dependency.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- the data type


@dataclass(frozen=True)
class Quantity:
    text: str  # the matched text, e.g. "no less than 30 points"
    span: tuple[int, int]  # character span in the sentence
    unit: str  # canonical unit ("employees", "usd", "days" ...); "" for a bare number
    low: float | None  # interval, inclusive; None = unbounded
    high: float | None
    comparator: str  # "=", ">", ">=", "<", "<=", "range", "~"
    per: tuple[str, ...] = ()  # rate denominators: "$4 /host/month" -> ("host", "month")
    # False when the unit is the noun as written ("3 integrations") rather than one of the
    # canonical units of the table below: comparable only with the same noun.
    canonical: bool = True

    @property
    def value(self) -> float:
        """The representative number: the bound for one-sided intervals, the midpoint of a range."""
        if self.comparator in (">", ">="):
            return float(self.low)  # type: ignore[arg-type]
        if self.comparator in ("<", "<="):
            return float(self.high)  # type: ignore[arg-type]
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return float(self.low if self.low is not None else self.high)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- units

# Surface forms -> canonical unit. Longest forms are tried first, so "device licenses"
# wins over "licenses" and "app executions" over "executions".
_UNIT_FORMS: dict[str, tuple[str, ...]] = {
    "employees": ("employees", "employee", "people", "staff", "ftes", "fte", "headcount", "workers", "persons", "person",
                  "team members", "heads"),
    "developers": ("developers", "developer", "devs", "dev", "engineers", "engineer"),
    "devices": ("device licenses", "device licences", "device license", "device licence", "devices", "device",
                "endpoints", "endpoint", "machines", "laptops", "computers"),
    "seats": ("seat licenses", "seat licences", "seats", "seat", "licenses", "licences", "license", "licence"),
    "users": ("user licenses", "user licences", "users", "user"),
    "hosts": ("hosts", "host", "servers", "server", "nodes", "node"),
    "points": ("points", "point", "pts", "pt"),
    "percent": ("percent", "per cent", "pct", "%"),
    "hours": ("hours", "hour", "hrs", "hr"),
    "minutes": ("minutes", "minute", "mins"),
    "days": ("business days", "working days", "days", "day"),
    "weeks": ("weeks", "week", "wks"),
    "months": ("months", "month", "mos"),
    "quarters": ("quarters", "quarter"),
    "years": ("years", "year", "yrs"),
    "executions": ("app executions", "app execution", "executions", "execution"),
    "builds": ("builds", "build"),
    "deployments": ("deployments", "deployment", "deploys", "deploy"),
    "releases": ("releases", "release"),
    "cpu_cores": ("cpu cores", "cpu core", "vcpus", "vcpu", "cores", "core"),
    "customers": ("customers", "customer", "clients", "client"),
    "companies": ("companies", "company", "organizations", "organisations", "organization", "organisation", "orgs",
                  "businesses"),
    "accounts": ("accounts", "account"),
    "leads": ("leads", "lead"),
    "opportunities": ("opportunities", "opportunity"),
    "deals": ("deals", "deal"),
    "calls": ("calls", "call"),
    "meetings": ("meetings", "meeting"),
    "demos": ("demos", "demo"),
    "integrations": ("integrations", "integration"),
    "apps": ("applications", "application", "apps", "app"),
    "workflows": ("workflows", "workflow"),
    "times": ("times",),
    "gb": ("gb", "gigabytes", "gib"),
    "tb": ("tb", "terabytes", "tib"),
}
_UNIT_OF: dict[str, str] = {form: unit for unit, forms in _UNIT_FORMS.items() for form in forms}
_UNIT_ALT = "|".join(re.escape(f) for f in sorted(_UNIT_OF, key=len, reverse=True) if f != "%")
# Durations are one measure: six weeks and a day compare, in days.
_DAYS = {"minutes": 1 / 1440, "hours": 1 / 24, "days": 1.0, "weeks": 7.0, "months": 30.4375, "quarters": 91.3125,
         "years": 365.25}
# The rate denominators' canonical (singular) names.
_PER_OF = {unit: unit[:-1] if unit.endswith("s") else unit for unit in _UNIT_FORMS}
_PER_OF.update({"cpu_cores": "cpu_core", "companies": "company", "opportunities": "opportunity", "times": "time"})
_PER_DAYS = {_PER_OF[u]: d for u, d in _DAYS.items()}
_ADVERB_PER = {"annually": "year", "yearly": "year", "annual": "year", "monthly": "month", "weekly": "week",
               "daily": "day", "hourly": "hour", "quarterly": "quarter"}
# Words that may stand between a number and its unit ("101-2000 total employees").
_MODIFIERS = ("total", "full-time", "full time", "active", "paying", "new", "monthly", "named", "unique", "concurrent",
              "managed", "enrolled", "connected", "licensed", "individual", "additional", "extra")
_MOD_ALT = "|".join(re.escape(m) for m in sorted(_MODIFIERS, key=len, reverse=True))
_CURRENCY = {"$": "usd", "us$": "usd", "usd": "usd", "dollars": "usd", "dollar": "usd", "€": "eur", "eur": "eur",
             "euros": "eur", "euro": "eur", "£": "gbp", "gbp": "gbp", "pounds": "gbp"}
# Plural nouns that follow numbers without being what is counted.
_NOT_UNITS = {"ways", "reasons", "things", "steps", "tips", "examples", "questions", "others", "ones", "items", "cases",
              "times", "percent", "of", "is", "was", "minutes", "january", "february", "march", "april", "may", "june",
              "july", "august", "september", "october", "november", "december", "mondays", "fridays", "sundays"}

# --------------------------------------------------------------------------- numbers

_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a dozen": 12, "dozen": 12, "a hundred": 100,
    "hundred": 100, "a thousand": 1000,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD_CHUNK = (r"(?:(?:" + "|".join(_TENS) + r")[- ](?:" + "|".join(_ONES) + r")|"
               + "|".join(sorted((w for w in _WORD_VALUES), key=len, reverse=True)) + r")(?:\s+(?:hundred|thousand))?")
_WORD_BASE = (r"(?:(?:" + "|".join(_TENS) + r")[- ](?:" + "|".join(_ONES) + r")|"
              + "|".join(sorted((w for w in _WORD_VALUES if " " not in w), key=len, reverse=True)) + r")")
# A hundreds or thousands chunk and the rest: "a hundred and sixty", "three hundred eighty".
_WORD_NUM = (rf"(?:(?:{_WORD_BASE}|a)\s+(?:hundred|thousand)(?:(?:\s+and)?\s+{_WORD_BASE}(?![- ](?:hundred|thousand)))?"
             rf"|{_WORD_CHUNK})")
_FRACTIONS = {"half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3,
              "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0,
              "three quarters": 75.0, "three-quarters": 75.0, "a fifth": 20.0, "one fifth": 20.0, "a tenth": 10.0}

# A number as digits: "1,000", European "150.000" (thousands, decided below), "7.00", ".5".
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|[1-9]\d{0,2}(?:\.\d{3})+(?![\d])|\d+(?:\.\d+)?|\.\d+)"
_SCALE = r"(?:\s?(?:thousand|million|billion)\b|(?:k|K|mm|MM|M|bn|B)(?![A-Za-z]))"
_NUM = rf"(?P<num>{_DIGITS})(?P<scale>{_SCALE})?"

_CMP_BEFORE = [
    (">=", r"at least|no less than|not less than|no fewer than|not fewer than|a minimum of|minimum of|minimum|min\.?|≥|>=|=>"),
    ("<=", r"up to|at most|no more than|not more than|no greater than|a maximum of|maximum of|maximum|max\.?|≤|<=|=<|within|a max of"),
    (">", r"more than|greater than|over|above|exceeding|in excess of|upwards of|north of|>"),
    ("<", r"less than|fewer than|under|below|just under|<"),
    ("~", r"about|around|roughly|approximately|approx\.?|nearly|almost|circa|~|some"),
]
_CMP_RE = [(cmp, re.compile(rf"(?:^|(?<=[\s(|*:,]))(?:{alts})\s*(?:an?\s+)?$", re.IGNORECASE)) for cmp, alts in _CMP_BEFORE]
# "or more" but not "or more than 75": that is the next number's comparator.
_CMP_AFTER = re.compile(r"^\s*(?P<s>\+|plus\b|or (?:more|higher|greater|above|later|beyond|over)\b|and (?:up|above|over)\b"
                        r"|or (?:less|fewer|below|under|lower)\b)(?!\s+than\b)", re.IGNORECASE)

# --------------------------------------------------------------------------- what is not a quantity

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_MASKS = [
    re.compile(r"https?://\S+|www\.\S+|\]\([^)]*\)|\S+@\S+\.\w+", re.IGNORECASE),  # links, link targets, emails
    re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),  # dates
    re.compile(rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+\d{{4}})?"
               rf"|\b{_MONTH}\s+\d{{4}}\b", re.IGNORECASE),  # "March 3, 2023", "3rd of March", "March 2023"
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?|\b\d{1,2}\s?[ap]\.?m\.?\b|\b\d+:\d+\b", re.IGNORECASE),  # times, ratios
    re.compile(r"(?<![\w.])(?![1-9]\d{0,2}(?:\.\d{3}){2,}\b)\+?\(?\d{1,4}\)?(?:[\s.-]\(?\d{2,4}\)?){2,}(?![\w.%])"),  # phone numbers
    re.compile(r"\b24\s?/\s?7\b|\b24x7\b|\b365\b(?=\s?days a year)", re.IGNORECASE),
    re.compile(r"\b(?:top|no\.|number|#|rank(?:ed)?|page|chapter|section|step|figure|table|version|release|v|ver\.?|rev\.?|"
               r"python|node|ios|android|windows|macos|level|phase|tier|round|series|gen)\s?#?\d+(?:\.\d+)*\b", re.IGNORECASE),
    re.compile(r"\b(?![1-9]\d{0,2}(?:\.\d{3}){2,}\b)\d+(?:\.\d+){2,}\b"),  # dotted versions, IPs: 2.1.3, 10.0.0.1
    re.compile(r"(?m)^\s*(?:[-*]\s+)?\(?\d{1,2}[.)](?=\s)"),  # list numbering
    re.compile(r"[#№]\d+|\b\d+[A-Za-z]+\d[\w-]*|\b[A-Za-z]+[-_]?\d+[\w-]*"),  # IDs: #1234, FY22, Q3, SKU-12, 3a4f
]
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_STAGE = re.compile(r"\bstage\s+(?P<n>\d{1,2})(?![\d]|[.,]\d)(?P<s>\s+or\s+(?:later|higher|above|beyond|greater|more))?",
                    re.IGNORECASE)
_IN_A = re.compile(r"\b(?:in|within|inside|under|less than)\s+(?:a|an|one)\s+(?P<unit>day|week|month|hour|year|minute)\b",
                   re.IGNORECASE)
_FRACTION_RE = re.compile(r"\b(?P<f>" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\s+of\b", re.IGNORECASE)


def _mask(text: str) -> str:
    """The text with every non-quantity number blanked out (same length, so spans hold)."""
    out = list(text)
    for pattern in _MASKS:
        for m in pattern.finditer(text):
            if pattern is _MASKS[-1] and re.fullmatch(r"\d+(?:k|K|M|MM|mm|bn|B|x|h|hrs?)", m.group(0)):
                continue  # "5k", "10x", "24h": a number with a glued scale or unit, kept
            for i in range(*m.span()):
                out[i] = "\x00"
    return "".join(out)


# --------------------------------------------------------------------------- the scanner

_WORD_UNIT_AFTER = rf"(?:\s+(?:{_MOD_ALT}))?(?:\s+|-)(?P<unit>{_UNIT_ALT})(?![A-Za-z])"
_PER_TOKEN = re.compile(
    rf"^\s*(?:/|\bper\b|\ba\b|\ban\b|\beach\b|\bevery\b)\s*(?:(?P<n>\d+|{_WORD_NUM})\s+)?(?P<u>{_UNIT_ALT})(?![A-Za-z])",
    re.IGNORECASE)
_ADVERB_AFTER = re.compile(r"^\s*,?\s*(?:billed\s+)?(?P<a>annually|yearly|monthly|weekly|daily|hourly|quarterly)\b", re.IGNORECASE)
_ADVERB_BEFORE = re.compile(r"\b(?P<a>annually|yearly|monthly|weekly|daily|quarterly)\s+(?:at|of|for)?\s*$", re.IGNORECASE)
# A label needs a separator or a counting word: "point 1" is a reference, not 1 point.
_LABEL = re.compile(rf"(?:(?:number|count|no\.|#|total)\s+of\s+(?:\w+\s+)?)?(?P<unit>{_UNIT_ALT})"
                    r"(?:\s+(?:count|number|size|total|limit|minimum|maximum)\s*|\**\s*[|:=\-–—][\s*|:=\-–—]{0,7})$",
                    re.IGNORECASE)
_NUMBER_RE = re.compile(
    rf"(?<![\w.,/\x00$€£-])(?P<cur>(?:US)?\$|€|£|(?:USD|EUR|GBP)\s?)?\s?{_NUM}"
    rf"(?:\s*(?:-|–|—|to|and)\s*(?P<cur2>(?:US)?\$|€|£)?(?P<num2>{_DIGITS})(?P<scale2>{_SCALE})?)?"
    rf"(?P<glued>%|x(?![A-Za-z])|h(?:rs?)?(?![A-Za-z]))?(?![\w\x00]|\.\d)",
    re.IGNORECASE,
)
# "two point three" is a decimal said aloud, not two points.
_WORDS_RE = re.compile(rf"(?<![\w-])(?P<w>{_WORD_NUM})(?=(?:\s+(?:{_MOD_ALT}))?[\s-](?:{_UNIT_ALT})(?![A-Za-z]))"
                       rf"(?!\s+point\s+(?:{'|'.join(_ONES)}|zero|oh|five)\b)", re.IGNORECASE)


def _number(digits: str, scale: str | None) -> tuple[float, bool]:
    """(value, european) for a digit string: '1,200' -> 1200; '150.000' -> 150000 (True); '5' with 'k' -> 5000."""
    european = bool(re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", digits))
    value = float(digits.replace(",", "").replace(".", "") if european else digits.replace(",", ""))
    s = (scale or "").strip().lower()
    value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}.get(s, 1)
    return value, european


def _word_value(words: str) -> float:
    words = re.sub(r"\s+", " ", words.lower().strip())
    if words in _WORD_VALUES:
        return float(_WORD_VALUES[words])
    value, total = 0.0, 0.0
    for part in re.split(r"[ -]", words):
        if part in ("hundred",):
            value = (value or 1) * 100
        elif part == "thousand":
            total += (value or 1) * 1000
            value = 0
        elif part in _WORD_VALUES:
            value += _WORD_VALUES[part]
    return total + value


def _interval(comparator: str, value: float) -> tuple[float | None, float | None]:
    if comparator in (">", ">="):
        return value, None
    if comparator in ("<", "<="):
        return None, value
    return value, value


def _comparator_before(masked: str, start: int) -> tuple[str, int]:
    """The comparator written just before position `start`, and where it starts."""
    window = masked[max(0, start - 30) : start]
    for cmp, pattern in _CMP_RE:
        m = pattern.search(window)
        if m:
            return cmp, start - len(window) + m.start()
    return "=", start


def _rates(text: str, end: int) -> tuple[tuple[str, ...], float, int]:
    """Rate denominators after position `end`: ('host', 'month'), a divisor ('every two weeks'), the new end."""
    per: list[str] = []
    divisor = 1.0
    while True:
        m = _PER_TOKEN.match(text[end:])
        if not m:
            break
        unit = _UNIT_OF[m.group("u").lower()]
        joiner = m.group(0).lstrip().split()[0].lower() if m.group(0).strip() else ""
        if joiner in ("a", "an") and unit not in _DAYS:
            break  # "$5 a month" is a rate; "$5 a seat" reads oddly enough to leave alone
        if m.group("n"):
            n = m.group("n")
            divisor *= float(n) if n.isdigit() else _word_value(n)
        per.append(_PER_OF[unit])
        end += m.end()
    m = _ADVERB_AFTER.match(text[end:])
    if m and not per:
        per.append(_ADVERB_PER[m.group("a").lower()])
        end += m.end()
    return tuple(per), divisor, end


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in a sentence (or table row), left to right."""
    masked = _mask(text)
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append(q.span)

    for m in _STAGE.finditer(masked):
        cmp = ">=" if m.group("s") else "="
        add(Quantity(text[m.start() : m.end()], m.span(), "stage", *_interval(cmp, float(m.group("n"))), cmp))
    for m in _IN_A.finditer(masked):
        unit = _UNIT_OF[m.group("unit").lower()]
        cmp = "<" if m.group(0).lower().startswith(("under", "less")) else "<="
        start = m.start() if cmp == "<" else m.start() + len(m.group(0).split()[0]) + 1
        if free(start, m.end()):
            add(Quantity(text[start : m.end()], (start, m.end()), unit, *_interval(cmp, 1.0), cmp))
    for m in _FRACTION_RE.finditer(masked):
        if free(*m.span("f")):
            value = _FRACTIONS[m.group("f").lower()]
            add(Quantity(text[m.start("f") : m.end("f")], m.span("f"), "percent", value, value, "="))

    for m in _NUMBER_RE.finditer(masked):
        if not free(*m.span()):
            continue
        found_q = _read_number(text, masked, m)
        if found_q is not None and free(*found_q.span):
            add(found_q)

    for m in _WORDS_RE.finditer(masked):
        if not free(*m.span()):
            continue
        value = _word_value(m.group("w"))
        after = re.match(_WORD_UNIT_AFTER, masked[m.end() :], re.IGNORECASE)
        if after is None:
            continue
        unit = _UNIT_OF[after.group("unit").lower()]
        end = m.end() + after.end()
        per, divisor, end = _rates(masked, end)
        cmp, start = _comparator_before(masked, m.start())
        suffix = _CMP_AFTER.match(masked[end:])  # "fifty seats and up"
        if suffix and cmp == "=":
            word = suffix.group("s").lower()
            cmp = "<=" if any(w in word for w in ("less", "fewer", "below", "under", "lower")) else ">="
            end += suffix.end()
        add(Quantity(text[start:end], (start, end), unit, *_interval(cmp, value / divisor), cmp, per))

    found.sort(key=lambda q: q.span)
    return _inherit_units(text, found)


def _read_number(text: str, masked: str, m: re.Match) -> Quantity | None:
    value, european = _number(m.group("num"), m.group("scale"))
    currency = m.group("cur") or m.group("cur2")
    start, end = m.start(), m.end()
    if m.group("cur") is None:
        start = m.start("num")
    high = None
    if m.group("num2"):
        high, european2 = _number(m.group("num2"), m.group("scale2") or m.group("scale"))
        european = european or european2
        if m.group("scale2") and not m.group("scale"):
            value, _ = _number(m.group("num"), m.group("scale2"))
        if high < value:  # "2023-24", "5-3": not a range
            return None
    unit, canonical = "", True
    glued = (m.group("glued") or "").lower()
    if glued == "%":
        unit = "percent"
    elif glued == "x":
        unit = "times"
    elif glued.startswith("h"):
        unit = "hours"
    if currency:
        unit = _CURRENCY[currency.strip().lower()]
    # "500 or more employees": the comparator may stand between the number and its unit.
    suffix = _CMP_AFTER.match(masked[end:]) if not m.group("num2") else None
    suffix_end = end + suffix.end() if suffix else end
    if suffix and not unit:
        end = suffix_end
    # The unit after the number: "300 engineers", "101-2000 total employees", "100 device licenses".
    if not unit:
        after = re.match(_WORD_UNIT_AFTER, masked[end:], re.IGNORECASE)
        if after is None:
            after = re.match(r"\s*(?P<unit>%|percent\b|per cent\b|usd\b|dollars\b|euros?\b|eur\b)", masked[end:], re.IGNORECASE)
        if after is not None:
            form = after.group("unit").lower()
            unit = _UNIT_OF.get(form) or _CURRENCY.get(form, "")
            end += after.end()
        else:
            generic = re.match(r"(?:\s+(?:" + _MOD_ALT + r"))?\s+(?P<noun>[a-z][a-z-]{2,}s)\b", masked[end:])
            if generic and generic.group("noun") not in _NOT_UNITS:
                unit, canonical = generic.group("noun"), False
                end += generic.end()
    if suffix is None and not m.group("num2"):  # "300 seats or more"
        suffix = _CMP_AFTER.match(masked[end:])
        if suffix:
            end += suffix.end()
    elif suffix and unit and end < suffix_end:  # "$5+": the currency was the unit
        end = suffix_end
    cmp = "range" if high is not None else "="
    cmp_start = start
    if suffix:
        word = suffix.group("s").lower()
        cmp = "<=" if any(w in word for w in ("less", "fewer", "below", "under", "lower")) else ">="
    if cmp in ("=", "range"):
        before, cmp_start = _comparator_before(masked, start)
        if high is not None and re.search(r"\bbetween\s*$", masked[max(0, start - 10) : start], re.IGNORECASE):
            cmp_start = start - len(re.search(r"between\s*$", masked[:start], re.IGNORECASE).group(0))
        elif before != "=" and high is None:
            cmp = before
        else:
            cmp_start = start
    if not unit:
        # A label before the number: "employee count > 100", "| Number of employees | >500 |",
        # "**App Executions** - Minimum 300.000".
        label = _LABEL.search(masked[max(0, cmp_start - 60) : cmp_start])
        if label:
            unit = _UNIT_OF[label.group("unit").lower()]
    per, divisor, end = _rates(masked, end)
    if currency and not per:
        adverb = _ADVERB_BEFORE.search(masked[max(0, cmp_start - 25) : cmp_start])
        if adverb:
            per = (_ADVERB_PER[adverb.group("a").lower()],)
    if european and not unit:
        # "10.000" is ten thousand only where a unit or a label says it counts something;
        # bare in prose it stays a decimal.
        value = float(m.group("num").replace(",", ""))
        if high is not None:
            high = float(m.group("num2").replace(",", ""))
    if not unit and high is None and _YEAR.match(m.group("num")) and cmp == "=":
        return None  # a year
    value /= divisor
    if high is not None:
        high /= divisor
        low, high_ = value, high
    else:
        low, high_ = _interval(cmp, value)
    return Quantity(text[cmp_start:end].strip(), (cmp_start, cmp_start + len(text[cmp_start:end].rstrip())), unit,
                    low, high_, cmp, per, canonical)


def _inherit_units(text: str, found: list[Quantity]) -> list[Quantity]:
    """A bare number joined to a counted one by "to" takes its unit: "from 2 builds/day to 1000+/day"."""
    out = list(found)
    for i, q in enumerate(found):
        if q.unit:
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(found) or not found[j].unit or not found[j].canonical:
                continue
            other = found[j]
            gap = text[other.span[1] : q.span[0]] if j < i else text[q.span[1] : other.span[0]]
            if re.fullmatch(r"\s*(?:to|vs\.?|versus|->|→)\s*(?:over\s+|about\s+|a\s+)?", gap, re.IGNORECASE):
                out[i] = Quantity(q.text, q.span, other.unit, q.low, q.high, q.comparator, q.per or other.per)
                break
    return out


# --------------------------------------------------------------------------- comparing


def _base(q: Quantity) -> tuple[tuple, float]:
    """(measure key, factor to base units): durations in days, rates per day."""
    unit, factor = q.unit, 1.0
    if unit in _DAYS:
        unit, factor = "duration", _DAYS[unit]
    timed = [p for p in q.per if p in _PER_DAYS]
    for p in timed:
        factor /= _PER_DAYS[p]
    others = tuple(sorted(p for p in q.per if p not in _PER_DAYS))
    return (unit, others, bool(timed)), factor


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Same unit and same rate denominators, both known ("6 weeks" and "a day" are both durations)."""
    if not a.unit or not b.unit:
        return False
    return _base(a)[0] == _base(b)[0]


def _scaled(q: Quantity) -> tuple[float | None, float | None, float]:
    _, factor = _base(q)
    s = lambda x: None if x is None else x * factor  # noqa: E731
    return s(q.low), s(q.high), q.value * factor


def in_base_units(q: Quantity) -> float:
    """The representative value in the measure's base units: durations in days, rates per day."""
    return _scaled(q)[2]


# Two values closer than this (relative) are one value written twice or rounded.
ROUNDING = 0.1
APPROXIMATE = 0.3  # "about 40" and "50" are not a disagreement


def conflicts(a: Quantity, b: Quantity) -> bool:
    """Same measure, and the two say different things about it (not just rounding).

    Two intervals that cannot both hold conflict ("under 100 devices" against "over 500
    devices"). Otherwise two stated values conflict when they differ beyond rounding: a threshold
    of 30 points against one of 100, "2 builds a day" against "1 build every two weeks". A
    range and a value conflict only when the value lies outside the range.
    """
    if not same_measure(a, b):
        return False
    la, ha, va = _scaled(a)
    lb, hb, vb = _scaled(b)
    points = a.comparator in ("=", "~") and b.comparator in ("=", "~")  # two values: rounding decides below
    if not points and _disjoint(la, ha, lb, hb, a.comparator, b.comparator):
        return True
    if "range" in (a.comparator, b.comparator):
        if a.comparator == b.comparator == "range":
            return overlap(a, b) < 0.5
        ranged, point = (a, b) if a.comparator == "range" else (b, a)
        lr, hr, _ = _scaled(ranged)
        _, _, vp = _scaled(point)
        return not (lr * (1 - ROUNDING) <= vp <= hr * (1 + ROUNDING))  # type: ignore[operator]
    # "up to 500 hosts" and "over 500 hosts" were disjoint above; two bounds the same way
    # or a bound and a value disagree when their numbers do.
    tolerance = APPROXIMATE if "~" in (a.comparator, b.comparator) else ROUNDING
    scale = max(abs(va), abs(vb))
    return scale > 0 and abs(va - vb) / scale > tolerance


def _disjoint(la, ha, lb, hb, ca: str, cb: str) -> bool:
    # An exclusive bound at the other's inclusive end ("< 100" against "100") also cannot both hold.
    if ha is not None and lb is not None and (ha < lb or (ha == lb and ("<" in (ca,) or ">" in (cb,)))):
        return True
    if hb is not None and la is not None and (hb < la or (hb == la and ("<" in (cb,) or ">" in (ca,)))):
        return True
    return False


def overlap(a: Quantity, b: Quantity) -> float:
    """0..1: how much two intervals overlap, as the share of the narrower one, on a log scale
    (size bands: "101-2000" against "> 500" overlap more than against "0-100").

    Unbounded ends are cut at ten times the largest finite end (a count's low end is 0), so
    "1,000+" and "5,000+" overlap well but not fully. Two single values overlap fully when
    equal within rounding, else not at all. 0 when the measures differ.
    """
    if not same_measure(a, b):
        return 0.0
    la, ha, _ = _scaled(a)
    lb, hb, _ = _scaled(b)
    finite = [abs(x) for x in (la, ha, lb, hb) if x is not None] or [1.0]
    top = 10 * max(finite) or 1.0
    la, lb = (0.0 if la is None else la), (0.0 if lb is None else lb)
    ha, hb = (top if ha is None else ha), (top if hb is None else hb)
    f = lambda x: math.log1p(max(x, 0.0))  # noqa: E731
    wa, wb = f(ha) - f(la), f(hb) - f(lb)
    if wa <= 0 and wb <= 0:  # two points
        scale = max(abs(la), abs(lb))
        return 1.0 if scale == 0 or abs(la - lb) / scale <= ROUNDING else 0.0
    inter = max(0.0, min(f(ha), f(hb)) - max(f(la), f(lb)))
    if wa <= 0 or wb <= 0:  # a point inside or outside an interval
        point = la if wa <= 0 else lb
        lo, hi = (lb, hb) if wa <= 0 else (la, ha)
        return 1.0 if lo <= point <= hi else 0.0
    return inter / min(wa, wb)
