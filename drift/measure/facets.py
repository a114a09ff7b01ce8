"""ICP facet extraction from single sentences: company size, role, industry, region, stack.

Pure functions over text (plus the band table from the config), so each rule is
tested on known sentences. Patterns are deliberately conservative: a sentence
that states no facet yields nothing rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

FACETS = ("company_size", "role", "industry", "region", "stack")


@dataclass(frozen=True)
class FacetMention:
    facet: str
    category: str
    matched: str  # the words that justified it


_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|K|thousand)?"
_UNIT = r"(?:full[- ]time\s+)?(employees|people|staff|folks|person|workers|engineers|developers|FTEs?|headcount|heads)"
_SIZE_RANGE = re.compile(
    rf"{_NUMBER}\s*(?:\+|plus|or more)?\s*(?:-|–|—|to|and)\s*{_NUMBER}\s*\+?\s*(?:[a-z-]+\s+){{0,2}}?{_UNIT}\b",
    re.IGNORECASE,
)
_SIZE_SINGLE = re.compile(
    rf"(?:about|around|roughly|nearly|almost|over|more than|under|fewer than|less than|just under|just over|~)?\s*"
    rf"{_NUMBER}\s*(\+|plus|or more|or so|ish)?\s*(?:[a-z-]+\s+){{0,2}}?{_UNIT}\b",
    re.IGNORECASE,
)
_HEADCOUNT = re.compile(rf"\b(?:headcount|team) of\s+(?:about|around|roughly)?\s*{_NUMBER}", re.IGNORECASE)
_REVENUE = re.compile(r"\$\s?(\d+(?:\.\d+)?)\s*(m|mm|million|b|bn|billion)\b\s*(?:arr|revenue|in revenue|in sales)?", re.IGNORECASE)


def parse_number(digits: str, scale: str | None = None) -> float:
    """'1,200' -> 1200; '5' with 'k' -> 5000."""
    value = float(digits.replace(",", ""))
    if scale and scale.lower() in ("k", "thousand"):
        value *= 1000
    return value


def size_band(employees: float, bands: dict[str, tuple[int, int | None]]) -> str | None:
    """The configured band containing an employee count."""
    for name, (low, high) in sorted(bands.items(), key=lambda kv: kv[1][0]):
        if employees >= low and (high is None or employees <= high):
            return name
    return None


def company_sizes(text: str, bands: dict[str, tuple[int, int | None]], words: dict[str, str]) -> list[FacetMention]:
    """Size mentions in a sentence, as bands: numbers of employees, then size words."""
    mentions: list[FacetMention] = []
    taken: list[tuple[int, int]] = []
    for match in _SIZE_RANGE.finditer(text):
        low = parse_number(match.group(1), match.group(2))
        high = parse_number(match.group(3), match.group(4))
        band = size_band((low + high) / 2, bands)
        if band:
            mentions.append(FacetMention("company_size", band, match.group(0).strip()))
            taken.append(match.span())
    for pattern in (_SIZE_SINGLE, _HEADCOUNT):
        for match in pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            count = parse_number(match.group(1), match.group(2))
            if count < 2:
                continue
            band = size_band(count, bands)
            if band:
                mentions.append(FacetMention("company_size", band, match.group(0).strip()))
                taken.append(match.span())
    lowered = text.lower()
    for phrase, band, pattern in _size_word_patterns(tuple(words.items())):
        for match in pattern.finditer(lowered):
            if any(a <= match.start() < b for a, b in taken):
                continue
            mentions.append(FacetMention("company_size", band, text[match.start() : match.end()]))
            taken.append(match.span())
    # One mention per band and sentence: "enterprises with 5,000+ employees" is one statement.
    unique: dict[str, FacetMention] = {}
    for mention in mentions:
        unique.setdefault(mention.category, mention)
    return list(unique.values())


@lru_cache(maxsize=8)
def _size_word_patterns(words: tuple[tuple[str, str], ...]) -> list[tuple[str, str, re.Pattern]]:
    """(phrase, band, pattern), longest phrase first."""
    return [
        # "QuickBooks Enterprise", "the Enterprise plan": product and tier names, not company size.
        (phrase, band, re.compile(rf"(?<!quickbooks )(?<!sage )\b{re.escape(phrase)}\b(?! plan| tier| edition| license| contract| pricing)"))
        for phrase, band in sorted(words, key=lambda kv: -len(kv[0]))
    ]


def revenue_band(text: str) -> list[FacetMention]:
    out = []
    for match in _REVENUE.finditer(text):
        value = float(match.group(1)) * (1000 if match.group(2).lower() in ("b", "bn", "billion") else 1)
        band = "under $50M" if value < 50 else "$50M-$1B" if value < 1000 else "over $1B"
        out.append(FacetMention("revenue", band, match.group(0).strip()))
    return out


# Category -> patterns. Order matters: the first matching category of a phrase wins.
ROLE_PATTERNS: dict[str, tuple[str, ...]] = {
    "IT / technology leadership": (r"\bCIOs?\b", r"\bCTOs?\b", r"\bIT (?i:leaders?|directors?|teams?|managers?|departments?)\b",
                                   r"\bchief information officers?\b", r"\bchief technology officers?\b", r"\bhead of IT\b",
                                   r"\bVP,? (?i:of )?(?:IT|(?i:engineering|technology))\b", r"\benterprise architects?\b"),
    "operations leadership": (r"\bVP,? (?i:of )?(?i:operations)\b", r"\bdirectors? of operations\b", r"\bCOOs?\b",
                              r"\bchief operating officers?\b", r"\bhead of (?:operations|ops|fulfill?ment|logistics)\b",
                              r"\boperations directors?\b", r"\bops leaders?\b", r"\boperations leaders?\b"),
    "operations managers": (r"\boperations managers?\b", r"\bops managers?\b", r"\bwarehouse managers?\b",
                            r"\bfulfill?ment managers?\b", r"\blogistics managers?\b", r"\bsupply chain managers?\b",
                            r"\bplant managers?\b", r"\bpurchasing managers?\b", r"\bbuyers? and planners\b"),
    "finance": (r"\bcontrollers?\b", r"\bCFOs?\b", r"\bchief financial officers?\b", r"\bfinance (?:teams?|leaders?|directors?)\b",
                r"\bAP (?:clerks?|teams?)\b", r"\baccounts payable\b"),
    "executive": (r"\bCEOs?\b", r"\bfounders?\b", r"\bowners?\b", r"\bpresidents?\b", r"\bC-suite\b", r"\bexecutives?\b"),
}
INDUSTRY_PATTERNS: dict[str, tuple[str, ...]] = {
    "logistics / 3PL": (r"\b3PLs?\b", r"\bthird[- ]party logistics\b", r"\bfreight\b", r"\blogistics\b", r"\btrucking\b", r"\bcarriers?\b"),
    "distribution / wholesale": (r"\bdistribut(?:or|ors|ion)\b", r"\bwholesal(?:e|er|ers)\b", r"\bDCs?\b", r"\bdistribution centers?\b"),
    "manufacturing": (r"\bmanufactur(?:er|ers|ing)\b", r"\bplants?\b", r"\bfactor(?:y|ies)\b", r"\bproduction lines?\b"),
    "food & beverage": (r"\bfood\b", r"\bbeverages?\b", r"\bbrewer(?:y|ies)\b", r"\bbakery\b", r"\bdairy\b", r"\bsnacks?\b"),
    "retail / e-commerce": (r"\bretail(?:ers?)?\b", r"\be-?commerce\b", r"\bD2C\b", r"\bDTC\b", r"\bShopify stores?\b"),
    "building supplies": (r"\bbuilding (?:supply|supplies|materials)\b", r"\blumber\b", r"\bHVAC\b", r"\bplumbing\b"),
    "automotive": (r"\bauto ?parts\b", r"\bautomotive\b", r"\baftermarket\b"),
    "healthcare": (r"\bhealthcare\b", r"\bhospitals?\b", r"\bmedical\b", r"\bpharma\w*\b"),
    "financial services": (r"\bbanks?\b", r"\binsurance\b", r"\bfinancial services\b", r"\bfintech\b"),
    "software / technology": (r"\bSaaS\b", r"\bsoftware compan(?:y|ies)\b", r"\btech compan(?:y|ies)\b"),
}
REGION_PATTERNS: dict[str, tuple[str, ...]] = {
    "global": (r"\bglobal(?:ly)?\b", r"\bworldwide\b", r"\binternational(?:ly)?\b", r"\bmultinational\b", r"\bacross (?:\d+ )?countries\b"),
    "EMEA": (r"\bEMEA\b", r"\bEurope(?:an)?\b", r"\bUK\b", r"\bGermany\b"),
    "APAC": (r"\bAPAC\b", r"\bAsia\b", r"\bAustralia\b", r"\bJapan\b"),
    "North America (regional)": (r"\bMidwest\b", r"\b(?:the )?Southeast\b", r"\bOhio\b", r"\bTexas\b", r"\bIndiana\b", r"\bMichigan\b",
                                 r"\bKentucky\b", r"\bPennsylvania\b", r"\bGeorgia\b", r"\bIllinois\b", r"\bCanada\b",
                                 r"\bregional\b", r"\bthree states\b", r"\btri-state\b"),
}
STACK_PATTERNS: dict[str, tuple[str, ...]] = {
    "NetSuite": (r"\bNet ?Suite\b",),
    "Acumatica": (r"\bAcumatica\b",),
    "Microsoft Dynamics / Business Central": (r"\bDynamics\b", r"\bBusiness Central\b", r"\bNAV\b"),
    "QuickBooks": (r"\bQuick ?Books\b", r"\bQBO\b"),
    "Sage": (r"\bSage\b",),
    "SAP": (r"\bSAP\b", r"\bS/4\s?HANA\b"),
    "Oracle": (r"\bOracle\b",),
    "Salesforce": (r"\bSalesforce\b",),
    "Shopify": (r"\bShopify\b",),
    "Slack / Teams": (r"\bSlack\b", r"\bMicrosoft Teams\b", r"\bTeams channel\b"),
    "spreadsheets / email": (r"\bspreadsheets?\b", r"\bExcel\b", r"\bGoogle Sheets\b", r"\bshared inbox\b"),
    "Zapier": (r"\bZapier\b",),
}

def _compile(patterns: tuple[str, ...]) -> list[re.Pattern]:
    # Acronyms keep their case ("IT" the department is not "it"); words ignore it.
    return [re.compile(p) if re.search(r"[A-Z]{2}", p) else re.compile(p, re.IGNORECASE) for p in patterns]


_COMPILED = {
    facet: {category: _compile(patterns) for category, patterns in table.items()}
    for facet, table in (("role", ROLE_PATTERNS), ("industry", INDUSTRY_PATTERNS),
                         ("region", REGION_PATTERNS), ("stack", STACK_PATTERNS))
}


# Per facet, every pattern at once and ignoring case: a superset test that lets the many
# sentences naming no facet skip the per-category patterns (most of a report's facet time).
_ANY = {
    facet: re.compile("|".join(f"(?:{p})" for patterns in table.values() for p in patterns), re.IGNORECASE)
    for facet, table in (("role", ROLE_PATTERNS), ("industry", INDUSTRY_PATTERNS),
                         ("region", REGION_PATTERNS), ("stack", STACK_PATTERNS))
}


def keyword_facets(text: str, facet: str) -> list[FacetMention]:
    """Categories of `facet` whose patterns occur in the sentence (each category once)."""
    if not _ANY[facet].search(text):
        return []
    out = []
    for category, patterns in _COMPILED[facet].items():
        match = next((m for p in patterns if (m := p.search(text))), None)
        if match:
            out.append(FacetMention(facet, category, match.group(0)))
    return out


def extract_facets(text: str, bands: dict[str, tuple[int, int | None]], size_words: dict[str, str]) -> list[FacetMention]:
    """Every facet mention in one sentence."""
    mentions = company_sizes(text, bands, size_words)
    for facet in ("role", "industry", "region", "stack"):
        mentions.extend(keyword_facets(text, facet))
    return mentions


def title_role(title: str) -> str | None:
    """A participant's job title (call metadata) -> role category."""
    for mention in keyword_facets(title, "role"):
        return mention.category
    return None
