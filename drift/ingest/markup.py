"""Markup that sits around the words in website and docs sources, removed line for line.

Website repositories keep pages as templates (EJS, ERB, Nunjucks, Liquid,
Handlebars) and docs sites as Markdown dialects (MDX, Kramdown, Hugo and
Jekyll shortcodes, admonitions). The words a reader sees are between the
tags, so the tags are blanked out and the rest goes through the ordinary
HTML or Markdown reader.

Every function here replaces what it removes with spaces and keeps every
newline, so line numbers in the result are the line numbers of the source:
a quote's "line N" points at the real line of the file.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# Template tags, first alternative that matches wins: comments before tags so a
# comment holding "}}" or "%>" is removed whole.
_TEMPLATE_TAG = re.compile(
    r"\{\{!--.*?--\}\}"  # Handlebars block comment
    r"|\{\{!.*?\}\}"  # Handlebars comment
    r"|\{#.*?#\}"  # Nunjucks / Jinja comment
    r"|\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}"  # Liquid comment block
    r"|<%.*?%>"  # EJS / ERB: <% %>, <%= %>, <%- %>, <%# %>, <%_ _%>
    r"|\{\{\{.*?\}\}\}"  # Handlebars unescaped output
    r"|\{\{.*?\}\}"  # output: Handlebars, Nunjucks, Liquid, Vue interpolation
    r"|\{%.*?%\}",  # statements: Nunjucks, Liquid, Jinja
    re.S,
)
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(match: re.Match[str]) -> str:
    """The matched text as spaces, newlines kept (for re.sub)."""
    return _NOT_NEWLINE.sub(" ", match.group())


def blank_text(text: str) -> str:
    return _NOT_NEWLINE.sub(" ", text)


def strip_template_tags(text: str) -> str:
    """An HTML template with its template tags blanked: the HTML and its words stay.

    Output tags (`<%= price %>`, `{{ plan.name }}`) are dropped too: the value
    they print is not in the file, and printing the expression would be code.
    """
    return _TEMPLATE_TAG.sub(blank, text)


# ---------------------------------------------------------------- front matter

_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\n(?P<body>.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)


def toml_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Hugo's `+++` TOML front matter read and blanked (lines kept), or ({}, text).

    A block that is not valid TOML is left alone: it is read as text, like
    any other odd first lines.
    """
    match = _TOML_FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        metadata = tomllib.loads(match.group("body"))
    except tomllib.TOMLDecodeError:
        return {}, text
    return metadata, blank_text(match.group()) + text[match.end() :]


# ---------------------------------------------------------------- Markdown dialects

_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
# Kramdown: block attribute lines "{: .lead}", "{:toc}", definitions "{:ref: #id}",
# extensions "{::options parse_block_html="true" /}" and inline IALs "text{: .note}".
_KRAMDOWN_COMMENT = re.compile(r"\{::comment\}.*?\{:/(?:comment)?\}", re.S)
_KRAMDOWN = re.compile(r"\{::?[^{}\n]*\}|\{:/\w*\}")
# Hugo shortcodes: {{< figure src="x" >}}, {{% notice %}} ... {{% /notice %}}.
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
# Python-Markdown / MkDocs admonitions: `!!! note "Title"`, collapsible `??? tip`, `???+ tip`.
_BANG_ADMONITION = re.compile(r'^(?P<marker>(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*)[ \t]*(?P<title>"[^"\n]*")?[ \t]*$')
# Docusaurus, VuePress, remark-directive: `:::tip Title`, `:::note[Title]`, closed by `:::`.
_COLON_ADMONITION = re.compile(r"^(?P<marker>[ \t]*:{3,}[ \t]*[\w-]*)(?P<title>.*)$")
# GitHub alerts: "> [!NOTE]".
_GITHUB_ALERT = re.compile(r"^(?P<quote>[ \t]*>[ \t]*)(?P<marker>\[![A-Za-z]+\])[ \t]*$")
# MDX: ESM lines, and JSX where a capital letter, a lower-case tag or a fragment opens it.
_ESM = re.compile(r"^(?:import|export)\b")
_JSX_START = re.compile(r"<(?:/?[A-Za-z][\w.:-]*|/?>)")


def _blank_span(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Inline code spans of one line (backtick runs of equal length)."""
    spans, i = [], 0
    while True:
        start = line.find("`", i)
        if start < 0:
            return spans
        run = len(line[start:]) - len(line[start:].lstrip("`"))
        close = line.find("`" * run, start + run)
        if close < 0:
            return spans
        spans.append((start, close + run))
        i = close + run


def _outside_code(text: str) -> list[bool]:
    """For each line: True when it is outside fenced code (code is left as it is)."""
    flags, fence = [], ""
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence:
            flags.append(False)
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
                fence = ""
        elif match:
            flags.append(False)
            fence = match.group("fence")
        else:
            flags.append(True)
    return flags


def _jsx_end(text: str, start: int) -> int:
    """End (exclusive) of the JSX tag opening at `start`: the first `>` outside quotes and braces."""
    depth, quote, i = 0, "", start + 1
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == ">" and depth == 0:
            return i + 1
        elif char == "\n" and text.startswith("\n\n", i):
            return -1  # a blank line ends any tag: this "<" was prose
        i += 1
    return -1


def _expression_end(text: str, start: int) -> int:
    """End (exclusive) of the `{...}` expression opening at `start`, braces balanced."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            if char == quote and text[i - 1] != "\\":
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _strip_mdx(text: str, outside: list[bool]) -> str:
    """ESM blocks, JSX tags and `{expressions}` blanked; the text between tags kept."""
    lines = text.split("\n")
    # ESM: an import/export line starts a block that runs to the next blank line (MDX's rule).
    in_esm = False
    for index, line in enumerate(lines):
        if not outside[index]:
            in_esm = False
            continue
        if in_esm or _ESM.match(line):
            in_esm = bool(line.strip())
            lines[index] = blank_text(line)
    text = "\n".join(lines)
    chars = list(text)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    code: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        if not outside[index]:
            code.append((starts[index], starts[index] + len(line)))
        else:
            code.extend((starts[index] + a, starts[index] + b) for a, b in _code_spans(line))
    code_starts = [a for a, _ in code]

    def in_code(position: int) -> bool:
        k = bisect_right(code_starts, position) - 1
        return k >= 0 and code[k][0] <= position < code[k][1]

    i = 0
    while i < len(text):
        char = text[i]
        if char == "<" and not in_code(i) and _JSX_START.match(text, i) and not text.startswith("<!--", i):
            end = _jsx_end(text, i)
            if end > 0:
                _blank_span(chars, i, end)
                i = end
                continue
        elif char == "{" and not in_code(i):
            end = _expression_end(text, i)
            if end > 0:
                _blank_span(chars, i, end)
                i = end
                continue
        i += 1
    cleaned = "".join(chars).split("\n")
    return "\n".join(_keep_indent(old, new) for old, new in zip(lines, cleaned, strict=True))


def _title_line(marker: str, title: str) -> str:
    """An admonition's marker line as a small heading holding its title (a heading ends a
    paragraph without a blank line, so the title stays a block of its own), else blank."""
    if not title:
        return " " * len(marker)
    indent = len(marker) - len(marker.lstrip())
    hashes = "#" * max(1, min(6, len(marker) - indent - 1))
    return " " * indent + hashes.ljust(len(marker) - indent) + " " + title


def _admonitions(lines: list[str], outside: list[bool]) -> list[str]:
    """Admonition markers blanked (a title kept as text) and their indented bodies dedented."""
    out, body = [], False
    for index, line in enumerate(lines):
        if not outside[index]:
            out.append(line)
            continue
        if body:
            if not line.strip():
                out.append(line)
                continue
            if line.startswith(("    ", "\t")):
                out.append(line[4:] if line.startswith("    ") else line[1:])
                continue
            body = False
        bang = _BANG_ADMONITION.match(line)
        colon = _COLON_ADMONITION.match(line) if line.lstrip().startswith(":::") else None
        alert = _GITHUB_ALERT.match(line)
        if bang:
            out.append(_title_line(bang.group("marker"), (bang.group("title") or "").strip('"')))
            body = True
        elif colon:
            out.append(_title_line(colon.group("marker"), colon.group("title").strip().strip("[]{}").strip()))
        elif alert:
            out.append(alert.group("quote") + " " * len(alert.group("marker")))
        else:
            out.append(line)
    return out


def normalise_markdown(text: str, mdx: bool = False) -> str:
    """Markdown with dialect syntax blanked, ready for a CommonMark parser, lines kept.

    Removed: Kramdown attribute lists and extensions, Hugo shortcodes and
    Liquid/Jekyll tags (their inner text kept), admonition markers (their body
    dedented so it is not read as an indented code block) and, for MDX, ESM
    import/export blocks, JSX tags (their text children kept) and
    `{expressions}`. Fenced code is left untouched.
    """
    outside = _outside_code(text)
    if mdx:
        text = _strip_mdx(text, outside)
    # Tags that may span lines are removed on the whole text, then fenced code restored.
    cleaned = _KRAMDOWN_COMMENT.sub(blank, text)
    cleaned = _SHORTCODE.sub(blank, cleaned)
    cleaned = strip_template_tags(cleaned)
    cleaned = _KRAMDOWN.sub(blank, cleaned)
    original, result = text.split("\n"), cleaned.split("\n")
    if len(result) != len(original):  # cannot happen (newlines are kept); be safe
        result = original
    merged = [
        _keep_indent(old, new) if outside[i] else old for i, (old, new) in enumerate(zip(original, result, strict=True))
    ]
    return "\n".join(_admonitions(merged, outside))


def _keep_indent(original: str, cleaned: str) -> str:
    """A line with a leading tag blanked keeps the indentation it had: the spaces left
    by "{{< tab >}}Text" must not turn "Text" into an indented code block."""
    if cleaned == original or not cleaned.strip():
        return cleaned
    return original[: len(original) - len(original.lstrip())] + cleaned.lstrip()


# ---------------------------------------------------------------- source lines of HTML blocks

_HTML_NOISE = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>|&(?:#\d+|#x[0-9a-f]+|\w+);", re.S | re.I
)
_WORDS = re.compile(r"\w+")
LOCATE_WORDS = 4


class LineLocator:
    """Finds the source line where each block of a page starts, in document order.

    The page's text is projected onto the source (tags, comments, scripts and
    entities blanked in place), then each block's first words are searched for
    after the previous block's match. A block whose words are not found (text
    the parser reordered) gets no line rather than a wrong one.
    """

    def __init__(self, source: str) -> None:
        self.text = _HTML_NOISE.sub(blank, source)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.cursor = 0

    def line_of(self, block_text: str) -> int | None:
        words = _WORDS.findall(block_text)[:LOCATE_WORDS]
        if not words:
            return None
        pattern = re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)")
        match = pattern.search(self.text, self.cursor)
        if match is None:
            return None
        self.cursor = match.end()
        return bisect_right(self.line_starts, match.start())
