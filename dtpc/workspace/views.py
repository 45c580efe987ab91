"""HTML pages for people: a session cookie (HttpOnly, SameSite=Strict), a CSRF token in every form,
Jinja2 with autoescaping (the report's templates and filters reused), no inline script or style."""

from __future__ import annotations

import json
import re
import secrets
from typing import Annotated, Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from dtpc.workspace import recommendation, security, services
from dtpc.workspace.api import recommendation_download, upload_file
from dtpc.workspace.corrections import EDITABLE, CorrectionError
from dtpc.workspace.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE, AppState, PageUser, Viewer, check_csrf
from dtpc.workspace.schema import PACKAGE_DECISIONS, ROLES, User
from models import ApplicationRecord, OutputRecord, RecommendationRecord, parse_record
from pipeline.report.site import (
    DOC_TYPE_LABELS,
    ROLE_LABELS,
    SEVERITIES,
    SEVERITY_LABELS,
    applicant_of,
    record_view,
    show,
    side,
)

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form()]
STATUS_LABELS = {"queued": "排队中", "processing": "处理中", "done": "已处理", "failed": "无法读取"}
DECISION_LABELS = {"recommend": "推荐", "reject": "不推荐", "request_more": "需补充材料"}
REVIEW_LABELS = {"confirmed": "已确认", "dismissed": "已驳回（误报）"}


def environment() -> Environment:
    env = Environment(loader=ChoiceLoader([PackageLoader("dtpc.workspace", "templates"),
                                           PackageLoader("pipeline.report", "templates")]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(show=show, side=side)
    env.globals.update(severity_labels=SEVERITY_LABELS, status_labels=STATUS_LABELS, role_labels=ROLE_LABELS,
                       decision_labels=DECISION_LABELS, review_labels=REVIEW_LABELS, doc_type_labels=DOC_TYPE_LABELS,
                       decisions=PACKAGE_DECISIONS, roles=ROLES, slot_label=lambda slot: slot)
    return env


templates = Jinja2Templates(env=environment())


def report_css() -> str:
    """The reviewer report's stylesheet (its base template's <style>), served as a file so the CSP needs no inline style."""
    from importlib.resources import files

    text = files("pipeline.report").joinpath("templates/base.html").read_text(encoding="utf-8")
    match = re.search(r"<style>(.*?)</style>", text, re.S)
    return match.group(1) if match else ""


def _page(request: Request, name: str, viewer: PageUser | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"viewer": viewer, **context}, status_code=status_code)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


# ---------------------------------------------------------------- login


@router.get("/login")
def login_page(request: Request, error: str | None = None) -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = _page(request, "login.html", None, status_code=401 if error else 200, csrf=token, error=error)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", path="/",
                        secure=request.app.state.workspace.config.secure_cookies)


@router.post("/login")
def login(request: Request, app: AppState, name: Annotated[str, Form(max_length=64)],
          password: Annotated[str, Form(max_length=200)], csrf: Csrf) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not security.same(cookie, csrf):
        return login_page(request, "表单已过期，请重新登录（CSRF）")
    config = app.config
    with app.database.session() as db:
        try:
            user = security.login(db, name, password, _client(request), config.throttle_failures,
                                  config.throttle_window_s)
        except security.LoginThrottled:
            throttled = login_page(request, "登录失败次数过多，请稍后再试")
            throttled.status_code = 429
            return throttled
        session = security.start_session(db, user) if user is not None else None
    if session is None:
        return login_page(request, "用户名或密码不正确")
    response = _redirect("/")
    _set_cookie(request, response, SESSION_COOKIE, session.cookie)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, app: AppState, viewer: Viewer, csrf: Csrf) -> Response:
    check_csrf(viewer, csrf)
    with app.database.session() as db:
        security.end_session(db, request.cookies.get(SESSION_COOKIE, ""))
    response = _redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---------------------------------------------------------------- packages


@router.get("/")
def packages_page(request: Request, app: AppState, viewer: Viewer, province: str | None = None,
                  status: str | None = None, severity: str | None = None) -> HTMLResponse:
    with app.database.session() as db:
        rows = [services.package_json(db, package) for package in
                services.list_packages(db, viewer.user, province or None, status or None, severity or None)]
    for row in rows:
        record = parse_record(row["record"]) if row["record"] else None
        row["applicant"] = applicant_of(record) if record else None
        row.pop("record")
    provinces = sorted({row["province"] for row in rows if row["province"]})
    return _page(request, "packages.html", viewer, rows=rows, provinces=provinces,
                 filters={"province": province or "", "status": status or "", "severity": severity or ""})


@router.post("/upload")
def upload(app: AppState, viewer: Viewer, csrf: Csrf, file: Annotated[UploadFile, File()]) -> Response:
    check_csrf(viewer, csrf)
    body, _ = upload_file(app, viewer.user, file)
    return _redirect(f"/packages/{body['sha256']}")


@router.get("/packages/{sha256}")
def package_page(request: Request, app: AppState, viewer: Viewer, sha256: str, error: str | None = None) -> HTMLResponse:
    with app.database.session() as db:
        package = services.get_package(db, viewer.user, sha256)
        body = services.package_json(db, package)
        findings = services.findings(db, viewer.user, sha256, include_resolved=True)
        corrections = services.corrections(db, viewer.user, sha256)
        trail = services.audit_trail(db, viewer.user, sha256)
    record = parse_record(body["record"]) if body["record"] else None
    active = sorted((item for item in findings if item["active"]), key=lambda item: SEVERITIES.index(item["severity"]))
    view = record_view(record) if record is not None else {}
    return _page(request, "package.html", viewer, package=body, record=record, error=error,
                 findings=active, resolved=[item for item in findings if not item["active"]],
                 corrections=corrections, audit=trail, applicant=applicant_of(record) if record else None,
                 application=view.get("application"), recommendation=view.get("recommendation"),
                 is_application=isinstance(record, ApplicationRecord),
                 is_recommendation=isinstance(record, RecommendationRecord),
                 evidence_base=f"/packages/{body['sha256']}/evidence/", paths=_field_paths(record))


def _field_paths(record: OutputRecord | None) -> list[str]:
    """Paths to offer in the correction form: every value the reading placed, and every finding's field."""
    if record is None:
        return []
    wheres = (check.where for check in record.checks if check.where.split(".", 1)[0] in EDITABLE)
    return sorted({*record.provenance, *wheres} - {""})


@router.post("/packages/{sha256}/findings/{finding_id}/review")
def review(app: AppState, viewer: Viewer, sha256: str, finding_id: int, csrf: Csrf,
           decision: Annotated[str, Form()], reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    check_csrf(viewer, csrf)
    with app.database.session() as db:
        if services.finding_package(db, finding_id) != sha256:
            raise services.NotFound
        try:
            services.review(db, viewer.user, finding_id, decision, reason)
        except services.Invalid as error:
            return _redirect(f"/packages/{sha256}?error={quote(str(error))}#findings")
    return _redirect(f"/packages/{sha256}#finding-{finding_id}")


def _values(text: str) -> list[Any]:
    """What a value typed in the form may mean: its JSON reading (4, true, null, ["a"]) first, then the text itself."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return [text]
    return [parsed, text] if parsed != text else [text]


@router.post("/packages/{sha256}/corrections")
def correct(app: AppState, viewer: Viewer, sha256: str, csrf: Csrf, path: Annotated[str, Form(max_length=300)],
            value: Annotated[str, Form(max_length=20000)], reason: Annotated[str, Form(max_length=2000)]) -> Response:
    check_csrf(viewer, csrf)
    problem: Exception | None = None
    for candidate in _values(value.strip()):
        try:
            services.correct(app.database, viewer.user.id, sha256,
                             services.CorrectionRequest(path.strip(), candidate, reason), app.settings)
            return _redirect(f"/packages/{sha256}#corrections")
        except (CorrectionError, services.Invalid) as error:
            problem = error
    return _redirect(f"/packages/{sha256}?error={quote(str(problem))}#corrections")


@router.post("/packages/{sha256}/decision")
def decide(app: AppState, viewer: Viewer, sha256: str, csrf: Csrf, decision: Annotated[str, Form()],
           comment: Annotated[str, Form(max_length=4000)] = "", rank: Annotated[str, Form()] = "",
           policies: Annotated[str, Form(max_length=4000)] = "") -> Response:
    check_csrf(viewer, csrf)
    with app.database.session() as db:
        try:
            services.decide(db, viewer.user, sha256, decision, comment,
                            int(rank) if rank.strip().isdigit() else None, policies or None)
        except (services.Invalid, services.Conflict) as error:
            return _redirect(f"/packages/{sha256}?error={quote(str(error))}#decision")
    return _redirect(f"/packages/{sha256}#decision")


@router.get("/packages/{sha256}/evidence/{path:path}")
def evidence(app: AppState, viewer: Viewer, sha256: str, path: str) -> FileResponse:
    """An evidence crop of a package the viewer may see, from inside that package's folder only."""
    with app.database.session() as db:
        package = services.get_package(db, viewer.user, sha256)
    folder = app.config.package_folder(package.sha256).resolve()
    target = (folder / path).resolve()
    if not target.is_relative_to(folder) or not target.is_file() or target.suffix.lower() not in (".png", ".jpg"):
        raise services.NotFound
    return FileResponse(target)


# ---------------------------------------------------------------- the province's 推荐表


@router.get("/provinces/{province}/recommendation")
def recommendation_page(request: Request, app: AppState, viewer: Viewer, province: str) -> HTMLResponse:
    with app.database.session() as db:
        rows = recommendation.recommended(db, viewer.user, province)
    rules = recommendation.quota_rules(province, rows, app.settings.checks)
    return _page(request, "recommendation.html", viewer, province=province, rows=rows, rules=rules,
                 headers=recommendation.HEADERS, export=f"/provinces/{quote(province)}/recommendation.xlsx")


@router.get("/provinces/{province}/recommendation.xlsx")
def recommendation_xlsx(app: AppState, viewer: Viewer, province: str) -> Response:
    return recommendation_download(app, viewer.user, province)


# ---------------------------------------------------------------- users (admins)


def _admin(viewer: PageUser) -> None:
    if viewer.user.role != "admin":
        raise services.Forbidden("only an admin manages users")


@router.get("/admin/users")
def users_page(request: Request, app: AppState, viewer: Viewer, error: str | None = None) -> HTMLResponse:
    _admin(viewer)
    with app.database.session() as db:
        users = [{"name": user.name, "role": user.role, "province": user.province, "created_at": user.created_at}
                 for user in db.scalars(sa.select(User).order_by(User.name))]
    return _page(request, "users.html", viewer, users=users, error=error)


@router.post("/admin/users")
def add_user(app: AppState, viewer: Viewer, csrf: Csrf, name: Annotated[str, Form(max_length=64)],
             role: Annotated[str, Form()], password: Annotated[str, Form(max_length=200)],
             province: Annotated[str, Form(max_length=32)] = "") -> Response:
    check_csrf(viewer, csrf)
    _admin(viewer)
    with app.database.session() as db:
        try:
            added = security.add_user(db, name.strip(), role, password, province.strip() or None)
        except security.UserError as error:
            return _redirect(f"/admin/users?error={quote(str(error))}")
        services.audit(db, viewer.user, "user_add", target=added.name, new={"role": added.role,
                                                                            "province": added.province})
    return _redirect("/admin/users")
