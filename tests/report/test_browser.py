"""The report as a person sees it: headless Chromium, offline, hostile text and all.

Skips with a clear message when no Chromium binary exists (`make browser` installs
Debian's `chromium`). Set DRIFT_SCREENSHOT_OUT=path.png to keep the screenshot.
"""

from __future__ import annotations

import os
import shutil
import struct

import pytest

from drift.report import write_report
from drift.report.browser import BrowserError, find_chromium, inspect_page

pytestmark = pytest.mark.browser

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary found (looked for $DRIFT_CHROMIUM, /usr/bin/chromium, chromium on PATH): "
           "install Debian's `chromium` (make browser) to run the report's browser test",
)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_report_in_headless_chromium(analysis, tmp_path):
    html = write_report(analysis, tmp_path / "report.html")
    shot = tmp_path / "report.png"
    try:
        page = inspect_page(html, shot, width=1280, timeout=20)
    except BrowserError as exc:  # a broken install is a failure, not a skip
        pytest.fail(f"chromium did not render the report: {exc}")

    assert page.console_errors == [], page.console_errors
    assert page.exceptions == [], page.exceptions
    assert page.dialogs == [], f"script from corpus text ran: {page.dialogs}"
    assert page.foreign_requests == [], f"the report fetched: {page.foreign_requests}"
    assert page.requests and page.requests[0] == page.url  # the file itself, nothing else

    dom = page.dom
    assert dom["scripts"] == 0
    assert dom["embeds"] == 0
    assert dom["handlers"] == [], dom["handlers"]
    assert dom["title"].startswith("Kestrel Labs: drift report")
    assert [h.split(" ", 1)[1].lstrip("0123456789 ") for h in dom["headings"] if h.startswith("H2")] == [
        "Summary", "Concepts", "Ideal customer profile", "Value claims", "Trend", "Language and topics",
        "Method and data"]
    assert not dom["horizontalOverflow"], f"page is {dom['width']} px wide at 1280"

    width, height = png_size(shot.read_bytes())
    assert width == 1280 and height == dom["height"] and height > 2000
    if os.environ.get("DRIFT_SCREENSHOT_OUT"):
        shutil.copyfile(shot, os.environ["DRIFT_SCREENSHOT_OUT"])


@needs_chromium
def test_report_fits_a_small_laptop_and_a_phone(analysis, tmp_path):
    html = write_report(analysis, tmp_path / "report.html")
    for width in (1024, 390):
        page = inspect_page(html, None, width=width, height=700, timeout=20)
        assert not page.dom["horizontalOverflow"], f"{page.dom['width']} px wide at {width}"
        assert page.console_errors == [] and page.foreign_requests == []
