"""Genre per document: copy written for customers against pages written for staff, from the
wording alone. The pages are written here in the shapes real ones take."""

import numpy as np

from drift.measure.genre import CONVERSATION, CUSTOMER, INTERNAL, document_genres, row_genres
from drift.store import SegmentTable

PRODUCT_PAGE = [
    ("heading", "See every late shipment before your customers do"),
    ("text", "Portline predicts delays across carriers, lanes and warehouses, so planners act days earlier."),
    ("text", "Customers cut expedite spend by 38% in their first two quarters."),
    ("text", "It is the only routing tool that learns from your own exceptions instead of a generic model."),
    ("item", "Faster recovery when a carrier misses a pickup."),
    ("item", "Fewer manual status checks for your operations team."),
    ("text", "Trusted by more than 200 distributors across Europe and North America."),
    ("text", "Connect your TMS in an afternoon and see risk scores on day one."),
]
PLAYBOOK = [
    ("heading", "How to request a custom demo environment"),
    ("text", "Open an issue in the sales-ops project using the demo-request template."),
    ("text", "Make sure to tag your manager and the solutions engineer assigned to the account."),
    ("item", "Fill in the account name, the opportunity stage and the close date fields."),
    ("item", "Reps must attach the discovery notes from the shared drive before the request is reviewed."),
    ("heading", "Weekly pipeline meeting"),
    ("text", "Every Monday, AEs review their open opportunities with their manager on the agenda doc."),
    ("text", "If you cannot attend, post your updates in the team channel before 10am."),
    ("text", "See the handbook page at https://example.com/handbook/sales/pipeline.md for the meeting cadence."),
]
CALL = [("text", "We mostly use spreadsheets for this today."), ("text", "How long would a rollout take for us?")]


def table_of(docs: dict[str, tuple[str, list[tuple[str, str]]]]) -> SegmentTable:
    rows = [(doc, channel, block, text) for doc, (channel, lines) in docs.items() for block, text in lines]
    n = len(rows)
    return SegmentTable(
        text=[r[3] for r in rows], voice=np.array(["marketing"] * n, dtype=object),
        channel=np.array([r[1] for r in rows], dtype=object), month=np.array([None] * n, dtype=object),
        source=[f"{r[0]}.md" for r in rows], locator=[None] * n, doc_id=[r[0] for r in rows], context=[""] * n,
        vectors=np.zeros((n, 2), np.float32), block=[r[2] for r in rows],
    )


def test_product_copy_and_a_playbook_are_told_apart():
    table = table_of({"product": ("web", PRODUCT_PAGE), "playbook": ("doc", PLAYBOOK), "call": ("call", CALL)})
    genres = document_genres(table)
    assert genres["product"].genre == CUSTOMER, genres["product"]
    assert genres["playbook"].genre == INTERNAL, genres["playbook"]
    assert genres["call"].genre == CONVERSATION
    # The shares that decided it are kept, so a reader can see why.
    assert genres["playbook"].signals["obligation"] > genres["product"].signals["obligation"]
    assert genres["product"].signals["claims"] > genres["playbook"].signals["claims"]
    assert row_genres(table, genres)[0] == CUSTOMER


def test_an_internal_page_published_on_the_website_is_still_internal():
    # Where a page sits (its channel) does not decide: its wording does.
    genres = document_genres(table_of({"published-playbook": ("web", PLAYBOOK)}))
    assert genres["published-playbook"].genre == INTERNAL


def test_campaign_email_is_customer_copy_whatever_it_says():
    genres = document_genres(table_of({"mail": ("campaign_email", PLAYBOOK[:2])}))
    assert genres["mail"].genre == CUSTOMER
