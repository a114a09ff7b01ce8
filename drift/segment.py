"""Documents -> sentences attributed to a voice.

Speech is full of turns that carry no meaning for messaging ("yeah", "can you
hear me?"). They are dropped here, counted, and never embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from drift.model import Document, Segment

# Turns that are only greetings, back-channels or line checks, matched word by word.
# Not one big regex: alternatives that overlap ("mm" + "hmm" vs "mmhmm") under a repeated
# group backtrack exponentially, and a 300-byte cue of "mmhmm mmhmm ... x" never finished.
_FILLER_PHRASES = frozenset(
    tuple(phrase.split())
    for phrase in (
        "yeah", "yep", "yup", "yes", "no", "nope", "ok", "okay", "right", "sure", "great", "cool",
        "got it", "gotcha", "perfect", "awesome", "totally", "exactly", "absolutely", "thanks",
        "thank you", "bye", "hi", "hello", "hey", "sounds good", "makes sense", "for sure", "oh", "ah",
        "wow", "nice", "good", "alright", "all right", "can you hear me", "can you see my screen",
        "you're on mute", "sorry", "go ahead", "i see", "good morning", "good afternoon",
        "how are you", "i'm good", "not bad",
    )
)
_MAX_PHRASE = max(len(p) for p in _FILLER_PHRASES)
_FILLER_SOUND = re.compile(r"uh+|um+|hmm+|mm+|mm+hmm+")  # fullmatch on one short word
_MAX_SOUND_CHARS = 40
_FILLER_SPLIT = re.compile(r"[\s,.!?…-]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MIN_WORDS = 3
MAX_SECTION_CHARS = 200
# A short line of copy that states a figure ("App runs - 1000", "$49 /user/month", "Minimum 10
# seats") is kept however few its words: prices and limits are often written that way.
_FIGURE_LINE = re.compile(r"(?=.*\d)(?=.*(?:[A-Za-z]{2}|[$€£%]))")
MAX_CHARS = 600  # a "sentence" longer than this is split text without punctuation
# spaCy refuses texts over nlp.max_length (1,000,000 characters) and its memory grows with
# the text: a longer turn is cut into pieces of at most this size before it is tokenised.
MAX_SPACY_CHARS = 100_000
# Runs of punctuation without spaces are quadratic in spaCy's tokenizer (its affix loop:
# 4,000 "(" took 2 s, 16 KB 49 s). Runs longer than this are shortened before tokenising.
MAX_PUNCT_RUN = 3
_PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCT_RUN + 1))


def filler_cover(text: str) -> tuple[bool, int]:
    """(whether `text` is made only of filler words and phrases, steps taken).

    Dynamic programming over words: each reachable word position tries at most
    `_MAX_PHRASE` phrase lengths, so the steps are at most that many per word (linear).
    """
    words = [w for w in _FILLER_SPLIT.split(text.strip().lower().replace("’", "'")) if w]
    if not words:
        return False, 0
    reach = [False] * (len(words) + 1)
    reach[0] = True
    steps = 0
    for start in range(len(words)):
        if not reach[start]:
            continue
        for length in range(1, min(_MAX_PHRASE, len(words) - start) + 1):
            steps += 1
            piece = tuple(words[start : start + length])
            if piece in _FILLER_PHRASES or (
                length == 1 and len(piece[0]) <= _MAX_SOUND_CHARS and _FILLER_SOUND.fullmatch(piece[0])
            ):
                reach[start + length] = True
    return reach[-1], steps


def is_filler(text: str) -> bool:
    """True for utterances too short or too phatic to say anything about messaging."""
    return len(_WORD.findall(text)) < MIN_WORDS or filler_cover(text)[0]


def is_figure_line(text: str) -> bool:
    """A short line of copy with a figure and a word or currency sign (not a bare "1." or "2026")."""
    return bool(_FIGURE_LINE.match(text))


def tokenizable(text: str) -> str:
    """`text` with punctuation runs shortened to MAX_PUNCT_RUN characters ("!!!!!!" -> "!!!")."""
    return _PUNCT_RUN.sub(lambda m: m.group()[:MAX_PUNCT_RUN], text) if len(text) > MAX_PUNCT_RUN else text


def spacy_pieces(text: str, limit: int = MAX_SPACY_CHARS) -> list[str]:
    """`text` cut into pieces of at most `limit` characters, at a paragraph, line, sentence
    or word boundary where one lies in the last half of the window, else mid-word."""
    if len(text) <= limit:
        return [text]
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for boundary in ("\n\n", "\n", ". ", " "):
            at = window.rfind(boundary)
            if at >= limit // 2:
                cut = at + len(boundary)
                break
        cut = cut if cut > 0 else limit
        pieces.append(window[:cut])
        start += cut
    pieces.append(text[start:])
    return pieces


@dataclass
class SegmentStats:
    sentences: int = 0
    fillers: int = 0


def _split_long(text: str) -> list[str]:
    if len(text) <= MAX_CHARS:
        return [text]
    words = text.split()
    chunks, current = [], []
    for word in words:
        current.append(word)
        if sum(len(w) + 1 for w in current) > MAX_CHARS // 2:
            chunks.append(" ".join(current))
            current = []
    if current:
        chunks.append(" ".join(current))
    return chunks


def sentence_disable(nlp) -> list[str]:
    """Components to switch off when only sentence boundaries are wanted.

    Besides the taggers, the shared `tok2vec` goes too when no component left
    running listens to it: the `senter` of en_core_web_sm carries its own
    embedding layer, so the shared one is pure cost (10x the time of
    segmentation on call transcripts, with the very same sentences).
    """
    from drift.nlp import SENTENCE_ONLY_DISABLE

    disable = [p for p in SENTENCE_ONLY_DISABLE if p in nlp.pipe_names]
    if "tok2vec" in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", None)
        if listeners is not None and all(name in disable for name in listeners):
            disable.append("tok2vec")
    return disable


# A light sentence splitter: an end mark (with any closing quote or bracket) before space and
# what can open a sentence, or a blank line. spaCy's statistical splitter is better on speech
# and run-on text; this one is for a page of edited copy, where punctuation is reliable and
# loading spaCy would be most of the work (`drift check`).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(\s+)(?=[\"'“‘(\[]*[A-Z0-9$€£])|(\n\s*\n)")


def split_sentences(text: str) -> list[str]:
    """Sentences of edited text by punctuation alone (see _SENTENCE_END); never empty strings."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        gap = match.start(1) if match.group(1) is not None else match.start(2)
        out.append(text[start:gap])
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _spacy_sentences(texts: list[str]) -> Iterator[list[str]]:
    from drift.nlp import load_pipeline

    nlp, _ = load_pipeline()
    for doc in nlp.pipe(texts, disable=sentence_disable(nlp), batch_size=64):
        yield [s.text.strip() for s in doc.sents if s.text.strip()]


def segment_documents(documents: Iterable[Document], stats: SegmentStats | None = None,
                      splitter: Callable[[str], list[str]] | None = None) -> Iterator[tuple[Document, list[Segment]]]:
    """Split every turn of every document into sentence Segments, batched through spaCy.

    `splitter` (e.g. `split_sentences`) replaces spaCy's sentence recogniser: one text in,
    its sentences out.
    """
    stats = stats if stats is not None else SegmentStats()
    for document in documents:
        # Each turn as one or more bounded pieces (long paragraphs cut, punctuation runs
        # shortened), so no input makes the tokenizer slow or spaCy refuse the text.
        owners: list[int] = []
        texts: list[str] = []
        for index, turn in enumerate(document.turns):
            for piece in spacy_pieces(tokenizable(turn.text)):
                owners.append(index)
                texts.append(piece)
        per_turn: list[list[str]] = [[] for _ in document.turns]
        split = (splitter(t) for t in texts) if splitter else _spacy_sentences(texts)
        for owner, sentences in zip(owners, split):
            per_turn[owner].extend(sentences)
        segments: list[Segment] = []
        position = 0
        heading: str | None = None  # the latest heading of the copy, for the sentences under it
        for turn, sentences in zip(document.turns, per_turn):
            sentences = [piece for s in sentences for piece in _split_long(s)]
            section = heading
            if turn.block == "heading":
                heading = " ".join(turn.text.split())[:MAX_SECTION_CHARS] or None
            for i, sentence in enumerate(sentences):
                stats.sentences += 1
                if is_filler(sentence) and not (turn.block is not None and is_figure_line(sentence)):
                    stats.fillers += 1
                    continue
                context = " ".join(sentences[max(0, i - 1) : i + 2])
                segments.append(
                    Segment(
                        text=sentence,
                        voice=turn.voice,
                        doc_id=document.doc_id,
                        source=document.source,
                        channel=document.channel,
                        month=document.month,
                        position=position,
                        locator=turn.locator,
                        speaker=turn.speaker,
                        context=context,
                        block=turn.block,
                        section=section,
                    )
                )
                position += 1
        yield document, segments
