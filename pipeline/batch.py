"""Many files at once, each in its own process with a time limit.

A file that crashes its worker, hangs, or exhausts memory costs that file only:
the parent writes an INPUT_UNREADABLE record for it and goes on.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing as mp
import os
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path

from models import OutputRecord, parse_record, record_json
from pipeline.config import Settings
from pipeline.runner import process_file, unreadable

log = logging.getLogger(__name__)
INPUT_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})


def find_inputs(folder: Path) -> list[Path]:
    """Every PDF/JPG/PNG/TIFF under `folder`, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)


def output_path(path: Path, out_dir: Path) -> Path:
    return out_dir / f"{path.name}.json"


def _child(path: str, out_dir: str, settings_json: str) -> None:
    # Own process group, so the parent can end this worker and any pool it started in one signal.
    os.setpgrp()
    settings = Settings.model_validate_json(settings_json)
    record = process_file(Path(path), Path(out_dir), settings)
    output_path(Path(path), Path(out_dir)).write_text(record_json(record), encoding="utf-8")


def _end_group(process: mp.process.BaseProcess) -> None:
    if process.pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.join(5)


def process_isolated(path: Path, out_dir: Path, settings: Settings) -> OutputRecord:
    """Run one file in a child process under `settings.file_timeout_s`; write and return its record."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = output_path(path, out_dir)
    target.unlink(missing_ok=True)
    process = mp.get_context("spawn").Process(target=_child, args=(str(path), str(out_dir), settings.model_dump_json()))
    process.start()
    process.join(settings.file_timeout_s)
    if process.is_alive():
        _end_group(process)
        record: OutputRecord = unreadable(path, f"处理超时（超过 {settings.file_timeout_s:.0f} 秒）")
    elif target.exists():
        try:
            return parse_record(target.read_text(encoding="utf-8"))
        except ValueError as error:
            record = unreadable(path, f"输出无效：{error}")
    else:
        record = unreadable(path, f"处理进程异常退出（退出码 {process.exitcode}）")
    target.write_text(record_json(record), encoding="utf-8")
    return record


def process_many(paths: Iterable[Path], out_dir: Path, settings: Settings) -> Iterator[tuple[Path, OutputRecord]]:
    for path in paths:
        yield path, process_isolated(path, out_dir, settings)


def rewrite(records: Iterable[tuple[Path, OutputRecord]], out_dir: Path) -> None:
    """Write records again after batch checks added findings to them."""
    for path, record in records:
        output_path(path, out_dir).write_text(record_json(record), encoding="utf-8")


def write_summary(out_dir: Path, summary: dict[str, object]) -> Path:
    target = out_dir / "batch_summary.json"
    target.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return target
