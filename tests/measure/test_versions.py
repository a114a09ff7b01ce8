"""Which stored documents are versions of one page, and in what order."""

from __future__ import annotations

from datetime import date

from drift.measure.versions import group_pages, months_between, version_name


def test_dated_names_hashes_month_folders_and_old_copies_name_one_page():
    assert version_name("web/pricing-2022-08-26-58e316915e.ejs").page == "web/pricing"
    assert version_name("web/pricing-2022-08-26-58e316915e.ejs").date == date(2022, 8, 26)
    assert version_name("web/pricing-2022-08-26-58e316915e.ejs").revision == "58e316915e"
    assert version_name("web/pricing.ejs").page == "web/pricing" and version_name("web/pricing.ejs").date is None
    assert version_name("handbook/Sales/README_OLD.md").page == "handbook/sales"
    assert version_name("handbook/Sales/README_OLD.md").older_copy
    assert version_name("snapshots/2023-04/terms.md") .page == "snapshots/terms"
    assert version_name("snapshots/2023-04/terms.md").date == date(2023, 4, 1)
    # A page that moved into a folder of its own is the same page.
    assert version_name("handbook/growth-2022-05-09.md").page == version_name("handbook/growth/README.md").page
    # A date at the start of a name is a post or a call of that day, not a version.
    assert version_name("blog/2024-05-01-launch.md").date is None
    assert version_name("notes/sales.rituals.yml").page == "notes/sales.rituals"


def row(doc_id, path, when=None, channel="web", side="marketing"):
    return {"doc_id": doc_id, "path": path, "date": when, "channel": channel, "side": side}


def test_pages_order_versions_and_date_the_current_one():
    docs = [
        row("c", "web/pricing.html", date(2021, 1, 5)),  # first published then: not this version's date
        row("b", "web/pricing-2023-02-06.html", date(2023, 2, 6)),
        row("a", "web/pricing-2021-04-02-2314def1a1.html", date(2021, 4, 2)),
        row("x", "web/about.html"),
        row("m", "calls/2023-02-06.vtt", channel="call", side="sales"),
        row("n", "calls/2023-03-06.vtt", channel="call", side="sales"),
    ]
    (page,) = group_pages(docs)
    assert page.key == "web/pricing"
    assert [v.doc_id for v in page.versions] == ["a", "b", "c"]
    assert page.versions[-1].date is None and page.versions[-1].dated_by == "current"
    # A current version dated after every snapshot keeps its own date.
    docs[0] = row("c", "web/pricing.html", date(2024, 9, 1))
    (page,) = group_pages(docs)
    assert page.versions[-1].date == date(2024, 9, 1) and page.versions[-1].dated_by == "own date"


def test_an_older_copy_goes_first():
    docs = [row("h", "sales/README.md", side="sales", channel="doc"),
            row("o", "sales/README_OLD.md", side="sales", channel="doc"),
            row("d", "sales/README-2023-11-06-c3e81c127b.md", side="sales", channel="doc")]
    (page,) = group_pages(docs)
    assert [v.doc_id for v in page.versions] == ["o", "d", "h"]
    assert page.versions[0].dated_by == "older copy"


def test_months_between():
    assert months_between("2026-07", "2026-09") == 2
    assert months_between("2021-04-02", "2024-09-04") == 41
