"""Property: parse_file on any bytes, under any extension, raises nothing but IngestFailure.

Three kinds of input: random bytes, damaged copies of the real fixtures
(truncated, spliced, overwritten), and generated text shaped like each format
(Gong-like JSON with wrong types, cue files with odd timings, header blocks).
A failure must also not be `unexpected`, i.e. caught only by parse_file's
last-resort net: every bad input deserves its own message.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift.config import Config
from drift.ingest import IngestFailure, parse_file

from .conftest import FIXTURES, make_config

SUFFIXES = [".json", ".vtt", ".srt", ".txt", ".md", ".csv", ".eml", ".mbox", ".html", ".pdf", ".docx", ""]
SAMPLES = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".py")
# DRIFT_FUZZ_EXAMPLES=5000 for a deeper run than the default, kept fast for CI.
FUZZ = settings(
    max_examples=int(os.environ.get("DRIFT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_WORKDIR = Path(tempfile.mkdtemp(prefix="drift-ingest-fuzz-"))
_CONFIG: Config = make_config(_WORKDIR, ingest={"redact_pii": True})


def check(data: bytes, suffix: str) -> None:
    path = _WORKDIR / f"input{suffix}"
    path.write_bytes(data)
    try:
        docs = list(parse_file(path, _CONFIG))
    except IngestFailure as failure:
        assert failure.reason
        assert "\n" not in failure.reason, failure.reason  # one line in the summary, after the file's name
        assert not failure.unexpected, failure.reason
        return
    for doc in docs:
        assert doc.turns and all(turn.text.strip() for turn in doc.turns)
        assert all(turn.voice in ("marketing", "rep", "buyer", "unknown") for turn in doc.turns)


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(data: bytes, suffix: str) -> None:
    check(data, suffix)


@st.composite
def damaged_fixture(draw: st.DrawFn) -> tuple[bytes, str]:
    sample = draw(st.sampled_from(SAMPLES))
    data = bytearray(sample.read_bytes())
    at = draw(st.integers(0, len(data)))
    damage = draw(st.sampled_from(["truncate", "splice", "overwrite", "delete"]))
    if damage == "truncate":
        data = data[:at]
    elif damage == "splice":
        data[at:at] = draw(st.binary(min_size=1, max_size=64) | st.text(max_size=64).map(str.encode))
    elif damage == "overwrite":
        patch = draw(st.binary(min_size=1, max_size=32))
        data[at : at + len(patch)] = patch
    else:
        data[at : at + draw(st.integers(1, 200))] = b""
    return bytes(data), draw(st.sampled_from([sample.suffix, sample.suffix, ".txt"]))


@FUZZ
@given(case=damaged_fixture())
def test_damaged_fixtures(case: tuple[bytes, str]) -> None:
    check(*case)


_GONG_KEYS = [
    "calls",
    "callTranscripts",
    "metaData",
    "parties",
    "transcript",
    "sentences",
    "speakerId",
    "start",
    "text",
    "callId",
    "id",
    "started",
    "title",
    "affiliation",
    "name",
    "context",
    "objects",
    "fields",
    "objectType",
    "value",
    "emailAddress",
]
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_GONG_KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)


@FUZZ
@given(value=st.dictionaries(st.sampled_from(_GONG_KEYS), _json_values, min_size=1, max_size=4))
def test_gong_shaped_json(value: dict) -> None:
    check(json.dumps(value).encode(), ".json")


_names = st.sampled_from(
    [
        "Dana Whitfield",
        "Gary Pellman",
        "+1 330-555-0119",
        "dana",
        "So the thing is",
        "",
        "Tomás Reyes (Kestrel)",
    ]
)
_clock = st.from_regex(r"\A\d{1,3}:\d{1,3}(:\d{1,3})?([.,]\d{1,4})?\Z")


@st.composite
def cue_file(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["vtt", "srt", "otter", "text"]))
    lines = ["WEBVTT", ""] if kind == "vtt" else []
    for index in range(draw(st.integers(0, 6))):
        name, words = draw(_names), draw(st.text(max_size=40))
        if kind in ("vtt", "srt"):
            voice = draw(st.sampled_from([f"{name}: {words}", f"<v {name}>{words}</v>", words]))
            lines += [str(index + 1), f"{draw(_clock)} --> {draw(_clock)}", voice, ""]
        elif kind == "otter":
            lines += [f"{name}  {draw(_clock)}", words, ""]
        else:
            lines += [
                draw(st.sampled_from([f"{name}: {words}", f"**{name}:** {words}", f"Participants: {words}"]))
            ]
    suffix = {"vtt": ".vtt", "srt": ".srt", "otter": ".txt", "text": ".md"}[kind]
    return "\n".join(lines).encode(), suffix


@FUZZ
@given(case=cue_file())
def test_cue_shaped_text(case: tuple[bytes, str]) -> None:
    check(*case)


@FUZZ
@given(
    headers=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "From",
                    "To",
                    "Cc",
                    "Subject",
                    "Date",
                    "Message-ID",
                    "References",
                    "In-Reply-To",
                    "Content-Type",
                    "Content-Transfer-Encoding",
                    "List-Unsubscribe",
                ]
            ),
            st.text(max_size=40).map(lambda s: s.replace("\n", " ").replace("\r", " ")),
        ),
        min_size=1,
        max_size=8,
    ),
    body=st.text(max_size=300),
    mbox=st.booleans(),
)
def test_email_shaped_text(headers: list[tuple[str, str]], body: str, mbox: bool) -> None:
    text = "".join(f"{name}: {value}\n" for name, value in [("From", "a@b.com"), *headers]) + "\n" + body
    if mbox:
        text = "From a@b.com Mon Jul 20 09:12:44 2026\n" + text
    check(text.encode(), ".mbox" if mbox else ".eml")


# Hostile shapes at growing sizes: a failure is one line, and the work a parser does is
# bounded by the input (memory measured with tracemalloc: at most a fixed multiple of the
# file plus a constant, whatever the shape). A hang would stop the run; none may happen.
_HOSTILE = {
    "punctuation": lambda n: "(" * n,
    "brackets": lambda n: "[" * n + "]" * n,
    "emphasis": lambda n: "*_" * n,
    "nested_lists": lambda n: "- " * min(n, 3000) + "x",
    "alias_chain": lambda n: "---\n" + "\n".join(
        [f"a0: &a0 [{', '.join(['x'] * 9)}]"]
        + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 2 + n % 9)]) + "\n---\nBody text here.\n",
    "deep_html": lambda n: "<html><body>" + "<div>" * n + "x" + "</div>" * n + "</body></html>",
    "deep_json": lambda n: '{"callTranscripts": ' + "[" * n + "]" * n + "}",
    "filler_cue": lambda n: "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nBuyer Person: " + "mmhmm " * n + "x\n",
    "long_line": lambda n: "We plan the week. " * n,
    "front_matter_flow": lambda n: "---\ntitle: " + "[" * n + "\n---\nBody.\n",
}


@settings(max_examples=int(os.environ.get("DRIFT_FUZZ_EXAMPLES", "150")) // 6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(sorted(_HOSTILE)), size=st.integers(1, 12_000),
       suffix=st.sampled_from([".md", ".html", ".json", ".vtt", ".txt", ".eml"]))
def test_hostile_shapes_are_bounded(shape: str, size: int, suffix: str) -> None:
    import tracemalloc

    data = _HOSTILE[shape](size).encode()
    tracemalloc.start()
    try:
        check(data, suffix)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= 200 * len(data) + 64 * 2**20, (shape, size, peak)
