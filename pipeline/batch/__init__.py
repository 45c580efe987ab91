"""Many files at once, each in its own watched process; a batch that survives anything.

- `names`: safe output names (`OUT/<relative input path>.json`) and finding inputs.
- `atomic`: temp file + rename writes.
- `isolate`: one file in a child process group with a time limit and a memory cap (`process_isolated`).
- `local` / `dask_executor`: N files at once on this machine, or on a Dask cluster.
- `run`: `run_batch` — resume, interruption, batch checks, OUT/batch.json.
"""

from pipeline.atomic import atomic_write_text
from pipeline.batch.isolate import (
    PIPELINE_VERSION,
    FileJob,
    FileReader,
    process_isolated,
    read_file,
    run_job,
    start_file_server,
)
from pipeline.batch.output_paths import INPUT_SUFFIXES, common_root, find_inputs, output_path, safe_part
from pipeline.batch.run import (
    SUMMARY_NAME,
    BatchOptions,
    BatchResult,
    available_cores,
    plan_jobs,
    plan_workers,
    profile_table,
    run_batch,
    run_files,
)

__all__ = [
    "INPUT_SUFFIXES",
    "PIPELINE_VERSION",
    "SUMMARY_NAME",
    "BatchOptions",
    "BatchResult",
    "FileJob",
    "FileReader",
    "atomic_write_text",
    "available_cores",
    "common_root",
    "find_inputs",
    "output_path",
    "plan_jobs",
    "plan_workers",
    "process_isolated",
    "profile_table",
    "read_file",
    "run_batch",
    "run_files",
    "run_job",
    "safe_part",
    "start_file_server",
]
