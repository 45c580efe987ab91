"""The app factory: database brought up to date, the worker started, routes, security headers, limits."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dtpc.workspace import api, services, views
from dtpc.workspace.config import WorkspaceConfig
from dtpc.workspace.corrections import CorrectionError
from dtpc.workspace.db import Database
from dtpc.workspace.deps import CsrfFailed, LoginRequired, State
from dtpc.workspace.uploads import UploadRejected
from dtpc.workspace.worker import Worker
from pipeline.config import Settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
# Multipart framing around the file: the body may exceed the file by this much.
FORM_OVERHEAD = 1 << 20
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# FastAPI's /docs page loads Swagger UI from its CDN with an inline bootstrap script.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
DOCS_PATHS = ("/docs", "/redoc")


class BodyLimit:
    """Refuse a request body over the cap as it streams in (413), before it is stored anywhere."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(scope, send, self.max_bytes)
            return
        seen, refused = 0, False

        async def counted() -> Message:
            # Past the cap: answer 413 now and tell the app the client left (whatever it answers is dropped).
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                refused = True
                await _too_large(scope, send, self.max_bytes)
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise


async def _too_large(scope: Scope, send: Send, max_bytes: int) -> None:
    response = JSONResponse({"detail": f"the upload is larger than {(max_bytes - FORM_OVERHEAD) >> 20} MB"},
                            status_code=413, headers={"Connection": "close"})
    await response(scope, _drain, send)


async def _drain() -> Message:
    return {"type": "http.disconnect"}


def _security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        docs = request.url.path.startswith(DOCS_PATHS)
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith(("/static", *DOCS_PATHS)):
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return views.templates.TemplateResponse(request, "error.html", {"viewer": None, "status": status,
                                                                    "message": message}, status_code=status)


def _handlers(app: FastAPI) -> None:
    simple: dict[type[Exception], tuple[int, str | None]] = {
        services.NotFound: (404, "not found"), services.Conflict: (409, None), services.Invalid: (422, None),
        CorrectionError: (422, None), services.Forbidden: (403, None), CsrfFailed: (403, "CSRF token missing or wrong"),
    }
    for kind, (status, fixed) in simple.items():
        def handler(request: Request, error: Exception, status: int = status, fixed: str | None = fixed) -> Response:
            return _error(request, status, fixed or str(error))

        app.add_exception_handler(kind, handler)

    def rejected(request: Request, error: Exception) -> Response:
        assert isinstance(error, UploadRejected)
        return _error(request, error.status, error.message)

    def login_required(request: Request, _error: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    def invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if _is_api(request):
            return JSONResponse({"detail": error.errors()}, status_code=422,
                                headers={"Content-Type": "application/json"})
        if any(tuple(item.get("loc", ())) == ("body", "csrf") for item in error.errors()):
            return _error(request, 403, "CSRF token missing or wrong")  # a form posted without its token
        return _error(request, 422, "表单内容不完整或有误")

    app.add_exception_handler(UploadRejected, rejected)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(RequestValidationError, invalid)


def create_app(config: WorkspaceConfig, settings: Settings | None = None) -> FastAPI:
    """The workspace app over `config`'s data folder and database; the worker runs while the app does."""
    database = Database(config.database)
    config.data.mkdir(parents=True, exist_ok=True)
    database.migrate()
    state = State(config=config, database=database, settings=settings or Settings.load())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if config.process:
            state.worker = Worker(database, config, state.settings)
            state.worker.start()
        try:
            yield
        finally:
            if state.worker is not None:
                state.worker.shutdown()
            database.dispose()

    app = FastAPI(title="dtpc review workspace", lifespan=lifespan,
                  description="Packages, findings, reviews, corrections, decisions and the 推荐表. "
                              "Every /api call needs `Authorization: Bearer <token>` (`dtpc user token NAME`).")
    app.state.workspace = state
    app.include_router(api.router)
    app.include_router(views.router)
    css = views.report_css()

    @app.get("/static/report.css", include_in_schema=False)
    def report_css() -> PlainTextResponse:
        return PlainTextResponse(css, media_type="text/css")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _handlers(app)
    _security_headers(app)
    app.add_middleware(BodyLimit, max_bytes=config.max_upload_bytes + FORM_OVERHEAD)
    return app
