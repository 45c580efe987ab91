"""`dtpc serve` and `dtpc user add|token`: the review workspace's commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dtpc.workspace.config import DEFAULT_DATA, WorkspaceConfig, max_upload_from_env

if TYPE_CHECKING:
    from dtpc.workspace.db import Database

DataDir = Annotated[Path, typer.Option("--data", help="data folder: uploads, evidence, the SQLite file")]
DbUrl = Annotated[str | None, typer.Option("--db", help="database URL (default: sqlite in the data folder; "
                                                        "postgresql://user:pw@host/db)")]

users = typer.Typer(add_completion=False, no_args_is_help=True, help="Manage the workspace's users.")


def _database(data: Path, db: str | None) -> tuple[WorkspaceConfig, Database]:
    from dtpc.workspace.db import Database

    config = WorkspaceConfig(data=data, db=db)
    data.mkdir(parents=True, exist_ok=True)
    database = Database(config.database)
    database.migrate()
    return config, database


def serve(data: DataDir = DEFAULT_DATA, db: DbUrl = None,
          host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
          scheduler: Annotated[str | None, typer.Option(help="Dask scheduler (tcp://HOST:8786); default: local processes")] = None,
          max_upload_mb: Annotated[int | None, typer.Option("--max-upload-mb", help="upload size cap (default 200, or DTPC_MAX_UPLOAD_MB)")] = None,
          files: Annotated[int | None, typer.Option("--files", help="files processed at once (default: the cores)")] = None,
          secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="mark cookies Secure (serving over HTTPS)")] = False) -> None:
    """Serve the review workspace (web pages and the JSON API, OpenAPI at /docs) and process uploads."""
    import uvicorn

    from dtpc.workspace.app import create_app

    config = WorkspaceConfig(data=data, db=db, scheduler=scheduler, file_workers=files, secure_cookies=secure_cookies,
                             max_upload_bytes=(max_upload_mb << 20) if max_upload_mb else max_upload_from_env())
    app = create_app(config)
    typer.echo(f"dtpc workspace on http://{host}:{port}/ (data {data}, database {app.state.workspace.database.engine.url.render_as_string(hide_password=True)})")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


@users.command("add")
def user_add(name: Annotated[str, typer.Argument(help="login name")],
             role: Annotated[str, typer.Option(help="admin, ministry or province")],
             province: Annotated[str | None, typer.Option(help="the province of a province user (e.g. 江苏省)")] = None,
             password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
             data: DataDir = DEFAULT_DATA, db: DbUrl = None) -> None:
    """Add a user; the password comes from stdin (never from the command line, where `ps` would show it)."""
    from dtpc.workspace import security, services

    if not password_stdin:
        typer.echo("give the password on stdin: --password-stdin", err=True)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\r\n")
    _, database = _database(data, db)
    try:
        with database.session() as session:
            user = security.add_user(session, name, role, password, province)
            services.audit(session, None, "user_add", target=user.name, new={"role": user.role, "province": user.province})
    except security.UserError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    finally:
        database.dispose()
    typer.echo(f"user {name} added ({role}{' · ' + province if province else ''})")


@users.command("token")
def user_token(name: Annotated[str, typer.Argument(help="login name")],
               data: DataDir = DEFAULT_DATA, db: DbUrl = None) -> None:
    """Print a new API token for NAME (use it as `Authorization: Bearer <token>`)."""
    import sqlalchemy as sa

    from dtpc.workspace import security, services
    from dtpc.workspace.schema import User

    _, database = _database(data, db)
    try:
        with database.session() as session:
            user = session.scalar(sa.select(User).where(User.name == name))
            if user is None:
                typer.echo(f"no user {name}", err=True)
                raise typer.Exit(1)
            token = security.new_token(session, user)
            services.audit(session, None, "token_issued", target=user.name)  # that one was made, never the token
    finally:
        database.dispose()
    typer.echo(token)
