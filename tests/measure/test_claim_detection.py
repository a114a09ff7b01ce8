"""Claims are claims: benefit, outcome, capability, comparison and proof sentences, and not
instructions, process, headings, tool lists or questions. Sentences written here, in the
shapes real copy and real playbooks take."""

import pytest

from drift.measure.claims import claim_mask, is_claim, is_claim_mood
from drift.measure.genre import CUSTOMER, INTERNAL
from drift.measure.mood import read_moods

CLAIMS = [
    "Ledgerly cuts month-end close time by a third for finance teams of every size.",
    "Our scheduling engine is the only platform that rebalances crews while the shift is running.",
    "Customers see a 42% drop in missed deliveries within their first quarter.",
    "Harbor helps plant managers spot quality drift days before a batch fails inspection.",
    "Trusted by more than 300 hospital networks across North America.",
    "With one dashboard for every site, you can resolve incidents faster than with three separate tools.",
    "Automate your vendor onboarding with pre-built checks for tax forms and bank details.",
    "Tidewell syncs both ways with your ERP and your warehouse system.",
    "Most operations teams we work with are live in about two weeks.",
    "You never have to write code to automate a workflow across your plants.",
]
NOT_CLAIMS = [
    "Make sure to submit all of the below information in your request:",
    "Clone this template and fill in the customer's details before the kickoff call.",
    "If you have questions about the pricing sheet, reach out in the deal-desk channel.",
    "Reps should log every discovery call in the CRM within one business day.",
    "Does the platform integrate with our existing ERP?",
    "Salesforce, Outreach, Gong, Zoom, Slack and Google Drive",
    "Don't use exclamation marks or emoji in a headline.",
    "See the onboarding checklist at https://example.com/handbook/onboarding.md for details.",
    "I think the new deck is much better than the old one.",
    "Reps must follow up with every inbound lead within two business days.",
    "You need to add the customer's legal name in the quote field first.",
]


@pytest.mark.parametrize("text", CLAIMS)
def test_customer_claims_are_claims(text):
    assert is_claim(text), text


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_instructions_process_questions_and_lists_are_not(text):
    assert not is_claim(text), text


def test_headings_are_never_claims_however_promising():
    text = "Cut month-end close time by a third for every finance team"
    assert not claim_mask([text], ["heading"])[0]


def test_imperative_promise_counts_in_copy_but_not_in_a_playbook():
    text = "Automate your vendor onboarding with pre-built checks for tax forms and bank details."
    mood = read_moods([text])[0]
    assert mood.imperative and mood.promise_opening
    assert is_claim_mood(mood, "text", CUSTOMER)
    assert not is_claim_mood(mood, "text", INTERNAL)


def test_an_internal_document_needs_a_stronger_promise():
    weak, strong = read_moods([
        "The operations team uses the shared tracker to improve handoffs between shifts.",
        "Our platform offers a scheduling service that cuts overtime costs by 20% in the first month.",
    ])
    assert not is_claim_mood(weak, "text", INTERNAL)
    assert is_claim_mood(strong, "text", INTERNAL)


def test_moods_name_what_a_sentence_does():
    imperative, obligation, question, vendor, proof = read_moods([
        "Post the draft in the review channel by Friday.",
        "Every rep must attach the signed order form before closing the opportunity.",
        "How long does it take to connect a new warehouse?",
        "We help distributors see every late shipment before their customers do.",
        "Teams using it ship 3x more releases per quarter.",
    ])
    assert imperative.imperative and not imperative.question
    assert obligation.obligation and not obligation.imperative
    assert question.question
    assert vendor.first_plural and vendor.outcome > 0 and not vendor.imperative
    assert proof.proof
