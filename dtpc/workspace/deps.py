"""What route handlers share: the app's state, the caller (bearer token for the API, session cookie for
pages), the CSRF check for forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dtpc.workspace import security
from dtpc.workspace.config import WorkspaceConfig
from dtpc.workspace.db import Database
from dtpc.workspace.schema import User
from dtpc.workspace.worker import Worker
from pipeline.config import Settings

SESSION_COOKIE = "dtpc_session"
LOGIN_CSRF_COOKIE = "dtpc_login_csrf"
bearer = HTTPBearer(auto_error=False, description="an API token from `dtpc user token NAME`")


@dataclass
class State:
    config: WorkspaceConfig
    database: Database
    settings: Settings
    worker: Worker | None = None


def state(request: Request) -> State:
    found: State = request.app.state.workspace
    return found


AppState = Annotated[State, Depends(state)]


def api_user(app: AppState, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    """The token's user; 401 without a valid bearer token."""
    if credentials is not None and credentials.scheme.lower() == "bearer":
        with app.database.session() as db:
            user = security.user_for_token(db, credentials.credentials)
        if user is not None:
            return user
    raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})


ApiUser = Annotated[User, Depends(api_user)]


@dataclass(frozen=True)
class PageUser:
    user: User
    csrf: str


class LoginRequired(Exception):
    """No valid session: the page handler sends the browser to /login."""


def page_user(request: Request, app: AppState) -> PageUser:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        with app.database.session() as db:
            found = security.session_for_cookie(db, cookie)
        if found is not None:
            session, user = found
            return PageUser(user, session.csrf)
    raise LoginRequired


Viewer = Annotated[PageUser, Depends(page_user)]


class CsrfFailed(Exception):
    """A form posted without the session's CSRF token."""


def check_csrf(viewer: PageUser, token: str | None) -> None:
    if not token or not security.same(token, viewer.csrf):
        raise CsrfFailed
