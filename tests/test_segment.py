"""Segmentation: sentences, voices carried over, fillers dropped."""

from drift.model import Document, Turn
from drift.segment import SegmentStats, is_filler, segment_documents


def test_fillers_are_recognised():
    for text in ["Yeah.", "Um, yeah, right.", "Can you hear me?", "Okay, sounds good.", "Mm-hmm."]:
        assert is_filler(text), text
    for text in ["We use NetSuite.", "Budget is approved for Q4.", "No, we don't have IT people."]:
        assert not is_filler(text), text


def test_segments_keep_voice_locator_and_context():
    doc = Document(
        source="calls/a.vtt", format="vtt", side="sales", channel="call",
        turns=(
            Turn("Hey, can you hear me? Great. So what does a qualified lead look like for you?", "Dana", "rep", "00:00:03"),
            Turn("Yeah. Honestly we're about 300 people. The budget is approved for this quarter.", "Renee", "buyer", "00:00:09"),
        ),
    )
    stats = SegmentStats()
    [(document, segments)] = list(segment_documents([doc], stats))
    assert [s.voice for s in segments] == ["rep", "buyer", "buyer"]
    assert segments[0].text == "So what does a qualified lead look like for you?"
    assert segments[1].locator == "00:00:09"
    assert "budget is approved" in segments[1].context
    assert [s.position for s in segments] == [0, 1, 2]
    assert stats.fillers == 3 and stats.sentences == 6


def test_copy_keeps_its_heading_and_short_lines_that_state_a_figure():
    doc = Document(
        source="web/plans.md", format="markdown", side="marketing", channel="web",
        turns=(
            Turn("Free plan", block="heading"),
            Turn("Workflow runs - 1000", block="item"),
            Turn("Community support", block="item"),
            Turn("Business plan", block="heading"),
            Turn("Workflow runs - 50,000", block="item"),
            Turn("$12 /user/month", block="text"),
        ),
    )
    [(_, segments)] = list(segment_documents([doc]))
    assert [(s.text, s.section) for s in segments] == [
        ("Workflow runs - 1000", "Free plan"),
        ("Workflow runs - 50,000", "Business plan"),
        ("$12 /user/month", "Business plan"),
    ]
    # Speech keeps dropping short turns, figures or not.
    call = Document(source="c.vtt", format="vtt", side="sales", channel="call",
                    turns=(Turn("Maybe 60.", "Ana", "buyer"), Turn("About 40k.", "Ana", "buyer")))
    [(_, spoken)] = list(segment_documents([call]))
    assert spoken == []


def test_the_light_splitter_cuts_edited_copy_where_spacy_does():
    from drift.segment import split_sentences

    text = ('Kestrel closes the books in 3 days, not 10. Finance teams at 1,200 companies use it! '
            '"Does it replace our ERP?" No. It sits beside NetSuite, e.g. for approvals.\n\n'
            '$49 per seat a month. Discounts start at 250 seats')
    assert split_sentences(text) == [
        "Kestrel closes the books in 3 days, not 10.", "Finance teams at 1,200 companies use it!",
        '"Does it replace our ERP?"', "No.", "It sits beside NetSuite, e.g. for approvals.",
        "$49 per seat a month.", "Discounts start at 250 seats"]
    doc = Document(source="web/pricing.md", format="markdown", side="marketing", channel="web",
                   turns=(Turn("Pricing grows with your team. Every plan includes the audit log.", voice="marketing"),))
    [(_, light)] = list(segment_documents([doc], splitter=split_sentences))
    [(_, spacy)] = list(segment_documents([doc]))
    assert [s.text for s in light] == [s.text for s in spacy]
