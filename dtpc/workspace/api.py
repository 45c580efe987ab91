"""The JSON API (bearer token). OpenAPI at /docs."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile
from pydantic import BaseModel, Field

from dtpc.workspace import recommendation, security, services
from dtpc.workspace.deps import ApiUser, AppState
from dtpc.workspace.uploads import StoredUpload, display_name, store

router = APIRouter(prefix="/api", tags=["api"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReviewIn(BaseModel):
    decision: Literal["confirmed", "dismissed"]
    reason: str = Field(default="", max_length=2000)


class CorrectionIn(BaseModel):
    path: str = Field(max_length=300, examples=["basic_info.lead_unit.is_legal_person"])
    value: Any = None
    reason: str = Field(min_length=1, max_length=2000)


class DecisionIn(BaseModel):
    decision: Literal["recommend", "reject", "request_more"]
    comment: str = Field(default="", max_length=4000)
    rank: int | None = Field(default=None, ge=1, description="place in the province's 推荐表 (1 first)")
    policies: str | None = Field(default=None, max_length=4000,
                                 description="省市两级给予建设主体的相关政策, for the 推荐表")


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    role: Literal["admin", "ministry", "province"]
    province: str | None = None
    password: str = Field(min_length=8, max_length=200)


def upload_file(app: AppState, user: Any, file: UploadFile) -> tuple[dict[str, Any], bool]:
    """Store and queue an upload (shared with the upload form); (package JSON, created)."""
    stored = store(file.file, app.config.uploads, app.config.max_upload_bytes)
    try:
        body, created = _submit(app, user, stored, display_name(file.filename))
    except sa.exc.IntegrityError:  # the same bytes sent twice at once: the other request made the package
        body, created = _submit(app, user, stored, display_name(file.filename))
    if created and app.worker is not None:
        app.worker.wake.set()
    return body, created


def _submit(app: AppState, user: Any, stored: StoredUpload, name: str) -> tuple[dict[str, Any], bool]:
    with app.database.session() as db:
        package, created = services.submit(db, user, stored, name, app.config.data)
        return {"sha256": package.sha256, "status": package.status}, created


@router.post("/packages", status_code=202, summary="Upload a package (PDF, TIFF, PNG or JPEG)")
def post_package(app: AppState, user: ApiUser, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
    body, _ = upload_file(app, user, file)
    return body


@router.get("/packages")
def get_packages(app: AppState, user: ApiUser, province: str | None = None,
                 status: Literal["queued", "processing", "done", "failed"] | None = None,
                 severity: Literal["error", "warning", "info"] | None = None) -> list[dict[str, Any]]:
    with app.database.session() as db:
        return [services.package_json(db, package, with_record=False)
                for package in services.list_packages(db, user, province, status, severity)]


@router.get("/packages/{sha256}")
def get_package(app: AppState, user: ApiUser, sha256: str) -> dict[str, Any]:
    with app.database.session() as db:
        return services.package_json(db, services.get_package(db, user, sha256))


@router.get("/packages/{sha256}/findings")
def get_findings(app: AppState, user: ApiUser, sha256: str,
                 resolved: Annotated[bool, Query(description="also findings a re-run no longer makes")] = False,
                 ) -> list[dict[str, Any]]:
    with app.database.session() as db:
        return services.findings(db, user, sha256, include_resolved=resolved)


@router.post("/findings/{finding_id}/review")
def post_review(app: AppState, user: ApiUser, finding_id: int, body: ReviewIn) -> dict[str, Any]:
    with app.database.session() as db:
        return services.review(db, user, finding_id, body.decision, body.reason)


@router.post("/packages/{sha256}/corrections")
def post_correction(app: AppState, user: ApiUser, sha256: str, body: CorrectionIn) -> dict[str, Any]:
    request = services.CorrectionRequest(body.path, body.value, body.reason)
    return services.correct(app.database, user.id, sha256, request, app.settings)


@router.get("/packages/{sha256}/corrections")
def get_corrections(app: AppState, user: ApiUser, sha256: str) -> list[dict[str, Any]]:
    with app.database.session() as db:
        return services.corrections(db, user, sha256)


@router.post("/packages/{sha256}/decision")
def post_decision(app: AppState, user: ApiUser, sha256: str, body: DecisionIn) -> dict[str, Any]:
    with app.database.session() as db:
        return services.decide(db, user, sha256, body.decision, body.comment, body.rank, body.policies)


@router.get("/audit")
def get_audit(app: AppState, user: ApiUser, package: str | None = None) -> list[dict[str, Any]]:
    with app.database.session() as db:
        return services.audit_trail(db, user, package)


@router.get("/provinces/{province}/recommendation")
def get_recommendation(app: AppState, user: ApiUser, province: str) -> dict[str, Any]:
    with app.database.session() as db:
        rows = recommendation.recommended(db, user, province)
    rules = recommendation.quota_rules(province, rows, app.settings.checks)
    return {"province": province, "rows": [row.__dict__ for row in rows],
            "rules": [{"rule": rule.rule, "limit": rule.limit, "count": rule.count, "ok": rule.ok} for rule in rules]}


@router.get("/provinces/{province}/recommendation.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def get_recommendation_xlsx(app: AppState, user: ApiUser, province: str) -> Response:
    return recommendation_download(app, user, province)


def recommendation_download(app: AppState, user: Any, province: str) -> Response:
    with app.database.session() as db:
        rows = recommendation.recommended(db, user, province)
    content = recommendation.workbook(province, rows, recommendation.quota_rules(province, rows, app.settings.checks))
    name = quote(f"{province}推荐表.xlsx")
    return Response(content, media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=\"recommendation.xlsx\"; filename*=UTF-8''{name}"})


@router.post("/users", status_code=201, summary="Add a user (admins only)")
def post_user(app: AppState, user: ApiUser, body: UserIn) -> dict[str, Any]:
    if user.role != "admin":
        raise services.Forbidden("only an admin manages users")
    with app.database.session() as db:
        try:
            added = security.add_user(db, body.name, body.role, body.password, body.province)
        except security.UserError as error:
            raise HTTPException(422, str(error)) from error
        services.audit(db, user, "user_add", target=added.name, new={"role": added.role, "province": added.province})
        return {"name": added.name, "role": added.role, "province": added.province}

