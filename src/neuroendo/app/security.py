"""Security of the web app: loopback binding, token, CSRF, upload size, headers, Host check.

The rules (issue 10, part 4):

* The server binds 127.0.0.1 by default; binding any other interface requires a token and
  :func:`check_bind` refuses to start without one.
* With a token, every route except ``/static``, ``/login`` and ``/api/health`` requires
  ``Authorization: Bearer <token>`` or the cookie set by the login form.
* State-changing requests (POST, PUT, PATCH, DELETE) from another site are refused by their
  ``Sec-Fetch-Site`` / ``Origin`` headers (OWASP's "verifying origin with standard headers"),
  and page forms carry a double-submit CSRF token as well.
* Request bodies larger than ``max_upload_bytes`` get HTTP 413, whether or not they declare a
  ``Content-Length``.
* ``Host`` headers other than loopback names are refused while bound to loopback (a guard
  against DNS rebinding).

This module imports only the standard library at import time (the middleware is pure ASGI).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from neuroendo.app.config import Settings

__all__ = [
    "AUTH_COOKIE",
    "CSRF_COOKIE",
    "SecurityMiddleware",
    "check_bind",
    "csrf_ok",
    "is_loopback",
    "session_value",
    "token_ok",
]

AUTH_COOKIE = "neuroendo_auth"
CSRF_COOKIE = "neuroendo_csrf"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PUBLIC_PREFIXES = ("/static/", "/login", "/api/health")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names the loopback interface only.

    Parameters
    ----------
    host : str
        A host name or IP address (``"127.0.0.1"``, ``"::1"``, ``"localhost"``).

    Returns
    -------
    bool
        True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``; False for anything
        else, including ``0.0.0.0`` (all interfaces) and ``""``.

    References
    ----------
    .. [1] RFC 6890, Special-Purpose IP Address Registries (loopback 127.0.0.0/8, ::1/128).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve subjects' data on a non-loopback interface without a token.

    Parameters
    ----------
    host : str
        Interface to bind.
    token : str, optional
        The configured access token.

    Raises
    ------
    ValueError
        If ``host`` is not loopback and ``token`` is empty; the message gives the fix.

    References
    ----------
    .. [1] OWASP Application Security Verification Standard 4.0.3, V4 Access Control.

    Examples
    --------
    >>> check_bind("127.0.0.1", None)
    >>> check_bind("0.0.0.0", "s3cret-token")
    """
    if not is_loopback(host) and not (token and token.strip()):
        raise ValueError(
            f"Refusing to bind {host!r} without an access token: other machines could read "
            "subjects' data. Pass --token (or set NEUROENDO_TOKEN), or bind 127.0.0.1."
        )


def session_value(token: str) -> str:
    """Return the login cookie's value for ``token`` (an HMAC: the token is not stored).

    Parameters
    ----------
    token : str
        The configured access token.

    Returns
    -------
    str
        Hex digest of HMAC-SHA256(token, "neuroendo-session").

    References
    ----------
    .. [1] RFC 2104, HMAC: Keyed-Hashing for Message Authentication.

    Examples
    --------
    >>> len(session_value("abc"))
    64
    """
    return hmac.new(token.encode(), b"neuroendo-session", hashlib.sha256).hexdigest()


def token_ok(expected: str | None, headers: MutableMapping[str, str] | Any, cookies: Any) -> bool:
    """Whether a request carries the token (Bearer header) or the login cookie.

    Parameters
    ----------
    expected : str, optional
        The configured token; ``None`` means no authentication (always True).
    headers : mapping
        Request headers (lower-case keys).
    cookies : mapping
        Request cookies.

    Returns
    -------
    bool
        The comparison is constant-time.

    References
    ----------
    .. [1] RFC 6750, The OAuth 2.0 Authorization Framework: Bearer Token Usage, §2.1.

    Examples
    --------
    >>> token_ok("t0k", {"authorization": "Bearer t0k"}, {})
    True
    >>> token_ok("t0k", {}, {})
    False
    """
    if expected is None:
        return True
    auth = str(headers.get("authorization", ""))
    scheme, _, given = auth.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        return True
    cookie = str(cookies.get(AUTH_COOKIE, ""))
    return bool(cookie) and hmac.compare_digest(cookie.encode(), session_value(expected).encode())


def csrf_ok(cookie: str | None, submitted: str | None) -> bool:
    """Double-submit check: the form's ``csrf_token`` equals the CSRF cookie.

    Parameters
    ----------
    cookie, submitted : str, optional
        Cookie value and form field.

    Returns
    -------
    bool
        False when either is missing; the comparison is constant-time.

    References
    ----------
    .. [1] OWASP Cross-Site Request Forgery Prevention Cheat Sheet, "Double Submit Cookie".

    Examples
    --------
    >>> csrf_ok("abc", "abc"), csrf_ok("abc", None)
    (True, False)
    """
    if not cookie or not submitted:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is just no cookies
        return {}
    return {k: m.value for k, m in jar.items()}


async def _send_simple(
    send: Send,
    status: int,
    body: dict[str, Any],
    extra: list[tuple[bytes, bytes]] = (),  # type: ignore[assignment]
) -> None:
    data = json.dumps(body).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(data)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class SecurityMiddleware:
    """Pure ASGI middleware applying the rules in the module docstring.

    Parameters
    ----------
    app : ASGI app
        The wrapped application.
    settings : Settings
        Token, upload limit and accepted hosts.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, then pass it on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.exceptions import HTTPException

        s = self.settings
        headers = _headers(scope)
        path = str(scope.get("path", "/"))
        method = str(scope.get("method", "GET")).upper()
        # 1. Host header (DNS rebinding) ---------------------------------------------------
        hosts = s.hosts
        if "*" not in hosts:
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in hosts and host.lower() not in hosts:
                await _send_simple(send, 400, {"detail": f"Host {host!r} is not allowed."})
                return
        # 2. cross-site state changes ------------------------------------------------------
        if method in _UNSAFE and not _same_origin(headers):
            await _send_simple(
                send, 403, {"detail": "Cross-site request refused (Origin/Sec-Fetch-Site)."}
            )
            return
        # 3. authentication -------------------------------------------------------------------
        cookies = _cookies(headers)
        public = any(path == p.rstrip("/") or path.startswith(p) for p in _PUBLIC_PREFIXES)
        if not public and not token_ok(s.token, headers, cookies):
            if path.startswith("/api") or method != "GET":
                await _send_simple(
                    send,
                    401,
                    {"detail": "Authentication required: send 'Authorization: Bearer <token>'."},
                    [(b"www-authenticate", b'Bearer realm="neuroendo"')],
                )
            else:
                nxt = quote(path, safe="/")
                await send(
                    {
                        "type": "http.response.start",
                        "status": 303,
                        "headers": [
                            (b"location", f"/login?next={nxt}".encode()),
                            (b"content-length", b"0"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
            return
        # 4. body size ------------------------------------------------------------------------
        limit = s.max_upload_bytes
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await _send_simple(send, 400, {"detail": "Invalid Content-Length header."})
                return
            if too_big:
                await _send_simple(send, 413, _too_large(limit))
                return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, _too_large(limit)["detail"])
            return message

        # 5. CSRF cookie and security headers on the response ---------------------------------
        csrf = cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = csrf
        new_cookie = CSRF_COOKIE not in cookies
        started = False

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                hdrs = list(message.get("headers", []))
                names = {k.lower() for k, _ in hdrs}
                for k, v in _SECURITY_HEADERS:
                    if k not in names:
                        hdrs.append((k, v))
                if new_cookie:
                    hdrs.append(
                        (
                            b"set-cookie",
                            f"{CSRF_COOKIE}={csrf}; Path=/; SameSite=Strict; HttpOnly".encode(),
                        )
                    )
                message = {**message, "headers": hdrs}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except HTTPException as exc:
            if exc.status_code != 413 or started:
                raise
            await _send_simple(send, 413, _too_large(limit))


def _too_large(limit: int) -> dict[str, str]:
    return {
        "detail": f"Upload too large: the limit is {limit / 1024 / 1024:.1f} MiB "
        f"({limit} bytes); split the file or raise --max-upload-mb."
    }


def _same_origin(headers: dict[str, str]) -> bool:
    """Whether a state-changing request comes from the app's own pages (or a non-browser).

    ``Sec-Fetch-Site`` is set by the browser and cannot be forged by a page, so when present it
    decides alone: browsers may send ``Origin: null`` on same-origin form posts (e.g. under a
    ``no-referrer`` policy). Without it, a present ``Origin`` must name this host.
    """
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True  # not sent by non-browser clients; browsers send it on cross-site POSTs
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


_SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; "
        b"form-action 'self'",
    ),
)
