"""Caps on the work one input can cause, each named in the failure it raises.

A few hundred bytes can ask a parser for gigabytes or for hours: a YAML alias bomb in front
matter (378 bytes expanded to 2.77 GB and a 312 MB title), a zip bomb dressed as a .docx
(1 MB peaked at 2.27 GB), 200,000 nested <div>s (the HTML parser is quadratic in depth).
Each check here runs before the costly parser and costs time linear in the input's size;
a file over a cap fails alone, with the cap's name and value in its reason.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from drift.ingest.errors import IngestFailure

# Front matter is a page's title, date and tags: a few hundred bytes in real sites.
MAX_FRONT_MATTER_BYTES = 64 * 1024
# Anchors and aliases are rare in front matter; each alias can multiply what the next one
# expands to, so a handful bounds the expansion (8 aliases: at most 18 times the text).
MAX_YAML_ALIASES = 8
# A Word package: its parts are read into memory whole, so the declared unpacked size (which
# zipfile also enforces while inflating) and the number of entries are both bounded.
MAX_DOCX_ENTRIES = 5_000
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024
# Real pages nest a few dozen elements deep; mail clients' quoted threads a few hundred.
MAX_HTML_DEPTH = 512

_XML_HEAD = 64 * 1024
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


class _AliasLimit(yaml.YAMLError):
    pass


class _SizeLimit(Exception):
    """Not a ValueError: python-frontmatter reads a ValueError from split() as "no front matter"."""


class BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader that refuses a document with more than MAX_YAML_ALIASES aliases.

    Aliases are counted while the document is composed, before anything is expanded, so an
    alias bomb fails after reading a handful of them instead of building its billion nodes.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise _AliasLimit(f"more than {MAX_YAML_ALIASES} YAML aliases")
        return super().compose_node(parent, index)


class _BoundedYAML(YAMLHandler):
    def split(self, text: str) -> tuple[str, str]:
        fm, content = super().split(text)
        if len(fm) > MAX_FRONT_MATTER_BYTES:
            raise _SizeLimit(len(fm))
        return fm, content

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=BoundedSafeLoader)  # noqa: S506 - a SafeLoader subclass


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) of a page that opens with YAML front matter, within the caps above.

    Raises IngestFailure naming the cap (size, aliases) or the YAML error.
    """
    try:
        post = frontmatter.loads(text, handler=_BoundedYAML())
    except _SizeLimit as size:
        raise IngestFailure(
            f"front matter of {size.args[0] // 1024:,} KB, over the {MAX_FRONT_MATTER_BYTES // 1024} KB "
            "limit (max front matter size)"
        ) from None
    except _AliasLimit:
        raise IngestFailure(
            f"front matter uses more than {MAX_YAML_ALIASES} YAML aliases (max YAML aliases): "
            "refused, as alias chains can expand without bound"
        ) from None
    except RecursionError:
        raise IngestFailure("front matter nested too deeply to read") from None
    except (yaml.YAMLError, ValueError) as err:
        raise IngestFailure(f"front matter is not valid YAML ({' '.join(str(err).split())[:120]})") from None
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    return metadata, post.content


def check_docx_package(data: bytes) -> None:
    """Refuse a .docx whose ZIP would unpack past the caps, or whose XML declares a DTD.

    Word never writes a DTD; entity declarations in one are how XML bombs expand
    (python-docx's parser does not resolve entities, this keeps it that way for any part).
    A damaged ZIP is left for python-docx to report.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with package:
        entries = package.infolist()
        if len(entries) > MAX_DOCX_ENTRIES:
            raise IngestFailure(
                f"a Word package of {len(entries):,} entries, over the {MAX_DOCX_ENTRIES:,} limit (max .docx entries)"
            )
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > MAX_DOCX_UNPACKED_BYTES:
            raise IngestFailure(
                f"a Word package that unpacks to {unpacked / 2**20:,.0f} MB, over the "
                f"{MAX_DOCX_UNPACKED_BYTES // 2**20} MB limit (max .docx unpacked size)"
            )
        xml_parts = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
        xml_bytes = sum(e.file_size for e in xml_parts)
        if xml_bytes > MAX_DOCX_XML_BYTES:
            raise IngestFailure(
                f"a Word package with {xml_bytes / 2**20:,.0f} MB of XML, over the "
                f"{MAX_DOCX_XML_BYTES // 2**20} MB limit (max .docx XML size)"
            )
        for entry in xml_parts:
            try:
                with package.open(entry) as part:
                    head = part.read(_XML_HEAD)
            except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError, NotImplementedError, EOFError):
                return  # damaged: python-docx reports it
            if _DTD.search(head):
                raise IngestFailure(f"a Word package whose {entry.filename} declares a DTD (refused: entity expansion)")


# Elements whose end tag may be left out, and void elements: neither deepens the tree the
# way an unclosed <div> does, so neither is counted.
_NOT_NESTING = frozenset(
    "p li dt dd tr td th option optgroup thead tbody tfoot colgroup caption rp rt head body html "
    "area base br col embed hr img input link meta param source track wbr".split()
)
# `[^<>]*` stops at the next "<", so a run of unterminated tags is scanned once, not once per tag.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>")


def html_depth(text: str, stop_at: int | None = None) -> int:
    """How deep elements nest in `text`, estimated from its tags in one linear pass."""
    depth = deepest = 0
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if name in _NOT_NESTING:
            continue
        if match.group(1):
            depth = max(depth - 1, 0)
        elif not match.group(3).rstrip().endswith("/"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    break
    return deepest


def check_html_depth(text: str) -> None:
    """Refuse HTML nested deeper than MAX_HTML_DEPTH before it is parsed (parse time grows
    with the square of the depth: 40,000 nested <div>s took 16 s)."""
    if "<" not in text:
        return
    depth = html_depth(text, stop_at=MAX_HTML_DEPTH)
    if depth > MAX_HTML_DEPTH:
        raise IngestFailure(
            f"HTML nested more than {MAX_HTML_DEPTH} elements deep (max HTML depth): refused before parsing"
        )
