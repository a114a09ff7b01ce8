"""Scale benchmark: a reproducible synthetic sales corpus, ingested and reported as whole processes.

    python benchmarks/scale.py                    # the issue's size: 2,000 calls, 20,000 emails, 300 pages
    python benchmarks/scale.py --scale 0.02       # 2% of that (what fits a 2-core box in minutes)
    python benchmarks/scale.py --segments 1000000 # as many documents as give about that many segments
    python benchmarks/scale.py --scale 0.02 --generate-only --workdir /tmp/corpus

What it measures, each step a separate `python -m drift ...` process under /usr/bin/time -v
(wall time and peak RSS; resource.getrusage(RUSAGE_CHILDREN) where /usr/bin/time is absent):

1. full:        `drift ingest CORPUS` then `drift report` on a fresh store
2. incremental: 10% new documents (a new month) copied in, then `drift ingest CORPUS` + `drift report`
3. naive:       the same corpus the naive way, `python benchmarks/scale.py _naive ...`: the same
                parsers and sentence splitter, then every sentence (fillers and repeats included)
                encoded with a plain `SentenceTransformer.encode` per file, no dedup and no cache,
                written to a fresh store, then the same `drift report` on it.

It prints the ratios the issue asks for (full vs naive >= 3x; incremental <= 15% of full), measured
in the same run. The machine is shared and noisy: compare ratios, not absolute seconds.

The generated text is composed from pools of clauses, names, numbers and fillers, so nearly every
content sentence is distinct, with repeats at rates seen in real sales conversations:
- calls: ~25% of turns are back-channels or greetings ("Yeah.", "Mm-hmm, right.", "Can you hear
  me okay?"), ~7% of sentences are stock phrases ("Let me share my screen."), some of them with
  case and punctuation variants ("let me share my screen"), and reps repeat pitch lines verbatim;
- emails: greetings, sign-offs and signatures on every message, stock lines ("Hope you're doing
  well."), quoted replies below replies, and outbound sequence templates sent to many prospects;
- pages: front matter, headings, lists; a few boilerplate blocks (CTAs, footers) on every page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# ------------------------------------------------------------------ vocabulary

FIRST = ("Dana Marcus Priya Jill Tom Sam Lauren Mike Holly Grace Omar Lena Raj Carlos Aisha Ben Chloe Diego "
         "Erin Farah Gabe Hana Ivan Jade Kofi Lucia Mateo Nina Owen Paula Quinn Rosa Sven Tara Umar Vera Wes "
         "Xena Yusuf Zoe Amir Bianca Colin Delia Emeka Fiona Hugo Ines Jonas Keiko Liam Maya Noah Olga Pedro "
         "Rhea Sofia Theo Wen").split()
LAST = ("Whitfield Oyelaran Raman Kowalczyk Gaffney Okafor Prewitt Serrano Brennan Sobczak Haddad Novak Iyer "
        "Castillo Bello Adair Moreau Alvarez Lindqvist Nakamura Osei Petrov Quist Romero Santos Tanaka Ueda "
        "Varga Walsh Xu Yilmaz Zimmer Abbott Banerjee Chen Duarte Eriksen Fischer Garcia Holm Ibarra Jensen "
        "Keller Lopez Mensah Nguyen Ortiz Park Reyes Schmidt Torres Vance Weber Young").split()
COMPANY_A = ("Larkport Cedarvale Harborline Bellmont Ridgeway Northgate Lakeshore Pinecrest Tallgrass Kittredge "
             "Haverly Brightwater Stonebridge Redfern Ashby Coldwater Fairhaven Greystone Halcyon Ironwood "
             "Juniper Kingsley Lindenwood Maplecrest Norwood Oakhurst Pemberton Quarry Riverton Silverton "
             "Thornbury Upland Valemont Westbrook Yarrow Zephyr Alder Birchwood Copperfield Driftwood").split()
COMPANY_B = ("Freight Foods Logistics Supply Building Supply Distribution Manufacturing Health Retail Industrial "
             "Packaging Pharma Components Brands Outfitters Marine Fleet Energy Labs Textiles").split()
TITLES_BUYER = ("Director of Operations", "Operations Manager", "VP Operations", "Controller", "IT Manager",
                "Warehouse Manager", "Head of Procurement", "COO", "Supply Chain Analyst", "CFO",
                "Customer Service Lead", "Plant Manager")
ERPS = ("NetSuite", "SAP", "Business Central", "Oracle", "Sage Intacct", "Acumatica", "Epicor", "QuickBooks")
TOOLS = ("Slack", "Teams", "Salesforce", "HubSpot", "Zendesk", "ServiceNow", "Jira", "Excel", "Google Sheets")
INDUSTRIES = ("logistics", "food distribution", "building supply", "manufacturing", "healthcare", "retail",
              "pharma", "packaging", "wholesale", "3PL")
REGIONS = ("the Midwest", "Texas", "the Northeast", "Ontario", "the Pacific Northwest", "the UK", "Germany",
           "the Southeast", "California", "Benelux")
DOMAIN = "kestrelhq.com"
N_REPS, N_MARKETERS = 24, 5

# A tiny grammar: "{slot}" is replaced by a random expansion of that slot, recursively;
# "{n}" style numeric slots are drawn in _fill.
GRAMMAR: dict[str, tuple[str, ...]] = {
    "op": ("", "", "", "So ", "Honestly, ", "I mean, ", "Look, ", "Right now ", "Yeah, so ", "Okay, so ",
           "To be fair, ", "The thing is, ", "Frankly ", "Basically ", "And ", "But "),
    "we": ("our team", "my ops team", "the warehouse crew", "our AP group", "the two analysts I have",
           "customer service", "our planners", "the returns desk", "procurement", "the night shift",
           "our dispatchers", "the finance team"),
    "pain": ("spends about {hours} hours a week chasing approvals", "loses most of Monday reconciling returns",
             "burns {hours} hours a week on status emails", "finds out about late shipments from customers",
             "keeps {sheets} spreadsheets just to track exceptions", "waits {days} days on purchase approvals",
             "re-keys every order exception into {erp}", "has {backlog} returns sitting in a backlog",
             "misses SLAs whenever volume spikes", "can't see which orders are at risk until it is too late",
             "pays expedite fees every single week", "works off a shared inbox with {emails} emails a day"),
    "tail": ("", "", "", " and honestly it's getting worse", ", especially at quarter end",
             " since we moved to {erp}", " and nobody owns it", " during peak season", " across {sites} sites",
             " and my boss is asking why", " which is killing us", " every month"),
    "icp_self": ("we're about {employees} people across {sites} sites", "we're a {industry} company in {region}",
                 "I run operations for a {industry} business with {employees} employees",
                 "we do roughly {revenue} million in revenue", "we have {users} people who would touch this",
                 "I report to the {buyer_title}", "our {buyer_title} signs anything over {price}k",
                 "we're mid-market, nowhere near enterprise", "we're a family-owned {industry} distributor"),
    "buyer_q": ("how does {feature} work with {erp}", "what would pricing look like for {users} users",
                "is there a per user price or a platform fee", "how long does implementation usually take",
                "can it pull exceptions straight out of {erp}", "does it post alerts into {tool}",
                "who else in {industry} is using it", "what does onboarding look like for a team like ours",
                "do we need IT to set this up", "is the AI piece included or is that extra",
                "can we start with just the returns workflow", "what happens to our data if we leave",
                "is there a contract minimum", "how is this different from what {tool} already does"),
    "feature": ("the exception queue", "Kestrel Predict", "the approval routing", "the returns workflow",
                "the risk scoring", "the {erp} connector", "the vendor scorecard", "the alerting"),
    "pitch": ("Kestrel flags an exception before your customer sees it",
              "Kestrel Predict scores every open order for risk",
              "your operations team owns the workflows, not IT",
              "most customers are live on the first workflow in {weeks} weeks",
              "we connect to {erp} out of the box",
              "the approval routing cuts approval time roughly in half",
              "everything lands in {tool} so nobody lives in another inbox",
              "pricing is per workflow, not per seat",
              "we start with one workflow and expand from there"),
    "rep_q": ("what happens today when a shipment is late", "who owns returns on your side",
              "how many exceptions do you see in a normal week", "who else would need to sign off on this",
              "is there budget set aside for this year", "what's driving the timing on your end",
              "what does {erp} give you today", "if you had this fixed by {month}, what would that be worth",
              "how are you tracking approvals right now", "what did you try before"),
    "restate": ("approvals stall because nobody sees them", "the returns backlog is the real pain",
                "you need this live before peak season", "IT is stretched and can't own another tool",
                "your team finds out about problems from customers", "{erp} has the data but nobody looks"),
    "concept_rep": ("a qualified lead for me has budget, a decision maker and a date",
                    "that MQL list was mostly ebook downloads",
                    "I only count a qualified opportunity when the buyer confirms budget",
                    "our pipeline for {quarter} is thin on real projects",
                    "they're a great fit, {employees} people and running {erp}",
                    "the ideal customer for us is a mid-market ops team with a returns problem",
                    "there's real buying intent, they asked for a quote",
                    "time to value is what closes these deals",
                    "the pricing conversation goes fine once they see the platform fee"),
    "concept_buyer": ("the price has to make sense for a team our size",
                      "we'd need to be up and running before {month}",
                      "the onboarding can't take more than a few weeks",
                      "a contract longer than a year is a hard sell here",
                      "I don't care about AI, I care about the backlog",
                      "we are ready to buy if the numbers work",
                      "the license cost is the first thing my CFO will ask about"),
    "buyer": ("{op}{we} {pain}{tail}.", "{op}{we} {pain}{tail}.", "{op}{icp_self}.", "{op}{buyer_q}?",
              "{op}{concept_buyer}.", "{op}our {buyer_title} will want to see {proof} before we decide.",
              "{op}we tried {tool} for this and it didn't stick.", "{op}{we} {pain}, and {we} {pain}."),
    "rep": ("{op}{pitch}.", "{op}{pitch}.", "{op}so what I'm hearing is {restate}.", "{op}{rep_q}?",
            "{op}{concept_rep}.", "{op}we usually see {percent} percent fewer late orders within {weeks} weeks.",
            "{op}a customer in {industry} cut approval time from {days} days to {hours} hours.",
            "{op}{pitch}, and {pitch}."),
    "proof": ("a reference customer", "a pilot", "the security questionnaire", "a business case",
              "numbers from a team like ours", "the SOC 2 report"),
    "marketing": ("Kestrel is the only operations platform with predictive AI trained on your own workflow history.",
                  "{mkt_subject} {mkt_verb} {mkt_object}{mkt_tail}.", "{mkt_subject} {mkt_verb} {mkt_object}{mkt_tail}.",
                  "Global enterprises with {big_employees}+ employees trust Kestrel to {mkt_object}.",
                  "Built for CIOs and IT leaders who need {mkt_need}.",
                  "Our {percent}% faster approvals come from {mkt_need}.",
                  "{mkt_subject} {mkt_verb} {mkt_object}, so {mkt_outcome}."),
    "mkt_subject": ("Kestrel Predict", "Kestrel", "Our workflow engine", "The exception hub", "Predictive routing",
                    "Every Kestrel workspace", "Our AI"),
    "mkt_verb": ("helps enterprises", "lets operations leaders", "empowers global teams to", "automatically",
                 "continuously", "helps IT leaders"),
    "mkt_object": ("predict exceptions before they happen", "orchestrate approvals at enterprise scale",
                   "unify operations data across every ERP", "govern workflows with enterprise-grade controls",
                   "turn every marketing qualified lead into pipeline", "eliminate reactive firefighting",
                   "score risk on every open order, vendor and approval"),
    "mkt_tail": ("", "", " in real time", " across {sites} regions", " with {percent}% less manual work",
                 " from day one", " without writing code"),
    "mkt_need": ("enterprise-grade governance", "a single pane of glass for operations",
                 "AI that learns from their own data", "SOC 2 Type II compliance", "global scale"),
    "mkt_outcome": ("teams move from reporting to predicting", "your customers never see the exception",
                    "IT keeps control while operations moves fast", "every approval has an owner"),
}

# Utterances that carry no meaning for messaging (segment.py drops them) and stock phrases
# that recur across calls; a stock phrase comes back with different case or punctuation
# a third of the time, as transcription engines render it.
BACKCHANNELS = ("Yeah.", "Yeah, yeah.", "Mm-hmm.", "Right.", "Right, right.", "Okay.", "Sure.", "Got it.",
                "Yep.", "Uh-huh.", "Totally.", "Exactly.", "Makes sense.", "Perfect.", "Oh, wow.", "Gotcha.",
                "Yeah, thanks!", "yeah thanks", "Okay, great.", "Cool.", "Hmm.", "Sounds good.", "No, yeah.",
                "Yeah, that's fair.", "Interesting.", "Oh nice.")
GREETINGS = ("Hi, can you hear me okay?", "Hey, can you hear me?", "Can you hear me?", "Hi everyone.",
             "Good morning.", "How are you?", "I'm good, how are you?", "Hello?", "Sorry, you're on mute.",
             "Can you see my screen?", "Hi! Good to see you.", "Thanks for joining.")
STOCK_CALL = ("Let me share my screen.", "Does that make sense?", "Thanks for taking the time today.",
              "I'll send over a recap after the call.", "We're a little over time.",
              "I have a hard stop at the top of the hour.", "Can everyone see my screen okay?",
              "Sorry, I was on mute.", "Let's dive in.", "That's a great question.",
              "Let me pull that up real quick.", "I'll loop in our solutions engineer.",
              "Let's find time next week.", "I'll send a calendar invite.", "Give me one second.")
STOCK_EMAIL = ("Hope you're doing well.", "Let me know if you have any questions.",
               "Looking forward to hearing from you.", "Thanks for your time today.",
               "Just following up on my last note.", "Happy to jump on a call if that's easier.",
               "Attached is the deck we walked through.", "Let me know what works for you.",
               "Thanks again for the great conversation.", "Please see the notes below.")
SEQUENCE = ("I noticed {company} is hiring for operations roles, which usually means exceptions are piling up.",
            "Teams like yours typically spend {hours} hours a week chasing approvals by email.",
            "Kestrel flags late orders before your customers see them.",
            "Would it be crazy to find 20 minutes next week to see if this is relevant?",
            "Most {industry} teams we talk to are still tracking returns in spreadsheets.",
            "If this isn't a priority right now, just let me know and I'll stop reaching out.")


def _vary(text: str, rng: random.Random) -> str:
    """A near-duplicate rendering: lower case, dropped punctuation, or doubled spaces."""
    r = rng.random()
    if r < 0.4:
        return text.lower()
    if r < 0.8:
        return re.sub(r"[.,!?]", "", text)
    return text.replace(" ", "  ", 1)


_SLOT = re.compile(r"\{(\w+)\}")


def _fill(template: str, rng: random.Random, state: dict) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name in GRAMMAR:
            return _fill(rng.choice(GRAMMAR[name]), rng, state)
        numbers = {
            "hours": lambda: rng.randint(2, 40), "days": lambda: rng.randint(2, 14),
            "sheets": lambda: rng.randint(2, 12), "backlog": lambda: rng.randint(40, 2000),
            "emails": lambda: rng.randint(50, 900), "sites": lambda: rng.randint(2, 30),
            "employees": lambda: rng.choice((80, 150, 200, 350, 500, 800, 1200, 2500)),
            "big_employees": lambda: rng.choice((5000, 10000, 20000)), "revenue": lambda: rng.randint(20, 900),
            "users": lambda: rng.randint(5, 400), "price": lambda: rng.choice((10, 25, 50, 100)),
            "weeks": lambda: rng.randint(2, 12), "percent": lambda: rng.randint(10, 80),
        }
        if name in numbers:
            return str(numbers[name]())
        picks = {
            "erp": ERPS, "tool": TOOLS, "industry": INDUSTRIES, "region": REGIONS, "buyer_title": TITLES_BUYER,
            "month": ("March", "April", "peak season", "the audit", "Q3", "the new DC opens"),
            "quarter": ("Q1", "Q2", "Q3", "Q4", "this quarter", "next quarter"),
        }
        if name in picks:
            return rng.choice(picks[name])
        return state.get(name, name)

    return _SLOT.sub(one, template)


DISFLUENCIES = ("um, ", "uh, ", "you know, ", "like, ", "I think ", "kind of ", "sort of ", "basically ",
                "actually ", "I guess ", "really ")
ASIDES = ("", "", "", "", " for us", " on our side", " right now", " at this point", " today", " honestly",
          " if I'm being honest", " in practice", " most weeks", " as far as I know", " for what it's worth",
          " to be clear", " in {month}", " this {quarter}", " for the {sites} sites", " at {account}")


def _sentence(kind: str, rng: random.Random, state: dict) -> str:
    """One content sentence; spoken ones get the disfluencies, asides and names real speech has."""
    text = _fill(rng.choice(GRAMMAR[kind]), rng, state)
    if kind in ("rep", "buyer"):
        end = text[-1] if text[-1] in ".?!" else ""
        body = text[:-1] if end else text
        if rng.random() < 0.35:
            words = body.split(" ")
            cut = rng.randint(1, max(1, min(4, len(words) - 1)))
            body = " ".join(words[:cut]) + " " + rng.choice(DISFLUENCIES).strip() + " " + " ".join(words[cut:])
        body += _fill(rng.choice(ASIDES), rng, state)
        if rng.random() < 0.15 and state.get("names"):
            body += ", " + rng.choice(state["names"])
        text = body + end
    return text[0].upper() + text[1:]


# ------------------------------------------------------------------ people and documents


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def company(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Cast:
    """The company's employees: stable for a seed, named in drift.toml."""

    reps: list[str]
    marketers: list[str]

    @classmethod
    def make(cls, seed: int) -> "Cast":
        rng = random.Random(seed * 7919 + 1)
        names: list[str] = []
        while len(names) < N_REPS + N_MARKETERS:
            name = person(rng)
            if name not in names:
                names.append(name)
        return cls(names[:N_REPS], names[N_REPS:])


def email_of(name: str, domain: str) -> str:
    return f"{name.lower().replace(' ', '.')}@{domain}"


def _turn_sentences(voice: str, rng: random.Random, state: dict) -> list[str]:
    """One speaker turn: a back-channel, a greeting, or 1-4 sentences with some stock phrases."""
    r = rng.random()
    if r < 0.22:
        return [rng.choice(BACKCHANNELS)]
    if r < 0.25:
        return [rng.choice(GREETINGS)]
    out = []
    for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 3, 4))):
        q = rng.random()
        if q < 0.07:
            stock = rng.choice(STOCK_CALL)
            out.append(_vary(stock, rng) if rng.random() < 0.33 else stock)
        elif q < 0.10:
            out.append(rng.choice(BACKCHANNELS))
        else:
            out.append(_sentence(voice, rng, state))
    return out


def call_turns(rng: random.Random, reps: list[str], buyers: list[str], n_turns: int, account: str = "your company") -> list[tuple[str, str]]:
    """(speaker, text) turns of one call: greetings, then alternating rep and buyer talk."""
    turns = [(reps[0], rng.choice(GREETINGS)), (buyers[0], rng.choice(BACKCHANNELS + GREETINGS))]
    state: dict = {"names": [n.split()[0] for n in reps + buyers], "account": account}
    for i in range(n_turns):
        if i % 2 == 0:
            speaker = rng.choice(reps)
            voice = "rep"
        else:
            speaker = rng.choice(buyers)
            voice = "buyer"
        turns.append((speaker, " ".join(_turn_sentences(voice, rng, state))))
    turns.append((reps[0], rng.choice(STOCK_CALL[2:4])))
    return turns


def _clock(ms: int, sep: str = ".") -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def write_vtt(folder: Path, when: datetime, account: str, turns: list[tuple[str, str]]) -> Path:
    stage = "Discovery" if len(turns) % 2 else "Demo"
    target = folder / f"{when:%Y-%m-%d} Kestrel x {account} - {stage}"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"GMT{when:%Y%m%d-%H%M%S}_Recording.transcript.vtt"
    out, clock = ["WEBVTT", ""], 1000
    for i, (speaker, text) in enumerate(turns, start=1):
        length = 800 + 60 * len(text)
        out += [str(i), f"{_clock(clock)} --> {_clock(clock + length)}", f"{speaker}: {text}", ""]
        clock += length + 400
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def write_gong(folder: Path, when: datetime, account: str, reps: list[str], buyers: list[str],
               turns: list[tuple[str, str]], rng: random.Random) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    call_id = str(rng.randrange(10**18, 10**19))
    speaker_ids = {name: str(rng.randrange(10**18, 10**19)) for name in reps + buyers}
    domain = _slug(account).replace("-", "") + ".com"
    parties = [{"id": str(rng.randrange(10**18, 10**19)), "emailAddress": email_of(n, DOMAIN), "name": n,
                "title": "Account Executive", "speakerId": speaker_ids[n], "affiliation": "Internal",
                "methods": ["Invitee", "Attendee"]} for n in reps]
    parties += [{"id": str(rng.randrange(10**18, 10**19)), "emailAddress": email_of(n, domain), "name": n,
                 "title": rng.choice(TITLES_BUYER), "speakerId": speaker_ids[n], "affiliation": "External",
                 "methods": ["Invitee", "Attendee"]} for n in buyers]
    transcript, clock = [], 2000
    for speaker, text in turns:
        sentences = []
        for piece in re.split(r"(?<=[.?!])\s+", text):
            length = 500 + 55 * len(piece)
            sentences.append({"start": clock, "end": clock + length, "text": piece})
            clock += length + 300
        transcript.append({"speakerId": speaker_ids[speaker], "topic": None, "sentences": sentences})
    doc = {
        "requestId": f"{rng.randrange(16**18):018x}",
        "calls": [{"metaData": {"id": call_id, "title": f"{account} <> Kestrel | Discovery",
                                "started": when.strftime("%Y-%m-%dT%H:%M:%S-04:00"), "duration": clock // 1000,
                                "system": "Zoom", "scope": "External", "language": "eng"},
                   "parties": parties}],
        "callTranscripts": [{"callId": call_id, "transcript": transcript}],
    }
    path = folder / f"{when:%Y-%m-%d}_{_slug(account)}-{call_id[-6:]}.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def email_message(rng: random.Random, cast: Cast, when: datetime, index: int, *, mbox: bool = False,
                  attachment_kb: int = 0) -> tuple[str, str]:
    """(file name stem, RFC 5322 message) of one sales email: outbound sequence, rep follow-up or buyer reply."""
    rep = rng.choice(cast.reps)
    buyer, account = person(rng), company(rng)
    buyer_domain = _slug(account).replace("-", "") + ".com"
    kind = rng.random()
    state = {"company": account, "account": account, "names": [buyer.split()[0], rep.split()[0]]}
    subject_core = rng.choice(("Following up", "Next steps", "Pricing", "Returns workflow", "Quick question",
                               "Recap of today's call", f"{account} + Kestrel", "Security questionnaire",
                               "Implementation timeline", "Proposal"))
    lines: list[str] = []
    if kind < 0.3:  # outbound sequence step: a template sent to many prospects
        sender, sender_addr, to_name, to_addr = rep, email_of(rep, DOMAIN), buyer, email_of(buyer, buyer_domain)
        subject = subject_core
        lines.append(f"Hi {buyer.split()[0]},")
        lines.append("")
        steps = rng.sample(SEQUENCE, 3)
        lines.append(" ".join(_fill(s, rng, state) for s in steps))
        lines.append("")
        lines.append(rng.choice(STOCK_EMAIL))
    else:
        from_rep = kind < 0.6
        voice = "rep" if from_rep else "buyer"
        if from_rep:
            sender, sender_addr, to_name, to_addr = rep, email_of(rep, DOMAIN), buyer, email_of(buyer, buyer_domain)
        else:
            sender, sender_addr, to_name, to_addr = buyer, email_of(buyer, buyer_domain), rep, email_of(rep, DOMAIN)
        subject = ("Re: " if rng.random() < 0.5 else "") + subject_core
        lines.append(f"Hi {to_name.split()[0]},")
        lines.append("")
        if rng.random() < 0.6:
            lines.append(rng.choice(STOCK_EMAIL))
        for _ in range(rng.randint(1, 3)):
            lines.append(" ".join(_sentence(voice, rng, state) for _ in range(rng.randint(1, 4))))
            lines.append("")
        if rng.random() < 0.5:
            lines.append(rng.choice(STOCK_EMAIL))
    lines += ["", rng.choice(("Best,", "Thanks,", "Cheers,", "Regards,", "Thank you,")), sender.split()[0]]
    if sender_addr.endswith(DOMAIN):
        lines += ["--", f"{sender} | Account Executive | Kestrel Labs", "kestrelhq.com | +1 (312) 555-0142"]
    else:
        lines += ["", f"{sender}", rng.choice(TITLES_BUYER), account]
    if subject.startswith("Re: "):
        quoted = [_sentence("rep" if sender_addr.endswith(buyer_domain) else "buyer", rng, state) for _ in range(3)]
        lines += ["", f"On {when - timedelta(days=1):%a, %b %d, %Y at %I:%M %p} {to_name} <{to_addr}> wrote:"]
        lines += ["> " + q for q in quoted]
    body = "\n".join(lines) + "\n"
    msg_id = f"<{rng.randrange(16**20):020x}.{index}@mail.example.com>"
    headers = [f"From: {sender} <{sender_addr}>", f"To: {to_name} <{to_addr}>", f"Subject: {subject}",
               f"Date: {when:%a, %d %b %Y %H:%M:%S} -0400", f"Message-ID: {msg_id}", "MIME-Version: 1.0"]
    if attachment_kb:
        boundary = f"b{rng.randrange(16**12):012x}"
        blob = rng.randbytes(attachment_kb * 768)
        import base64

        encoded = base64.encodebytes(blob).decode("ascii")
        headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        text = "\n".join(headers) + "\n\n" + (
            f"--{boundary}\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n\n{body}\n"
            f"--{boundary}\nContent-Type: application/pdf; name=\"proposal.pdf\"\n"
            f"Content-Disposition: attachment; filename=\"proposal.pdf\"\nContent-Transfer-Encoding: base64\n\n"
            f"{encoded}\n--{boundary}--\n")
    else:
        headers += ['Content-Type: text/plain; charset="UTF-8"', "Content-Transfer-Encoding: 8bit"]
        text = "\n".join(headers) + "\n\n" + body
    if mbox:  # mbox escaping of body lines that start with "From "
        text = re.sub(r"(?m)^(>*From )", r">\1", text)
    return f"{when:%Y-%m-%d}_{_slug(subject)[:40]}-{index}", text


def write_page(folder: Path, rng: random.Random, cast: Cast, when: date, index: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    title = rng.choice(("Why Kestrel", "Kestrel Predict", "Solutions for operations", "Customer story",
                        "Pricing", "Security", "Blog: predictive operations", "Webinar", "Platform overview"))
    out = ["---", f'title: "{title} {index}"', f"date: {when:%Y-%m-%d}", f"author: {rng.choice(cast.marketers)}",
           "---", "", f"# {title}", ""]
    for _ in range(rng.randint(3, 7)):
        out += [f"## {_sentence('mkt_object', rng, {}).rstrip('.')}", ""]
        out.append(" ".join(_sentence("marketing", rng, {}) for _ in range(rng.randint(2, 5))))
        out.append("")
        if rng.random() < 0.5:
            out += [f"- {_sentence('mkt_object', rng, {})}" for _ in range(rng.randint(2, 4))] + [""]
    out += ["Ready to see Kestrel in action? Book a demo today.", "",
            "Kestrel Labs is the predictive operations platform for global enterprises.", ""]
    path = folder / f"{_slug(title)}-{index}.md"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def config_text(cast: Cast) -> str:
    reps = ", ".join(json.dumps(n) for n in cast.reps)
    marketers = ", ".join(json.dumps(n) for n in cast.marketers)
    return (f'[company]\nname = "Kestrel Labs"\ndomains = ["{DOMAIN}"]\n\n[voices]\nmarketing = [{marketers}]\n'
            f'rep = [{reps}]\n\n[sides]\nmarketing = ["marketing/**"]\nsales = ["sales/**"]\n\n'
            '[ingest]\nexclude = ["README.md"]\n')


@dataclass
class Sizes:
    calls: int
    emails: int
    pages: int

    @classmethod
    def scaled(cls, scale: float) -> "Sizes":
        return cls(max(1, round(2000 * scale)), max(1, round(20000 * scale)), max(1, round(300 * scale)))


# Measured on this generator (segments after filler removal, per document); used by --segments.
SEGMENTS_PER = {"call": 260.0, "email": 5.0, "page": 30.0}


def sizes_for_segments(segments: int) -> Sizes:
    per_unit = 2000 * SEGMENTS_PER["call"] + 20000 * SEGMENTS_PER["email"] + 300 * SEGMENTS_PER["page"]
    return Sizes.scaled(segments / per_unit)


@dataclass
class Generated:
    root: Path
    extra: Path  # the 10% new documents, in the same layout, for the incremental run
    files: int = 0
    extra_files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)


def generate(root: Path, sizes: Sizes, seed: int = 7, new_share: float = 0.1) -> Generated:
    """Write the corpus under root/corpus and the held-back new month under root/extra."""
    started = time.perf_counter()
    cast = Cast.make(seed)
    corpus, extra = root / "corpus", root / "extra"
    for folder in (corpus, extra):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    (corpus / "drift.toml").write_text(config_text(cast), encoding="utf-8")
    base = datetime(2026, 1, 5, 9, 0)
    months = 6  # January-June; the new documents are July's
    result = Generated(corpus, extra)

    def when(i: int, n: int, new: bool, rng: random.Random) -> datetime:
        if new:
            return datetime(2026, 7, 1, 9) + timedelta(days=rng.randint(0, 29), minutes=rng.randint(0, 480))
        return base + timedelta(days=int(i * months * 30 / max(n, 1)), minutes=rng.randint(0, 480))

    def plan(n: int) -> list[tuple[int, bool]]:
        n_new = max(1, round(n * new_share)) if n >= 2 else 0
        return [(i, False) for i in range(n)] + [(n + i, True) for i in range(n_new)]

    for i, new in plan(sizes.calls):
        rng = random.Random(f"{seed}-call-{i}")
        reps = rng.sample(cast.reps, rng.choice((1, 2, 2)))
        buyers = [person(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
        account = company(rng)
        turns = call_turns(rng, reps, buyers, rng.randint(60, 260), account)
        dest = (extra if new else corpus) / "sales" / "calls"
        at = when(i, sizes.calls, new, rng)
        path = (write_vtt(dest / "zoom", at, account, turns) if i % 2 == 0
                else write_gong(dest / "gong", at, account, reps, buyers, turns, rng))
        result.bytes += path.stat().st_size
        result.extra_files += new
        result.files += not new
    for i, new in plan(sizes.emails):
        rng = random.Random(f"{seed}-email-{i}")
        stem, text = email_message(rng, cast, when(i, sizes.emails, new, rng), i)
        folder = (extra if new else corpus) / "sales" / "email"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.eml"
        path.write_text(text, encoding="utf-8")
        result.bytes += len(text)
        result.extra_files += new
        result.files += not new
    for i, new in plan(sizes.pages):
        rng = random.Random(f"{seed}-page-{i}")
        path = write_page((extra if new else corpus) / "marketing" / "web", rng, cast,
                          when(i, sizes.pages, new, rng).date(), i)
        result.bytes += path.stat().st_size
        result.extra_files += new
        result.files += not new
    result.seconds = time.perf_counter() - started
    result.counts = {"calls": sizes.calls, "emails": sizes.emails, "pages": sizes.pages}
    return result


def merge_extra(generated: Generated) -> None:
    """Copy the held-back new documents into the corpus (the next month's exports)."""
    shutil.copytree(generated.extra, generated.root, dirs_exist_ok=True)


# ------------------------------------------------------------------ measuring whole processes


@dataclass
class Run:
    label: str
    wall: float
    peak_rss_mb: float
    returncode: int
    stderr: str


def measure(label: str, argv: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run argv as a child process; wall time and its peak RSS."""
    time_bin = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    full_env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    started = time.perf_counter()
    if time_bin:
        proc = subprocess.run([time_bin, "-v", *argv], capture_output=True, text=True, env=full_env, cwd=cwd)
        wall = time.perf_counter() - started
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        peak = int(match.group(1)) / 1024 if match else float("nan")
    else:  # pragma: no cover - no /usr/bin/time
        import resource

        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        proc = subprocess.run(argv, capture_output=True, text=True, env=full_env, cwd=cwd)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = max(after, before) / 1024  # a high-water mark over all children so far: an upper bound
    if proc.returncode not in (0, 1):
        print(proc.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"{label}: exit {proc.returncode}")
    return Run(label, wall, peak, proc.returncode, proc.stderr)


def summary_numbers(stderr: str) -> dict:
    match = re.search(r"(\d+) files: (\d+) ingested.*?; (\d+) documents, (\d+) segments, (\d+) new embeddings "
                      r"\((\d+) filler", stderr, re.S)
    if not match:
        return {}
    keys = ("files", "ingested", "documents", "segments", "encoded", "fillers")
    return dict(zip(keys, map(int, match.groups())))


def drift_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "drift", *args]


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024**2:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}{load}"


# ------------------------------------------------------------------ the naive way


def naive_ingest(corpus: Path, store_path: Path, batch_files: int = 64) -> dict:
    """Every sentence encoded with a plain SentenceTransformer.encode per file; no dedup, no cache.

    Uses drift's own parsers and sentence splitter so the only difference is the embedding
    work; stores the same segments (fillers are encoded but, as in drift, not measured) so the
    same report can run on the result.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    from drift.config import load_config
    from drift.embed import resolve_model
    from drift.ingest import IngestFailure, discover, parse_file
    from drift.model import Segment
    from drift.nlp import SENTENCE_ONLY_DISABLE, load_pipeline
    from drift.pipeline import file_digest, store_key
    from drift.segment import _split_long, is_filler
    from drift.store import Store

    config = load_config(corpus / "drift.toml")
    info = resolve_model(None)
    model = SentenceTransformer(info.path, device="cpu")
    nlp, _ = load_pipeline()
    disable = [p for p in SENTENCE_ONLY_DISABLE if p in nlp.pipe_names]
    encoded = segments_total = 0
    batch: list = []
    vectors: dict = {}
    with Store(store_path) as store:
        def flush():
            nonlocal batch, vectors
            if batch:
                store.write_files(batch, vectors, info.key)
            batch, vectors = [], {}

        for path in discover([corpus], config):
            key = store_key(path, config)
            try:
                documents = list(parse_file(path, config))
            except IngestFailure:
                continue
            from dataclasses import replace

            documents = [replace(d, source=key) for d in documents]
            parsed = []
            sentences_all: list[str] = []
            pending: list[tuple[int, Segment]] = []
            for document in documents:
                segs = []
                position = 0
                for turn, doc in zip(document.turns, nlp.pipe([t.text for t in document.turns], disable=disable)):
                    sentences = [p for s in doc.sents if s.text.strip() for p in _split_long(s.text.strip())]
                    for i, sentence in enumerate(sentences):
                        sentences_all.append(sentence)
                        if is_filler(sentence):
                            continue
                        segment = Segment(text=sentence, voice=turn.voice, doc_id=document.doc_id,
                                          source=document.source, channel=document.channel, month=document.month,
                                          position=position, locator=turn.locator, speaker=turn.speaker,
                                          context=" ".join(sentences[max(0, i - 1): i + 2]))
                        segs.append(segment)
                        pending.append((len(sentences_all) - 1, segment))
                        position += 1
                parsed.append((document, segs))
            if sentences_all:
                out = model.encode(sentences_all, normalize_embeddings=True, convert_to_numpy=True,
                                   show_progress_bar=False)
                encoded += len(sentences_all)
                for row, segment in pending:
                    vectors[segment.text_hash] = out[row]
            segments_total += sum(len(s) for _, s in parsed)
            batch.append((key, file_digest(path), documents[0].format if documents else None, parsed))
            if len(batch) >= batch_files:
                flush()
        flush()
    return {"encoded": encoded, "segments": segments_total}


# ------------------------------------------------------------------ the embedding stage alone


def embed_throughput(n: int, device: str | None, model: str | None = None, seed: int = 7) -> dict:
    """Sentences/s of the embedding stage: plain SentenceTransformer.encode vs drift's Encoder.

    The sentences are the generator's content sentences (fillers excluded), all distinct work
    for both (no dedup here): this measures encoding speed alone, in one process, interleaved.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from drift.embed import Encoder

    rng = random.Random(seed)
    state = {"names": ["Dana", "Lauren"], "account": "Larkport Freight"}
    texts = [_sentence(rng.choice(("rep", "buyer", "buyer", "marketing")), rng, state) for _ in range(n)]
    encoder = Encoder(model, device=device)
    encoder = Encoder(model, device=device, backend=encoder.backend_name(max(n, 10**6)))  # the bulk path, never NumPy
    plain = SentenceTransformer(encoder.info.path, device=encoder.device).float()  # as shipped: float32
    tuned = None
    if encoder.device.startswith("cuda"):  # plain encode with drift's precision and batch size, for reference
        tuned = SentenceTransformer(encoder.info.path, device=encoder.device).half()
    tokens = float(np.mean([len(ids) for ids in plain.tokenizer(texts[:2000])["input_ids"]]))
    sync = (lambda: __import__("torch").cuda.synchronize()) if encoder.device.startswith("cuda") else (lambda: None)
    warm = texts[:2048]
    plain.encode(warm, show_progress_bar=False)
    encoder.encode(warm)
    sync()
    results: dict = {"device": encoder.device, "sentences": n, "mean_tokens": round(tokens, 1)}
    for label, fn in (("plain", lambda: plain.encode(texts, normalize_embeddings=True, show_progress_bar=False)),
                      ("drift", lambda: encoder.encode(texts)),
                      ("plain", lambda: plain.encode(texts, normalize_embeddings=True, show_progress_bar=False)),
                      ("drift", lambda: encoder.encode(texts)),
                      *((("plain_fp16_batch1024", lambda: tuned.encode(texts, batch_size=1024, normalize_embeddings=True,
                                                                         show_progress_bar=False)),) if tuned else ())):
        started = time.perf_counter()
        vectors = fn()
        sync()
        rate = n / (time.perf_counter() - started)
        results[label] = max(results.get(label, 0.0), rate)
        results[label + "_vectors"] = vectors
    results.pop("plain_fp16_batch1024_vectors", None)
    a, b = results.pop("plain_vectors"), results.pop("drift_vectors")
    results["min_cosine_drift_vs_plain"] = float((np.asarray(a, np.float32) * np.asarray(b, np.float32)).sum(1).min())
    results["speedup"] = results["drift"] / results["plain"]
    if encoder.device.startswith("cuda"):
        import torch

        results["gpu"] = torch.cuda.get_device_name(0)
    return results


# ------------------------------------------------------------------ main


def fmt_run(run: Run) -> str:
    return f"{run.wall:8.1f} s  peak {run.peak_rss_mb:7.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 2,000 calls / 20,000 emails / 300 pages")
    parser.add_argument("--segments", type=int, help="size the corpus for about this many segments (overrides --scale)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, help="where to write the corpus and stores (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="time ingest only")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--ingest-args", default="", help="extra arguments for `drift ingest`, e.g. '--executor ray'")
    parser.add_argument("--embed-only", type=int, metavar="N",
                        help="only measure the embedding stage on N sentences (plain vs drift), e.g. on a GPU")
    parser.add_argument("--device", help="device for --embed-only (default: cuda when available)")
    parser.add_argument("--model", help="model directory or package for --embed-only")
    args = parser.parse_args(argv)
    if args.embed_only:
        result = embed_throughput(args.embed_only, args.device, args.model)
        print(json.dumps(result, indent=2))
        if args.json:
            args.json.write_text(json.dumps(result, indent=2))
        return 0

    sizes = sizes_for_segments(args.segments) if args.segments else Sizes.scaled(args.scale)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drift-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"corpus: {sizes.calls} calls, {sizes.emails} emails, {sizes.pages} pages (+10% new) in {work}")
    gen = generate(work, sizes, args.seed)
    print(f"generated {gen.files} files (+{gen.extra_files} new), {gen.bytes / 1e6:.1f} MB in {gen.seconds:.1f} s")
    if args.generate_only:
        return 0
    results: dict = {"machine": machine(), "sizes": vars(sizes), "files": gen.files, "new_files": gen.extra_files}
    try:
        # Stage copies: the full run sees the corpus without the new month, the naive run the same.
        base = work / "base"
        if base.exists():
            shutil.rmtree(base)
        shutil.copytree(gen.root, base)
        store = work / "fast.duckdb"
        naive_store = work / "naive.duckdb"
        for p in (store, naive_store):
            p.unlink(missing_ok=True)
        extra_args = args.ingest_args.split()
        runs: dict[str, Run] = {}
        runs["full_ingest"] = measure("full ingest", drift_cmd("ingest", str(base), "--store", str(store), "-q", *extra_args))
        numbers = summary_numbers(runs["full_ingest"].stderr)
        print(f"full ingest      {fmt_run(runs['full_ingest'])}  {numbers}")
        if not args.no_report:
            runs["full_report"] = measure("full report", drift_cmd("report", "--config", str(base / "drift.toml"), "--store", str(store),
                                                                   "-o", str(work / "full.json"), "--format", "json", "-q"))
            print(f"full report      {fmt_run(runs['full_report'])}")
        if not args.skip_incremental:
            inc = Generated(base, gen.extra)
            merge_extra(inc)
            runs["inc_ingest"] = measure("incremental ingest", drift_cmd("ingest", str(base), "--store", str(store), "-q", *extra_args))
            inc_numbers = summary_numbers(runs["inc_ingest"].stderr)
            print(f"incr. ingest     {fmt_run(runs['inc_ingest'])}  {inc_numbers}")
            if not args.no_report:
                runs["inc_report"] = measure("incremental report", drift_cmd("report", "--config", str(base / "drift.toml"), "--store",
                                                                             str(store), "-o", str(work / "inc.json"), "--format", "json", "-q"))
                print(f"incr. report     {fmt_run(runs['inc_report'])}")
            results["incremental"] = inc_numbers
            # the naive run reads the same corpus as the full run: drop the new month again
            shutil.rmtree(base)
            shutil.copytree(gen.root, base)
        if not args.skip_naive:
            runs["naive_ingest"] = measure("naive ingest", [PYTHON, str(Path(__file__).resolve()), "_naive", str(base), str(naive_store)])
            naive_line = next((line for line in runs["naive_ingest"].stderr.splitlines() if line.startswith("naive:")), "")
            print(f"naive ingest     {fmt_run(runs['naive_ingest'])}  {naive_line}")
            if not args.no_report:
                runs["naive_report"] = measure("naive report", drift_cmd("report", "--config", str(base / "drift.toml"), "--store", str(naive_store),
                                                                         "-o", str(work / "naive.json"), "--format", "json", "-q"))
                print(f"naive report     {fmt_run(runs['naive_report'])}")
        results["full"] = numbers
        results["runs"] = {k: {"wall_s": round(r.wall, 2), "peak_rss_mb": round(r.peak_rss_mb)} for k, r in runs.items()}

        def total(prefix: str) -> float:
            return sum(r.wall for k, r in runs.items() if k.startswith(prefix))

        full = total("full_")
        print()
        print(f"full ingest+report: {full:.1f} s, {numbers.get('segments', 0) / runs['full_ingest'].wall:.0f} segments/s (ingest), "
              f"peak {max(r.peak_rss_mb for k, r in runs.items() if k.startswith('full_')):.0f} MB")
        ratios = {}
        if "naive_ingest" in runs:
            naive = total("naive_")
            ratios["naive_over_full"] = naive / full
            ratios["naive_over_full_ingest"] = runs["naive_ingest"].wall / runs["full_ingest"].wall
            print(f"naive / full (ingest+report): {ratios['naive_over_full']:.2f}x  (target >= 3x)")
            print(f"naive / full (ingest only):   {ratios['naive_over_full_ingest']:.2f}x")
        if "inc_ingest" in runs:
            ratios["incremental_share"] = total("inc_") / full
            ratios["incremental_share_ingest"] = runs["inc_ingest"].wall / runs["full_ingest"].wall
            print(f"incremental / full (ingest+report): {ratios['incremental_share']:.1%}  (target <= 15%)")
            print(f"incremental / full (ingest only):   {ratios['incremental_share_ingest']:.1%}")
        results["ratios"] = {k: round(v, 3) for k, v in ratios.items()}
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "_naive":
        started = time.perf_counter()
        out = naive_ingest(Path(sys.argv[2]), Path(sys.argv[3]))
        print(f"naive: {out['encoded']} sentences encoded, {out['segments']} segments stored, "
              f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
        sys.exit(0)
    sys.exit(main())
