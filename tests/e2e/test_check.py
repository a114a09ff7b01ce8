"""`drift check` against the demo store: pass, fail and error exits, every output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import DEMO, run_cli

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"
AGREES = FIXTURES / "agrees-with-the-field.md"
DIVERGES = FIXTURES / "repeats-a-planted-divergence.md"


def check(demo_run, *args, stdin=None):
    return run_cli("check", *args, "--store", str(demo_run["store"]), "--config", str(DEMO / "drift.toml"), stdin=stdin)


def test_copy_in_the_field_language_passes(demo_run):
    result = check(demo_run, str(AGREES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("PASS")


def test_copy_repeating_the_qualified_lead_divergence_fails(demo_run):
    result = check(demo_run, str(DIVERGES), "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    alerts = report["files"][str(DIVERGES)]["alerts"]
    errors = [a for a in alerts if a["severity"] == "error"]
    assert any(a["rule"] == "drift.ConceptSense" and "qualified lead" in a["message"] for a in errors)
    line = next(a["line"] for a in errors if "qualified lead" in a["message"])
    assert "qualified lead" in DIVERGES.read_text().splitlines()[line - 1].lower()
    # Every alert carries the field's own words as evidence.
    assert all(a["evidence"] for a in errors if a["rule"] == "drift.ConceptSense")
    assert any(a["rule"] == "drift.UnsupportedClaim" for a in alerts)
    assert any(a["rule"] == "drift.ICPMismatch" and "enterprise" in a["message"] for a in alerts)


def test_threshold_override_on_the_command_line(demo_run):
    strict = check(demo_run, str(AGREES), "--support-threshold", "0.99", "--max-unsupported-share", "0.1", "--format", "json")
    assert strict.returncode == 1
    assert not json.loads(strict.stdout)["passed"]


def test_github_annotations_point_at_file_and_line(demo_run):
    result = check(demo_run, str(DIVERGES), "--format", "github")
    lines = [l for l in result.stdout.splitlines() if l.startswith("::error")]
    assert lines and all(f"file={DIVERGES}".replace(":", "%3A") in l or f"file={DIVERGES}" in l for l in lines)
    assert all(",line=" in l and "::" in l[2:] for l in lines)


def test_stdin_and_markdown(demo_run):
    result = check(demo_run, "-", "--format", "md", stdin=DIVERGES.read_text())
    assert result.returncode == 1
    # Markdown escapes the angle brackets of the name: "&lt;stdin&gt;" renders as <stdin>.
    assert "&lt;stdin&gt;" in result.stdout and "| error |" in result.stdout


def test_input_errors_exit_2(demo_run, tmp_path):
    assert check(demo_run, str(tmp_path / "nope.md")).returncode == 2
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"\x00\xff\x00\xfe" * 100)
    assert check(demo_run, str(junk)).returncode == 2
    no_store = run_cli("check", str(AGREES), "--store", str(tmp_path / "none.duckdb"))
    assert no_store.returncode == 2 and "no store" in no_store.stderr
    assert run_cli("check").returncode == 2


def test_field_index_is_cached_per_store_state(demo_run, tmp_path, monkeypatch):
    """The costly field facts are computed once per store state; a changed store recomputes them."""
    import shutil

    from drift import check as check_module
    from drift.config import load_config
    from drift.embed import Encoder
    from drift.store import Store

    config = load_config(DEMO / "drift.toml")
    model = Encoder().info.key
    copy = tmp_path / "store.duckdb"
    shutil.copy(demo_run["store"], copy)
    with Store(copy) as store:
        field = check_module.load_field(store, model)
        fresh = check_module.build_field_index(field, config)
        assert fresh.named["qualified lead"][0] and fresh.mentions
        assert check_module.field_index(store, field, config, model) == fresh  # computed and saved
        monkeypatch.setattr(check_module, "build_field_index", lambda *a: pytest.fail("recomputed"))
        assert check_module.field_index(store, field, config, model) == fresh  # read back from the store
        assert check_module.check_files([AGREES], store, config, Encoder()).passed  # and check uses it
        store.record_failure("sales/new-export.vtt", "abc123", "truncated")  # the store changes
        recomputed = check_module.FieldIndex({}, {})
        monkeypatch.setattr(check_module, "build_field_index", lambda *a: recomputed)
        assert check_module.field_index(store, field, config, model) is recomputed


REDEFINES = FIXTURES / "redefines-a-qualified-lead.md"


def test_copy_that_redefines_a_qualified_lead_is_flagged_against_the_reps_definition(demo_run):
    result = check(demo_run, str(REDEFINES), "--format", "json")
    alerts = json.loads(result.stdout)["files"][str(REDEFINES)]["alerts"]
    conflicts = [a for a in alerts if a["rule"] == "drift.DefinitionConflict"]
    assert conflicts, alerts
    assert conflicts[0]["severity"] == "warning"
    assert "engagement alone" in conflicts[0]["message"] and "budget" in conflicts[0]["message"]
    line = REDEFINES.read_text().splitlines()[conflicts[0]["line"] - 1]
    assert line.startswith("A qualified lead is anyone who downloads")


def test_a_definition_against_the_agreed_one_in_the_config_fails_the_gate(demo_run, tmp_path):
    agreed = (
        '\n[[concepts]]\nname = "qualified lead"\nterms = ["qualified lead", "MQL", "SQL", "qualified opportunity"]\n'
        'definition = "A qualified lead has a confirmed budget, a decision maker who signs off, '
        'and a project with a date this quarter."\n'
    )
    strict = tmp_path / "drift.toml"
    strict.write_text((DEMO / "drift.toml").read_text() + agreed)
    result = run_cli("check", str(REDEFINES), "--store", str(demo_run["store"]), "--config", str(strict), "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    alerts = json.loads(result.stdout)["files"][str(REDEFINES)]["alerts"]
    assert any(a["rule"] == "drift.DefinitionConflict" and a["severity"] == "error" and "drift.toml" in a["message"]
               for a in alerts)
