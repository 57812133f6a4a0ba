"""What keeps the page safe on a shared office PC: the Host header (DNS rebinding), the Origin and the CSRF token of
every request that changes something, the access token when the page listens beyond 127.0.0.1, and safe file names.

Every check runs before a route does; a refused request gets 403 and changes nothing.
"""
from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass, field

from flask import abort, request, session

# Windows' reserved device names: a file named NUL.xlsx or con.csv opens the device, not a file
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"}
                         | {f"{d}{n}" for d in ("com", "lpt") for n in "0123456789¹²³"})
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME = 120  # characters: a path on Windows stays under 260 with a deep folder
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnsafeName(ValueError):
    """A file name that cannot be kept as given (the message says why)."""


def safe_name(given: str, suffixes: tuple[str, ...]) -> str:
    """The base name a file uploaded as ``given`` is kept under: the last part of any path (``/`` or ``\\``),
    without leading dots or spaces; refused (`UnsafeName`) when nothing is left, when it is a device name, holds
    a character Windows forbids, is too long, or does not end in one of ``suffixes``.

    >>> safe_name("../../escaped.xlsx", (".xlsx",))
    'escaped.xlsx'
    >>> safe_name("C:\\\\Users\\\\me\\\\IOM 2012-11.xlsx", (".xlsx",))
    'IOM 2012-11.xlsx'
    """
    name = re.split(r"[/\\]", given or "")[-1].strip().lstrip(". ").rstrip(". ")
    if not name:
        raise UnsafeName(f"{given!r} has no file name")
    if _UNSAFE.search(name):
        raise UnsafeName(f"{name!r} holds a character a file name may not hold (< > : \" | ? * or a control)")
    if name.split(".")[0].strip().casefold() in DEVICE_NAMES:
        raise UnsafeName(f"{name!r} is the name of a Windows device; rename the file")
    if len(name) > MAX_NAME:
        raise UnsafeName(f"{name[:40]!r}... is longer than {MAX_NAME} characters; rename the file")
    if not name.casefold().endswith(tuple(s.casefold() for s in suffixes)):
        raise UnsafeName(f"{name!r} is not one of {', '.join(suffixes)}")
    return name


@dataclass
class Guard:
    """The server's secrets and who it answers: ``hosts`` are the Host headers it accepts (host:port, lower case;
    empty: any, only when a token is required); ``token`` the access token (None on 127.0.0.1)."""

    hosts: set[str] = field(default_factory=set)
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts}

    def check(self) -> None:
        """Run before every request: abort(403) when it must be refused."""
        host = (request.host or "").lower()
        if self.hosts and host not in self.hosts:
            abort(403, f"this page answers for {', '.join(sorted(self.hosts))} only, not for Host {host!r}")
        self._check_token()
        if request.method in SAFE_METHODS:
            return
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host}":
            abort(403, f"a request from another site ({origin}) is refused")
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            abort(403, "a request from another site is refused")
        sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
        if not hmac.compare_digest(sent.encode(), self.csrf.encode()):
            abort(403, "the page's form token is missing or stale: reload the page and try again")

    def _check_token(self) -> None:
        if self.token is None:
            return
        given = request.args.get("token")
        if given is not None and hmac.compare_digest(given.encode(), self.token.encode()):
            session["token"] = self.token
            return
        kept = session.get("token", "")
        if not hmac.compare_digest(str(kept).encode(), self.token.encode()):
            abort(403, "open the address with its token (printed where rcm-tables serve was started)")
