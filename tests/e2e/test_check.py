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
    # Markdown escapes the angle brackets of the name ("\<stdin\>" or "&lt;stdin&gt;" render as <stdin>).
    assert ("\\<stdin\\>" in result.stdout or "&lt;stdin&gt;" in result.stdout) and "| error |" in result.stdout
    assert "<stdin>" not in result.stdout.replace("\\<stdin\\>", "")


def test_input_errors_exit_2(demo_run, tmp_path):
    assert check(demo_run, str(tmp_path / "nope.md")).returncode == 2
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"\x00\xff\x00\xfe" * 100)
    assert check(demo_run, str(junk)).returncode == 2
    no_store = run_cli("check", str(AGREES), "--store", str(tmp_path / "none.duckdb"))
    assert no_store.returncode == 2 and "no store" in no_store.stderr
    assert run_cli("check").returncode == 2


def test_field_index_parts_are_computed_when_a_page_needs_them_then_cached(demo_run, tmp_path, monkeypatch):
    """On a store nobody warmed, a check computes only the concepts its page names, the reps' definitions only
    when the page defines a term, and caches each; a changed store computes them again."""
    import shutil
    from collections import Counter

    from drift import check as check_module
    from drift.config import load_config
    from drift.embed import Encoder
    from drift.store import Store

    config = load_config(DEMO / "drift.toml")
    model = Encoder().info.key
    copy = tmp_path / "store.duckdb"
    shutil.copy(demo_run["store"], copy)
    calls: Counter = Counter()
    asked: list[set[str]] = []
    facets: list[str] = []
    for name in ("field_facts", "named_rows", "rep_definitions"):
        real = getattr(check_module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            if _name == "named_rows":
                asked.append({c.name for c in args[1]})
            if _name == "field_facts":
                facets.extend(args[2])
            return _real(*args, **kwargs)

        monkeypatch.setattr(check_module, name, counted)
    with Store(copy) as store:
        store.con.execute("DELETE FROM meta WHERE key = 'check.field_index'")  # as if no ingest had warmed it
        assert check_module.check_files([AGREES], store, config, Encoder()).passed  # names pricing, defines nothing
        assert (tmp_path / "store.duckdb.field").is_dir()  # the field's sidecar, written beside the store
        assert calls["named_rows"] == 1 and "rep_definitions" not in calls
        assert "pricing" in asked[0] and asked[0] < {c.name for c in config.concepts}
        check_module.check_files([AGREES], store, config, Encoder())
        assert calls["named_rows"] == 1 and "rep_definitions" not in calls  # read back
        defined = check_module.check_files([REDEFINES], store, config, Encoder())  # defines a qualified lead
        assert (calls["named_rows"], calls["rep_definitions"]) == (2, 1)
        assert "qualified lead" in asked[1] and "pricing" not in asked[1]  # only what was not cached yet
        assert any(a.rule == "drift.DefinitionConflict" for a in defined.alerts)
        diverges = check_module.check_files([DIVERGES], store, config, Encoder())
        assert any(a.rule == "drift.ConceptSense" for a in diverges.alerts)
        assert (calls["named_rows"], calls["rep_definitions"]) == (2, 1)
        assert len(facets) == len(set(facets))  # each ICP facet read once, when a page first mentions it
        before = calls["field_facts"]
        store.record_failure("sales/new-export.vtt", "abc123", "truncated")  # the store changes
        check_module.check_files([DIVERGES], store, config, Encoder())
        assert calls["field_facts"] == before + 1 and calls["named_rows"] == 3


def test_a_warmed_index_answers_every_page_without_computing(demo_run, tmp_path, monkeypatch):
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
        check_module.warm_field_index(store, config, model)  # what `drift ingest` does after writing
        field = check_module.load_field(store, model)
        assert check_module.field_index(store, field, config, model) == check_module.build_field_index(
            field, config, store.segment_table(model, with_vectors=False))
        for name in ("field_facts", "named_rows", "rep_definitions"):
            monkeypatch.setattr(check_module, name, lambda *a, **k: pytest.fail("recomputed"))
        assert check_module.check_files([AGREES], store, config, Encoder()).passed
        check_module.check_files([REDEFINES], store, config, Encoder())


def test_check_never_imports_torch_or_sklearn(demo_run):
    """The page is encoded in NumPy or ONNX Runtime; nothing on the check path needs torch, sklearn or scipy."""
    import subprocess
    import sys

    script = (
        "import sys, pathlib\n"
        "from drift.check import check_files\nfrom drift.config import load_config\n"
        "from drift.embed import Encoder\nfrom drift.store import Store\n"
        f"with Store(pathlib.Path({str(demo_run['store'])!r}), read_only=True) as store:\n"
        f"    check_files([pathlib.Path({str(DIVERGES)!r})], store, load_config(pathlib.Path({str(DEMO / 'drift.toml')!r})),"
        " Encoder(device='cpu'))\n"
        "print(sorted(m for m in ('torch', 'sklearn', 'scipy', 'sentence_transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


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
