"""Documents -> sentences attributed to a voice.

Speech is full of turns that carry no meaning for messaging ("yeah", "can you
hear me?"). They are dropped here, counted, and never embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from drift.model import Document, Segment
from drift.nlp import SENTENCE_ONLY_DISABLE, load_pipeline

# Turns that are only greetings, back-channels or line checks.
_FILLER = re.compile(
    r"^(?:(?:uh+|um+|hmm+|mm+-?hmm+|yeah|yep|yup|yes|no|nope|ok(?:ay)?|right|sure|great|cool|"
    r"got it|gotcha|perfect|awesome|totally|exactly|absolutely|thanks|thank you|bye|hi|hello|hey|"
    r"sounds good|makes sense|for sure|oh|ah|wow|nice|good|alright|all right|"
    r"can you hear me|can you see my screen|you're on mute|sorry|go ahead|i see|"
    r"good morning|good afternoon|how are you|i'm good|not bad)"
    r"[\s,.!?…-]*)+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MIN_WORDS = 3
MAX_CHARS = 600  # a "sentence" longer than this is split text without punctuation


def is_filler(text: str) -> bool:
    """True for utterances too short or too phatic to say anything about messaging."""
    return bool(_FILLER.match(text.strip())) or len(_WORD.findall(text)) < MIN_WORDS


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
    disable = [p for p in SENTENCE_ONLY_DISABLE if p in nlp.pipe_names]
    if "tok2vec" in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", None)
        if listeners is not None and all(name in disable for name in listeners):
            disable.append("tok2vec")
    return disable


def segment_documents(documents: Iterable[Document], stats: SegmentStats | None = None) -> Iterator[tuple[Document, list[Segment]]]:
    """Split every turn of every document into sentence Segments, batched through spaCy."""
    nlp, _ = load_pipeline()
    disable = sentence_disable(nlp)
    stats = stats if stats is not None else SegmentStats()
    for document in documents:
        texts = [turn.text for turn in document.turns]
        segments: list[Segment] = []
        position = 0
        docs = nlp.pipe(texts, disable=disable, batch_size=64)
        for turn, doc in zip(document.turns, docs):
            sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
            sentences = [piece for s in sentences for piece in _split_long(s)]
            for i, sentence in enumerate(sentences):
                stats.sentences += 1
                if is_filler(sentence):
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
                    )
                )
                position += 1
        yield document, segments
