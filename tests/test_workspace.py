"""The review workspace through its test client, on SQLite and on PostgreSQL: roles and scoping, uploads,
findings and reviews, corrections with every check re-run, decisions, the 推荐表, audit, and the pages'
security (CSRF, cookies, CSP, throttling, escaping, no secrets in logs)."""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from PIL import Image

import models
from dtpc.workspace import security, services
from dtpc.workspace.app import create_app
from dtpc.workspace.config import WorkspaceConfig
from dtpc.workspace.schema import Package
from pipeline.checks import CheckContext, run_checks
from tests import pg

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "corpus"
TRUTH_ONLY = {"expected_checks", "page_text", "generator"}
PASSWORDS = {"admin": "admin-pass-123", "mo": "ministry-pass-123", "js": "jiangsu-pass-123",
             "zj": "zhejiang-pass-123", "hn": "henan-pass-1234"}


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its production cost takes ~0.5 s a hash on a busy CI machine; the tests hash dozens."""
    monkeypatch.setattr(security, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def checked_truth(name: str) -> models.OutputRecord:
    """A sample's ground truth as a processed record, with every check run over it."""
    truth = models.parse_truth((CORPUS / f"{name}.truth.json").read_text(encoding="utf-8"))
    record = models.parse_record(truth.model_dump(mode="json", exclude=TRUTH_ONLY))
    assert isinstance(record, models.ApplicationRecord | models.RecommendationRecord)
    record.checks = run_checks(CheckContext(record=record, has_consortium_agreement=bool(record.basic_info.members)
                                            if isinstance(record, models.ApplicationRecord) else None))
    return record


def png_bytes(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (seed % 256, 10, 20)).save(buffer, "PNG")
    return buffer.getvalue()


class Workspace:
    """An app over a data folder and database, with a user per role and their API tokens."""

    def __init__(self, client: TestClient, config: WorkspaceConfig) -> None:
        self.client, self.config = client, config
        self.state = client.app.state.workspace  # type: ignore[attr-defined]
        self.tokens: dict[str, str] = {}
        with self.state.database.session() as db:
            for name, role, province in (("admin", "admin", None), ("mo", "ministry", None),
                                         ("js", "province", "江苏省"), ("zj", "province", "浙江省"),
                                         ("hn", "province", "河南省")):
                user = db.scalar(sa.select(security.User).where(security.User.name == name))
                if user is None:
                    user = security.add_user(db, name, role, PASSWORDS[name], province)
                self.tokens[name] = security.new_token(db, user)

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def upload(self, name: str, content: bytes, file_name: str = "package.pdf") -> Any:
        return self.client.post("/api/packages", headers=self.auth(name), files={"file": (file_name, content)})

    def processed(self, name: str, content: bytes, record: models.OutputRecord) -> str:
        """Upload `content` as `name` and finish it with `record` (the pipeline's part is tested elsewhere)."""
        response = self.upload(name, content)
        assert response.status_code == 202, response.text
        sha256 = response.json()["sha256"]
        with self.state.database.session() as db:
            assert services.claim_next(db) is not None
            services.finish(db, sha256, record.model_copy(
                update={"source": record.source.model_copy(update={"sha256": sha256})}))
        return sha256


def _client(tmp_path: Path, db: str | None, **options: Any) -> Iterator[Workspace]:
    config = WorkspaceConfig(data=tmp_path / "data", db=db, **{"process": False, **options})
    with TestClient(create_app(config)) as client:
        yield Workspace(client, config)


@pytest.fixture(params=["sqlite", "postgresql"])
def ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    if request.param == "sqlite":
        yield from _client(tmp_path, None)
    else:
        with pg.scratch_schema() as url:
            yield from _client(tmp_path, url)


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[Workspace]:
    yield from _client(tmp_path, None)


A09 = (CORPUS / "a09-mixed.pdf").read_bytes()


# ---------------------------------------------------------------- authentication and uploads


def test_api_needs_a_valid_token(lite: Workspace) -> None:
    client = lite.client
    assert client.get("/api/packages").status_code == 401
    assert client.get("/api/packages", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post("/api/packages", files={"file": ("a.pdf", b"%PDF-1.4")}).status_code == 401
    assert client.get("/api/packages", headers=lite.auth("js")).json() == []
    assert "/api/packages" in client.get("/openapi.json").json()["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr.net" in docs.headers["content-security-policy"]


def test_uploads_are_sniffed_capped_and_stored_by_sha256(tmp_path: Path) -> None:
    for ws in _client(tmp_path, None, max_upload_bytes=64 << 10):
        refused = ws.upload("js", b"GIF89a not a pdf at all", "looks-like.pdf")
        assert refused.status_code == 415
        assert "PDF" in refused.json()["detail"] and "TIFF" in refused.json()["detail"]
        assert ws.upload("js", b"<html><script>alert(1)</script>", "x.png").status_code == 415
        too_big = ws.upload("js", b"%PDF-1.4\n" + b"0" * (80 << 10), "big.pdf")
        assert too_big.status_code == 413
        head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-1.4\n'
        chunks = [head, *[b"0" * (512 << 10)] * 4, b"\r\n--b--\r\n"]
        streamed = ws.client.post("/api/packages", content=iter(chunks),  # chunked: no Content-Length to go by
                                  headers={**ws.auth("js"), "Content-Type": "multipart/form-data; boundary=b"})
        assert streamed.status_code == 413
        first = ws.upload("js", png_bytes(1), "../../etc/evil name.png")
        assert first.status_code == 202 and first.json()["status"] == "queued"
        again = ws.upload("js", png_bytes(1), "other.png")
        assert again.json()["sha256"] == first.json()["sha256"]
        stored = sorted(path.name for path in (ws.config.uploads).rglob("*") if path.is_file())
        assert stored == [f"{first.json()['sha256']}.png"]  # nothing under the client's name, nothing refused kept
        assert ws.client.get(f"/api/packages/{first.json()['sha256']}", headers=ws.auth("js")).json()["file"] == \
            "evil name.png"


# ---------------------------------------------------------------- who sees what


def test_another_provinces_package_is_a_404_everywhere(ws: Workspace) -> None:
    sha = ws.processed("js", A09, checked_truth("a09-mixed"))
    client, other = ws.client, ws.auth("zj")
    finding = client.get(f"/api/packages/{sha}/findings", headers=ws.auth("js")).json()[0]
    assert client.get(f"/api/packages/{sha}", headers=ws.auth("js")).json()["province"] == "江苏省"
    attempts = [
        client.get(f"/api/packages/{sha}", headers=other),
        client.get(f"/api/packages/{sha}/findings", headers=other),
        client.post(f"/api/findings/{finding['id']}/review", headers=other,
                    json={"decision": "dismissed", "reason": "x"}),
        client.post(f"/api/packages/{sha}/corrections", headers=other,
                    json={"path": "cover.contact", "value": "x", "reason": "x"}),
        client.get(f"/api/packages/{sha}/corrections", headers=other),
        client.post(f"/api/packages/{sha}/decision", headers=other, json={"decision": "reject"}),
        client.get(f"/api/audit?package={sha}", headers=other),
        client.get("/api/provinces/江苏省/recommendation.xlsx", headers=other),
    ]
    assert [response.status_code for response in attempts] == [404] * len(attempts)
    assert attempts[0].json() == client.get(f"/api/packages/{'0' * 64}", headers=other).json()
    assert client.get("/api/packages", headers=other).json() == []
    assert client.get("/api/audit", headers=other).json() == []
    assert [p["sha256"] for p in client.get("/api/packages", headers=ws.auth("mo")).json()] == [sha]
    assert client.get(f"/api/packages/{sha}", headers=ws.auth("mo")).status_code == 200
    assert ws.upload("zj", A09).status_code == 409  # the same bytes from another province: not handed over


def test_a_ministry_upload_belongs_to_the_province_on_its_cover(ws: Workspace) -> None:
    sha = ws.processed("mo", A09, checked_truth("a09-mixed"))
    body = ws.client.get(f"/api/packages/{sha}", headers=ws.auth("mo")).json()
    assert body["province"] == "河南省" and body["status"] == "done"
    assert body["record"]["basic_info"]["lead_unit"]["is_legal_person"] is False
    assert ws.client.get(f"/api/packages/{sha}", headers=ws.auth("hn")).status_code == 200
    assert ws.client.get(f"/api/packages/{sha}", headers=ws.auth("js")).status_code == 404
    listed = ws.client.get("/api/packages?province=河南省&status=done&severity=error", headers=ws.auth("mo")).json()
    assert [p["sha256"] for p in listed] == [sha]
    assert ws.client.get("/api/packages?severity=error&status=queued", headers=ws.auth("mo")).json() == []


def test_only_an_admin_adds_users(lite: Workspace) -> None:
    body = {"name": "new", "role": "province", "province": "江苏省", "password": "long-enough-1"}
    assert lite.client.post("/api/users", headers=lite.auth("mo"), json=body).status_code == 403
    assert lite.client.post("/api/users", headers=lite.auth("admin"), json=body).status_code == 201
    assert lite.client.post("/api/users", headers=lite.auth("admin"), json=body).status_code == 422


# ---------------------------------------------------------------- reviews, corrections, decisions, audit


def test_findings_are_reviewed_with_a_reason(ws: Workspace) -> None:
    sha = ws.processed("js", A09, checked_truth("a09-mixed"))
    findings = ws.client.get(f"/api/packages/{sha}/findings", headers=ws.auth("js")).json()
    codes = {item["code"] for item in findings}
    assert {"NOT_LEGAL_PERSON", "INVALID_PHONE"} <= codes
    assert all(isinstance(item["id"], int) and item["review"] is None and "severity" in item for item in findings)
    phone = next(item for item in findings if item["code"] == "INVALID_PHONE")
    url = f"/api/findings/{phone['id']}/review"
    assert ws.client.post(url, headers=ws.auth("js"), json={"decision": "dismissed"}).status_code == 422
    assert ws.client.post(url, headers=ws.auth("js"), json={"decision": "maybe", "reason": "x"}).status_code == 422
    done = ws.client.post(url, headers=ws.auth("js"), json={"decision": "dismissed", "reason": "座机号，格式无误"})
    assert done.status_code == 200
    assert done.json()["review"]["decision"] == "dismissed" and done.json()["review"]["by"] == "js"
    again = ws.client.post(url, headers=ws.auth("mo"), json={"decision": "confirmed", "reason": "部里复核"}).json()
    assert again["review"] == {**again["review"], "decision": "confirmed", "by": "mo"}
    warnings = ws.client.get(f"/api/packages/{sha}", headers=ws.auth("js")).json()["findings"]["warning"]
    ws.client.post(url, headers=ws.auth("js"), json={"decision": "dismissed", "reason": "座机号，格式无误"})
    assert ws.client.get(f"/api/packages/{sha}", headers=ws.auth("js")).json()["findings"]["warning"] == warnings - 1
    ws.client.post(url, headers=ws.auth("mo"), json={"decision": "confirmed", "reason": "部里复核"})
    trail = ws.client.get(f"/api/audit?package={sha}", headers=ws.auth("js")).json()
    reviews = [entry for entry in trail if entry["action"] == "review"]
    assert reviews[0]["by"] == "mo" and reviews[0]["old"] == {"decision": "dismissed", "reason": "座机号，格式无误"}
    assert reviews[0]["new"]["decision"] == "confirmed"


def test_a_correction_reruns_every_check_and_keeps_the_original(ws: Workspace) -> None:
    sha = ws.processed("js", A09, checked_truth("a09-mixed"))
    client, auth = ws.client, ws.auth("js")
    url = f"/api/packages/{sha}/corrections"
    assert client.post(url, headers=auth, json={"path": "source.sha256", "value": "x", "reason": "r"}).status_code == 422
    assert client.post(url, headers=auth, json={"path": "basic_info.nope", "value": 1, "reason": "r"}).status_code == 422
    assert client.post(url, headers=auth, json={"path": "basic_info.lead_unit.is_legal_person", "value": "maybe",
                                                "reason": "r"}).status_code == 422
    assert client.post(url, headers=auth, json={"path": "basic_info.lead_unit.is_legal_person", "value": True,
                                                "reason": ""}).status_code == 422
    response = client.post(url, headers=auth, json={"path": "basic_info.lead_unit.is_legal_person", "value": True,
                                                    "reason": "营业执照为独立法人，复选框误读"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["record"]["basic_info"]["lead_unit"]["is_legal_person"] is True
    assert body["original_record"]["basic_info"]["lead_unit"]["is_legal_person"] is False
    assert "NOT_LEGAL_PERSON" not in {check["code"] for check in body["record"]["checks"]}
    assert "INVALID_PHONE" in {check["code"] for check in body["record"]["checks"]}  # the rest still found
    active = client.get(f"/api/packages/{sha}/findings", headers=auth).json()
    assert "NOT_LEGAL_PERSON" not in {item["code"] for item in active}
    everything = client.get(f"/api/packages/{sha}/findings?resolved=true", headers=auth).json()
    assert any(item["code"] == "NOT_LEGAL_PERSON" and not item["active"] for item in everything)
    listed = client.get(url, headers=auth).json()
    assert [(c["path"], c["original"], c["value"], c["by"]) for c in listed] == [
        ("basic_info.lead_unit.is_legal_person", False, True, "js")]
    entry = next(e for e in client.get(f"/api/audit?package={sha}", headers=auth).json() if e["action"] == "correction")
    assert (entry["old"], entry["new"], entry["target"]) == (False, True, "basic_info.lead_unit.is_legal_person")
    with ws.state.database.engine.connect() as connection:  # the batch tables hold the corrected record
        assert connection.execute(sa.text("SELECT lead_is_legal_person FROM submissions WHERE sha256 = :s"),
                                  {"s": sha}).scalar() in (True, 1)


def test_concurrent_corrections_both_land(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    sha = ws.processed("js", A09, checked_truth("a09-mixed"))
    original = services.corrected_record

    def slow(*args: Any, **kwargs: Any) -> Any:  # both requests compute at the same time: one must retry
        record = original(*args, **kwargs)
        time.sleep(0.3)
        return record

    monkeypatch.setattr(services, "corrected_record", slow)
    edits = [("cover.contact", "王五"), ("basic_info.head.mobile", "13812345678"),
             ("basic_info.lead_unit.is_legal_person", True)]
    results: list[int] = []
    start = threading.Barrier(len(edits))

    def send(path: str, value: Any, user: str) -> None:
        start.wait()
        response = ws.client.post(f"/api/packages/{sha}/corrections", headers=ws.auth(user),
                                  json={"path": path, "value": value, "reason": f"fix {path}"})
        results.append(response.status_code)

    threads = [threading.Thread(target=send, args=(path, value, user))
               for (path, value), user in zip(edits, ("js", "mo", "js"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200, 200]
    record = ws.client.get(f"/api/packages/{sha}", headers=ws.auth("js")).json()["record"]
    assert record["cover"]["contact"] == "王五" and record["basic_info"]["head"]["mobile"] == "13812345678"
    assert record["basic_info"]["lead_unit"]["is_legal_person"] is True
    assert len(ws.client.get(f"/api/packages/{sha}/corrections", headers=ws.auth("js")).json()) == 3
    codes = {item["code"] for item in ws.client.get(f"/api/packages/{sha}/findings", headers=ws.auth("js")).json()}
    assert not codes & {"NOT_LEGAL_PERSON", "INVALID_PHONE"}


def test_decisions_fill_the_recommendation_table_with_quota_checks(ws: Workspace) -> None:
    truth = checked_truth("a09-mixed")
    assert isinstance(truth, models.ApplicationRecord)
    shas = []
    for seed in range(3):
        record = truth.model_copy(deep=True)
        record.cover.applicant = f"江苏第{seed + 1}数促中心有限公司"
        record.basic_info.members = []  # single applicants: the consortium rule is the next test's
        shas.append(ws.processed("js", png_bytes(seed + 10), record))
    client, auth = ws.client, ws.auth("js")
    assert client.post(f"/api/packages/{shas[0]}/decision", headers=auth, json={"decision": "promote"}).status_code == 422
    for rank, sha in zip((2, 1), shas[:2], strict=True):
        response = client.post(f"/api/packages/{sha}/decision", headers=auth,
                               json={"decision": "recommend", "comment": "材料齐全", "rank": rank, "policies": "省级资金 500 万元"})
        assert response.status_code == 200 and response.json()["decision"]["decision"] == "recommend"
    summary = client.get("/api/provinces/江苏省/recommendation", headers=auth).json()
    assert [row["name"] for row in summary["rows"]] == ["江苏第2数促中心有限公司", "江苏第1数促中心有限公司"]
    assert [(rule["limit"], rule["count"], rule["ok"]) for rule in summary["rules"]] == [(3, 2, True), (1, 0, True)]
    client.post(f"/api/packages/{shas[2]}/decision", headers=auth, json={"decision": "recommend"})
    client.post(f"/api/packages/{shas[2]}/decision", headers=ws.auth("mo"), json={"decision": "request_more",
                                                                                  "comment": "补充附件"})
    assert len(client.get("/api/provinces/江苏省/recommendation", headers=auth).json()["rows"]) == 2
    xlsx = client.get("/api/provinces/江苏省/recommendation.xlsx", headers=auth)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = [row for row in book["推荐表"].iter_rows(values_only=True)]
    assert rows[0][0] == "江苏省制造业数字化转型促进中心推荐表" and rows[1][1] == "申报对象名称"
    assert rows[2][:2] == (1, "江苏第2数促中心有限公司") and rows[3][:2] == (2, "江苏第1数促中心有限公司")
    assert rows[2][3] == "省级资金 500 万元"
    decisions = [e for e in client.get(f"/api/audit?package={shas[2]}", headers=auth).json() if e["action"] == "decision"]
    assert decisions[0]["old"]["decision"] == "recommend" and decisions[0]["new"]["decision"] == "request_more"


def test_quota_rules_flag_too_many_and_a_second_consortium(lite: Workspace) -> None:
    truth = checked_truth("a09-mixed")
    assert isinstance(truth, models.ApplicationRecord)
    consortium = truth.model_copy(deep=True)
    consortium.basic_info.members = [models.Member(name="成员甲有限公司", type="企业")]
    for seed in range(3):
        sha = lite.processed("zj" if seed < 3 else "js", png_bytes(seed + 40), consortium)
        lite.client.post(f"/api/packages/{sha}/decision", headers=lite.auth("zj"), json={"decision": "recommend"})
    rules = lite.client.get("/api/provinces/浙江省/recommendation", headers=lite.auth("mo")).json()["rules"]
    assert [(rule["limit"], rule["count"], rule["ok"]) for rule in rules] == [(3, 3, True), (1, 3, False)]
    more = lite.processed("zj", png_bytes(60), truth)
    lite.client.post(f"/api/packages/{more}/decision", headers=lite.auth("zj"), json={"decision": "recommend"})
    rules = lite.client.get("/api/provinces/浙江省/recommendation", headers=lite.auth("zj")).json()["rules"]
    assert (rules[0]["count"], rules[0]["ok"]) == (4, False)
    page = _login(lite, "zj").get("/provinces/浙江省/recommendation")
    assert page.status_code == 200 and 'data-ok="false"' in page.text and "超出" in page.text


# ---------------------------------------------------------------- the queue and a real file


def test_a_queued_upload_survives_a_restart_and_is_processed(tmp_path: Path) -> None:
    for first in _client(tmp_path, None):
        sha = first.upload("hn", (CORPUS / "a07-digital.pdf").read_bytes(), "a07.pdf").json()["sha256"]
        broken = first.upload("hn", b"%PDF-1.4\n%broken beyond repair\n", "broken.pdf").json()["sha256"]
        with first.state.database.session() as db:  # the server dies mid-file
            db.execute(sa.update(Package).where(Package.sha256 == broken).values(status="processing"))
    for second in _client(tmp_path, None, process=True, file_workers=1):
        deadline = time.monotonic() + 240
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            states = {p["sha256"]: p["status"] for p in second.client.get("/api/packages", headers=second.auth("hn")).json()}
            if set(states.values()) <= {"done", "failed"}:
                break
            time.sleep(0.5)
        assert states == {sha: "done", broken: "failed"}
        body = second.client.get(f"/api/packages/{sha}", headers=second.auth("hn")).json()
        assert body["record"]["doc_type"] == "application" and body["record"]["source"]["file"] == "a07.pdf"
        findings = second.client.get(f"/api/packages/{sha}/findings", headers=second.auth("hn")).json()
        assert "INVESTOR_COUNT_MISMATCH" in {item["code"] for item in findings}
        failed = second.client.get(f"/api/packages/{broken}/findings", headers=second.auth("hn")).json()
        assert [item["code"] for item in failed] == ["INPUT_UNREADABLE"]


# ---------------------------------------------------------------- pages: sessions, CSRF, CSP, throttling, escaping


def _csrf(text: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', text)
    assert match, text[:500]
    return match.group(1)


def _login(ws: Workspace, name: str, password: str | None = None) -> TestClient:
    client = TestClient(ws.client.app)
    page = client.get("/login")
    response = client.post("/login", data={"name": name, "password": password or PASSWORDS[name],
                                           "csrf": _csrf(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def test_login_sets_a_strict_httponly_cookie_and_every_form_needs_its_csrf_token(lite: Workspace) -> None:
    sha = lite.processed("js", A09, checked_truth("a09-mixed"))
    client = TestClient(lite.client.app)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    page = client.get("/login")
    assert "HttpOnly" in page.headers["set-cookie"] and "SameSite=strict" in page.headers["set-cookie"]
    no_token = client.post("/login", data={"name": "js", "password": PASSWORDS["js"], "csrf": "forged"},
                           follow_redirects=False)
    assert no_token.status_code == 401 and "dtpc_session" not in no_token.headers.get("set-cookie", "")
    response = client.post("/login", data={"name": "js", "password": PASSWORDS["js"], "csrf": _csrf(page.text)},
                           follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "dtpc_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = client.get("/")
    assert home.status_code == 200
    csp = home.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    token = _csrf(home.text)
    finding = lite.client.get(f"/api/packages/{sha}/findings", headers=lite.auth("js")).json()[0]
    review = f"/packages/{sha}/findings/{finding['id']}/review"
    for forged in ({}, {"csrf": "x" * 43}, {"csrf": _csrf(_login(lite, "js").get("/").text)}):
        attempt = client.post(review, data={"decision": "dismissed", "reason": "r", **forged}, follow_redirects=False)
        assert attempt.status_code == 403, forged
    for url, form in ((f"/packages/{sha}/corrections", {"path": "cover.contact", "value": "x", "reason": "r"}),
                      (f"/packages/{sha}/decision", {"decision": "reject"}), ("/logout", {})):
        assert client.post(url, data={**form, "csrf": "forged"}, follow_redirects=False).status_code == 403
    assert lite.client.get(f"/api/packages/{sha}/findings", headers=lite.auth("js")).json()[0]["review"] is None
    done = client.post(review, data={"decision": "dismissed", "reason": "误报", "csrf": token}, follow_redirects=False)
    assert done.status_code == 303
    assert lite.client.get(f"/api/packages/{sha}/findings", headers=lite.auth("js")).json()[0]["review"]["by"] == "js"
    assert client.get(f"/packages/{sha}").status_code == 200
    assert _login(lite, "zj").get(f"/packages/{sha}").status_code == 404


def test_login_is_throttled_after_repeated_failures(lite: Workspace) -> None:
    client = TestClient(lite.client.app)
    token = _csrf(client.get("/login").text)
    for _ in range(lite.config.throttle_failures):
        wrong = client.post("/login", data={"name": "js", "password": "wrong", "csrf": token}, follow_redirects=False)
        assert wrong.status_code == 401
    right = client.post("/login", data={"name": "js", "password": PASSWORDS["js"], "csrf": token},
                        follow_redirects=False)
    assert right.status_code == 429 and "dtpc_session" not in right.headers.get("set-cookie", "")
    assert _login(lite, "zj").get("/").status_code == 200  # another name (same address limit not reached)


def test_pages_escape_what_uploaders_control(lite: Workspace) -> None:
    hostile = "<img src=x onerror=alert(1)>.png"
    lite.upload("js", png_bytes(99), hostile)
    page = _login(lite, "js").get("/")
    assert "<img src=x" not in page.text and "&lt;img src=x onerror=alert(1)&gt;.png" in page.text


def test_no_password_or_token_reaches_the_logs(lite: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = _login(lite, "js")
    client.get("/")
    lite.client.get("/api/packages", headers=lite.auth("js"))
    lite.client.get("/api/packages", headers={"Authorization": "Bearer wrong-token-value"})
    TestClient(lite.client.app).post("/login", data={"name": "js", "password": "wrong-password-value", "csrf": "x"})
    text = caplog.text + "".join(str(record.args) for record in caplog.records)
    for secret in (*PASSWORDS.values(), *lite.tokens.values(), "wrong-token-value", "wrong-password-value"):
        assert secret not in text


def test_the_schema_is_migrated_once_and_again_without_change(tmp_path: Path) -> None:
    for _ in _client(tmp_path, None):
        pass
    for ws in _client(tmp_path, None):
        with ws.state.database.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT version_num FROM ws_alembic_version")).scalar() == "0001"


def test_evidence_is_served_from_inside_the_package_folder_only(lite: Workspace) -> None:
    sha = lite.processed("js", A09, checked_truth("a09-mixed"))
    folder = lite.config.package_folder(sha)
    (folder / "crop.png").parent.mkdir(parents=True, exist_ok=True)
    (folder / "crop.png").write_bytes(png_bytes(5))
    client = _login(lite, "js")
    assert client.get(f"/packages/{sha}/evidence/crop.png").status_code == 200
    for escape in ("%2e%2e/%2e%2e/workspace.sqlite", "..%2f..%2fworkspace.sqlite", "%2fetc%2fpasswd"):
        assert client.get(f"/packages/{sha}/evidence/{escape}").status_code == 404, escape
    assert _login(lite, "zj").get(f"/packages/{sha}/evidence/crop.png").status_code == 404
    assert TestClient(lite.client.app).get(f"/packages/{sha}/evidence/crop.png", follow_redirects=False).status_code == 303


def test_with_a_scheduler_files_are_processed_on_the_dask_cluster(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    from dtpc.workspace import worker

    def local_pool(*_args: Any) -> Any:
        raise AssertionError("the local pool ran although a scheduler was given")

    monkeypatch.setattr(worker, "run_local", local_pool)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        for ws in _client(tmp_path, None, process=True, scheduler=cluster.scheduler_address, file_workers=1):
            sha = ws.upload("js", b"%PDF-1.4\n%not really a PDF\n", "broken.pdf").json()["sha256"]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                body = ws.client.get(f"/api/packages/{sha}", headers=ws.auth("js")).json()
                if body["status"] in ("done", "failed"):
                    break
                time.sleep(0.3)
            assert body["status"] == "failed"
            assert [check["code"] for check in body["record"]["checks"]] == ["INPUT_UNREADABLE"]
            assert "corrupt PDF" in body["record"]["checks"][0]["message"]  # read by the pipeline, not a Dask error


def test_an_admin_adds_users_on_the_users_page(lite: Workspace) -> None:
    assert _login(lite, "mo").get("/admin/users").status_code == 403
    admin = _login(lite, "admin")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "zj" in page.text
    form = {"name": "sd", "role": "province", "province": "山东省", "password": "shandong-pass-1"}
    assert admin.post("/admin/users", data=form, follow_redirects=False).status_code == 403  # no CSRF token
    added = admin.post("/admin/users", data={**form, "csrf": _csrf(page.text)}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/admin/users"
    assert _login(lite, "sd", form["password"]).get("/").status_code == 200
    refused = admin.post("/admin/users", data={**form, "name": "x", "province": "", "csrf": _csrf(page.text)})
    assert "province" in refused.text


def _at(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value[part]
    return value


def test_the_correction_form_reads_json_then_text(lite: Workspace) -> None:
    sha = lite.processed("js", A09, checked_truth("a09-mixed"))
    client = _login(lite, "js")
    token = _csrf(client.get(f"/packages/{sha}").text)
    for path, typed, expected in (("basic_info.head.mobile", "13812345678", "13812345678"),
                                  ("basic_info.lead_unit.is_legal_person", "true", True),
                                  ("cover.contact", "王 五", "王 五")):
        response = client.post(f"/packages/{sha}/corrections", follow_redirects=False,
                               data={"path": path, "value": typed, "reason": "核对原件", "csrf": token})
        assert response.status_code == 303 and "error" not in response.headers["location"], response.headers
        record = lite.client.get(f"/api/packages/{sha}", headers=lite.auth("js")).json()["record"]
        assert _at(record, path) == expected
    refused = client.post(f"/packages/{sha}/corrections", follow_redirects=False,
                          data={"path": "basic_info.finance[0].revenue", "value": "很多", "reason": "r", "csrf": token})
    assert "error=" in refused.headers["location"]
    assert "很多" not in str(lite.client.get(f"/api/packages/{sha}", headers=lite.auth("js")).json()["record"])


def test_the_user_commands(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dtpc.cli import app

    data = ["--data", str(tmp_path / "data")]
    runner = CliRunner()
    assert runner.invoke(app, ["user", "add", "li", "--role", "province", *data], input="x" * 12 + "\n").exit_code == 2
    assert runner.invoke(app, ["user", "add", "li", "--role", "province", "--password-stdin", *data],
                         input="long-password-1\n").exit_code == 1  # a province user needs --province
    added = runner.invoke(app, ["user", "add", "li", "--role", "province", "--province", "江苏省", "--password-stdin",
                                *data], input="long-password-1\n")
    assert added.exit_code == 0 and "long-password-1" not in added.output
    assert runner.invoke(app, ["user", "add", "li", "--role", "ministry", "--password-stdin", *data],
                         input="long-password-1\n").exit_code == 1  # the name is taken
    token = runner.invoke(app, ["user", "token", "li", *data])
    assert token.exit_code == 0 and len(token.output.strip()) >= 40
    assert runner.invoke(app, ["user", "token", "nobody", *data]).exit_code == 1
    for ws in _client(tmp_path, None):
        packages = ws.client.get("/api/packages", headers={"Authorization": f"Bearer {token.output.strip()}"})
        assert packages.status_code == 200
