"""Words that say nothing about messaging: English stop words and the fillers of speech."""

from spacy.lang.en.stop_words import STOP_WORDS

# Speech fillers carry no messaging; they would top the buyer and rep lists.
FILLERS = {"um", "uh", "yeah", "like", "okay", "ok", "gonna", "kinda", "just", "really", "know", "mean",
           "think", "right", "oh", "hmm", "mm", "got", "sort", "thing", "things", "stuff", "actually",
           "honestly", "basically", "literally", "guess", "lot", "bit", "pretty", "sure", "yes", "yep",
           "wanna", "gotta", "don", "didn", "doesn", "isn", "wasn", "ll", "ve", "re", "let", "maybe"}
STOP = sorted(STOP_WORDS | FILLERS)
