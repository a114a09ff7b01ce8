"""The `drift` command line: parse options, call the library, choose exit codes.

Exit codes: 0 success; 1 the run finished but something failed (a file could
not be ingested, or `check` found drift above threshold); 2 usage or input error.
"""

from __future__ import annotations

import json
from collections import Counter
import sys
from pathlib import Path

import click

from drift import __version__
from drift.config import CONFIG_NAME, Config, ConfigError, load_config
from drift.textsafe import printable

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class InputError(click.ClickException):
    """A problem with what the user gave us (model, store, files): exit code 2."""

    exit_code = EXIT_USAGE


def _config_for(config_path: str | None, paths: tuple[str, ...]) -> Config:
    try:
        return load_config(config_path, search_from=paths[0] if paths else Path.cwd())
    except ConfigError as err:
        raise click.UsageError(str(err)) from None


def _encoder(model: str | None, device: str | None):
    from drift.embed import Encoder, ModelError

    try:
        return Encoder(model, device=device)
    except ModelError as err:
        raise InputError(str(err)) from None


class _Progress:
    """A tqdm bar on stderr for files; quiet when stderr is not a terminal and --quiet."""

    def __init__(self, total: int | None, quiet: bool):
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="file", disable=quiet, file=sys.stderr, dynamic_ncols=True)
        self.encoded = 0

    def __call__(self, stage: str, n: int) -> None:
        if stage == "files":
            self.bar.update(n)
        elif stage == "encoded":
            self.encoded += n
            self.bar.set_postfix(encoded=self.encoded, refresh=False)

    def close(self) -> None:
        self.bar.close()


def _run_ingest(paths, store, config, encoder, side, quiet, batch_segments=None, executor="local",
                history=False, every_commit=False):
    from drift.executors import get_executor
    from drift.ingest import discover
    from drift.pipeline import BATCH_SEGMENTS

    if history:
        return _run_history(paths, store, config, encoder, side, quiet, batch_segments, every_commit)
    try:
        ingest = get_executor(executor)
    except ImportError as err:
        raise InputError(str(err)) from None
    total = sum(1 for _ in discover(paths, config))
    progress = _Progress(total, quiet)
    try:
        summary = ingest(paths, store, config, encoder, side=side, progress=progress,
                         batch_segments=batch_segments or BATCH_SEGMENTS)
    finally:
        progress.close()
    return _summarise(summary, store, config, encoder)


def _with_company(config: Config, paths, store, quiet: bool) -> Config:
    """The config, with the company inferred from the files when drift.toml names none.

    The guess and what it rested on are kept in the store (meta "company_inferred") so a
    later report, made from the store alone, uses and states the same company.
    """
    from dataclasses import asdict

    from drift.ingest.company import CompanyGuess, infer_company, our_company, with_company

    if our_company(config) is not None:
        return config
    if paths:
        guess = infer_company(paths, config)
        if not store.read_only:
            store.set_meta("company_inferred", json.dumps(asdict(guess)))
    else:
        saved = store.get_meta("company_inferred")
        guess = CompanyGuess(**json.loads(saved)) if saved else CompanyGuess()
        guess.domains = tuple(guess.domains)
    if guess.name and not quiet:
        click.echo(printable(guess.describe()), err=True)
    return with_company(config, guess)


def _run_history(paths, store, config, encoder, side, quiet, batch_segments, every_commit):
    """`ingest --history`: the committed versions of every file under PATHS, from git."""
    from drift.ingest.history import HistoryError
    from drift.pipeline import BATCH_SEGMENTS, IngestSummary, ingest_history

    summary = IngestSummary()
    progress = _Progress(None, quiet)
    try:
        for path in paths:
            part = ingest_history(path, store, config, encoder, side=side, progress=progress,
                                  every_commit=every_commit, batch_segments=batch_segments or BATCH_SEGMENTS)
            for name, value in vars(part).items():
                setattr(summary, name, getattr(summary, name) + value)
    except HistoryError as err:
        raise InputError(str(err)) from None
    finally:
        progress.close()
    return _summarise(summary, store, config, encoder, unit="versions")


def _summarise(summary, store, config, encoder, unit="files"):
    click.echo(
        f"{summary.seen} {unit}: {summary.ingested} ingested, {summary.unchanged} unchanged, "
        f"{len(summary.failed)} failed, {len(summary.skipped)} skipped, {len(summary.unassigned)} unassigned; "
        f"{summary.documents} documents, {summary.segments} segments, {summary.encoded} new embeddings "
        f"({summary.fillers} filler utterances skipped)",
        err=True,
    )
    # File names and reasons come from the input: escaped, so a name holding a newline or an
    # escape sequence can neither forge a line here nor drive the terminal.
    for error in summary.failed:
        click.echo(f"  failed {printable(error.source)}: {printable(error.reason)}", err=True)
    for error in summary.skipped:  # empty or not a type drift reads: not a failure
        click.echo(f"  skipped {printable(error.source)}: {printable(error.reason)}", err=True)
    for path in summary.unassigned:
        click.echo(f"  unassigned {printable(path)}: no side (use --side or [sides] in {CONFIG_NAME})", err=True)
    if summary.ingested:
        from drift.check import warm_field_index

        warm_field_index(store, config, encoder.info.key)  # so `drift check` on this store starts fast
    return summary


DEFAULT_WAIT_SECONDS = 10.0


def _remember_wait(ctx: click.Context, _param, value: float) -> float:
    ctx.meta["drift.wait"] = value
    return value


# Not passed to the command functions: read by _open_store from the click context.
wait_option = click.option(
    "--wait", type=click.FloatRange(min=0), default=DEFAULT_WAIT_SECONDS, show_default=True, expose_value=False,
    callback=_remember_wait, metavar="SECONDS",
    help="How long to wait for a store another drift process holds before giving up (exit 2).",
)


def _open_store(store_path: str | None, config: Config, *, read_only: bool = False, fallback_read_only: bool = False):
    """The store, or exit 2 with a sentence when it is busy (after --wait), damaged or read-only."""
    from drift.pipeline import default_store_path
    from drift.store import Store, StoreError

    path = Path(store_path) if store_path else default_store_path(config)
    ctx = click.get_current_context(silent=True)
    wait = ctx.meta.get("drift.wait", DEFAULT_WAIT_SECONDS) if ctx else DEFAULT_WAIT_SECONDS
    if ctx:
        ctx.meta["drift.store"] = path
    try:
        return Store(path, read_only=read_only, wait=wait, fallback_read_only=fallback_read_only,
                     on_wait=lambda message: click.echo(printable(message), err=True))
    except StoreError as err:
        raise InputError(printable(str(err))) from None


def _record_model(store, encoder) -> None:
    """Before an ingest: name the model's key in the store, and re-key vectors an older drift
    stored under the default model's name, so they are reused instead of encoded again."""
    info = encoder.info
    if info.legacy_key and store.has_embeddings(info.legacy_key):
        store.rekey_model(info.legacy_key, info.key)
    store.set_meta(f"model:{info.key}", info.describe())


def _store_model(store, encoder, *, adopt: bool = False) -> str:
    """The key the store holds this encoder's vectors under, or exit 2 when it holds none.

    A gate that cannot judge must say so: with no vectors for the model in use, `check` would
    compare the copy with nothing and pass. Stores written before keys were weights hashes
    hold the default model's vectors under its name; a writable store is re-keyed once.
    """
    info = encoder.info
    if adopt and not store.read_only:
        _record_model(store, encoder)
    if store.has_embeddings(info.key):
        return info.key
    if info.legacy_key and store.has_embeddings(info.legacy_key):
        return info.legacy_key
    counts = store.model_counts()
    if not counts:
        raise InputError(f"cannot judge: the store {store.path} holds no embeddings yet; "
                         "run `drift ingest` on your exports first")
    held = "; ".join(f"{store.get_meta(f'model:{key}') or repr(key)} ({n:,} texts)" for key, n in counts.items())
    raise InputError(printable(
        f"cannot judge: the store {store.path} has no embeddings for the model in use, {info.describe()}; "
        f"it holds embeddings for {held}. Re-ingest your exports with this model (`drift ingest <exports> "
        f"--model {info.name}`) or pass the store's model with --model"
    ))


common_options = [
    click.option("--config", "config_path", type=click.Path(dir_okay=False), help=f"Config file (default: nearest {CONFIG_NAME})."),
    click.option("--store", "store_path", type=click.Path(dir_okay=False), help="Store file (default: .drift/store.duckdb beside the config)."),
    click.option("--model", help="Embedding model: a local directory or an installed package (default: all-MiniLM-L6-v2; env DRIFT_MODEL)."),
    click.option("--device", help="Torch device for embeddings, e.g. cpu or cuda (default: cuda when available)."),
    click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
    wait_option,
]


def with_common(func):
    for option in reversed(common_options):
        func = option(func)
    return func


class _Group(click.Group):
    """Turns a store error raised mid-command into its sentence and exit 2, and makes `check`
    exit 2 on any error: its exit 1 means only "drift found"."""

    def invoke(self, ctx: click.Context):
        from drift.store import StoreError, damaged

        try:
            return super().invoke(ctx)
        except StoreError as err:
            raise InputError(printable(str(err))) from None
        except Exception as err:
            if isinstance(err, (click.ClickException, click.exceptions.Exit, click.exceptions.Abort)):
                raise
            if type(err).__module__.split(".")[0] == "duckdb" or "duckdb" in type(err).__module__:
                store = ctx.meta.get("drift.store", "the store")
                raise InputError(printable(str(damaged(Path(str(store)), str(err))))) from None
            if ctx.invoked_subcommand == "check":
                raise InputError(printable(f"check could not judge: {type(err).__name__}: {err}")) from None
            raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drift")
def main() -> None:
    """Measure where marketing, sales reps and buyers stop meaning the same thing.

    \b
    Typical use:
      drift init                         write a commented drift.toml
      drift ingest exports/              add new and changed files to the store
      drift report exports/ -o r.html    ingest, measure and write the report
      drift check new-campaign.md        gate new copy against the store
      drift doctor                       show models, versions and the store
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--side", type=click.Choice(["marketing", "sales"]), help="Side for every file given (overrides the config).")
@click.option("--batch-segments", type=int, default=None, hidden=True, help="Segments per transaction (tests).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where parsing and embedding run: this process, or a Ray cluster (RAY_ADDRESS, else a local Ray).")
@click.option("--history", is_flag=True,
              help="Read every committed version of the files under PATHS (folders in a git checkout), "
                   "first-parent, each version dated by its commit.")
@click.option("--every-commit", is_flag=True, help="With --history: every commit's version, not the last of each month.")
@with_common
def ingest(paths, side, batch_segments, executor, history, every_commit, config_path, store_path, model, device,
           quiet) -> None:
    """Add new and changed files under PATHS to the store.

    Unchanged files are skipped; only sentences the store has not seen are embedded.
    With --history, the versions of each file in git's history are added instead, one per
    month by default, named `<name>-<commit date>-<commit><ext>` beside the file.
    Exits 1 when any file could not be read (the others are still ingested).
    """
    if every_commit and not history:
        raise click.UsageError("--every-commit needs --history")
    config = _config_for(config_path, paths)
    encoder = _encoder(model, device)
    with _open_store(store_path, config) as store:
        _record_model(store, encoder)
        config = _with_company(config, paths, store, quiet)
        summary = _run_ingest(paths, store, config, encoder, side, quiet, batch_segments, executor,
                              history=history, every_commit=every_commit)
    sys.exit(EXIT_OK if summary.ok else EXIT_FAILED)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default: reports/drift.<format>).")
@click.option("--format", "fmt", type=click.Choice(["html", "json", "md"]), default="html", show_default=True)
@click.option("--since", metavar="YYYY-MM", help="First month to include.")
@click.option("--until", metavar="YYYY-MM", help="Last month to include.")
@click.option("--side", type=click.Choice(["marketing", "sales"]), help="Side for every file given.")
@with_common
def report(paths, output, fmt, since, until, side, config_path, store_path, model, device, quiet) -> None:
    """Ingest PATHS (if given), measure the store and write the report.

    Without PATHS the report is made from what the store already holds.
    """
    from drift.measure.analyse import analyse
    from drift.report import write_report

    config = _config_for(config_path, paths)
    encoder = _encoder(model, device)
    output = Path(output or f"reports/drift.{fmt}")
    # Without PATHS nothing is written but the report's bookkeeping: a read-only store will do.
    with _open_store(store_path, config, fallback_read_only=not paths) as store:
        if paths:
            _record_model(store, encoder)
        config = _with_company(config, paths, store, quiet)
        summary = _run_ingest(paths, store, config, encoder, side, quiet) if paths else None
        _store_model(store, encoder, adopt=not paths)  # exit 2, no report, when it cannot judge
        previous = store.get_meta("last_alignment")
        say = (lambda msg: None) if quiet else (lambda msg: click.echo(f"  {msg}", err=True))
        analysis = analyse(store, config, encoder, since=since, until=until,
                           previous_alignment=json.loads(previous) if previous else None, progress=say)
        if summary is not None:
            analysis.corpus.fillers_dropped = summary.fillers
        if not store.read_only:
            store.set_meta("last_alignment", json.dumps(analysis.alignment))
    output.parent.mkdir(parents=True, exist_ok=True)
    write_report(analysis, output, fmt)
    click.echo(f"wrote {output} ({len(analysis.findings)} findings)", err=True)
    sys.exit(EXIT_OK if summary is None or summary.ok else EXIT_FAILED)


@main.command()
@click.option("--model", help="Embedding model to check (default as for report).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False))
@click.option("--store", "store_path", type=click.Path(dir_okay=False))
@wait_option
def doctor(model, config_path, store_path) -> None:
    """Show which embedding model and spaCy pipeline run, from where, and versions."""
    import platform

    from drift.embed import ModelError, pick_device, resolve_model
    from drift.nlp import pipeline_info

    click.echo(f"drift {__version__} on Python {platform.python_version()}")
    try:
        info = resolve_model(model)
        check = "matches the official release" if info.verified else "not the default model: no checksum to compare"
        click.echo(f"embedding model: {info.name} {info.package_version or ''}\n  from {info.path}\n  sha256 {info.sha256} ({check})")
    except ModelError as err:
        click.echo(f"embedding model: ERROR {err}")
        sys.exit(EXIT_FAILED)
    import sentence_transformers
    import spacy
    import torch

    click.echo(f"device: {pick_device(None)} (torch {torch.__version__}, sentence-transformers {sentence_transformers.__version__})")
    pipe = pipeline_info()
    cost = "" if pipe.trained else " (blank: no entities, tags or lemmas; sentences by punctuation)"
    click.echo(f"spaCy pipeline: {pipe.name} {pipe.version or ''}{cost}\n  from {pipe.path or 'built in'} (spaCy {spacy.__version__})")
    config = _config_for(config_path, ())
    click.echo(f"config: {config.source or 'none found (defaults)'}")
    from drift.pipeline import default_store_path

    path = Path(store_path) if store_path else default_store_path(config)
    if path.exists():
        with _open_store(str(path), config, read_only=True) as store:
            store.verify()  # every block read: counts alone look normal on a truncated store
            click.echo(f"store: {path} {store.counts()} (every table read back)")
            from drift.ingest.redact import PLACEHOLDERS

            redacted = store.occurrences(PLACEHOLDERS)
            click.echo(f"redaction (redact_pii = {'true' if config.redact_pii else 'false'}): "
                       + ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in redacted.items())
                       + " placeholders in stored sentences, titles and participants")
            models = store.model_counts()
            for key, n in models.items():
                click.echo(f"  embeddings for {printable(store.get_meta(f'model:{key}') or key)}: {n:,}"
                           + (" (the model in use)" if key in (info.key, info.legacy_key) else ""))
    else:
        click.echo(f"store: {path} (not created yet)")


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--from", "source", type=click.Path(exists=True, file_okay=False),
              help="Scan this folder of exports and propose company, domains, roster and sides.")
@click.option("--force", is_flag=True, help="Overwrite an existing drift.toml.")
def init(directory, source, force) -> None:
    """Write a commented drift.toml in DIRECTORY with the default concepts.

    With --from PATH, the exports under PATH are scanned (nothing is stored) and the
    drift.toml proposed for them is written in DIRECTORY (default: PATH, so its
    [sides] globs match), with the evidence for each line as comments to confirm.
    """
    from drift.config import write_template

    target = Path(directory or source or ".") / CONFIG_NAME
    if target.exists() and not force:
        raise click.UsageError(f"{target} exists (use --force to overwrite)")
    target.parent.mkdir(parents=True, exist_ok=True)
    if source:
        from drift.ingest.proposal import propose_config, render_proposal

        import os

        base = os.path.relpath(Path(source).resolve(), target.parent.resolve())
        if base.startswith(".."):
            raise click.UsageError(f"{target.parent} must contain {source}: the [sides] globs are relative to it")
        proposal = propose_config([source])
        target.write_text(render_proposal(proposal, source, base), encoding="utf-8")
        people = Counter(person.voice for person in proposal.people.values())
        click.echo(f"wrote {target}: company {proposal.company.name or 'not found'}, "
                   f"{people['rep']} reps, {people['marketing']} marketing, "
                   f"{len(proposal.unresolved)} speakers left to place; check it before use")
        return
    write_template(target)
    click.echo(f"wrote {target}")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "github"]), default="text", show_default=True)
@click.option("--max-unsupported-share", type=float, help="Override [check] max_unsupported_share.")
@click.option("--support-threshold", type=float, help="Override [check] support_threshold.")
@click.option("--max-concept-drift", type=float, help="Override [check] max_concept_drift.")
@with_common
def check(files, fmt, max_unsupported_share, support_threshold, max_concept_drift,
          config_path, store_path, model, device, quiet) -> None:
    """Compare new copy (FILES, or - for stdin) with what reps and buyers say.

    \b
    Exit codes: 0 pass; 1 drift above threshold (error alerts);
    2 usage or input error (no file, unreadable file, empty store).
    """
    import dataclasses
    import tempfile

    from drift.check import check_files
    from drift.check_render import RENDERERS
    from drift.ingest import IngestFailure

    if not files:
        raise click.UsageError("give one or more files, or - to read stdin")
    config = _config_for(config_path, ())
    overrides = {k: v for k, v in {"max_unsupported_share": max_unsupported_share, "support_threshold": support_threshold,
                                   "max_concept_drift": max_concept_drift}.items() if v is not None}
    if overrides:
        config = config.with_overrides(check=dataclasses.replace(config.check, **overrides))
    paths, names = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for name in files:
            if name == "-":
                stdin_copy = Path(tmp) / "stdin.md"
                stdin_copy.write_text(click.get_text_stream("stdin").read(), encoding="utf-8")
                paths.append(stdin_copy)
                names.append("<stdin>")
            elif not Path(name).is_file():
                raise click.UsageError(f"{name}: no such file")
            else:
                paths.append(Path(name))
                names.append(name)
        from drift.pipeline import default_store_path

        store_file = Path(store_path) if store_path else default_store_path(config)
        if not store_file.exists():
            raise click.UsageError(f"{store_file}: no store yet; run `drift ingest` on your sales exports first")
        encoder = _encoder(model, device)
        with _open_store(str(store_file), config, read_only=True) as store:
            model_key = _store_model(store, encoder)  # exit 2, never a pass, when it cannot judge
            try:
                result = check_files(paths, store, config, encoder, names, model=model_key)
            except IngestFailure as err:
                raise click.UsageError(f"cannot read the copy: {err}") from None
    click.echo(RENDERERS[fmt](result), nl=False)
    sys.exit(EXIT_OK if result.passed else EXIT_FAILED)
