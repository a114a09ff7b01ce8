"""One labeller for every cluster: key phrases a person would write, never a bag of words."""

import numpy as np
import pytest

from drift.measure.labels import (distinctiveness, is_word_list, join_phrases, label_clusters, mmr, phrases_of,
                                  trim_sentence)
from drift.nlp import load_pipeline

SCORING = [
    "A lead score of 60 or more from content downloads makes a lead marketing-qualified.",
    "Webinar attendance adds twenty points to the lead score.",
    "We count content downloads and webinar attendance for every new contact.",
    "Only contacts who download the benchmark report and attend a webinar reach the lead score threshold.",
    "The lead score decays when a contact stops opening our emails.",
    "Two content downloads and one webinar attendance usually put a contact over the line.",
]
QUALIFYING = [
    "It's only qualified when there's budget, a decision maker and a date.",
    "If there's no budget and no decision maker, it isn't qualified yet.",
    "I need to hear the budget and a go-live date before I forecast it.",
    "Do they have budget approved for this quarter?",
    "Who is the decision maker on the project, the CFO or the controller?",
    "Without a decision maker on the call we don't move it to stage two.",
]

def tagged(text):
    nlp, info = load_pipeline()
    if not info.trained:
        pytest.skip("needs the trained spaCy pipeline")
    return nlp(text)


def test_phrases_are_noun_and_verb_phrases_trimmed_of_determiners():
    found = {p.text for p in phrases_of(tagged("Our new scoring model cuts the manual review time for every warehouse team."))}
    assert "new scoring model" in found or "scoring model" in found
    assert "manual review time" in found
    assert any(p.startswith("cut ") for p in found)  # a verb phrase with its object
    assert not any(p.split()[0] in ("our", "the", "every") for p in found)


def test_names_dates_and_the_excluded_term_are_not_phrases():
    doc = tagged("Lydia said the qualified leads from March were great.")
    found = {p.text for p in phrases_of(doc, frozenset({"qualified", "lead"}))}
    assert not found & {"Lydia", "March", "qualified leads"}


def test_join_reads_like_a_list():
    assert join_phrases(["budget"]) == "budget"
    assert join_phrases(["budget", "a decision maker"]) == "budget and a decision maker"
    assert join_phrases(["budget", "a decision maker", "a date"]) == "budget, a decision maker and a date"


def test_distinctiveness_prefers_what_one_cluster_says_and_the_other_does_not():
    # phrase 0 is in both clusters equally; phrase 1 only in cluster 0.
    weight = distinctiveness(np.array([[5, 5], [5, 0]]), np.array([10, 10]))
    assert weight[0, 1] > weight[0, 0] > 0
    assert weight[1, 1] == 0


def test_mmr_skips_a_near_duplicate_of_a_chosen_phrase():
    vectors = np.array([[1.0, 0.0], [0.999, 0.045], [0.0, 1.0]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert mmr(np.array([1.0, 0.95, 0.6]), vectors, 2) == [0, 2]
    clash = np.array([[False, False, True], [False, False, False], [True, False, False]])
    assert mmr(np.array([1.0, 0.5, 0.9]), None, 2, clash=clash) == [0, 1]


def test_trimmed_sentence_is_its_first_clause():
    assert trim_sentence("We stopped chasing paper, and the backlog cleared in a week.") == "We stopped chasing paper"
    assert trim_sentence("Thanks, talk soon") == "Thanks"
    assert trim_sentence("One two three four five six seven eight nine ten").endswith("…")


def test_cluster_labels_are_phrases_about_each_cluster():
    tagged("warm up")
    labels = label_clusters(SCORING + QUALIFYING, [0] * 6 + [1] * 6, exclude=["qualified lead"])
    scoring, qualifying = labels[0].label, labels[1].label
    assert "lead score" in scoring and ("webinar" in scoring or "download" in scoring), scoring
    assert "budget" in qualifying and "decision maker" in qualifying, qualifying
    for label in (scoring, qualifying):
        assert not is_word_list(label), label
    assert labels[0].phrases[0] in scoring


@pytest.mark.parametrize("label, bag", [
    ("use, images, size, markdown", True), ("good, want, fun", True), ("use, images", True),
    ("budget, a decision maker and a date", False), ("predictive AI for operations", False),
    ("lead score and webinar attendance", False), ("budget and timeline", False),
])
def test_word_bag_rule(label, bag):
    assert is_word_list(label) is bag
