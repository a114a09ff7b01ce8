"""Words that say nothing about messaging: English stop words and the fillers of speech."""

import drift.nlp  # noqa: F401  (imports spaCy without torch; see drift.nlp)
from spacy.lang.en.stop_words import STOP_WORDS

# Speech fillers carry no messaging; they would top the buyer and rep lists.
FILLERS = {"um", "uh", "yeah", "like", "okay", "ok", "gonna", "kinda", "just", "really", "know", "mean",
           "think", "right", "oh", "hmm", "mm", "got", "sort", "thing", "things", "stuff", "actually",
           "honestly", "basically", "literally", "guess", "lot", "bit", "pretty", "sure", "yes", "yep",
           "wanna", "gotta", "don", "didn", "doesn", "isn", "wasn", "ll", "ve", "re", "let", "maybe",
           "it's", "that's", "there's", "i'm", "we're", "you're", "they're", "i've", "i'll", "i'd", "he's",
           "she's", "don't", "doesn't", "can't", "won't", "didn't", "isn't", "we've", "we'll", "what's",
           "let's", "you've", "you'll", "wasn't", "aren't", "haven't", "wouldn't", "couldn't", "y'know"}
STOP = sorted(STOP_WORDS | FILLERS)
