"""Score `drift report` against the answer keys of real corpora nobody here wrote.

For every corpus in ../shared/corpora with an ANSWERS.md, the product's own CLI writes the
JSON report (the same code path a user runs, imported, not a copy). Then, as the answer
keys define it:

- an *item* is one of the top 10 findings, or one entry of any report section that carries
  quotes; its text is everything a reader sees in it: title, summary, labels and the quotes
  with their source paths and locators;
- a *truth* is found when all its regexes (Python, case-insensitive) match one item;
- a *must-not* is violated when all its regexes match one top-10 finding.

For each corpus it prints the truths found and missed, the violations, and the top 10
findings one line each (kind, title, the files of the two best quotes) so a person can judge
precision by reading them.

    python benchmarks/real_corpora.py                 # every corpus, stores cached in reports/bench/
    python benchmarks/real_corpora.py --corpus shuffle --fresh
    python benchmarks/real_corpora.py --json reports/bench/real_corpora.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPORA = REPO.parent / "shared" / "corpora"
TOP = 10
# Section keys of the JSON report that are not lists of entries a reader sees.
NOT_SECTIONS = {"run", "corpus", "findings", "alignment", "previous_alignment", "notes", "schema_version"}


@dataclass
class Rule:
    id: str
    what: str
    patterns: list[re.Pattern]
    kind: str = ""

    def matches(self, text: str) -> bool:
        return all(p.search(text) for p in self.patterns)


@dataclass
class AnswerKey:
    truths: list[Rule]
    must_nots: list[Rule]


@dataclass
class Item:
    where: str  # "finding 3" or "definitions[2]"
    text: str


@dataclass
class CorpusScore:
    name: str
    found: dict[str, str] = field(default_factory=dict)  # truth id -> where
    missed: list[str] = field(default_factory=list)
    violations: dict[str, str] = field(default_factory=dict)  # must-not id -> finding
    top: list[str] = field(default_factory=list)
    seconds: float = 0.0
    items: int = 0


def load_answer_key(path: Path) -> AnswerKey:
    """The fenced TOML block of an ANSWERS.md: [[truth]] and [[must_not]] tables."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    if not blocks:
        raise ValueError(f"{path}: no ```toml block")
    data = tomllib.loads(blocks[-1])

    def rules(tables: list[dict]) -> list[Rule]:
        return [Rule(t["id"], t.get("what", ""), [re.compile(p, re.I) for p in t["patterns"]], t.get("kind", ""))
                for t in tables]

    return AnswerKey(rules(data.get("truth", [])), rules(data.get("must_not", [])))


def _strings(value: Any) -> Iterator[str]:
    """Every string a reader sees in an entry, quotes with their source and locator."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _has_quote(value: Any) -> bool:
    if isinstance(value, dict):
        if isinstance(value.get("text"), str) and "source" in value:
            return True
        return any(_has_quote(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_quote(v) for v in value)
    return False


def report_items(report: dict) -> tuple[list[Item], list[Item]]:
    """(top findings, every item): the top findings, then each quoted entry of every section."""
    top = [Item(f"finding {i + 1}", "\n".join(_strings(f))) for i, f in enumerate(report.get("findings", [])[:TOP])]
    items = list(top)
    for key, section in report.items():
        if key in NOT_SECTIONS:
            continue
        # A section is a list of entries, or entries per voice (distinctive language).
        groups = {key: section} if isinstance(section, list) else \
            {f"{key}.{k}": v for k, v in section.items() if isinstance(v, list)} if isinstance(section, dict) else {}
        for name, entries in groups.items():
            for i, entry in enumerate(entries):
                if _has_quote(entry):
                    items.append(Item(f"{name}[{i}]", "\n".join(_strings(entry))))
    return top, items


def score(report: dict, key: AnswerKey, name: str) -> CorpusScore:
    top, items = report_items(report)
    result = CorpusScore(name, items=len(items))
    for truth in key.truths:
        hit = next((item.where for item in items if truth.matches(item.text)), None)
        if hit:
            result.found[truth.id] = hit
        else:
            result.missed.append(truth.id)
    for rule in key.must_nots:
        hit = next((item.where for item in top if rule.matches(item.text)), None)
        if hit:
            result.violations[rule.id] = hit
    for finding in report.get("findings", [])[:TOP]:
        files = []
        for quotes in (finding.get("quotes") or {}).values():
            for quote in quotes[:1]:
                files.append(Path(quote.get("source", "")).name + (f":{quote['locator']}" if quote.get("locator") else ""))
        result.top.append(f"[{finding.get('kind')}] {finding.get('title')}  <- {' | '.join(files[:2])}")
    return result


def run_report(corpus: Path, out_dir: Path, fresh: bool) -> dict:
    """The product's CLI, imported and run in this process: `drift report CORPUS --format json`."""
    from drift.cli import main

    store = out_dir / f"{corpus.name}.duckdb"
    output = out_dir / f"{corpus.name}.json"
    if fresh:
        for path in out_dir.glob(f"{corpus.name}.duckdb*"):
            path.unlink()
    args = ["report", str(corpus), "--store", str(store), "-o", str(output), "--format", "json", "--quiet"]
    try:
        main.main(args, prog_name="drift", standalone_mode=False)
    except SystemExit as done:
        if done.code not in (0, 1, None):  # 1: some file could not be read; the report is written
            raise RuntimeError(f"drift report {corpus} exited {done.code}") from None
    return json.loads(output.read_text(encoding="utf-8"))


def corpora(selected: list[str] | None) -> list[Path]:
    found = sorted(p for p in SHARED_CORPORA.glob("*") if (p / "ANSWERS.md").exists())
    if selected:
        found = [p for p in found if any(s in p.name for s in selected)]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", help="substring of a corpus folder name (repeatable)")
    parser.add_argument("--out", default=str(REPO / "reports" / "bench"), help="where stores and reports go")
    parser.add_argument("--fresh", action="store_true", help="rebuild the stores from scratch")
    parser.add_argument("--json", help="write the scores here as JSON")
    args = parser.parse_args(argv)
    targets = corpora(args.corpus)
    if not targets:
        print(f"no corpus with an ANSWERS.md under {SHARED_CORPORA}", file=sys.stderr)
        return 2
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    scores = []
    for corpus in targets:
        key = load_answer_key(corpus / "ANSWERS.md")
        started = time.perf_counter()
        report = run_report(corpus, out_dir, args.fresh)
        result = score(report, key, corpus.name)
        result.seconds = time.perf_counter() - started
        scores.append((result, key))
        print(f"\n== {corpus.name}: {len(result.found)}/{len(key.truths)} truths, "
              f"{len(result.violations)} must-not violations, {result.items} items, {result.seconds:.0f} s")
        for truth in key.truths:
            where = result.found.get(truth.id)
            print(f"  {'FOUND' if where else 'miss '} {truth.id:4} {truth.what[:90]}" + (f"  ({where})" if where else ""))
        for rule_id, where in result.violations.items():
            print(f"  VIOLATED {rule_id} in {where}")
        print("  top findings:")
        for i, line in enumerate(result.top, 1):
            print(f"   {i:2}. {line}")
    total = sum(len(s.found) for s, _ in scores)
    possible = sum(len(k.truths) for _, k in scores)
    violations = sum(len(s.violations) for s, _ in scores)
    print(f"\nTOTAL {total}/{possible} truths ({100 * total / max(1, possible):.0f}%), {violations} must-not violations")
    if args.json:
        Path(args.json).write_text(json.dumps([{
            "corpus": s.name, "found": s.found, "missed": s.missed, "violations": s.violations,
            "top": s.top, "seconds": round(s.seconds, 1), "items": s.items,
        } for s, _ in scores], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
