"""What a sentence does: asks, instructs, obliges or asserts, and whom it addresses.

Read from spaCy's tagger (Penn Treebank tags and lemmas), never from the words of one
corpus, so the same signals serve claim detection (`drift.measure.claims`) and the genre
of a document (`drift.measure.genre`):

- *imperative*: the clause opens on a base-form verb with no subject ("Make sure to submit
  ...", "Clone this template", "If you have questions, reach out ..."), after list markers,
  "please", adverbs and "do not";
- *obligation*: process language addressed to someone who must act ("should", "must",
  "need to", "have to", "are required to", "make sure", "please");
- *person*: first person singular, first person plural (the vendor's "we"), second person;
- *comparison*: comparatives and superlatives (JJR/RBR/JJS/RBS), "only", "than", "unlike";
- *outcome*: a verb that promises a benefit or a capability ("cuts", "helps", "lets",
  "automates", "prevents"), a general English list;
- *quantity*: a number with a unit (`drift.measure.quantities`), the shape of a proof point;
- *markup*: URLs, @mentions, #channels, code and file names: text for staff and tools.

The tagger reads a sentence-initial capital as a proper noun ("Clone" -> NN), so the first
word is lower-cased before tagging, and a first word still tagged as a noun before a
determiner is tagged again after "you" ("you clone this template" -> verb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from drift.nlp import load_pipeline  # first: it imports spaCy without torch (see drift.nlp)
from drift.measure.quantities import find_quantities

# Verbs that state what the product does for the customer. General English, no product words.
OUTCOME_VERBS = frozenset("""
sync
help let enable allow empower reduce cut save eliminate lower increase improve boost accelerate speed grow scale
simplify streamline automate protect secure prevent deliver unify consolidate replace predict detect maximize minimize
optimize transform drive gain unlock power centralize catch flag surface spot forecast resolve shorten double triple
halve outperform guarantee ensure give provide offer support include integrate connect keep free remove stop
turn bring make build fit handle run work modernize normalize ship manage monitor see
""".split())
# Verbs that are too common to promise anything unless the vendor or the customer is their subject
# or a modal "can"/"will" governs them ("Our agent runs on any OS", "You can run it anywhere").
_WEAK_OUTCOME = frozenset("sync give provide offer support include integrate connect keep turn bring make build fit handle run work "
                          "manage monitor see ship ensure".split())
# Words of the workplace rather than of the product: who does what internally, with which forms,
# meetings and approvals. General English (no team, tool or company names); a document full of them
# is written for staff, and a sentence holding one is process, not a promise to a customer.
PROCESS_WORDS = frozenset("""
handbook playbook runbook checklist agenda agendas standup stand-up assignee assignees assign assigned reassign
teammate teammates colleague colleagues stakeholder stakeholders internal internally guideline guidelines procedure
procedures naming convention conventions issue issues requester submit submitted submission dropdown column columns
tab tabs click folder folders drive label labels draft drafts reviewer reviewers cc ping okr okrs kpi kpis
quota quotas cadence biweekly fortnightly rotation on-call calendar invite invites meeting meetings retro retrospective
recap enablement offboard
""".split())
# Units that make a number a proof point rather than a rule of the process ("within 2 business days").
PROOF_UNITS = frozenset({"percent", "x", "usd", "eur", "gbp", "customers", "companies", "teams", "organizations"})
# "Trusted by", "used by": the customers themselves as the proof point.
_ENDORSED = re.compile(r"\b(?:trusted|used|chosen|loved|relied on|backed) by\b", re.IGNORECASE)
# Counted nouns whose "more than N" is a proof point ("more than 300 hospital networks").
_COUNTED = ("employees", "users", "seats", "devices", "hosts", "developers")
_NEGATED = re.compile(r"\b(?:no|nobody|no one|never|not|n't|without)\W+(?:\w+\W+)?$", re.IGNORECASE)
# "live in about two weeks", "within minutes": a duration after these reads as time to a result.
_WITHIN = re.compile(r"\b(?:in|within|under|inside)\s+(?:about|around|roughly|just|only|less than|under)?\s*$", re.IGNORECASE)
_OBLIGATION_MODALS = frozenset({"should", "must", "shall", "ought"})
_OBLIGATION = re.compile(
    r"\b(?:needs? to|have to|has to|had to|(?:is|are|be) (?:required|expected|responsible|asked) to|make sure|be sure to|"
    r"do not forget|don't forget|remember to|is mandatory|are mandatory)\b", re.IGNORECASE)
_COMPARISON_WORDS = frozenset({"unlike", "versus", "vs", "vs.", "unmatched", "unrivaled", "unparalleled", "best-in-class",
                               "industry-leading", "world-class", "market-leading"})
_SOLE = re.compile(r"\b(?:the|our|your) (?:only|first|leading|fastest|easiest|simplest)\b|#1\b|\bno other\b", re.IGNORECASE)
# Comparative tags on words that compare nothing a customer buys ("at least", "more information").
_NOT_COMPARISON = frozenset({"more", "less", "most", "least", "fewer", "further", "later", "earlier", "latest", "other",
                             "else", "rather", "sooner", "longer", "older", "newer"})
_SKIP_FIRST = frozenset({"please", "always", "never", "also", "then", "first", "next", "finally", "just", "simply",
                         "now", "instead", "again", "kindly", "optionally"})
_LEADING_MARKER = re.compile(r"^\s*(?:[-*+•>]|\d+[.)]|[a-z][.)]|\[[ xX]\]|step \d+:?)\s+", re.IGNORECASE)
_MARKUP = re.compile(
    r"https?://|www\.|\]\(|\{:|`|(?<![\w])[@#][A-Za-z][\w-]*|\b[\w-]+\.(?:md|html?|ya?ml|json|csv|pdf|png|jpe?g|gif|svg|"
    r"py|js|ts|ejs|erb|sh|txt|docx?|xlsx?)\b|\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z]\w*\(|<[a-z/][^>]*>")
_SUBORDINATE = frozenset({"if", "when", "once", "before", "after", "whenever", "while", "for", "in", "to", "as", "during",
                          "on", "until", "from", "with", "after", "by", "within"})
_QUESTION_OPENERS = frozenset({"what", "how", "why", "when", "where", "which", "who", "whom", "whose", "do", "does",
                               "did", "is", "are", "can", "could", "would", "will", "should", "have", "has"})


@dataclass(frozen=True)
class Mood:
    """What one sentence does and whom it addresses (see the module docstring)."""

    words: int
    question: bool
    imperative: bool
    obligation: bool
    first_singular: bool
    first_plural: bool
    second_person: bool
    finite_verb: bool  # a tensed verb or a modal: a clause, not a heading or a list of names
    comparison: bool
    outcome: int  # benefit or capability verbs promised (see OUTCOME_VERBS)
    promise_opening: bool  # an imperative that opens on a benefit verb ("Automate ticketing with ...")
    proof: bool  # a number with a unit that reads as a result (percent, multiple, money, customers, time saved)
    markup: bool
    process: bool  # a workplace-process word (PROCESS_WORDS): forms, approvals, meetings, owners
    proper_share: float  # proper nouns among the words: a tool list or a navigation line is mostly names


def _first_lowered(text: str) -> str:
    """Lower-case the sentence's first word when it is merely capitalised ("Clone" but not "iPhone" or "CRM")."""
    m = re.match(r"(\W*)([A-Z])([a-z]+)\b", text)
    return text if m is None else text[: m.start(2)] + m.group(2).lower() + text[m.end(2):]


def _strip_marker(text: str) -> str:
    return _LEADING_MARKER.sub("", text, count=1)


def _opening(tokens: list) -> int:
    """Index of the clause's first content token: past punctuation, numbers, 'please', adverbs, 'do not'."""
    i = 0
    while i < len(tokens):
        t = tokens[i]
        low = t.lower_
        if t.is_punct or t.is_space or t.tag_ in ("CD", "LS", "SYM") or low in _SKIP_FIRST:
            i += 1
        elif low in ("do", "don't") and i + 1 < len(tokens) and tokens[i + 1].lower_ in ("not", "n't", "never"):
            i += 2
        elif low == "don't":
            i += 1
        else:
            break
    return i


def _verb_opens(tokens: list, i: int, retag) -> bool:
    """A subjectless clause opens at token i on a base-form verb."""
    if i >= len(tokens):
        return False
    t, after = tokens[i], (tokens[i + 1] if i + 1 < len(tokens) else None)
    if t.tag_ == "VB" or (t.tag_ == "VBP" and t.lower_ not in ("are", "am", "'re")):
        return True
    # "Clone this template", "Post the draft": a noun-tagged word before a determiner or pronoun.
    if t.tag_ in ("NN", "NNP", "VBD", "JJ") and after is not None and after.tag_ in ("DT", "PRP$", "PRP", "RP") \
            and t.text.isalpha() and not t.text.endswith(("ed", "s")):
        return retag(t.lower_, [x.text for x in tokens[i + 1 : i + 4]])
    return False


def mood_of(doc, retag=None) -> Mood:
    """The mood of one tagged spaCy Doc (tags and lemmas needed; no parser)."""
    tokens = [t for t in doc if not t.is_space]
    words = [t for t in tokens if t.is_alpha]
    text = doc.text
    retag = retag or (lambda verb, rest: False)
    lower = [t.lower_ for t in tokens]
    start = _opening(tokens)
    imperative = _verb_opens(tokens, start, retag)
    if not imperative and start < len(tokens) and (lower[start] in _SUBORDINATE or tokens[start].tag_ == "TO"):
        # "If you have questions, reach out ...", "To request access, open an issue": the main clause after the comma.
        for j, t in enumerate(tokens[start + 1 :], start + 1):
            if t.text == "," and j + 1 < len(tokens):
                imperative = _verb_opens(tokens, _opening(tokens[j + 1 :]) + j + 1, retag)
                break
    question = text.rstrip().endswith("?") or (
        bool(lower) and lower[start if start < len(lower) else 0] in _QUESTION_OPENERS and text.rstrip().endswith("?"))
    modal = [t for t in tokens if t.tag_ == "MD"]
    # "nobody needs to write code", "you never have to": a negated obligation is a promise.
    obligation = any(t.lower_ in _OBLIGATION_MODALS for t in modal) or any(
        not _NEGATED.search(text[max(0, m.start() - 16) : m.start()]) for m in _OBLIGATION.finditer(text))
    persons = {t.lower_ for t in tokens if t.tag_ in ("PRP", "PRP$")}
    finite = any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in tokens)
    comparison = any(t.tag_ in ("JJR", "RBR", "JJS", "RBS") and t.lower_ not in _NOT_COMPARISON
                     and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("practice", "practices"))
                     for t in tokens) or any(w in _COMPARISON_WORDS for w in lower) or bool(_SOLE.search(text))
    can_will = [t.i for t in modal if t.lower_ in ("can", "will", "'ll", "could")]
    vendor_or_customer = bool(persons & {"we", "our", "you", "your", "it", "its"})
    opening_verb = tokens[start].i if imperative and start < len(tokens) else -1
    outcome = 0
    for t in tokens:
        if not t.tag_.startswith("VB"):
            continue
        lemma = t.lemma_.lower()
        if lemma not in OUTCOME_VERBS:
            continue
        after = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
        if after in ("us", "me"):
            continue  # "this label helps us know": the writer's own process
        weak = lemma in _WEAK_OUTCOME
        if t.tag_ in ("VBZ", "VBG") or (t.tag_ == "VBN" and t.i <= 1):
            # "cuts onboarding time", "helping teams ...", "Built for ...": third person or participle
            # promises; a capability verb counts with the vendor, the customer or a name as its subject
            # ("Acme syncs both ways with ...").
            named_subject = t.tag_ == "VBZ" and t.i > 0 and all(x.tag_ in ("NNP", "NNPS") for x in doc[:t.i])
            outcome += (not weak) or vendor_or_customer or named_subject
        elif t.tag_ in ("VB", "VBP"):
            governed = any(m < t.i for m in can_will)
            # "Automate ticketing with ...": an imperative that opens on a strong verb promises in copy
            outcome += (not weak and (governed or vendor_or_customer or t.i == opening_verb)) or (weak and governed and vendor_or_customer)
    proof = any(q.unit in PROOF_UNITS
                or (q.unit in ("hours", "minutes", "days", "weeks", "seconds")
                    and (comparison or (not obligation and _WITHIN.search(text[: q.span[0]]))))
                or (q.unit in ("", *_COUNTED) and q.low is not None and q.low >= 10 and q.comparator in (">", ">=", "~"))
                for q in find_quantities(text)) or bool(re.search(r"\b\d+(?:\.\d+)?\s?[x×]\b", text)) \
        or bool(_ENDORSED.search(text))
    proper = sum(1 for t in words if t.tag_ in ("NNP", "NNPS"))
    return Mood(
        words=len(words),
        question=question,
        imperative=imperative,
        obligation=obligation,
        first_singular=bool(persons & {"i", "me", "my", "mine"}),
        first_plural=bool(persons & {"we", "us", "our", "ours"}),
        second_person=bool(persons & {"you", "your", "yours"}),
        finite_verb=finite,
        comparison=comparison,
        outcome=outcome,
        promise_opening=opening_verb >= 0 and doc[opening_verb].lemma_.lower() in OUTCOME_VERBS
        and doc[opening_verb].lemma_.lower() not in _WEAK_OUTCOME,
        proof=proof,
        markup=bool(_MARKUP.search(text)),
        process=any(w in PROCESS_WORDS for w in lower),
        proper_share=proper / len(words) if words else 0.0,
    )


def read_moods(texts: Sequence[str], batch_size: int = 256) -> list[Mood]:
    """The mood of every sentence, tagged in batches with the shared spaCy pipeline."""
    nlp, info = load_pipeline()
    disable = [p for p in ("ner", "senter", "parser") if p in nlp.pipe_names]
    cache: dict[str, bool] = {}

    def retag(verb: str, rest: list[str]) -> bool:
        key = " ".join([verb, *rest])
        if key not in cache:
            doc = nlp(f"you {key}", disable=disable)
            cache[key] = len(doc) > 1 and doc[1].tag_ in ("VBP", "VB")
        return cache[key]

    prepared: Iterable[str] = (_first_lowered(_strip_marker(t)) for t in texts)
    return [mood_of(doc, retag if info.trained else None) for doc in nlp.pipe(prepared, disable=disable, batch_size=batch_size)]
