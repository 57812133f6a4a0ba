"""Run the page: waitress on 127.0.0.1 (or ``--host``, then with a token), the address printed at once, the browser
opened, Ctrl-C stopping it cleanly."""
from __future__ import annotations

import secrets
import sys
import threading
import webbrowser
from pathlib import Path

LOOPBACK = "127.0.0.1"
THREADS = 4


def serve(folder: Path, host: str | None = None, port: int = 0, browser: bool = True, out=None) -> int:
    out = out or sys.stdout
    folder = Path(folder)
    if not folder.is_dir():
        print(f"rcm-tables: the folder {str(folder)!r} does not exist (rcm-tables init {folder} creates it)",
              file=sys.stderr)
        return 2
    (folder / "exports").mkdir(exist_ok=True)  # the page fills it; a missing reference.xlsx is said on the page
    try:
        server, address = make_server(folder, host, port)
    except OSError as exc:  # the port taken, an address this machine does not have
        print(f"rcm-tables: cannot listen on {host or LOOPBACK}:{port}: {exc.strerror or exc}; choose another "
              "--port (or none: a free one)", file=sys.stderr)
        return 2
    print(address, file=out, flush=True)  # the first line: what a script or a test reads
    print(f"rcm-tables: the page for {folder.resolve()}; press Ctrl-C to stop it", file=out, flush=True)
    if browser:
        threading.Timer(0.5, webbrowser.open, args=(address,)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print("rcm-tables: the page is stopped", file=out, flush=True)
    return 0


def make_server(folder: Path, host: str | None, port: int):
    """(waitress server, the page's address). With ``host`` other than 127.0.0.1 the address carries a token
    that every request must have shown once (kept in a cookie)."""
    from waitress import create_server

    from .app import create_app
    from .security import Guard

    bind = host or LOOPBACK
    guard = Guard(token=None if bind == LOOPBACK else secrets.token_urlsafe(24))
    app = create_app(folder, guard)
    server = create_server(app, host=bind, port=port, threads=THREADS, max_request_body_size=2 * 1024**3,
                           ident="rcm-tables", clear_untrusted_proxy_headers=True)
    actual = server.effective_port
    shown = "localhost" if bind in ("0.0.0.0", "::") else bind
    if bind in ("0.0.0.0", "::"):
        guard.hosts = set()  # any name this machine has on the network: the token guards it
    else:
        guard.hosts = {f"{bind}:{actual}".lower()} | {f"{name}:{actual}" for name in (LOOPBACK, "localhost")}
    address = f"http://{shown}:{actual}/" + (f"?token={guard.token}" if guard.token else "")
    return server, address
