"""The lead definition test: what each side says a term means, criterion by criterion.

Ask marketing and sales what a qualified lead is and you get two answers. This module
finds those answers in the company's own writing and calls:

1. **Blocks.** Segments are regrouped into the blocks of their document (a heading, a
   paragraph, a list item, a table row), in order, so a definition can span a sentence
   that ends in ":" and the list items under it.
2. **Definitional statements** (general English and layout, no corpus words):
   - copular and naming patterns: "an X is a ... that/who/when ...", "X means ...",
     "X is defined as", "... is considered / deemed / counts as / qualifies as an X",
     "... considers them X", "X criteria", "to be an X, ...", "X if / when ...";
   - glossary rows and items: "| X | a description |", "**X** - a description", "`X` = 2,001+";
   - a heading that names the term ("## X definition", "#### X - Long Name") with the
     paragraph, list or table under it; a sentence ending in ":" with the items that follow.
3. **Criteria**: numeric thresholds (through `quantities`), budget / authority / need /
   timing, behaviours (downloads, demos, trials, visits, attendance, score points),
   stages, segments and named frameworks, each with its source span.
4. **Comparison** per concept across voices: thresholds that disagree or exist on one side
   only, behaviour-only against BANT-like definitions, stage gates, acronyms expanded
   differently, and terms that one side uses but never defines.

Everything here computes; the report renders `DefinitionComparison` objects.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from drift.config import Concept
from drift.measure import quantities as Q
from drift.measure.evidence import quote_at
from drift.model import Finding, Quote
from drift.measure.versions import version_name
from drift.results import Criterion, CriterionCell, CriterionRow, Definition, DefinitionChange, DefinitionComparison
from drift.store import SegmentTable

MAX_BODY_BLOCKS = 12  # list items or rows taken under a heading or a "...:" sentence
MAX_QUOTE_CHARS = 700
MAX_DEFINITIONS_PER_VOICE = 25  # the report shows the first few; the JSON keeps them all
USAGE_QUOTES = 2
PROCESS_UNITS = frozenset({"seconds", "minutes", "hours"})  # sentences that use a term, quoted where a side never defines it
VOICE_NAMES = {"marketing": "marketing", "rep": "sales", "buyer": "buyers"}

# ---------------------------------------------------------------- blocks


@dataclass
class Block:
    """One heading, paragraph, list item or table row of one document."""

    text: str
    kind: str  # heading | item | row | text | speech
    voice: str
    source: str
    locator: str | None
    month: str | None
    doc_id: str
    rows: list[int] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def document_blocks(table: SegmentTable) -> list[list[Block]]:
    """Each document's blocks in reading order (the table is ordered by path, doc, position)."""
    documents: list[list[Block]] = []
    current: list[Block] = []
    previous_doc = None
    kinds = table.block or [None] * len(table)
    for row in range(len(table)):
        doc = table.doc_id[row]
        kind = kinds[row] or "speech"
        locator = table.locator[row]
        if doc != previous_doc:
            if current:
                documents.append(current)
            current, previous_doc = [], doc
        last = current[-1] if current else None
        if last is not None and last.locator == locator and last.kind == kind and locator is not None and kind != "speech":
            last.text = f"{last.text} {table.text[row]}"
            last.rows.append(row)
            last.sentences.append(table.text[row])
        else:
            current.append(Block(table.text[row], kind, str(table.voice[row]), table.source[row], locator,
                                 table.month[row], doc, [row], [table.text[row]]))
    if current:
        documents.append(current)
    return documents


# ---------------------------------------------------------------- acronyms

_SMALL = {"of", "and", "the", "for", "to", "a", "an", "in", "on", "&", "or", "per"}
_PAREN_ACRONYM = re.compile(r"((?:[A-Za-z][\w'’-]*[\s/]+){1,7}?)\(\s*([A-Z][A-Za-z]{1,6}?)s?\s*\)")
_ACRONYM_FIRST = re.compile(r"^\W*([A-Z]{2,7})s?\W*(?:\||-|–|—|:|=|\()\s*((?:[A-Za-z][\w'’-]*\s*){2,7})")
ACRONYM = re.compile(r"\b([A-Z]{2,7})s?\b")


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0].upper() for w in words if w.lower() not in _SMALL and w[:1].isalpha())


def _expansion_for(acronym: str, words: list[str], from_end: bool) -> str | None:
    """The run of words whose initials spell the acronym, read from the end or the start."""
    letters = acronym.upper().rstrip("S") if len(acronym) > 3 and acronym.endswith("s") else acronym.upper()
    words = [w.strip("*`_\"'“”()[]") for w in words if w.strip("*`_\"'“”()[]")]
    for size in range(len(letters), len(letters) + 3):
        chunk = words[-size:] if from_end else words[:size]
        if len(chunk) < len(letters):
            continue
        if _initials(chunk) == letters and chunk[0][:1].isupper() == chunk[0][:1].isupper():
            if from_end and chunk[0].lower() in _SMALL:
                continue
            return " ".join(chunk)
    return None


def find_expansions(text: str) -> list[tuple[str, str]]:
    """(ACRONYM, expansion) pairs a text states: "Long Name (LN)", "LN - Long Name", "| LN | Long Name ..."."""
    found = []
    for match in _PAREN_ACRONYM.finditer(text):
        acronym = match.group(2)
        if not acronym.isupper():
            continue
        expansion = _expansion_for(acronym, match.group(1).split(), from_end=True)
        if expansion:
            found.append((acronym, expansion))
    first = _ACRONYM_FIRST.match(text)
    if first:
        expansion = _expansion_for(first.group(1), first.group(2).split(), from_end=False)
        if expansion:
            found.append((first.group(1), expansion))
    return found


def _title(expansion: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in expansion.split())


# ---------------------------------------------------------------- definitional statements

_NP = r"(?:an?\s+|the\s+)?((?:[\w/&'’-]+\s+){0,4}?[\w/&'’-]+)(?:\s*\([^)]{1,40}\))?"
_COPULA = re.compile(
    r"^\W*" + _NP + r"\s+(?:is|are|means|refers to|stands for|=|is defined as|are defined as|"
    r"is considered|are considered|is deemed|are deemed)\s+"
    r"(?P<pred>(?:an?|any|anyone|someone|anybody|one|the|when|if|once|a\s+\w+\s+that)\b.*)$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"\b(?:that|who|which|whose|with|when|where|if|once|after|whether|based on|any of|all of|one of|"
                       r"following)\b", re.IGNORECASE)
_NAMED_AS = re.compile(
    r"\b(?:(?:considered|deemed|classified|treated|marked|tagged)\s+(?:as\s+)?|"
    r"(?:counts?|counted|qualif(?:y|ies|ied)|converted)\s+as\s+|(?:becomes?|became)\s+)(?:an?\s+|the\s+)?"
    r"(?P<term>(?:[\w/&'’-]+\s+){0,4}?[\w/&'’-]+)(?:\s*\([^)]{1,40}\))?\s*(?:(?:when|if|once|after|only)\b|[.,;:]|$)",
    re.IGNORECASE,
)
_CONSIDERS_THEM = re.compile(
    r"\b(?:consider|considers|call|calls|count|counts|treat|treats)\s+(?:them|it|this|these|those|the\s+\w+)\s+(?:as\s+)?"
    r"(?:an?\s+)?(?P<term>(?:[\w/&'’-]+\s+){0,4}?[\w/&'’-]+)(?:\s*\([^)]{1,40}\))?\s*(?:(?:when|if|once)\b|[.,;:]|$)",
    re.IGNORECASE,
)
# "we consider a lead qualified when ...": the term is the adjective and its noun.
_CONSIDER_ADJECTIVE = re.compile(
    r"\b(?:consider|considers|call|calls|count|counts|deem|deems|treat|treats)\s+(?:an?|the|any)\s+"
    r"(?P<noun>[\w-]+)\s+(?P<adj>[\w-]+)\s+(?:when|if|once|after|only if|as soon as)\b",
    re.IGNORECASE,
)
_CRITERIA_HEAD = re.compile(
    r"\b(?P<term>(?:[\w/&'’-]+\s+){0,3}?[\w/&'’-]+)\s+(?:criteria|definition|requirements|qualification)\b|"
    r"\b(?:definition|criteria|requirements)\s+(?:of|for)\s+(?:an?\s+|the\s+)?(?P<term2>(?:[\w/&'’-]+\s+){0,3}?[\w/&'’-]+)\b|"
    r"\b(?:to be|for (?:this|it|a \w+) to be|to count as|to qualify as)\s+(?:an?\s+|the\s+)?"
    r"(?P<term3>(?:[\w/&'’-]+\s+){0,3}?[\w/&'’-]+)\s*(?:,|:|on our side|we need|you need|it must|it needs)",
    re.IGNORECASE,
)
_GLOSSARY_ITEM = re.compile(r"^\W*(?P<term>[A-Za-z][\w /&'’().-]{1,50}?)\W*\s(?:-|–|—|:|=)\s+(?P<body>\S.{3,})$")
_NOT_SUBJECT = {"this", "that", "it", "there", "here", "what", "which", "who", "our", "your", "their", "his",
                "her", "its", "my", "we", "you", "they", "he", "she", "i", "these", "those", "everything",
                "nothing", "something", "anything", "one", "each", "all", "some", "today", "now", "below",
                "above", "following", "next", "first", "last", "other", "others", "example", "step", "goal"}


@dataclass(frozen=True)
class Statement:
    term: str  # the term as written
    head: Block
    body: tuple[Block, ...] = ()
    pattern: str = ""  # which pattern found it: copular, named-as, glossary, heading, colon-list, spoken
    sentence: int | None = None  # for a sentence pattern: which sentence of the head block defines

    @property
    def text(self) -> str:
        head = self.head.text.rstrip()
        if self.sentence is not None and not self.body:
            # The defining sentence and the one after it, not the whole paragraph.
            head = " ".join(self.head.sentences[self.sentence : self.sentence + 2])
        parts = [head]
        parts += [f"• {b.text}" for b in self.body]
        joined = " ".join(parts)
        return joined if len(joined) <= MAX_QUOTE_CHARS else joined[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


def _clean_term(term: str) -> str:
    term = re.sub(r"[*`_\"“”]", "", term).strip(" .,:;-–|")
    term = re.sub(r"^(?:an?|the|our|new)\s+", "", term, flags=re.IGNORECASE)
    return term


def _subject_ok(term: str) -> bool:
    words = term.lower().split()
    return (bool(words) and words[0] not in _NOT_SUBJECT and len(words) <= 6
            and not any(ch.isdigit() for ch in term))


_NOUN_PHRASE_POS = {"NOUN", "PROPN", "ADJ", "DET", "PUNCT", "CCONJ", "X", "SYM"}


@lru_cache(maxsize=4096)
def is_noun_phrase(term: str) -> bool:
    """True when spaCy tags the term as a noun phrase: nouns and modifiers, ending in a noun.

    Keeps "Below", "In Github there" or "known publicly" from passing as defined terms.
    """
    # spaCy is imported here, not with the module: `drift check` reads a page's definitions
    # through this module and needs spaCy only when a sentence has a definitional pattern.
    from drift.nlp import load_pipeline  # imports spaCy without torch (see drift.nlp)

    nlp, info = load_pipeline()
    if not info.trained:
        return term[:1].isupper()
    # Tagged after an article, as the subject of a definition is ("a lead", not the verb "lead").
    # Title Case ("Send a Quote") is lower-cased so a verb reads as a verb; acronyms stay.
    words = " ".join(w if w.isupper() else w.lower() for w in term.split())
    doc = nlp(f"the {words}", disable=[p for p in ("ner", "senter") if p in nlp.pipe_names])
    tokens = [t for t in doc[1:] if not t.is_punct]
    if not tokens or tokens[-1].pos_ not in ("NOUN", "PROPN"):
        return False
    return all(t.pos_ in _NOUN_PHRASE_POS or t.text.isupper() for t in tokens)


def _sentence_definitions(text: str) -> list[tuple[str, str]]:
    """(term, pattern) for each way a sentence defines a term in general English, best first."""
    if text.rstrip().endswith("?"):
        return []
    found = []
    copula = _COPULA.match(text)
    if copula:
        term = _clean_term(copula.group(1))
        pred = copula.group("pred")
        if _subject_ok(term) and (_RELATIVE.search(pred) or pred.lower().startswith(("when", "if", "once"))):
            found.append((term, "copular"))
    for pattern in (_CONSIDERS_THEM, _NAMED_AS):
        match = pattern.search(text)
        if match:
            term = _clean_term(match.group("term"))
            if _subject_ok(term) and (term[:1].isupper() or ACRONYM.search(term) or len(term.split()) >= 2):
                found.append((term, "named-as"))
    adjective = _CONSIDER_ADJECTIVE.search(text)
    if adjective:
        found.append((f"{adjective.group('adj')} {adjective.group('noun')}", "named-as"))
    criteria = _CRITERIA_HEAD.search(text)
    if criteria:
        term = _clean_term(next(g for g in criteria.group("term", "term2", "term3") if g))
        if _subject_ok(term):
            found.append((term, "criteria"))
    return found


def _row_definition(text: str) -> tuple[str, str] | None:
    """A glossary table row: a short term cell followed by a descriptive cell."""
    cells = [c.strip() for c in text.split("|") if c.strip()]
    if len(cells) < 2:
        return None
    term, body = _clean_term(cells[0]), " ".join(cells[1:])
    if 1 <= len(term.split()) <= 5 and len(body.split()) >= 4 and not term[:1].isdigit():
        return term, body
    return None


_DEFINING_CUE = re.compile(
    r"\b(?:defin\w*|criteria|criterion|qualif\w*|what (?:is|are|counts|makes)|means?|requirements?|"
    r"profile|considered|deemed|must (?:have|be|meet)|counts? as|scoring)\b", re.IGNORECASE)


def find_statements(blocks: list[Block], names_term, mentions_term) -> list[Statement]:
    """Definitional statements of one document.

    `names_term(s) -> bool`: s *is* a known term (a glossary cell, a heading that is the term).
    `mentions_term(s) -> str | None`: the known term s mentions, for headings and "...:" sentences
    that carry a defining cue ("definition", "criteria", "what is", "qualifies").
    Explicit definitional sentences ("an X is a ... that", "... is considered an X") define any
    noun phrase, known or not.
    """
    found: list[Statement] = []
    for index, block in enumerate(blocks):
        text = block.text.strip()
        if block.kind == "heading":
            statement = _heading_statement(blocks, index, names_term, mentions_term)
            if statement:
                found.append(statement)
            continue
        if block.kind == "row":
            row = _row_definition(text)
            if row and names_term(row[0]):
                found.append(Statement(row[0], block, (), "glossary"))
                continue
        if block.kind == "item":
            item = _GLOSSARY_ITEM.match(text)
            if item and names_term(_clean_term(item.group("term"))):
                found.append(Statement(_clean_term(item.group("term")), block, (), "glossary"))
                continue
        defined = False
        for number, sentence_text in enumerate(block.sentences or [text]):
            sentence = next((c for c in _sentence_definitions(sentence_text) if names_term(c[0]) or
                             (c[1] in ("copular", "named-as") and is_noun_phrase(c[0]))), None)
            if sentence:
                last = number == len(block.sentences) - 1
                body = tuple(_body_after(blocks, index, heading=False)) if last and text.rstrip().endswith(":") else ()
                pattern = "spoken" if block.kind == "speech" else ("colon-list" if body else sentence[1])
                found.append(Statement(sentence[0], block, body, pattern, number))
                defined = True
                break
        if defined:
            continue
        if text.rstrip().endswith(":") and _DEFINING_CUE.search(text):
            term = mentions_term(text)
            body = tuple(_body_after(blocks, index, heading=False))
            if term and body:
                found.append(Statement(term, block, body, "colon-list"))
    return found


def _first_sentence(text: str) -> str:
    """Blocks join a paragraph's sentences; definitional patterns read the first one."""
    match = re.search(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return text[: match.start()] if match else text


def _heading_statement(blocks, index, names_term, mentions_term) -> Statement | None:
    """A heading that is the term ("## MQOs", "#### ICP - Ideal Customer Profile") or defines it
    ("## MQL definition", "What is an SQL?"), with the paragraph, list or table under it."""
    block = blocks[index]
    text = block.text.strip()
    if len(text.split()) > 10:
        return None
    bare = _clean_term(re.sub(r"\([^)]*\)", "", text))
    term = None
    for acronym, _ in find_expansions(text):
        if names_term(acronym):
            term = acronym
    if term is None and names_term(bare) and is_noun_phrase(bare):
        term = bare
    if term is None and _DEFINING_CUE.search(text):
        term = mentions_term(text)
    if term is None:
        return None
    body = tuple(_body_after(blocks, index, heading=True))
    return Statement(term, block, body, "heading") if body else None


def _terms_in(text: str) -> list[str]:
    terms = [a for a, _ in find_expansions(text)] + [m.group(1) for m in ACRONYM.finditer(text)]
    return terms + [text]


def _body_after(blocks: list[Block], index: int, heading: bool) -> Iterable[Block]:
    """The list items and rows (or, under a heading, the paragraph too) that follow a block."""
    taken = 0
    for block in blocks[index + 1 :]:
        if block.kind == "heading" or taken >= MAX_BODY_BLOCKS:
            return
        if heading or block.kind in ("item", "row"):
            yield block
            taken += 1
            if heading and block.kind == "text" and taken >= 3:
                return
        else:
            return


# ---------------------------------------------------------------- criteria

_CRITERIA_CUES: tuple[tuple[str, str, re.Pattern], ...] = (
    ("budget", "budget", re.compile(r"\b(?:budget(?:ed)?|funding|funded|money set aside)\b", re.I)),
    ("authority", "a decision maker", re.compile(r"\b(?:decision[- ]?makers?|authority|sign[- ]off|signer|economic buyer|"
                                                 r"budget holder|champion)\b", re.I)),
    ("need", "a stated need", re.compile(r"\b(?:need|needs|pain|problem|use case|initiative)\b", re.I)),
    ("timing", "a timeline", re.compile(r"\b(?:timeline|timing|time ?frame|this quarter|next quarter|within \w+ (?:days|months)|"
                                        r"project (?:this|next)|by (?:q[1-4]|the end of)|a (?:go-live |target |start |close )?date|"
                                        r"deadline|by when|when (?:they|you) (?:need|want) it)\b", re.I)),
    ("behaviour", "engagement (downloads, events, visits)", re.compile(
        r"\b(?:download(?:ed|s)?|attend(?:ed|s)?|webinars?|events?|visit(?:ed|s)?|clicked|opened|"
        r"requested (?:a )?demo|demo request|signed up|sign[- ]?up|free trial|started a trial|trial|"
        r"form fill|filled (?:out|in)|engag(?:ed|ement)|behavio(?:u)?r(?:al)?|activity)\b", re.I)),
    ("score", "a lead score", re.compile(r"\b(?:points?|pts|lead score|scor(?:e|ing))\b", re.I)),
    ("stage", "a pipeline stage", re.compile(r"\bstage\s*[`'\"]?\s*\d|\b\d-[A-Z][a-z]+", re.I)),
    ("fit", "company fit (size, industry, segment)", re.compile(
        r"\b(?:company size|employees|headcount|industry|vertical|segment|enterprise|mid-?market|smb|"
        r"firmographic|demographic|fit)\b", re.I)),
    ("meeting", "a meeting held", re.compile(r"\b(?:meeting|call) (?:held|attended|booked|scheduled|took place)|"
                                             r"attend(?:ed|s)? (?:a|the|this) (?:demo|meeting|call)\b", re.I)),
)


def extract_criteria(statement_text: str) -> list[Criterion]:
    """What a definition requires: thresholds, BANT elements, behaviours, stages, fit, frameworks."""
    criteria: list[Criterion] = []
    for quantity in Q.find_quantities(statement_text):
        # Response times ("within 45 minutes") are service levels of the process, not criteria of the lead.
        if quantity.unit and quantity.unit not in PROCESS_UNITS:
            criteria.append(Criterion("threshold", _describe(quantity), quantity.text, quantity.unit,
                                      quantity.low, quantity.high, quantity.comparator))
    for kind, label, pattern in _CRITERIA_CUES:
        match = pattern.search(statement_text)
        if match:
            criteria.append(Criterion(kind, label, match.group(0)))
    for match in _FRAMEWORK.finditer(statement_text):
        word = match.group("a") or match.group("b")
        criteria.append(Criterion("framework", word, match.group(0)))
    return criteria


# A named qualification method: an acronym right next to "criteria", "framework", "gaps in" ...
_FRAMEWORK = re.compile(
    r"\b(?P<a>[A-Z]{4,9})\b\W{0,3}(?:\w+\W+){0,1}(?:criteria|framework|methodology|qualification|score)\b|"
    r"\b(?:criteria|framework|methodology|qualif\w*|gaps (?:are )?in|using|via)\W+(?:\w+\W+){0,2}(?P<b>[A-Z]{4,9})\b"
)


def _describe(quantity: Q.Quantity) -> str:
    unit = quantity.unit.replace("_", " ")
    comparator = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most", "~": "about",
                  "=": "", "range": ""}.get(quantity.comparator, "")
    if quantity.comparator == "range" and quantity.low is not None and quantity.high is not None:
        return f"{_num(quantity.low)}-{_num(quantity.high)} {unit}"
    return " ".join(part for part in (comparator, _num(quantity.value), unit) if part)


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


# ---------------------------------------------------------------- grouping and comparison


def _singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3:
        return lower[:-1]
    return lower


def _key(term: str) -> str:
    return " ".join(_singular(w) for w in re.findall(r"[\w/&'’-]+", term))


@dataclass
class TermIndex:
    """Which concept a written term belongs to: tracked concepts first, then acronyms a side defines."""

    concepts: Sequence[Concept]
    expansions: dict[str, Counter] = field(default_factory=dict)  # ACRONYM -> expansion counts
    _keys_state: tuple[int, int] | None = field(default=None, repr=False)
    _keys: set[str] = field(default_factory=set, repr=False)

    def names(self, text: str) -> bool:
        """The text is a known term, give or take two qualifiers in front ("New MQL", "Enterprise ICP")."""
        words = _key(text).split()
        if not words or len(words) > 6:
            return False
        for skip in range(0, min(3, len(words))):
            tail = " ".join(words[skip:])
            if tail in self._known_keys() or tail.upper() in self.expansions:
                return True
        return False

    def mentioned(self, text: str) -> str | None:
        """The first known term a text mentions (acronyms as written, words by their singular form)."""
        for match in ACRONYM.finditer(text):
            if match.group(1) in self.expansions or self.concept_of(match.group(1)):
                return match.group(1)
        key = f" {_key(text)} "
        for known in sorted(self._known_keys(), key=len, reverse=True):
            if f" {known} " in key:
                return known
        return None

    def _known_keys(self) -> set[str]:
        # Asked for every block of every document: computed once per state of the expansions.
        state = sum(len(forms) for forms in self.expansions.values()), len(self.expansions)
        if self._keys_state != state:
            self._keys_state, self._keys = state, self._compute_keys()
        return self._keys

    def _compute_keys(self) -> set[str]:
        keys = {_key(t) for c in self.concepts for t in c.terms if not t.isupper()}
        keys |= {t.lower() for c in self.concepts for t in c.terms if t.isupper()}
        keys |= {_key(e) for forms in self.expansions.values() for e in forms}
        keys |= {a.lower() for a in self.expansions}
        return keys

    def concept_of(self, term: str) -> str | None:
        key = _key(term)
        acronyms = {m.group(1) for m in ACRONYM.finditer(term)}
        for acronym in list(acronyms):
            for expansion in self.expansions.get(acronym, ()):
                key = f"{key} {_key(expansion)}"
        for concept in self.concepts:
            for concept_term in concept.terms:
                if concept_term.isupper():
                    if concept_term in acronyms or concept_term == term.strip():
                        return concept.name
                elif re.search(rf"(?:^|\s){re.escape(_key(concept_term))}(?:\s|$)", key):
                    return concept.name
        for acronym in sorted(acronyms):
            if acronym in self.expansions:
                return acronym
        return None


def compare_definitions(table: SegmentTable, concepts: Sequence[Concept]) -> list[DefinitionComparison]:
    """Per concept (and per acronym a side defines), each voice's definitions and how they differ."""
    documents = document_blocks(table)
    index = TermIndex(concepts)
    expansions_by_voice: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    expansion_quotes: dict[tuple[str, str, str], Quote] = {}
    for blocks in documents:
        for block in blocks:
            for acronym, expansion in find_expansions(block.text):
                canonical = _title(expansion)
                index.expansions.setdefault(acronym, Counter())[canonical] += 1
                expansions_by_voice[acronym][block.voice][canonical] += 1
                expansion_quotes.setdefault((acronym, block.voice, canonical), _quote(block))
    statements: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for blocks in documents:
        for statement in find_statements(blocks, index.names, index.mentioned):
            name = index.concept_of(statement.term) or _open_key(statement.term)
            if name is not None and statement.head.voice in VOICE_NAMES:
                statements[name][statement.head.voice].append(statement)
    usage, usage_rows = _usage_counts(table, index, concepts, statements)
    results = []
    for name in sorted(set(statements) | {c.name for c in concepts} | set(index.expansions)):
        by_voice = statements.get(name, {})
        counts = usage.get(name, {})
        if not by_voice and sum(counts.values()) == 0:
            continue
        if name not in {c.name for c in concepts} and not by_voice:
            continue  # an acronym nobody defines and no tracked concept: not worth a row
        comparison = _comparison(name, by_voice, counts, expansions_by_voice, expansion_quotes, index)
        comparison.usage_quotes = {voice: [quote_at(table, row) for row in rows]
                                   for voice, rows in usage_rows.get(name, {}).items()
                                   if voice in VOICE_NAMES and not by_voice.get(voice)}
        results.append(comparison)
    results.sort(key=lambda r: (-r.importance, r.name))
    return [r for r in results if r.definitions or r.expansions or r.only_voice]


def _open_key(term: str) -> str | None:
    """A term outside the config that a side defines explicitly: its singular lower-case form."""
    key = _key(term)
    return key if 1 <= len(key.split()) <= 3 and len(key) >= 3 else None


def _usage_counts(table: SegmentTable, index: TermIndex, concepts: Sequence[Concept],
                  extra_keys: Iterable[str] = ()) -> tuple[dict[str, Counter], dict[str, dict[str, list[int]]]]:
    """Concept -> voice -> sentences naming one of its terms (acronyms as written, words case-free)."""
    patterns: dict[str, re.Pattern] = {}
    for concept in concepts:
        words = [re.escape(t) for t in concept.terms if not t.isupper()]
        acronyms = [re.escape(t) for t in concept.terms if t.isupper()]
        parts = [rf"(?i:\b(?:{'|'.join(words)})s?\b)"] if words else []
        parts += [rf"\b(?:{'|'.join(acronyms)})s?\b"] if acronyms else []
        patterns[concept.name] = re.compile("|".join(parts))
    for acronym, expansions in index.expansions.items():
        if acronym not in patterns:
            alternatives = [re.escape(acronym)] + [f"(?i:{re.escape(e)})" for e in expansions]
            patterns[acronym] = re.compile(rf"\b(?:{'|'.join(alternatives)})s?\b")
    for key in extra_keys:
        if key not in patterns:
            words = r"\s+".join(re.escape(w) for w in key.split())
            patterns[key] = re.compile(rf"(?i:\b{words}(?:s|es)?\b)")
    counts: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row, (text, voice) in enumerate(zip(table.text, table.voice)):
        for name, pattern in patterns.items():
            if pattern.search(text):
                counts[name][str(voice)] += 1
                if len(examples[name][str(voice)]) < USAGE_QUOTES and len(text.split()) >= 5:
                    examples[name][str(voice)].append(row)
    return counts, examples


def _quote(block: Block, text: str | None = None) -> Quote:
    return Quote(text=text or block.text, voice=block.voice, source=block.source, locator=block.locator,
                 month=block.month, channel=None)


def _comparison(name, by_voice, counts, expansions_by_voice, expansion_quotes, index) -> DefinitionComparison:
    definitions: dict[str, list[Definition]] = {}
    for voice, found in by_voice.items():
        unique, seen = [], []
        # Richest first; among equals the newest, so a page kept in several versions shows its latest.
        for statement in sorted(found, key=lambda s: (-_richness(s), _neg_month(s.head.month), s.head.source)):
            text = statement.text
            words = set(re.findall(r"\w+", text.lower()))
            if any(_jaccard(words, other) >= 0.75 for other in seen):
                continue
            seen.append(words)
            unique.append(Definition(term=statement.term, voice=voice, pattern=statement.pattern,
                                     quote=_quote(statement.head, text), criteria=extract_criteria(text)))
        definitions[voice] = unique[:MAX_DEFINITIONS_PER_VOICE]
    changes = [change for voice, found in by_voice.items() for change in definition_changes(voice, found)]
    acronyms = [a for a in expansions_by_voice if a == name or index.concept_of(a) == name]
    expansions: dict[str, dict[str, list[str]]] = {}
    expansion_quotes_out: dict[str, list[Quote]] = {}
    for acronym in acronyms:
        per_voice = {v: sorted(c, key=lambda e: -c[e]) for v, c in expansions_by_voice[acronym].items() if v in VOICE_NAMES}
        if len(per_voice) >= 2:
            expansions[acronym] = per_voice
            for voice, forms in per_voice.items():
                expansion_quotes_out.setdefault(voice, []).extend(expansion_quotes[(acronym, voice, f)] for f in forms[:2])
    disagreements = _disagreements(name, definitions, counts, expansions)
    only = [v for v in ("marketing", "rep") if counts.get(v, 0) > 0 and counts.get(_other(v), 0) == 0]
    defined = [v for v in ("marketing", "rep") if definitions.get(v)]
    status = ("disagree" if disagreements and (len(defined) == 2 or expansions) else
              "agree" if len(defined) == 2 else "one side" if definitions else "undefined")
    comparison = DefinitionComparison(
        name=name, title=_title_for(name, status, definitions, only), summary="",
        status=status, usages={v: int(counts.get(v, 0)) for v in VOICE_NAMES},
        definitions=definitions, disagreements=disagreements, expansions=expansions,
        expansion_quotes=expansion_quotes_out, only_voice=only[0] if only else None,
    )
    comparison.criteria_table = criteria_table(definitions)
    comparison.changes = changes
    comparison.summary = _summary(comparison)
    comparison.importance = _importance(comparison)
    return comparison


def _criteria_labels(text: str) -> set[str]:
    return {c.label for c in extract_criteria(text)}


def definition_changes(voice: str, statements: Sequence[Statement]) -> list[DefinitionChange]:
    """The same side's definition on the same page in dated versions, where its criteria changed.

    Versions are read from the paths (`versions.version_name`): "leads-2021-03-02.md" and
    "leads-2021-09-14.md" are two versions of one page. Consecutive versions whose definition
    of the term states different criteria give one change, both versions quoted.
    """
    by_page: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.head.month:
            by_page[(version_name(statement.head.source).page, _key(statement.term))].append(statement)
    changes = []
    for (page, _), found in sorted(by_page.items()):
        by_month: dict[str, Statement] = {}
        for statement in sorted(found, key=lambda st: (st.head.month, -_richness(st))):
            by_month.setdefault(statement.head.month, statement)
        months = sorted(by_month)
        for before_month, after_month in zip(months, months[1:]):
            before, after = by_month[before_month], by_month[after_month]
            lost = sorted(_criteria_labels(before.text) - _criteria_labels(after.text))
            gained = sorted(_criteria_labels(after.text) - _criteria_labels(before.text))
            if not (lost or gained):
                continue
            what = "; ".join(part for part in (f"dropped {', '.join(lost)}" if lost else "",
                                              f"added {', '.join(gained)}" if gained else "") if part)
            changes.append(DefinitionChange(
                voice=voice, page=page, term=after.term, before_month=before_month, after_month=after_month,
                summary=f"{VOICE_NAMES[voice].capitalize()}'s definition on “{page.rsplit('/', 1)[-1]}” changed between "
                        f"{before_month} and {after_month}: {what}.",
                before=_quote(before.head, before.text), after=_quote(after.head, after.text)))
    return changes


def criteria_table(definitions: dict[str, list[Definition]]) -> list[CriterionRow]:
    """Criteria as rows, voices as columns: thresholds grouped by unit, the rest by kind."""
    rows: dict[str, dict[str, CriterionCell]] = {}
    order: list[str] = []
    for voice, defs in definitions.items():
        for definition in defs:
            for criterion in definition.criteria:
                key = (f"threshold in {criterion.unit.replace('_', ' ')}" if criterion.kind == "threshold"
                       else criterion.label)
                if key not in rows:
                    rows[key], _ = {}, order.append(key)
                cell = rows[key].setdefault(voice, CriterionCell([], []))
                if criterion.label not in cell.labels:
                    cell.labels.append(criterion.label)
                if definition.quote not in cell.evidence and len(cell.evidence) < 2:
                    cell.evidence.append(definition.quote)
    sides = [v for v in ("marketing", "rep") if definitions.get(v)]
    table = []
    for key in order:
        cells = rows[key]
        present = [v for v in sides if v in cells]
        differs = len(sides) == 2 and (len(present) == 1 or (
            key.startswith("threshold") and set(cells[sides[0]].labels) != set(cells[sides[1]].labels)))
        table.append(CriterionRow(key, cells, differs))
    table.sort(key=lambda r: (not r.differs, not r.criterion.startswith("threshold")))
    return table


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def _neg_month(month: str | None) -> str:
    """Sort key putting the newest month first (undated last)."""
    if not month:
        return "~"
    return "".join(chr(ord("9") - ord(c) + ord("0")) if c.isdigit() else c for c in month)


def _other(voice: str) -> str:
    return "rep" if voice == "marketing" else "marketing"


def _richness(statement: Statement) -> float:
    """Prefer statements with criteria and explicit definitional form when a voice has many."""
    text = statement.text
    score = len(extract_criteria(text)) + (2 if statement.pattern in ("copular", "named-as", "colon-list") else 0)
    return score + min(len(statement.body), 4) * 0.5


def _thresholds(definitions: list[Definition]) -> list[Criterion]:
    return [c for d in definitions for c in d.criteria if c.kind == "threshold"]


def _kinds(definitions: list[Definition]) -> set[str]:
    return {c.kind for d in definitions for c in d.criteria if c.kind != "threshold"}


def _disagreements(name, definitions, counts, expansions) -> list[str]:
    out: list[str] = []
    for acronym, per_voice in expansions.items():
        forms = {v: f[0] for v, f in per_voice.items()}
        if len(set(f.lower() for f in forms.values())) > 1:
            out.append(f"{acronym} is expanded differently: " + "; ".join(
                f"{VOICE_NAMES[v]} “{f}”" for v, f in forms.items()) + ".")
    m, r = definitions.get("marketing", []), definitions.get("rep", [])
    if m and r:
        tm, tr = _thresholds(m), _thresholds(r)
        units_m, units_r = {c.unit for c in tm}, {c.unit for c in tr}
        for unit in sorted(units_m & units_r):
            values_m = sorted({c.label for c in tm if c.unit == unit})
            values_r = sorted({c.label for c in tr if c.unit == unit})
            if set(values_m) != set(values_r) and _ranges_conflict(tm, tr, unit):
                out.append(f"Thresholds in {unit.replace('_', ' ')} differ: marketing {', '.join(values_m)}; "
                           f"sales {', '.join(values_r)}.")
        for unit in sorted(units_m - units_r):
            out.append(f"Only marketing sets a threshold in {unit.replace('_', ' ')} "
                       f"({', '.join(sorted({c.label for c in tm if c.unit == unit}))}).")
        for unit in sorted(units_r - units_m):
            out.append(f"Only sales sets a threshold in {unit.replace('_', ' ')} "
                       f"({', '.join(sorted({c.label for c in tr if c.unit == unit}))}).")
        km, kr = _kinds(m), _kinds(r)
        bant = {"budget", "authority", "timing"}
        if "behaviour" in km and not (km & bant) and len(kr & bant) >= 2:
            out.append("Marketing defines it by engagement; sales by budget, authority and timing.")
        elif "behaviour" in kr and not (kr & bant) and len(km & bant) >= 2:
            out.append("Sales defines it by engagement; marketing by budget, authority and timing.")
        if "stage" in kr and "stage" not in km:
            out.append("Only sales ties it to a pipeline stage.")
        elif "stage" in km and "stage" not in kr:
            out.append("Only marketing ties it to a pipeline stage.")
        frameworks_m = {c.label for d in m for c in d.criteria if c.kind == "framework"}
        frameworks_r = {c.label for d in r for c in d.criteria if c.kind == "framework"}
        only_r = sorted(frameworks_r - frameworks_m - {name})
        if only_r and frameworks_m:
            out.append(f"Sales qualifies with {', '.join(only_r)}; marketing's definitions never name it.")
    return out


def _ranges_conflict(tm: list[Criterion], tr: list[Criterion], unit: str) -> bool:
    a = [c for c in tm if c.unit == unit]
    b = [c for c in tr if c.unit == unit]
    return any(not _same_interval(x, y) for x in a for y in b)


def _same_interval(x: Criterion, y: Criterion) -> bool:
    return x.low == y.low and x.high == y.high


def _title_for(name, status, definitions, only) -> str:
    label = f"“{name}”"
    if only and not definitions:
        return f"{label} is used only by {VOICE_NAMES[only[0]]} and never defined"
    if status == "disagree":
        return f"Marketing and sales define {label} differently"
    if status == "agree":
        return f"Marketing and sales define {label} the same way"
    if status == "one side":
        return f"Only {VOICE_NAMES[next(iter(definitions))]} defines {label}"
    return f"{label} is never defined"


def _summary(c: DefinitionComparison) -> str:
    """The disagreements first, in plain sentences; then where each side states or only uses the term."""
    parts = list(c.disagreements[:3])
    stated = [f"{VOICE_NAMES[v]} in {len(c.definitions[v])} place{'s' if len(c.definitions[v]) > 1 else ''}"
              for v in ("marketing", "rep", "buyer") if c.definitions.get(v)]
    if stated:
        parts.append(f"Defined by {' and '.join(stated)}.")
    for voice in ("marketing", "rep"):
        if not c.definitions.get(voice) and c.usages.get(voice):
            parts.append(f"{VOICE_NAMES[voice].capitalize()} uses it in {c.usages[voice]} sentences but never defines it.")
    if c.only_voice:
        parts.append(f"It appears only on the {VOICE_NAMES[c.only_voice]} side.")
    if c.status == "agree":
        parts.insert(0, "The criteria both sides state agree.")
    parts.extend(change.summary for change in c.changes[:2])
    return " ".join(parts)


def _importance(c: DefinitionComparison) -> float:
    """Disagreements rank with the other findings; agreements and one-sided terms stay low."""
    if c.status != "disagree":
        both_use = all(c.usages.get(v, 0) > 0 for v in ("marketing", "rep"))
        return {"agree": 0.15, "one side": 0.08 if both_use else 0.03}.get(c.status, 0.02)
    evidence = min(1.0, sum(len(v) for v in c.definitions.values()) / 4)
    both = 1.0 if len(c.definitions) >= 2 else 0.6
    return round(min(1.0, 0.4 + 0.15 * len(c.disagreements)) * evidence * both, 4)


def definition_findings(comparisons: list[DefinitionComparison]) -> list[Finding]:
    """Findings for concepts whose definitions disagree (or exist on one side only)."""
    out = []
    for c in comparisons:
        if c.status not in ("disagree", "agree") or c.importance <= 0:
            continue
        quotes = {v: [d.quote for d in defs[:2]] for v, defs in c.definitions.items()}
        for voice, extra in c.expansion_quotes.items():
            quotes.setdefault(voice, [])
            quotes[voice] = (quotes[voice] + [q for q in extra if q not in quotes[voice]])[:3]
        rows = c.criteria_table
        differing = sum(1 for r in rows if r.differs)
        out.append(Finding(
            kind="definition", title=c.title, summary=c.summary,
            voices=tuple(v for v in ("marketing", "rep", "buyer") if v in quotes),
            # The share of criteria in either side's definitions that the other side does not share.
            effect=round(differing / len(rows), 3) if rows else None, interval=None, p_value=None, q_value=None,
            sample_sizes={v: len(d) for v, d in c.definitions.items()},
            quotes=quotes, importance=c.importance, subject=c.name,
            details={"status": c.status, "disagreements": c.disagreements},
        ))
    return out


# ---------------------------------------------------------------- the gate: new copy against agreed definitions


@dataclass(frozen=True)
class CriteriaSummary:
    """What a set of definitions requires, in a form small enough to cache as JSON."""

    kinds: tuple[str, ...]  # criterion kinds other than thresholds (budget, behaviour, stage ...)
    thresholds: tuple[tuple[str, float | None, float | None, str], ...]  # (unit, low, high, label)
    quote: str  # the definition that best shows it
    source: str = ""

    def to_json(self) -> dict:
        return {"kinds": list(self.kinds), "thresholds": [list(t) for t in self.thresholds],
                "quote": self.quote, "source": self.source}

    @classmethod
    def from_json(cls, data: dict) -> "CriteriaSummary":
        return cls(tuple(data["kinds"]), tuple(tuple(t) for t in data["thresholds"]), data["quote"], data.get("source", ""))


def summarise_criteria(definitions: Sequence[Definition]) -> CriteriaSummary | None:
    if not definitions:
        return None
    criteria = [c for d in definitions for c in d.criteria]
    kinds = tuple(sorted({c.kind for c in criteria if c.kind != "threshold"}))
    thresholds = tuple(sorted({(c.unit or "", c.low, c.high, c.label) for c in criteria if c.kind == "threshold"},
                              key=lambda t: (t[0], t[1] or 0)))
    best = definitions[0].quote
    return CriteriaSummary(kinds, thresholds, best.text, f"{best.source}:{best.locator or ''}")


def canonical_criteria(concept: Concept) -> CriteriaSummary | None:
    """The config's agreed definition of a concept, read as criteria."""
    if not concept.definition:
        return None
    criteria = extract_criteria(concept.definition)
    return summarise_criteria([Definition(concept.name, "marketing", "config", Quote(concept.definition, "marketing", "drift.toml"),
                                          criteria)])


def rep_criteria(comparisons: Sequence[DefinitionComparison]) -> dict[str, CriteriaSummary]:
    """Concept -> what the reps' own definitions require."""
    out = {}
    for c in comparisons:
        summary = summarise_criteria(c.definitions.get("rep", []))
        if summary is not None:
            out[c.name] = summary
    return out


BANT = frozenset({"budget", "authority", "timing"})


def definition_conflicts(page: CriteriaSummary, reference: CriteriaSummary) -> list[str]:
    """Plain reasons why a definition in new copy conflicts with a reference definition (none: it agrees)."""
    reasons = []
    for unit, low, high, label in page.thresholds:
        theirs = [t for t in reference.thresholds if t[0] == unit]
        if theirs and all((t[1], t[2]) != (low, high) for t in theirs):
            reasons.append(f"sets {label} where the reference says {', '.join(t[3] for t in theirs)}")
    page_kinds, ref_kinds = set(page.kinds), set(reference.kinds)
    if "behaviour" in page_kinds and not page_kinds & BANT and len(ref_kinds & BANT) >= 2:
        missing = ", ".join(sorted(ref_kinds & BANT))
        reasons.append(f"qualifies on engagement alone; the reference requires {missing}")
    return reasons
