"""The `dtpc` command: extract, batch, report, export, eval, schema, samples; serve and user (the review workspace)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from models import OutputRecord
    from pipeline.config import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Read 制造业数字化转型促进中心 application packages into checked, structured data.")

OutDir = Annotated[Path, typer.Option("-o", "--out", help="output folder")]
Engine = Annotated[str | None, typer.Option(help="OCR engine: tesseract or rapidocr (default: the measured best)")]
Dpi = Annotated[int | None, typer.Option(help="rendering dpi for scanned pages")]
Workers = Annotated[int | None, typer.Option(help="page worker processes per file (default: cores / files at once)")]
Files = Annotated[int | None, typer.Option("--files", help="files processed at once (default: one per core; fewer files than cores share out the rest to their pages)")]
Timeout = Annotated[float | None, typer.Option(help="seconds a file may take before it is given up")]
MaxMemory = Annotated[int | None, typer.Option("--max-memory", help="MB of resident memory one file's processes may use")]


class Executor(StrEnum):
    local = "local"
    dask = "dask"


def _settings(engine: str | None, dpi: int | None, workers: int | None, timeout: float | None,
              files: int | None = None, max_memory: int | None = None, inputs: int | None = None) -> Settings:
    """Settings from the options; files at once × page workers stays within the cores unless both are given
    (`inputs`: how many files the run has, so that fewer files than cores still use every core)."""
    from pipeline.batch import available_cores, plan_workers
    from pipeline.config import Settings

    files, workers = plan_workers(available_cores(), files, workers, inputs)
    overrides = {"engine": engine, "dpi": dpi, "workers": workers, "file_workers": files, "file_timeout_s": timeout,
                 "max_worker_memory_mb": max_memory, "log_level": _LOG_LEVEL["level"]}
    return Settings.load(**{key: value for key, value in overrides.items() if value is not None})


_LOG_LEVEL = {"level": "WARNING"}  # set by -v; every process of the run logs at it (Settings.log_level)


@app.callback()
def _logging(verbose: Annotated[bool, typer.Option("-v", "--verbose")] = False) -> None:
    from pipeline.logs import configure

    _LOG_LEVEL["level"] = "INFO" if verbose else "WARNING"
    configure(_LOG_LEVEL["level"])


@app.command()
def extract(files: Annotated[list[Path], typer.Argument(help="PDF or image files")], out: OutDir = Path("out"),
            engine: Engine = None, dpi: Dpi = None, workers: Workers = None, timeout: Timeout = None,
            parallel: Files = None, max_memory: MaxMemory = None) -> None:
    """One `<input name>.json` per file in OUT (files from several folders keep those folders); exit 1 if any failed."""
    from pipeline.batch import run_files

    result = run_files(files, out, _settings(engine, dpi, workers, timeout, parallel, max_memory, len(set(files))))
    for row in result.rows:
        if row.record is not None:
            errors = sum(check.severity == "error" for check in row.record.checks)
            typer.echo(f"{row.job.target}  {row.record.doc_type}  {errors} errors")
    raise typer.Exit(result.exit_code)


def _store(records: Sequence[OutputRecord], db: str | None, out: Path) -> bool:
    """Fill the database (default OUT/dtpc.sqlite; "none" skips it); False when that failed."""
    from pipeline.export import DatabaseSink

    if db is not None and db.lower() == "none":
        return True
    try:
        typer.echo(f"database: {DatabaseSink(db or out / 'dtpc.sqlite').write(records)}")
    except Exception as error:  # the JSON outputs are complete; say why the database is not
        typer.echo(f"database: not written ({type(error).__name__}: {error})", err=True)
        return False
    return True


@app.command()
def batch(folder: Annotated[Path, typer.Argument(help="folder with PDF/JPG/PNG/TIFF files")], out: OutDir = Path("out"),
          db: Annotated[str | None, typer.Option(help="database URL (default sqlite:///OUT/dtpc.sqlite; none: skip)")] = None,
          executor: Annotated[Executor, typer.Option(help="local processes, or a Dask cluster")] = Executor.local,
          scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://HOST:8786)")] = None,
          force: Annotated[bool, typer.Option("--force", help="redo files whose output is already there")] = False,
          progress: Annotated[bool, typer.Option(help="show the progress bar")] = True,
          profile: Annotated[bool, typer.Option("--profile", help="write OUT/profile.tsv: every file's seconds per "
                                                "stage, and print it")] = False,
          engine: Engine = None, dpi: Dpi = None, workers: Workers = None, files: Files = None,
          timeout: Timeout = None, max_memory: MaxMemory = None) -> None:
    """Every file under FOLDER: JSON per file, batch checks, OUT/batch.json, a database and the reviewer report.

    A re-run skips files already done (same sha256 and pipeline version); --force redoes them.

    Exit status: 0 when every file was read (flags are not failures), 1 when any file failed, 130 when interrupted.
    """
    from pipeline.batch import BatchOptions, find_inputs, profile_table, run_batch, start_file_server

    if executor is Executor.dask and not scheduler:
        raise typer.BadParameter("--scheduler tcp://HOST:8786 is required with --executor dask")
    if executor is Executor.local:
        start_file_server()  # it loads the pipeline on a core of its own while this process prepares the batch
    # The sinks' modules, imported beside that rather than after the last file, when only this process works.
    importlib.import_module("pipeline.export")
    from pipeline.report import write_report
    inputs = find_inputs(folder, exclude=out)
    if not inputs:
        typer.echo(f"no PDF/JPG/PNG/TIFF files under {folder}", err=True)
        raise typer.Exit(1)
    settings = _settings(engine, dpi, workers, timeout, files, max_memory, len(inputs))
    options = BatchOptions(executor=executor.value, scheduler=scheduler, force=force, progress=progress)
    result = run_batch(folder, out, settings, options)
    code = result.exit_code
    if not result.interrupted:
        with result.after_files.measure("sinks"):  # the database and the reviewer site
            code = max(code, int(not _store(result.records, db, out)))
            typer.echo(f"report: {write_report(result.written, result.batch_checks, out)}")
    if profile:
        table = profile_table(result)
        (out / "profile.tsv").write_text(table, encoding="utf-8")
        typer.echo(table, nl=False)
    typer.echo(result.describe())
    raise typer.Exit(code)


@app.command("eval")
def evaluate(truth: Annotated[Path, typer.Option(help="folder of <id>.truth.json files")],
             pred: Annotated[Path, typer.Option(help="folder of dtpc output JSON")],
             as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
             minimum: Annotated[str | None, typer.Option(
                 "--min", help="lowest scores allowed, e.g. fields=0.98,tables_f1=0.97,checks_f1=0.95")] = None,
             maximum: Annotated[str | None, typer.Option(
                 "--max", help="highest burdens allowed, e.g. false_errors_per_10=1,low_confidence_per_doc=1")] = None,
             ) -> None:
    """Score output against ground truth; ends with an `overall …` line. Exits 1 below a --min/--max gate."""
    from pipeline.evaluation import main

    raise typer.Exit(main(truth, pred, as_json=as_json, minimum=minimum, maximum=maximum))


@app.command()
def schema() -> None:
    """Print the output record's JSON Schema."""
    from models import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


class ProducerOption(StrEnum):
    layout = "layout"
    word = "word"
    mix = "mix"


def _find_sample_producers() -> None:
    """Make `samples` importable: it is not installed (the wheel holds dtpc, models and pipeline),
    so it is found beside this package in a checkout (an editable install), or the command stops."""
    if importlib.util.find_spec("samples") is not None and importlib.util.find_spec("samples.generate") is not None:
        return
    checkout = Path(__file__).resolve().parents[1]
    if not (checkout / "samples" / "generate.py").is_file():
        typer.echo("dtpc samples runs from a checkout of the dtpc repository: the sample producers are not "
                   "installed with the package", err=True)
        raise typer.Exit(2)
    sys.path.insert(0, str(checkout))


@app.command()
def samples(out: OutDir = Path("samples/corpus"), count: Annotated[int, typer.Option()] = 12,
            seed: Annotated[int, typer.Option()] = 2026,
            producer: Annotated[ProducerOption, typer.Option(
                help="layout: the reportlab producer (committed corpus); word: Word template → LibreOffice → "
                     "print/scan/photo (needs soffice); mix: both, as the dev corpus")] = ProducerOption.layout,
            mix: Annotated[str, typer.Option(help="with --producer mix: dev or holdout")] = "dev") -> None:
    """Generate sample packages with ground truth (from a checkout of the repository)."""
    _find_sample_producers()
    if producer is ProducerOption.layout:
        from samples.generate import generate_corpus

        paths = generate_corpus(out, count, seed)
    else:
        from samples.word.corpus import MIXES
        from samples.word.corpus import generate_corpus as word_corpus

        name = "word" if producer is ProducerOption.word else mix
        if name not in MIXES:
            typer.echo(f"unknown mix {mix!r}; one of {', '.join(sorted(MIXES))}", err=True)
            raise typer.Exit(2)
        paths = word_corpus(out, count, seed, name)
    for path in paths:
        typer.echo(str(path))


@app.command()
def report(out_dir: Annotated[Path, typer.Argument(help="a batch's output folder (record JSON files)")]) -> None:
    """Write the reviewer site OUT_DIR/report/ from the records in OUT_DIR; prints the index page's path."""
    from pipeline.report import build_site

    if not out_dir.is_dir():
        typer.echo(f"no such folder: {out_dir}", err=True)
        raise typer.Exit(1)
    typer.echo(str(build_site(out_dir)))


class TableFormatOption(StrEnum):
    parquet = "parquet"
    csv = "csv"
    xlsx = "xlsx"


@app.command("export")
def export_command(out_dir: Annotated[Path, typer.Argument(help="folder of dtpc output JSON (searched recursively)")],
                   fmt: Annotated[TableFormatOption, typer.Option("--format", "-f", help="parquet, csv or xlsx")],
                   target: Annotated[Path | None, typer.Option(
                       "-o", "--out", help="folder (parquet, csv; default OUT_DIR/tables) or workbook "
                                           "(xlsx; default OUT_DIR/dtpc.xlsx)")] = None) -> None:
    """The records in OUT_DIR as analysts' tables: one file per entity, or one workbook with a flags sheet."""
    from pipeline.export import export_tables

    try:
        written = export_tables(out_dir, fmt.value, target)
    except FileNotFoundError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    for path in written:
        typer.echo(str(path))


def _workspace_commands() -> None:
    """`dtpc serve` and `dtpc user …` (the review workspace; its imports wait until a command runs)."""
    from dtpc.workspace.cli import serve, users

    app.command("serve")(serve)
    app.add_typer(users, name="user")


_workspace_commands()

if __name__ == "__main__":
    app()
