"""A PostgreSQL server for the tests: DTPC_TEST_POSTGRES_URL, else the one scripts/test-postgres.sh runs.

Without either the PostgreSQL tests skip, saying why; with CI_REQUIRE_POSTGRES=1 (set by .ci/run)
they fail instead, so CI cannot pass without really exercising PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "test-postgres.sh"
_found: list[str | None] = []


def _unavailable(reason: str) -> None:
    if os.environ.get("CI_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL required (CI_REQUIRE_POSTGRES=1) but {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL: {reason}; set DTPC_TEST_POSTGRES_URL or run scripts/test-postgres.sh as root")


def _from_script() -> str:
    if os.geteuid() != 0:
        _unavailable("not root, so scripts/test-postgres.sh cannot start a server")
    if not shutil.which("pg_lsclusters"):
        _unavailable("PostgreSQL is not installed (scripts/test-postgres.sh installs it)")
    try:
        done = subprocess.run(["bash", str(SCRIPT)], env={**os.environ, "DTPC_PG_NO_INSTALL": "1"}, capture_output=True,
                              text=True, timeout=180, check=False)
    except subprocess.TimeoutExpired:
        _unavailable("scripts/test-postgres.sh took over 180 s")
        raise  # unreachable: _unavailable skips or fails
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        _unavailable(f"scripts/test-postgres.sh failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return lines[-1]


def server_url() -> str:
    """The base URL of the test server (found once per process)."""
    if not _found:
        _found.append(os.environ.get("DTPC_TEST_POSTGRES_URL") or _from_script())
    url = _found[0]
    assert url is not None
    return url


@contextmanager
def scratch_schema() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (dropped afterwards), so tests never share tables."""
    import sqlalchemy as sa

    from pipeline.export import database_url

    base = database_url(server_url())
    engine = sa.create_engine(base)
    name = f"dtpc_test_{uuid.uuid4().hex[:12]}"
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    except sa.exc.OperationalError as error:
        engine.dispose()
        _unavailable(f"cannot connect to {base.render_as_string(hide_password=True)}: {error.orig}")
    try:
        yield base.update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        engine.dispose()
