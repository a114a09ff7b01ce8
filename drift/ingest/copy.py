"""Marketing copy and other documents: markdown, HTML, plain text, PDF, Word.

Each heading, paragraph, list item or table row becomes one Turn, so a
heading stays a short claim of its own instead of running into the text
below it. Website and docs sources are read as they sit in a repository:
HTML templates (EJS, ERB, Nunjucks, Liquid, Handlebars) and Markdown dialects
(MDX, Kramdown, Hugo and Jekyll, admonitions) with their syntax blanked line
for line (markup.py). Locators: "line N" (the source line the block starts on)
for markdown, HTML and text, the section heading for Word, "page N" for PDF.
The author (front matter `author`, Word or PDF metadata) becomes the turns'
speaker so a sales-side document can be attributed by the roster.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pypdf
from docx.document import Document as WordDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pypdf import DocumentInformation
from selectolax.lexbor import LexborHTMLParser, LexborNode

from drift.config import Config
from drift.ingest.dates import date_from_path, parse_date
from drift.ingest.errors import IngestFailure
from drift.ingest.limits import check_docx_package, check_html_depth, front_matter
from drift.ingest.markup import LineLocator, normalise_markdown, strip_template_tags, toml_front_matter
from drift.ingest.textio import read_bytes, read_text
from drift.model import Document, Turn

# Elements that are site chrome or code, not copy. A <header> is kept (page
# heroes live in one) unless it holds the navigation.
DROPPED_TAGS = frozenset(
    "nav footer script style noscript svg form template iframe head button select textarea canvas "
    "object embed math".split()
)
DROPPED_SELECTORS = (
    "header:has(nav)",
    "[role=navigation]",
    "[role=contentinfo]",
    "[aria-hidden=true]",
    "[hidden]",
)
# Elements that end a run of text; everything else (a, strong, span ...) is inline.
BLOCK_TAGS = frozenset(
    "html body main article section aside header div p h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote "
    "pre figure figcaption table thead tbody tfoot tr td th caption details summary address hr center".split()
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
CELL_TAGS = frozenset({"td", "th"})


@dataclass(frozen=True)
class Block:
    text: str
    heading: bool = False
    line: int | None = None
    kind: str = "text"  # heading | item (list item) | row (table row) | text
    # HTML only: ids of the open elements from the root down to the block's own element,
    # so that fragments laid out side by side (a price card's "Basic", "$4", "/host/month")
    # can be told apart from blocks in the next card.
    chain: tuple[int, ...] | None = None


def _kind(open_blocks: list[str]) -> str:
    """The layout of the innermost open HTML block: heading, list item, table row or text."""
    if open_blocks and open_blocks[-1] in HEADING_TAGS:
        return "heading"
    if open_blocks and open_blocks[-1] == "tr":
        return "row"
    return "item" if "li" in open_blocks else "text"


def _squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- HTML


def html_blocks(root: LexborNode, keep_lines: bool = False) -> list[Block]:
    """Text blocks of an HTML tree in document order, split at block elements.

    Walks the tree with an explicit stack (deeply nested junk must not hit the
    recursion limit). Cells of a table row are joined into one block. With
    `keep_lines`, <br> stays a line break (emails need lines for signatures).
    """
    blocks: list[Block] = []
    buffer: list[str] = []
    open_blocks: list[str] = []
    open_ids: list[int] = []
    element_ids = itertools.count(1)
    stack: list[tuple[bool, LexborNode]] = [(False, root)]

    def flush() -> None:
        raw = "".join(buffer)
        buffer.clear()
        text = "\n".join(_squash(line) for line in raw.split("\n")).strip() if keep_lines else _squash(raw)
        if text:
            kind = _kind(open_blocks)
            blocks.append(Block(text, heading=kind == "heading", kind=kind, chain=tuple(open_ids)))
        elif keep_lines and ("\xa0" in raw or "\n" in raw):
            # Mail clients space paragraphs with <p>&nbsp;</p> or <div><br></div>;
            # those blank lines separate the signature from the message.
            blocks.append(Block(""))

    while stack:
        leaving, node = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in CELL_TAGS:
                buffer.append(" | ")
                continue
            flush()
            open_blocks.pop()
            open_ids.pop()
            continue
        if node.is_text_node:
            # Newlines in HTML source are just spaces; only <br> breaks a line.
            buffer.append((node.text_content or "").replace("\n", " "))
            continue
        if not node.is_element_node or tag in DROPPED_TAGS:
            continue
        if tag == "br":
            buffer.append("\n" if keep_lines else " ")
            continue
        if tag in BLOCK_TAGS and tag not in CELL_TAGS:
            flush()
            open_blocks.append(tag)
            open_ids.append(next(element_ids))
            stack.append((True, node))
        elif tag in CELL_TAGS:
            stack.append((True, node))
        stack.extend((False, child) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return [
        Block(_EMPTY_CELLS.sub(" | ", b.text).strip(" |"), b.heading, kind=b.kind, chain=b.chain)
        for b in blocks
        if b.text.strip(" |") or keep_lines
    ]


_EMPTY_CELLS = re.compile(r"(?: \| )(?:\s*\|\s)+")


def parse_html_tree(text: str) -> LexborHTMLParser:
    check_html_depth(text)
    tree = LexborHTMLParser(text)
    for selector in DROPPED_SELECTORS:
        for node in tree.css(selector):
            node.decompose()
    return tree


def _meta_content(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("datetime")
            if value and value.strip():
                return value.strip()
    return None


# Pricing cards and feature tiles split one statement into tiny sibling blocks ("Basic",
# "$4", "/host/month", "(USD, billed annually at $48)"). Alone, each is shorter than the
# three words below which the segmenter drops a sentence as filler (segment.MIN_WORDS),
# so the price would vanish. Such a run is read as one statement.
FRAGMENT_MAX_WORDS = 6
FILLER_WORDS = 3
FRAGMENT_RUN_MAX = 8
_SENTENCE_STOP = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_LETTER_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _too_short(block: Block) -> bool:
    return len(_LETTER_WORD.findall(block.text)) < FILLER_WORDS


def _fragment(block: Block) -> bool:
    """A piece of a statement: few words, no sentence end. A heading that could stand
    alone ("Why returns stall") is a section title, never a piece of its neighbours."""
    return (
        block.chain is not None
        and len(block.text.split()) <= FRAGMENT_MAX_WORDS
        and not _SENTENCE_STOP.search(block.text)
        and not (block.heading and not _too_short(block))
    )


def _close_by(a: Block, b: Block, per_parent: Counter[tuple[int, ...]]) -> bool:
    """Two blocks of one small layout unit: siblings, a block and its parent's own text
    ("$0" in an <h1> next to "/ host / month"), or blocks two levels below a common
    element of which one is alone in its parent (the cells of one grid row, a price in
    a column of its own beside the plan's name). Two full columns side by side (a
    card's price list and its feature list) stay apart."""
    assert a.chain is not None and b.chain is not None
    common = 0
    for x, y in zip(a.chain, b.chain):
        if x != y:
            break
        common += 1
    depths = (len(a.chain) - common, len(b.chain) - common)
    if max(depths) <= 1:
        return True
    if max(depths) > 2:
        return False
    return any(per_parent[block.chain[:-1]] == 1 for block, depth in ((a, depths[0]), (b, depths[1])) if depth == 2)


def _joined(run: list[Block]) -> Block:
    text = run[0].text
    for block in run[1:]:
        # "/host/month" continues the price before it; other pieces are separate facts.
        text += (" " if block.text.startswith("/") else " · ") + block.text
    kinds = {b.kind for b in run}
    return Block(text, kind=kinds.pop() if len(kinds) == 1 else "text", chain=run[0].chain)


def join_fragments(blocks: list[Block]) -> list[Block]:
    """Join runs of consecutive very short blocks in the same container into one block.

    Only a run holding at least one block too short to survive as a sentence is
    joined; a list of short but complete items ("Audit trail for every step") stays
    as it is. Runs are capped so a page of tiles does not become one blob.
    """
    out: list[Block] = []
    run: list[Block] = []
    per_parent = Counter(b.chain[:-1] for b in blocks if b.chain is not None)

    def close() -> None:
        if len(run) >= 2 and any(_too_short(b) for b in run):
            out.append(_joined(run))
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if run and not (
            _fragment(block) and _close_by(run[-1], block, per_parent) and len(run) < FRAGMENT_RUN_MAX
        ):
            close()
        if _fragment(block):
            run.append(block)
        else:
            out.append(block)
    close()
    return out


def _blank_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Front matter of a page template (Jekyll, Eleventy) read, and its lines blanked."""
    if not text.startswith("---\n"):
        return {}, text
    metadata, _, offset = split_front_matter(text)
    lines = text.split("\n")
    return metadata, "\n".join([""] * offset + lines[offset:])


def parse_html(path: Path, config: Config) -> Iterator[Document]:
    """An HTML page, or a page template as it sits in a website repository.

    Template tags (EJS, ERB, Nunjucks, Liquid, Handlebars) are blanked in place
    first, so every block's locator is the line of the source file it starts on.
    """
    metadata, source = _blank_front_matter(read_text(path))
    source = strip_template_tags(source)
    tree = parse_html_tree(source)
    title_node = tree.css_first("title")
    page_title = _squash(title_node.text()) if title_node is not None else ""
    if not page_title and metadata.get("title"):
        page_title = str(metadata["title"]).strip()
    author = _meta_content(tree, 'meta[name="author"]') or _author(metadata)
    when = parse_date(
        _meta_content(
            tree,
            'meta[name="date"]',
            'meta[property="article:published_time"]',
            'meta[name="dcterms.date"]',
            'meta[itemprop="datePublished"]',
            "time[datetime]",
        )
    ) or parse_date(metadata.get("date"))
    root = tree.body or tree.root
    blocks = html_blocks(root) if root is not None else []
    first_heading = next((b.text for b in blocks if b.heading), None)
    lines = LineLocator(source)
    turns, section = [], None
    for block in join_fragments(blocks):
        if block.heading:
            section = block.text
        line = lines.line_of(block.text)
        locator = f"line {line}" if line is not None else section
        turns.append(Turn(text=block.text, speaker=author, locator=locator, block=block.kind))
    fmt = "html" if path.suffix.lower() in (".html", ".htm", ".xhtml", "") else "html_template"
    yield _copy_document(path, fmt, turns, page_title or first_heading, when)


# ---------------------------------------------------------------- markdown and text


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, number of lines the front matter took)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    metadata, body = front_matter(text)  # size and YAML aliases capped (limits.py)
    start = text.find(body[:200]) if body else len(text)
    return metadata, body, text[: max(start, 0)].count("\n")


_MARKDOWN = MarkdownIt("commonmark").enable("table")
# MDX has no indented code blocks: text indented inside a component is prose.
_MDX = MarkdownIt("commonmark").enable("table").disable("code")


def _inline_text(token: Token) -> str:
    """Visible text of an inline token: links keep their words, images and raw HTML drop out."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return _squash("".join(parts))


def markdown_blocks(body: str, mdx: bool = False) -> list[Block]:
    blocks: list[Block] = []
    tokens = (_MDX if mdx else _MARKDOWN).parse(body)
    row: list[str] = []
    row_line: int | None = None
    heading = False
    list_depth = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "list_item_open":
            list_depth += 1
        elif token.type == "list_item_close":
            list_depth -= 1
        elif token.type == "tr_open":
            row, row_line = [], token.map[0] + 1 if token.map else None
        elif token.type == "tr_close" and any(row):
            blocks.append(Block(" | ".join(cell for cell in row if cell), line=row_line, kind="row"))
        elif token.type == "inline":
            text = _inline_text(token)
            if tokens[index - 1].type in ("td_open", "th_open"):
                row.append(text)
            elif text:
                kind = "heading" if heading else "item" if list_depth else "text"
                blocks.append(Block(text, heading=heading, line=token.map[0] + 1 if token.map else None, kind=kind))
        elif token.type == "html_block":
            # Raw HTML inside markdown (call-to-action boxes and the like).
            line = token.map[0] + 1 if token.map else None
            check_html_depth(token.content)
            fragment = LexborHTMLParser(token.content)
            root = fragment.body or fragment.root
            if root is not None:
                # Each block at the line it starts on inside the HTML, not the HTML's first line.
                lines = LineLocator(token.content)
                for b in html_blocks(root):
                    inner = lines.line_of(b.text) if line is not None else None
                    blocks.append(Block(b.text, b.heading, line + inner - 1 if inner and line else line, b.kind))
    return blocks


def _author(metadata: dict[str, Any]) -> str | None:
    author = metadata.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    return author.strip() or None if isinstance(author, str) else None


def parse_markdown(path: Path, config: Config) -> Iterator[Document]:
    """Markdown and its dialects (MDX, Kramdown, Hugo, Jekyll, admonitions); see markup.py."""
    toml_metadata, text = toml_front_matter(read_text(path))
    metadata, body, offset = split_front_matter(text)
    metadata = {**toml_metadata, **metadata}
    mdx = path.suffix.lower() == ".mdx"
    blocks = markdown_blocks(normalise_markdown(body, mdx=mdx), mdx=mdx)
    author = _author(metadata)
    turns = [
        Turn(text=b.text, speaker=author, locator=f"line {b.line + offset}" if b.line else None, block=b.kind)
        for b in blocks
    ]
    title = metadata.get("title")
    first_h1 = next((b.text for b in blocks if b.heading), None)
    yield _copy_document(
        path, "markdown", turns, str(title).strip() if title else first_h1, parse_date(metadata.get("date"))
    )


def parse_text(path: Path, config: Config) -> Iterator[Document]:
    """Paragraphs separated by blank lines; hard-wrapped lines are joined."""
    turns, lines, start = [], [], 0
    for number, line in enumerate([*read_text(path).split("\n"), ""], start=1):
        if line.strip():
            start = start or number
            lines.append(line.strip())
        elif lines:
            turns.append(Turn(text=" ".join(lines), locator=f"line {start}", block="text"))
            lines, start = [], 0
    yield _copy_document(path, "text", turns, None, None)


# ---------------------------------------------------------------- PDF

_SENTENCE_END = re.compile(r"[.!?:;,…\"”)]\s*$")


def pdf_paragraphs(page_text: str) -> list[str]:
    """Rebuild paragraphs from a page's extracted lines.

    PDF text comes back line by line, usually without the vertical gaps
    between paragraphs (pypdf's layout mode keeps them but interleaves
    multi-column pages, which is worse). A blank line ends a paragraph; a
    short line without closing punctuation that starts a paragraph is a
    heading of its own; other lines are joined, undoing hyphenation.
    """
    paragraphs, current = [], ""
    for raw in page_text.split("\n"):
        line = raw.strip()
        if not line:
            paragraphs.append(current)
            current = ""
        elif (
            len(line) <= 60
            and not _SENTENCE_END.search(line)
            and line[:1].isupper()
            and not current
            and not line.endswith("-")
        ):
            paragraphs.append(line)
        elif current.endswith("-") and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}".strip()
    paragraphs.append(current)
    return [_squash(p) for p in paragraphs if p.strip()]


def parse_pdf(path: Path, config: Config) -> Iterator[Document]:
    # pypdf raises many exception types on damaged files (its own errors,
    # ValueError, KeyError, struct and zlib errors), so any of them means
    # "not a readable PDF" here.
    try:
        reader = pypdf.PdfReader(io.BytesIO(read_bytes(path)))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestFailure("the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        title = metadata.title if metadata else None
        author = metadata.author if metadata else None
    except IngestFailure:
        raise
    except Exception as err:
        raise IngestFailure(f"not a readable PDF ({type(err).__name__}: {str(err)[:120]})") from None
    speaker = str(author).strip() or None if author else None
    turns = [
        Turn(text=paragraph, speaker=speaker, locator=f"page {number}")
        for number, text in enumerate(pages, start=1)
        for paragraph in pdf_paragraphs(text)
    ]
    yield _copy_document(
        path, "pdf", turns, str(title).strip() or None if title else None, _pdf_date(metadata)
    )


def _pdf_date(metadata: DocumentInformation | None) -> date | None:
    try:
        created = metadata.creation_date if metadata else None
    except ValueError:  # a malformed date string is no reason to drop the text
        return None
    return created.date() if created else None


# ---------------------------------------------------------------- Word


def _word_blocks(document: WordDocument) -> list[Block]:
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name if item.style is not None else "") or ""
            text = _squash(item.text)
            if text:
                heading = style.startswith(("Heading", "Title"))
                kind = "heading" if heading else "item" if style.startswith("List") else "text"
                blocks.append(Block(text, heading=heading, kind=kind))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(_squash(cell.text) for cell in row.cells))
                if any(cells):
                    blocks.append(Block(" | ".join(c for c in cells if c), kind="row"))
    return blocks


def parse_docx(path: Path, config: Config) -> Iterator[Document]:
    # python-docx raises zipfile, lxml, KeyError and its own errors on damaged
    # packages; all of them mean "not a readable Word document".
    data = read_bytes(path)
    check_docx_package(data)  # zip bombs and DTDs refused before python-docx unpacks anything
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _word_blocks(document)
        props = document.core_properties
        title, author = props.title, props.author
        # Word updates "modified" on every save; "created" may be the template's date.
        stamped = props.modified or props.created
    except zipfile.BadZipFile:
        raise IngestFailure("not a readable Word document (damaged ZIP package)") from None
    except Exception as err:
        raise IngestFailure(
            f"not a readable Word document ({type(err).__name__}: {str(err)[:120]})"
        ) from None
    speaker = author.strip() or None if author else None
    turns, section = [], None
    for block in blocks:
        if block.heading:
            section = block.text
        turns.append(Turn(text=block.text, speaker=speaker, locator=section, block=block.kind))
    first_heading = next((b.text for b in blocks if b.heading), None)
    when = date_from_path(path) or (stamped.date() if stamped else None)
    yield _copy_document(path, "docx", turns, (title or "").strip() or first_heading, when)


def _copy_document(path: Path, fmt: str, turns: list[Turn], title: str | None, when: date | None) -> Document:
    """A copy document; its channel becomes "doc" on the sales side (voices.final_channel)."""
    return Document(
        source=str(path),
        format=fmt,
        side=None,
        channel="web",
        turns=tuple(turns),
        date=when or date_from_path(path),
        title=title or None,
    )
