"""Open a report in headless Chromium and record what a reader's browser would do.

Standard library only: Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: commands on fd 3, replies on fd 4, NUL-separated JSON),
so no port is opened and no Python package is needed. Used by the report's
browser test and to take the README screenshot:

    python -m drift.report.browser reports/demo.html docs/report.png --max-height 2400
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)

# What the page itself reports after load: elements and attributes that could run code.
_DOM_PROBE = r"""
(() => {
  const handlers = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on')) handlers.push(el.tagName.toLowerCase() + '[' + name + ']');
      if ((name === 'href' || name === 'src' || name === 'xlink:href' || name === 'action' || name === 'formaction')
          && !value.startsWith('#')) handlers.push(el.tagName.toLowerCase() + '[' + name + '=' + value.slice(0, 60) + ']');
    }
  }
  return JSON.stringify({
    scripts: document.querySelectorAll('script').length,
    embeds: document.querySelectorAll('iframe, object, embed, img, link[rel~=stylesheet], base, form').length,
    handlers: handlers,
    title: document.title,
    headings: Array.from(document.querySelectorAll('h1, h2')).map(h => h.tagName + ' ' + h.textContent.trim()),
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
    horizontalOverflow: document.documentElement.scrollWidth > window.innerWidth,
  });
})()
"""


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


def find_chromium() -> str | None:
    """Path of a Chromium binary: $DRIFT_CHROMIUM (when set, only that one), else
    /usr/bin/chromium or one on PATH."""
    configured = os.environ.get("DRIFT_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageReport:
    url: str
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    dom: dict[str, Any] = field(default_factory=dict)
    screenshot: Path | None = None
    screenshot_size: tuple[int, int] | None = None

    @property
    def foreign_requests(self) -> list[str]:
        """Requests for anything but the report file itself."""
        return [u for u in self.requests if u.split("#", 1)[0] != self.url.split("#", 1)[0]]


class _Pipe:
    """DevTools protocol over Chromium's debugging pipe."""

    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int, on_event) -> None:
        self.proc, self.write_fd, self.read_fd, self.on_event = proc, write_fd, read_fd, on_event
        self.buffer = b""
        self.next_id = 0
        self.replies: dict[int, dict] = {}

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            written = os.write(self.write_fd, data)
            data = data[written:]
        return self.next_id

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 20.0) -> dict:
        msg_id = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while msg_id not in self.replies:
            if time.monotonic() > deadline:
                raise BrowserError(f"no answer to {method} within {timeout:.0f} s")
            self.pump(min(0.5, max(0.01, deadline - time.monotonic())))
        reply = self.replies.pop(msg_id)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message', reply['error'])}")
        return reply.get("result", {})

    def pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.read_fd], [], [], timeout)
        if not ready:
            if self.proc.poll() is not None:
                raise BrowserError(f"chromium exited with status {self.proc.returncode}")
            return
        chunk = os.read(self.read_fd, 1 << 20)
        if not chunk:
            raise BrowserError("chromium closed the debugging pipe")
        self.buffer += chunk
        while b"\0" in self.buffer:
            raw, self.buffer = self.buffer.split(b"\0", 1)
            message = json.loads(raw)
            if "id" in message:
                self.replies[message["id"]] = message
            else:
                self.on_event(message)

    def wait_for(self, predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self.pump(min(0.25, remaining))
        return True


def _launch(executable: str, profile: str) -> tuple[subprocess.Popen, int, int]:
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def child_fds() -> None:  # runs in the child between fork and exec
        a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.dup2(a, 3)  # dup2 clears close-on-exec: fds 3 and 4 survive into chromium
        os.dup2(b, 4)

    log = open(os.path.join(profile, "chromium.log"), "wb")
    try:
        proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            preexec_fn=child_fds, close_fds=False,
        )
    finally:
        log.close()
        os.close(to_chrome_r)
        os.close(from_chrome_w)
    return proc, to_chrome_w, from_chrome_r


def inspect_page(path: str | Path, screenshot: str | Path | None = None, width: int = 1280,
                 height: int = 800, max_height: int | None = None, timeout: float = 25.0,
                 executable: str | None = None, media: str | None = None, top: int = 0) -> PageReport:
    """Load a local HTML file, record console errors, requests and dialogs, probe the DOM,
    and optionally save a PNG screenshot of the whole page (or `max_height` px of it from `top`)."""
    executable = executable or find_chromium()
    if not executable:
        raise BrowserError("no chromium binary found (install Debian's `chromium` or set DRIFT_CHROMIUM)")
    url = Path(path).resolve().as_uri()
    report = PageReport(url=url)
    loaded = {"done": False}
    pipe_ref: dict[str, _Pipe] = {}

    def on_event(message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            texts = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
            report.console_errors.append(" ".join(texts))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            report.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            report.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Network.requestWillBeSent":
            report.requests.append(params.get("request", {}).get("url", ""))
        elif method == "Page.javascriptDialogOpening":
            report.dialogs.append(f"{params.get('type')}: {params.get('message')}")
            pipe_ref["pipe"].send("Page.handleJavaScriptDialog", {"accept": False},
                                  message.get("sessionId"))
        elif method == "Page.loadEventFired":
            loaded["done"] = True

    with tempfile.TemporaryDirectory(prefix="drift-chromium-") as profile:
        proc, write_fd, read_fd = _launch(executable, profile)
        pipe = _Pipe(proc, write_fd, read_fd, on_event)
        pipe_ref["pipe"] = pipe
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"}, timeout=timeout)
            session = pipe.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                                timeout=timeout)["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                pipe.call(f"{domain}.enable", {}, session)
            pipe.call("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
            if media:
                pipe.call("Emulation.setEmulatedMedia", {"media": media}, session)
            pipe.call("Page.navigate", {"url": url}, session, timeout=timeout)
            if not pipe.wait_for(lambda: loaded["done"], timeout):
                raise BrowserError(f"{url} did not finish loading within {timeout:.0f} s")
            pipe.wait_for(lambda: False, 0.3)  # let late console or network events arrive
            probe = pipe.call("Runtime.evaluate", {"expression": _DOM_PROBE, "returnByValue": True}, session)
            report.dom = json.loads(probe["result"]["value"])
            if screenshot is not None:
                metrics = pipe.call("Page.getLayoutMetrics", {}, session)
                size = metrics.get("cssContentSize") or metrics["contentSize"]
                full = int(size["height"] + 0.999)
                top = max(0, min(top, full - 1))
                shot_h = min(full - top, max_height) if max_height else full - top
                shot = pipe.call("Page.captureScreenshot", {
                    "format": "png", "captureBeyondViewport": True, "fromSurface": True,
                    "clip": {"x": 0, "y": top, "width": width, "height": shot_h, "scale": 1},
                }, session, timeout=timeout)
                out = Path(screenshot)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(base64.b64decode(shot["data"]))
                report.screenshot, report.screenshot_size = out, (width, shot_h)
            pipe.wait_for(lambda: False, 0.1)
            try:
                pipe.call("Browser.close", {}, timeout=5)
            except BrowserError:
                pass
        finally:
            for fd in (write_fd, read_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshot a drift report and check it loads cleanly.")
    parser.add_argument("html", help="the report's HTML file")
    parser.add_argument("png", nargs="?", help="where to write the screenshot")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--max-height", type=int, default=None, help="crop the screenshot to this many px")
    args = parser.parse_args(argv)
    try:
        report = inspect_page(args.html, args.png, width=args.width, max_height=args.max_height)
    except BrowserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problems = report.console_errors + report.exceptions + report.dialogs + report.foreign_requests
    print(json.dumps({"url": report.url, "console_errors": report.console_errors, "exceptions": report.exceptions,
                      "dialogs": report.dialogs, "foreign_requests": report.foreign_requests,
                      "screenshot": str(report.screenshot) if report.screenshot else None,
                      "size": report.screenshot_size}, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
