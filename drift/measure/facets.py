"""ICP facet extraction from single sentences: company size, role, industry, region, stack.

Pure functions over text (plus the band table from the config), so each rule is
tested on known sentences. Patterns are deliberately conservative: a sentence
that states no facet yields nothing rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drift.measure import quantities as Q

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


# Units in which companies are sized: headcounts map to the config's bands; the rest
# (seats, hosts, devices) are kept as statements and compared by interval, not banded.
BANDED_UNITS = ("employees", "developers")
SIZE_UNITS = ("employees", "developers", "seats", "users", "hosts", "devices")


def size_quantities(text: str) -> list[Q.Quantity]:
    """Numbers that size a company or a deployment: "1,000+ employees", "> 40 developers", "700+ hosts"."""
    return [q for q in Q.find_quantities(text) if q.unit in SIZE_UNITS and (q.low or q.high)]


def company_sizes(text: str, bands: dict[str, tuple[int, int | None]], words: dict[str, str]) -> list[FacetMention]:
    """Size mentions in a sentence, as bands: headcounts (through the shared quantity reader), then size words."""
    mentions: list[FacetMention] = []
    taken: list[tuple[int, int]] = []
    for quantity in size_quantities(text):
        taken.append(quantity.span)
        if quantity.unit not in BANDED_UNITS:
            continue
        count = quantity.value
        if count < 10:  # "two people approve", "eight people, that's doable": a few people, not a company
            continue
        band = size_band(count, bands)
        if band:
            mentions.append(FacetMention("company_size", band, quantity.text))
    for match in _HEADCOUNT.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        band = size_band(parse_number(match.group(1), match.group(2)), bands)
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


# Industries and regions: a general taxonomy (the config's words extend it), first match wins.
INDUSTRY_PATTERNS: dict[str, tuple[str, ...]] = {
    "logistics & transportation": (r"\b3PLs?\b", r"\bthird[- ]party logistics\b", r"\bfreight\b", r"\blogistics\b",
                                   r"\btrucking\b", r"\btransportation\b", r"\bshipping compan(?:y|ies)\b"),
    "distribution & wholesale": (r"\bdistribut(?:or|ors)\b", r"\bwholesal(?:e|er|ers)\b", r"\bdistribution centers?\b"),
    "manufacturing": (r"\bmanufactur(?:er|ers|ing)\b", r"\bfactor(?:y|ies)\b", r"\bproduction lines?\b", r"\bindustrial\b"),
    "food & beverage": (r"\bfood (?:and|&) beverage\b", r"\bbeverages?\b", r"\bbrewer(?:y|ies)\b", r"\bbakery\b", r"\bdairy\b",
                        r"\bfood (?:manufactur\w*|producers?|brands?|compan(?:y|ies))\b"),
    "retail & e-commerce": (r"\bretail(?:ers?)?\b", r"\be-?commerce\b", r"\bD2C\b", r"\bDTC\b", r"\bconsumer brands?\b"),
    "construction & building supplies": (r"\bbuilding (?:supply|supplies|materials)\b", r"\bconstruction\b", r"\blumber\b",
                                         r"\bHVAC\b", r"\bplumbing\b"),
    "automotive": (r"\bauto ?parts\b", r"\bautomotive\b", r"\baftermarket\b"),
    "healthcare & life sciences": (r"\bhealth ?care\b", r"\bhospitals?\b", r"\bmedical\b", r"\bpharma\w*\b", r"\blife sciences\b",
                                   r"\bbiotech\w*\b"),
    "financial services": (r"\bbanks?\b", r"\bbanking\b", r"\binsurance\b", r"\binsurers?\b", r"\bfinancial services\b",
                           r"\bfintech\b", r"\bfinancial institutions?\b", r"\bcredit unions?\b"),
    "public sector & education": (r"\bpublic sector\b", r"\bgovernment\b", r"\bfederal\b", r"\bagenc(?:y|ies)\b",
                                  r"\bstate and local\b", r"\buniversit(?:y|ies)\b", r"\bhigher education\b", r"\bK-12\b",
                                  r"\bschools?\b"),
    "technology & software": (r"\bSaaS\b", r"\bsoftware compan(?:y|ies)\b", r"\btech(?:nology)? compan(?:y|ies)\b",
                              r"\bhigh[- ]tech\b", r"\btechnology sector\b"),
    "telecommunications & media": (r"\btelecom\w*\b", r"\bmedia compan(?:y|ies)\b", r"\bpublishers?\b"),
    "energy & utilities": (r"\benergy\b", r"\butilit(?:y|ies)\b", r"\boil and gas\b", r"\bmining\b"),
    "professional services": (r"\bconsultanc(?:y|ies)\b", r"\bconsulting firms?\b", r"\bagencies\b", r"\blaw firms?\b",
                              r"\baccounting firms?\b", r"\bMSSPs?\b", r"\bMSPs?\b", r"\bmanaged service providers?\b"),
    "hospitality & travel": (r"\bhospitality\b", r"\bhotels?\b", r"\brestaurants?\b", r"\btravel\b"),
    "nonprofit": (r"\bnon-?profits?\b", r"\bcharit(?:y|ies)\b", r"\bNGOs?\b"),
}
REGION_PATTERNS: dict[str, tuple[str, ...]] = {
    "global": (r"\bglobal(?:ly)?\b", r"\bworldwide\b", r"\binternational(?:ly)?\b", r"\bmultinational\b", r"\bacross (?:\d+ )?countries\b"),
    "EMEA": (r"\bEMEA\b", r"\bEurope(?:an)?\b", r"\bUK\b", r"\bUKI\b", r"\bGermany\b", r"\bFrance\b", r"\bDACH\b", r"\bNordics\b",
             r"\bMiddle East\b", r"\bAfrica\b"),
    "APAC": (r"\bAPAC\b", r"\bAsia\b", r"\bAustralia\b", r"\bANZ\b", r"\bJapan\b", r"\bIndia\b", r"\bSingapore\b"),
    "Latin America": (r"\bLATAM\b", r"\bLatin America\b", r"\bBrazil\b", r"\bMexico\b"),
    "North America": (r"\bNorth America\b", r"\bAMER\b", r"\bUS\b", r"\bUSA\b", r"\bUnited States\b", r"\bCanada\b",
                      r"\bMidwest\b", r"\b(?:the )?Southeast\b", r"\bregional\b", r"\btri-state\b"),
}

# Roles and personas: a function ("IT", "security", "data", "RevOps") with a role noun
# ("leaders", "engineers", "teams"), a title of seniority with a function ("VP of Application
# Development", "Head of IT"), a C-level acronym, or a practitioner noun that is a role by
# itself ("developers", "marketers"). "Owner", "lead" or "principal" alone is never a role.
FUNCTIONS: dict[str, tuple[str, ...]] = {
    "executive": (r"business", r"company", r"executive"),
    "IT": (r"(?-i:IT)", r"information technology", r"systems?", r"network", r"help ?desk", r"end[- ]user computing",
           r"desktop", r"endpoint"),
    "security": (r"security", r"infosec", r"information security", r"cyber ?security", r"(?-i:SOC)", r"compliance",
                 r"risk", r"(?-i:GRC)", r"SecOps"),
    "engineering": (r"engineering", r"software", r"development", r"dev", r"app(?:lication)?s? dev(?:elopment)?",
                    r"app(?:lication)?", r"(?-i:QA)", r"quality", r"release", r"R&D", r"web", r"mobile", r"front[- ]?end",
                    r"back[- ]?end", r"full[- ]?stack"),
    "platform & DevOps": (r"platform", r"dev ?ops", r"dev ?sec ?ops", r"infrastructure", r"cloud", r"(?-i:SRE)",
                          r"site reliability", r"IT ?ops"),
    "data & analytics": (r"data", r"analytics", r"(?-i:BI)", r"business intelligence", r"machine learning", r"(?-i:ML)"),
    "product": (r"product",),
    "operations": (r"operations", r"ops", r"supply chain", r"logistics", r"fulfill?ment", r"warehouse", r"plant",
                   r"procurement", r"purchasing", r"facilities"),
    "finance": (r"finance", r"financial", r"accounting", r"accounts payable", r"(?-i:AP)", r"FP&A", r"treasury"),
    "marketing": (r"marketing", r"growth", r"demand gen(?:eration)?", r"brand", r"content", r"digital"),
    "sales & revenue": (r"revenue", r"rev ?ops", r"sales ops", r"sales operations", r"sales enablement"),
    "customer success & support": (r"customer success", r"customer support", r"support", r"customer service",
                                   r"customer experience", r"(?-i:CX)"),
    "people & HR": (r"(?-i:HR)", r"people", r"talent", r"recruiting", r"human resources"),
    "legal": (r"legal",),
}
# C-level titles and the function they lead.
C_LEVEL: dict[str, str] = {"CEO": "executive", "COO": "operations", "CFO": "finance", "CIO": "IT", "CTO": "engineering",
                           "CISO": "security", "CSO": "security", "CMO": "marketing", "CRO": "sales & revenue",
                           "CDO": "data & analytics", "CPO": "product", "CCO": "customer success & support"}
_LEADER_NOUNS = r"(?:leaders?|leadership|heads?|directors?|VPs?|vice presidents?|executives?|officers?|decision[- ]makers?|buyers?)"
_PRACTITIONER_NOUNS = (r"(?:managers?|leads|engineers?|developers?|architects?|administrators?|admins?|analysts?|specialists?|"
                       r"teams?|practitioners?|staff|owners?|planners?|professionals?|scientists?|marketers?|coordinators?|"
                       r"operators?|personnel|org(?:anization)?s?|departments?|groups?|pros)")
_SENIOR_TITLE = r"(?:VP|SVP|EVP|Vice President|Head|Director|Senior Director|Chief|Manager|Lead|Leader)s?"
_STANDALONE = {  # practitioner nouns that are a role on their own
    "engineering": r"(?:developers?|programmers?|software engineers?|engineers)",
    "marketing": r"(?:marketers?)",
    "IT": r"(?:sysadmins?|system administrators?|IT pros)",
    "finance": r"(?:controllers?|accountants?)",
    "data & analytics": r"(?:data scientists?|analysts)",
    "executive": r"(?:founders?|executives|C-suite|CXOs|business owners?|company owners?)",
}


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(words)


@lru_cache(maxsize=1)
def _role_patterns() -> list[tuple[str, str, re.Pattern]]:
    """(function, seniority, pattern) for every role form, most specific first."""
    out = []
    for function, words in FUNCTIONS.items():
        f = _alternation(words)
        out.append((function, "leaders", re.compile(rf"\b{_SENIOR_TITLE}\b,?\s+(?:of\s+)?(?:the\s+)?(?:{f})\b", re.I)))
        out.append((function, "leaders", re.compile(rf"\b(?:{f})[\s/-]+{_LEADER_NOUNS}\b", re.I)))
        out.append((function, "practitioners", re.compile(rf"\b(?:{f})[\s/-]+{_PRACTITIONER_NOUNS}\b", re.I)))
    for acronym, function in C_LEVEL.items():
        out.append((function, "leaders", re.compile(rf"\b{acronym}s?\b")))
    for chief, function in (("information", "IT"), ("technology", "engineering"), ("financial", "finance"),
                            ("operating", "operations"), ("executive", "executive"), ("marketing", "marketing"),
                            ("revenue", "sales & revenue"), ("information security", "security"), ("data", "data & analytics")):
        out.append((function, "leaders", re.compile(rf"\bchief {chief} officers?\b", re.I)))
    for function, nouns in _STANDALONE.items():
        seniority = "leaders" if function == "executive" else "practitioners"
        out.append((function, seniority, re.compile(rf"\b{nouns}\b", re.I)))
    return out


def role_category(function: str, seniority: str) -> str:
    """"IT leaders", "security practitioners", "executives"."""
    if function == "executive":
        return "executives"
    return f"{function} {seniority}"


def roles(text: str) -> list[FacetMention]:
    """Role mentions in a sentence, each category once, with the title as written."""
    found: dict[str, FacetMention] = {}
    taken: list[tuple[int, int]] = []
    for function, seniority, pattern in _role_patterns():
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            category = role_category(function, seniority)
            found.setdefault(category, FacetMention("role", category, match.group(0)))
    return list(found.values())


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
    for facet, table in (("industry", INDUSTRY_PATTERNS), ("region", REGION_PATTERNS), ("stack", STACK_PATTERNS))
}


# Per facet, every pattern at once and ignoring case: a superset test that lets the many
# sentences naming no facet skip the per-category patterns (most of a report's facet time).
_ANY = {
    facet: re.compile("|".join(f"(?:{p})" for patterns in table.values() for p in patterns), re.IGNORECASE)
    for facet, table in (("industry", INDUSTRY_PATTERNS), ("region", REGION_PATTERNS), ("stack", STACK_PATTERNS))
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
    mentions = company_sizes(text, bands, size_words) + roles(text)
    for facet in ("industry", "region", "stack"):
        mentions.extend(keyword_facets(text, facet))
    return mentions


def title_role(title: str) -> str | None:
    """A participant's job title (call metadata) -> role category."""
    for mention in roles(title):
        return mention.category
    return None
