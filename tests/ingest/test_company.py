"""Knowing the company without being told, and `drift init --from` proposing a drift.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from email.message import EmailMessage
from pathlib import Path

import pytest

from drift.config import Config, load_config, parse_config
from drift.ingest import IngestFailure, discover, parse_file
from drift.ingest.company import infer_company, our_company, with_company
from drift.ingest.proposal import propose_config, render_proposal

from .conftest import FIXTURES

DEMO = Path(__file__).resolve().parents[2] / "corpora" / "demo"


def test_the_company_on_every_call_is_the_seller() -> None:
    guess = infer_company([FIXTURES / "callnotes"])
    assert guess.name == "Corvid Systems"
    assert guess.evidence == ["call notes (6 of 7)"]  # the seventh lists no companies at all


def test_site_titles_and_campaign_sender_name_the_company(tmp_path: Path) -> None:
    site = tmp_path / "marketing"
    site.mkdir()
    for page, title in [("index", "Harbor &amp; Pine | Returns without the paperwork"),
                        ("pricing", "Pricing | Harbor &amp; Pine"), ("about", "About us - Harbor & Pine")]:
        (site / f"{page}.html").write_text(
            f"<html><head><title>{title}</title></head><body><p>Returns, approved.</p></body></html>",
            encoding="utf-8",
        )
    mail = EmailMessage()
    mail["From"] = '"Harbor & Pine" <news@harborpine.io>'
    mail["To"] = "ops@bellweather-supply.com"
    mail["Subject"] = "Your September returns digest"
    mail.set_content("Three changes to the approvals screen this month.")
    (site / "digest.eml").write_bytes(bytes(mail))
    guess = infer_company([tmp_path])
    assert guess.name is not None and guess.name.replace("&amp;", "&") in ("Harbor & Pine",)
    assert guess.domains == ("harborpine.io",)
    assert any(e.startswith("page titles") for e in guess.evidence)


def test_nothing_to_go_on_means_no_guess(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Ideas\n\nSome thoughts about the quarter ahead.\n", encoding="utf-8")
    guess = infer_company([tmp_path])
    assert guess.name is None
    assert "could not be inferred" in guess.describe()
    assert with_company(Config(), guess) == Config()


def test_a_named_company_is_kept() -> None:
    config = Config(company_name="Acme Inc")
    guess = infer_company([FIXTURES / "callnotes"])
    assert our_company(config) == "Acme Inc" and with_company(config, guess).company_name == "Acme Inc"
    assert our_company(Config()) is None


def _voices(config: Config, hand: Config) -> dict[tuple[str, str, int], str]:
    out = {}
    for path in discover([DEMO], hand):
        try:
            for doc in parse_file(path, config):
                out.update({(str(path), doc.part, i): t.voice for i, t in enumerate(doc.turns)})
        except IngestFailure:
            continue
    return out


@pytest.mark.skipif(not (DEMO / "drift.toml").exists(), reason="demo corpus absent")
def test_proposal_resolves_the_demo_as_the_hand_written_config_does() -> None:
    hand = load_config(str(DEMO / "drift.toml"))
    proposal = propose_config([DEMO], entities=False)
    text = render_proposal(proposal, "corpora/demo")
    proposed = parse_config(tomllib.loads(text), source=str(DEMO / "drift.toml"))
    assert proposed.company_name == hand.company_name and proposed.company_domains == hand.company_domains
    roster = {voice: {name for name, v in proposed.people.items() if v == voice} for voice in ("marketing", "rep")}
    assert roster["marketing"] == {"Claire Donnelly", "Owen Tsai", "Rhea Malhotra"}
    assert roster["rep"] == {"Dana Whitfield", "Marcus Oyelaran", "Jill Kowalczyk", "Priya Raman", "Tomás Reyes",
                             "Ben Adair"}
    assert '"Dana Whitfield",  # 8 calls, 33 emails, header says Account Executive' in text
    assert (proposed.marketing_globs, proposed.sales_globs) == (("marketing/**",), ("sales/**",))
    by_hand = _voices(hand, hand)
    by_proposal = _voices(proposed.with_overrides(exclude_globs=hand.exclude_globs), hand)
    assert by_hand == by_proposal  # every turn of the demo gets the same voice


def test_init_from_writes_a_proposal_to_confirm(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    shutil.copytree(FIXTURES / "callnotes", exports / "sales" / "calls")
    result = subprocess.run([sys.executable, "-m", "drift", "init", "--from", str(exports)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "company Corvid Systems" in result.stdout
    config = load_config(str(exports / "drift.toml"))
    assert config.company_name == "Corvid Systems" and config.sales_globs == ("sales/**",)
    assert {"Maya Chen", "Sam Okafor", "Jordan Blake"} <= {n for n, v in config.people.items() if v == "rep"}
    again = subprocess.run([sys.executable, "-m", "drift", "init", "--from", str(exports)],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 2 and "exists" in again.stderr
