"""Throttling of log-ins and password-reset e-mails, by hand rather than with django-axes (docs/security.md).

An attempt is counted before the password is checked, in one statement per key that increments the counter
(or starts a new window) and returns the new count: of any number of parallel attempts, exactly the first
`limit` see a count within the limit, whatever the interleaving. A successful log-in gives its attempt back.
"""

import ipaddress
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from .models import AttemptCounter


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int


def normalised_username(username: str) -> str:
    """The user name as it is counted: NFKC (what Django authenticates: "ａｌｉｃｅ" is "alice"), casefolded
    ("ALICE", "Alice"), without surrounding space. Every spelling of one name shares one counter."""
    return unicodedata.normalize("NFKC", username or "").casefold().strip()


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is one of settings.TRUSTED_PROXIES; then the nearest
    address in X-Forwarded-For that is not a trusted proxy (proxies append, so the right end is theirs)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = _trusted_proxies()
    if not proxies or not _is_trusted(remote, proxies):
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    for address in reversed(forwarded):
        if not _is_trusted(address, proxies):
            return address if _valid(address) else remote
    return remote


def login_limits(username: str, address: str) -> list[Limit]:
    name = normalised_username(username)[:150]
    return [
        Limit(f"login-pair:{name}|{address}", settings.LOGIN_FAILURE_LIMIT),
        Limit(f"login-user:{name}", settings.LOGIN_FAILURE_USER_LIMIT),
        Limit(f"login-address:{address}", settings.LOGIN_FAILURE_ADDRESS_LIMIT),
    ]


def password_reset_limits(email: str, address: str) -> list[Limit]:
    email = normalised_username(email)[:200]
    return [
        Limit(f"reset-email:{email}", settings.PASSWORD_RESET_LIMIT),
        Limit(f"reset-address:{address}", settings.PASSWORD_RESET_LIMIT * 3),
    ]


def attempt_reserve(limits: list[Limit], *, window: int | None = None) -> bool:
    """Count one attempt on every key; True when all are within their limits (the attempt may go ahead)."""
    window = settings.LOGIN_FAILURE_WINDOW if window is None else window
    allowed = True
    for limit in limits:
        if _count(limit.key, window) > limit.limit:
            allowed = False
    return allowed


def attempt_release(limits: list[Limit]) -> None:
    """Give back an attempt that succeeded: the pair's failures are forgotten, the others lose one."""
    for limit in limits:
        if limit.key.startswith("login-pair:"):
            AttemptCounter.objects.filter(key=limit.key).delete()
        else:
            _decrement(limit.key)


def _count(key: str, window: int) -> int:
    table = AttemptCounter._meta.db_table
    now = int(time.time())
    with connection.cursor() as cursor:
        # One statement: the row lock (PostgreSQL) or the database lock (SQLite) makes it atomic.
        cursor.execute(
            f"""
            INSERT INTO {table} (key, count, window_start) VALUES (%s, 1, %s)
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN {table}.window_start <= %s THEN 1 ELSE {table}.count + 1 END,
                window_start = CASE WHEN {table}.window_start <= %s THEN %s ELSE {table}.window_start END
            RETURNING count
            """,
            [key, now, now - window, now - window, now],
        )
        return cursor.fetchone()[0]


def _decrement(key: str) -> None:
    table = AttemptCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET count = count - 1 WHERE key = %s AND count > 0", [key])


def attempts_forget_old(*, window: int | None = None) -> int:
    """Delete counters whose window has passed (daily, so the table holds only recent attempts)."""
    window = settings.LOGIN_FAILURE_WINDOW if window is None else window
    deleted, _ = AttemptCounter.objects.filter(window_start__lte=int(time.time()) - window).delete()
    return deleted


def _trusted_proxies():
    networks = []
    for item in settings.TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue
    return networks


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
