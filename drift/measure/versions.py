"""Versions of a page: which stored documents are the same page at different dates.

Company writing is kept in versions. Three layouts are recognised from the path alone:

- a date, optionally followed by a commit-like hash, at the end of the file name:
  ``pricing-2022-08-26-58e316915e.ejs`` is the 2022-08-26 version of ``pricing.ejs``
  (this is also how ``drift ingest --history`` names the versions it reads from git);
- a folder per month or day: ``2023-04/pricing.md`` and ``2023-05/pricing.md``;
- an older copy kept beside the page: ``README_OLD.md`` next to ``README.md``.

A page that moved into a folder of its own keeps its identity: ``growth.md`` and
``growth/README.md`` (or ``index.md``) are the same page, as static site generators
publish them at the same address. The file without a date is the current version; it
is dated by its own date where the document has one newer than every dated version
(front matter ``updated``/``date``, a meta tag), else it is "current, after" the newest.

Only copy (web pages and internal documents) has versions: a call or an email named
with a date is one conversation, not a version of anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Iterable, Mapping

VERSIONED_CHANNELS = ("web", "doc")
# A trailing date (ISO, or year and month) in a file's stem, then an optional commit-like hash.
_DATED_STEM = re.compile(
    r"^(?P<stem>.*?[^\W_])[-_. ]+(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?"
    r"(?:[-_.](?P<rev>[0-9a-f]{6,40}))?\Z"
)
# A folder named only by a date: a snapshot per month or per day.
_DATE_FOLDER = re.compile(r"^(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?\Z")
# "README_OLD", "pricing.old", "terms-previous": an older copy kept beside the page.
_OLDER_COPY = re.compile(r"^(?P<stem>.*?[^\W_])[-_. ]+(?:old|older|previous|prev|archived?|bak|backup)\Z", re.I)
# A page published as its folder's address.
_FOLDER_PAGE = {"readme", "index", "_index", "default"}


@dataclass(frozen=True)
class VersionName:
    """What a path says about the version it holds."""

    page: str  # the page's key: the path without version date, extension or folder-page name
    date: date | None  # the date its name or folder gives
    revision: str | None = None  # a commit-like hash after the date
    older_copy: bool = False  # an undated copy kept as the old version ("README_OLD.md")

    @property
    def dated(self) -> bool:
        return self.date is not None


def _ymd(y: str, m: str, d: str | None) -> date | None:
    try:
        return date(int(y), int(m), int(d) if d else 1)
    except ValueError:
        return None


def version_name(path: str) -> VersionName:
    """The page a stored path is a version of, and the date its name gives.

    >>> version_name("site/pricing-2022-08-26-58e316915e.ejs")
    VersionName(page='site/pricing', date=datetime.date(2022, 8, 26), revision='58e316915e', older_copy=False)
    """
    posix = PurePosixPath(path.replace("\\", "/"))
    # An absolute path and the same path without its leading "/" name one page.
    folders = [part for part in posix.parent.parts if part not in ("/", ".")]
    stem = posix.stem
    when: date | None = None
    revision: str | None = None
    older = False
    dated = _DATED_STEM.match(stem)
    if dated:
        when = _ymd(dated["y"], dated["m"], dated["d"])
        if when is not None:
            stem, revision = dated["stem"], dated["rev"]
    else:
        copy = _OLDER_COPY.match(stem)
        if copy:
            stem, older = copy["stem"], True
    if when is None:
        # The nearest folder named only by a date is the snapshot's date; it is not part of the page.
        for i in range(len(folders) - 1, -1, -1):
            match = _DATE_FOLDER.match(folders[i])
            if match:
                when = _ymd(match["y"], match["m"], match["d"])
                if when is not None:
                    del folders[i]
                break
    parts = [*folders] if stem.lower() in _FOLDER_PAGE and folders else [*folders, stem]
    return VersionName(page="/".join(parts).lower(), date=when, revision=revision, older_copy=older)


@dataclass(frozen=True)
class Version:
    """One stored document as a version of a page."""

    doc_id: str
    source: str
    date: date | None  # None: the current version with no date of its own, or an undated older copy
    dated_by: str  # "file name", "folder", "own date", "current", "older copy"
    order: int  # position in the page's history, oldest first

    @property
    def label(self) -> str:
        return self.date.isoformat() if self.date else ("current" if self.dated_by == "current" else "undated")


@dataclass(frozen=True)
class Page:
    """A page with two or more versions, oldest first."""

    key: str
    side: str | None
    channel: str
    versions: tuple[Version, ...]

    @property
    def newest_dated(self) -> date | None:
        dates = [v.date for v in self.versions if v.date]
        return max(dates) if dates else None


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def group_pages(documents: Iterable[Mapping[str, object]], min_versions: int = 2) -> list[Page]:
    """Pages with `min_versions` versions or more, from document rows (doc_id, path, side,
    channel, date).

    Dated versions are ordered by date; an undated older copy ("README_OLD") goes first, as
    the oldest (a copy that repeats a dated version is dropped later, by its text); the
    current version (no date in its name) goes last. It keeps its own date
    (front matter, meta tag) only when that is newer than every dated version: an older
    date there is when the page was first published, not when this version was made.
    """
    groups: dict[tuple[str, str | None, str], list[tuple[VersionName, Mapping[str, object]]]] = {}
    for row in documents:
        channel = str(row.get("channel") or "")
        if channel not in VERSIONED_CHANNELS:
            continue
        name = version_name(str(row["path"]))
        groups.setdefault((name.page, row.get("side"), channel), []).append((name, row))  # type: ignore[arg-type]
    pages = []
    for (key, side, channel), members in sorted(groups.items(), key=lambda item: (item[0][0], str(item[0][1]), item[0][2])):
        if len(members) < min_versions:
            continue
        dated = sorted((m for m in members if m[0].dated), key=lambda m: (m[0].date, str(m[1]["path"])))
        older = sorted((m for m in members if m[0].older_copy), key=lambda m: str(m[1]["path"]))
        current = sorted((m for m in members if not m[0].dated and not m[0].older_copy), key=lambda m: str(m[1]["path"]))
        newest = dated[-1][0].date if dated else None
        versions: list[Version] = []
        for name, row in older:
            versions.append(Version(str(row["doc_id"]), str(row["path"]), None, "older copy", len(versions)))
        for name, row in dated:
            how = "file name" if _DATED_STEM.match(PurePosixPath(str(row["path"])).stem) else "folder"
            versions.append(Version(str(row["doc_id"]), str(row["path"]), name.date, how, len(versions)))
        for name, row in current:
            own = _as_date(row.get("date"))
            if own is not None and (newest is None or own > newest):
                versions.append(Version(str(row["doc_id"]), str(row["path"]), own, "own date", len(versions)))
            else:
                versions.append(Version(str(row["doc_id"]), str(row["path"]), None, "current", len(versions)))
        pages.append(Page(key, side, channel, tuple(versions)))  # type: ignore[arg-type]
    return pages


def month_index(month: str) -> int:
    """"2024-09" -> a month count, so that differences are months apart."""
    year, mon = month[:7].split("-")
    return int(year) * 12 + int(mon) - 1


def months_between(first: str, later: str) -> int:
    """Whole months from `first` to `later` ("YYYY-MM" or ISO dates)."""
    return month_index(later) - month_index(first)
