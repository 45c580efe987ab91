"""Passwords (argon2), API tokens, browser sessions with their CSRF token, and login throttling.

Secrets are random (`secrets`), stored only as hashes (argon2 for passwords, sha256 for the random
tokens and session ids), compared in constant time, and never logged.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session as DbSession

from dtpc.workspace.config import SESSION_HOURS
from dtpc.workspace.schema import ROLES, LoginFailure, Session, Token, User, now

# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile); tests swap in cheaper parameters.
hasher = PasswordHasher()


class UserError(ValueError):
    """A user could not be added as asked (bad role, missing province, name taken)."""


class LoginThrottled(Exception):
    """Too many failed logins for this name or from this address; try again later."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def add_user(db: DbSession, name: str, role: str, password: str, province: str | None = None) -> User:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if role == "province" and not province:
        raise UserError("a province user needs --province (e.g. 江苏省)")
    if role != "province" and province:
        raise UserError("only a province user belongs to a province")
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters")
    if db.scalar(sa.select(User).where(User.name == name)) is not None:
        raise UserError(f"user {name} exists")
    user = User(name=name, role=role, province=province, password_hash=hasher.hash(password))
    db.add(user)
    db.flush()
    return user


def new_token(db: DbSession, user: User) -> str:
    """A new API token for `user` (printed once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    db.add(Token(token_hash=digest(token), user_id=user.id))
    db.flush()
    return token


def user_for_token(db: DbSession, token: str) -> User | None:
    row = db.get(Token, digest(token))
    return None if row is None else db.get(User, row.user_id)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name costs as long as a wrong password."""
    return hasher.hash(secrets.token_urlsafe(16))


def check_password(user: User | None, password: str) -> bool:
    try:
        return hasher.verify(user.password_hash if user else _dummy_hash(), password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class NewSession:
    cookie: str  # the value for the browser; only its hash is stored
    csrf: str


def start_session(db: DbSession, user: User) -> NewSession:
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db.add(Session(id_hash=digest(cookie), user_id=user.id, csrf=csrf,
                   expires_at=now() + timedelta(hours=SESSION_HOURS)))
    db.flush()
    return NewSession(cookie, csrf)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=now().tzinfo)


def session_for_cookie(db: DbSession, cookie: str) -> tuple[Session, User] | None:
    row = db.get(Session, digest(cookie))
    if row is None or _aware(row.expires_at) < now():
        return None
    user = db.get(User, row.user_id)
    return None if user is None else (row, user)


def end_session(db: DbSession, cookie: str) -> None:
    db.execute(sa.delete(Session).where(Session.id_hash == digest(cookie)))


# An address (an office behind one NAT) may fail this many times more than one name before it is locked.
ADDRESS_FACTOR = 4


def check_throttle(db: DbSession, name: str, address: str, failures: int, window_s: int) -> None:
    """Raise LoginThrottled when the name has `failures` failed logins within the window, or the address
    ADDRESS_FACTOR times that."""
    since = now() - timedelta(seconds=window_s)
    for column, value, limit in ((LoginFailure.name, name, failures),
                                 (LoginFailure.address, address, failures * ADDRESS_FACTOR)):
        count = db.scalar(sa.select(sa.func.count()).select_from(LoginFailure)
                          .where(column == value, LoginFailure.at >= since)) or 0
        if count >= limit:
            raise LoginThrottled


def record_failure(db: DbSession, name: str, address: str) -> None:
    db.add(LoginFailure(name=name[:64], address=address[:64]))


def login(db: DbSession, name: str, password: str, address: str, failures: int, window_s: int) -> User | None:
    """The user when name and password match; None (and a failure recorded) when not; LoginThrottled when locked."""
    check_throttle(db, name, address, failures, window_s)
    user = db.scalar(sa.select(User).where(User.name == name))
    if not check_password(user, password):
        record_failure(db, name, address)
        return None
    return user
