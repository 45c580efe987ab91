"""The `dtpc` command: extract, batch, eval, schema, samples."""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Read 制造业数字化转型促进中心 application packages into checked, structured data.")

OutDir = Annotated[Path, typer.Option("-o", "--out", help="output folder")]
Engine = Annotated[str | None, typer.Option(help="OCR engine: tesseract or rapidocr (default: the measured best)")]
Dpi = Annotated[int | None, typer.Option(help="rendering dpi for scanned pages")]
Workers = Annotated[int | None, typer.Option(help="page worker processes (default: number of cores)")]
Timeout = Annotated[float | None, typer.Option(help="seconds a file may take before it is given up")]


class SinkKind(StrEnum):
    sqlite = "sqlite"
    postgres = "postgres"
    parquet = "parquet"
    none = "none"


def _settings(engine: str | None, dpi: int | None, workers: int | None, timeout: float | None):  # type: ignore[no-untyped-def]
    from pipeline.config import Settings

    overrides = {"engine": engine, "dpi": dpi, "workers": workers, "file_timeout_s": timeout}
    return Settings(**{key: value for key, value in overrides.items() if value is not None})


@app.callback()
def _logging(verbose: Annotated[bool, typer.Option("-v", "--verbose")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


@app.command()
def extract(files: Annotated[list[Path], typer.Argument(help="PDF or image files")], out: OutDir = Path("out"),
            engine: Engine = None, dpi: Dpi = None, workers: Workers = None, timeout: Timeout = None) -> None:
    """One `<input name>.json` per file in OUT."""
    from pipeline.batch import output_path, process_isolated

    settings = _settings(engine, dpi, workers, timeout)
    for path in files:
        record = process_isolated(path, out, settings)
        errors = sum(check.severity == "error" for check in record.checks)
        typer.echo(f"{output_path(path, out)}  {record.doc_type}  {errors} errors")


@app.command()
def batch(folder: Annotated[Path, typer.Argument(help="folder with PDF/JPG/PNG/TIFF files")], out: OutDir = Path("out"),
          sink: Annotated[SinkKind, typer.Option(help="database to fill")] = SinkKind.sqlite,
          dsn: Annotated[str | None, typer.Option(help="PostgreSQL connection string (sink postgres)")] = None,
          engine: Engine = None, dpi: Dpi = None, workers: Workers = None, timeout: Timeout = None) -> None:
    """Every file under FOLDER: JSON per file, batch checks, a database and the reviewer report in OUT."""
    from pipeline.batch import find_inputs, process_many, rewrite, write_summary
    from pipeline.checks import run_batch_checks
    from pipeline.export import ParquetSink, PostgresSink, SqliteSink
    from pipeline.report import write_report

    settings = _settings(engine, dpi, workers, timeout)
    paths = find_inputs(folder)
    if not paths:
        typer.echo(f"no PDF/JPG/PNG/TIFF files under {folder}", err=True)
        raise typer.Exit(1)
    results = list(tqdm(process_many(paths, out, settings), total=len(paths), unit="file", desc="dtpc"))
    records = [record for _, record in results]
    batch_checks = run_batch_checks(records)
    rewrite(results, out)
    write_summary(out, {"files": len(records), "batch_checks": [c.model_dump(mode="json") for c in batch_checks],
                        "documents": [{"file": r.source.file, "doc_type": r.doc_type,
                                       "errors": sum(c.severity == "error" for c in r.checks)} for r in records]})
    if sink is SinkKind.sqlite:
        typer.echo(f"database: {SqliteSink(out / 'dtpc.sqlite').write(records)}")
    elif sink is SinkKind.postgres:
        if not dsn:
            raise typer.BadParameter("--dsn is required for the postgres sink")
        typer.echo(f"database: {PostgresSink(dsn).write(records)}")
    elif sink is SinkKind.parquet:
        typer.echo(f"parquet: {ParquetSink(out / 'parquet').write(records)}")
    typer.echo(f"report: {write_report(records, batch_checks, out)}")


@app.command("eval")
def evaluate(truth: Annotated[Path, typer.Option(help="folder of <id>.truth.json files")],
             pred: Annotated[Path, typer.Option(help="folder of dtpc output JSON")],
             as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False) -> None:
    """Score output against ground truth; ends with an `overall …` line."""
    from dtpc.eval import main

    raise typer.Exit(main(truth, pred, as_json=as_json))


@app.command()
def schema() -> None:
    """Print the output record's JSON Schema."""
    from models import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def samples(out: OutDir = Path("samples/corpus"), count: Annotated[int, typer.Option()] = 12,
            seed: Annotated[int, typer.Option()] = 2026) -> None:
    """Generate sample packages with ground truth."""
    from samples.generate import generate_corpus

    for path in generate_corpus(out, count, seed):
        typer.echo(str(path))


if __name__ == "__main__":
    app()
