"""The page's routes: one page (the folder, the problems, Build, the tables, Verify) and the forms it posts.

Every form posts back and is answered with a redirect to the page (its messages shown once), except Verify, whose
answer is its verdict. Security: `security.Guard` runs before every request.
"""
from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from pathlib import Path

from flask import Flask, abort, redirect, render_template, request, send_file, send_from_directory, url_for

from ..outputs import disk_full
from . import builds, present, uploads
from .folder import Folder
from .security import Guard, UnsafeName

LANGUAGES = (("en", "English"), ("es", "Español"))


def create_app(root: Path, guard: Guard | None = None) -> Flask:
    """The page for the folder ``root``; ``guard`` says which Host headers it answers and its token."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secrets.token_bytes(32), MAX_CONTENT_LENGTH=uploads.MAX_REQUEST_BYTES,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True, TEMPLATES_AUTO_RELOAD=False)
    app.jinja_env.autoescape = True  # every template, whatever its name
    folder = Folder(root)
    guard = guard or Guard(hosts={"127.0.0.1", "localhost"})
    app.extensions["rcm"] = {"folder": folder, "guard": guard, "messages": []}
    app.jinja_env.filters["problem_row"] = present.problem_row
    app.jinja_env.globals.update(columns=present.PROBLEM_COLUMNS, builds_changes=lambda old, new: builds.changes(
        old.record.get("inputs", {}), new.record.get("inputs", {})))
    app.before_request(guard.check)
    app.after_request(_headers)
    _input_routes(app, folder, guard)
    _output_routes(app, folder, guard)
    _errors(app)
    return app


# the page's own files only, in no other site's frame (clickjacking), posting to itself only
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _headers(response):
    response.headers["Content-Security-Policy"] = POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _say(app: Flask, kind: str, text: str, problems=()) -> None:
    app.extensions["rcm"]["messages"].append({"kind": kind, "text": text, "problems": list(problems)})


def _tell(app: Flask, outcomes: list) -> None:
    """One line for the files added, one for each file not added (its problems are under Set aside)."""
    added = [o.name for o in outcomes if o.kind == "added"]
    if added:
        names = ", ".join(added) if len(added) <= 3 else f"{added[0]}, ... {added[-1]}"
        _say(app, "ok", f"{len(added)} file{'s' if len(added) != 1 else ''} added to exports/: {names}")
    for outcome in outcomes:
        if outcome.kind != "added":
            _say(app, "ok" if outcome.kind == "identical" else "error", f"{outcome.name}: {outcome.message}")


def _input_routes(app: Flask, folder: Folder, guard: Guard) -> None:
    @app.get("/")
    def index():
        state = app.extensions["rcm"]
        messages, state["messages"] = state["messages"], []
        return render_template("index.html", **present.page(folder), messages=messages, csrf=guard.csrf,
                               languages=LANGUAGES)

    @app.post("/upload")
    def upload():
        files = [f for f in request.files.getlist("exports") if f and f.filename]
        if not files:
            _say(app, "error", "choose one or more export files first")
        with folder.changing:
            _tell(app, uploads.receive(folder, files))
        folder.forget()
        return redirect(url_for("index"))

    @app.post("/incoming/<action>")
    def incoming(action: str):
        name = request.form.get("name", "")
        with folder.changing:
            _incoming(action, name)
        folder.forget()
        return redirect(url_for("index"))

    def _incoming(action: str, name: str) -> None:
        try:
            if action == "remove":
                _say(app, "ok", uploads.remove(folder, name))
            elif action == "use":
                _say(app, "ok", uploads.replace_export(folder, name))
            elif action == "replace":
                files = [f for f in request.files.getlist("exports") if f and f.filename]
                if not files:
                    raise UnsafeName("choose the corrected file first")
                _tell(app, uploads.replace_aside(folder, name, files))
            else:
                abort(404)
        except UnsafeName as exc:
            _say(app, "error", str(exc))

    @app.get("/reference/download")
    def reference():
        if not folder.reference.is_file():
            abort(404)
        return send_file(folder.reference, as_attachment=True, download_name="reference.xlsx", max_age=0)

    @app.post("/reference")
    def replace_reference():
        upload = request.files.get("reference")
        if upload is None or not upload.filename:
            _say(app, "error", "choose the new reference workbook first")
        else:
            with folder.changing:
                taken, text, problems = uploads.replace_reference(folder, upload)
            _say(app, "ok" if taken else "error", text, problems)
        folder.forget()
        return redirect(url_for("index"))


def _output_routes(app: Flask, folder: Folder, guard: Guard) -> None:
    @app.get("/problems/download")
    def problems_xlsx():
        data = present.problems_workbook(folder.glance().problems)
        return send_file(data, as_attachment=True, download_name="problems.xlsx", max_age=0,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.post("/build")
    def build():
        as_of, langs, statements = _build_choices(folder)
        try:
            outcome = builds.run(folder, as_of, langs, statements)
        except builds.Busy as exc:
            _say(app, "error", str(exc))
            return redirect(url_for("index"))
        _say(app, "ok" if outcome.ok else "error", outcome.message, [] if outcome.ok else outcome.problems)
        return redirect(url_for("index") + ("#build" if outcome.ok else ""))

    @app.get("/output/<stamp>/<name>")
    def output(stamp: str, name: str):
        known = {b.stamp: b for b in builds.history(folder)}
        if stamp not in known or name not in known[stamp].files():
            abort(404)
        return send_from_directory(known[stamp].path, name, as_attachment=True, max_age=0)

    @app.post("/verify")
    def verify():
        return render_template("verify.html", **_verify(folder), csrf=guard.csrf)


def _build_choices(folder: Folder) -> tuple[dt.date | None, tuple[str, ...], bool]:
    """The form's as-of date (None when it is the default, as the command line without --as-of), languages and
    statements choice."""
    text = request.form.get("as_of", "").strip()
    as_of = None
    if text and text != request.form.get("as_of_default", ""):
        try:
            as_of = dt.date.fromisoformat(text)
        except ValueError:
            abort(400, f"{text!r} is not a date (YYYY-MM-DD)")
    langs = tuple(code for code, _label in LANGUAGES if request.form.get(f"lang_{code}"))
    return as_of, langs, bool(request.form.get("statements"))


def _verify(folder: Folder) -> dict:
    from ..verify import NotOurWorkbook, verify

    upload = request.files.get("workbook")
    if upload is None or not upload.filename:
        return {"error": "choose a workbook made by rcm-tables first"}
    try:
        name = uploads.safe_name(upload.filename, (".xlsx",))
    except UnsafeName as exc:
        return {"error": str(exc)}
    with tempfile.TemporaryDirectory(prefix="rcm-verify-") as tmp:
        try:
            part = uploads.store(upload, Path(tmp))
            path = part.rename(Path(tmp) / name)
            verdict = verify(path, folder.exports, folder.reference)
        except (uploads.TooBig, NotOurWorkbook) as exc:
            return {"error": str(exc).replace(repr(str(Path(tmp) / name)), repr(name))}
        except OSError as exc:  # the copy it is verified from could not be kept (a full disk)
            return {"error": f"{name} could not be verified: {uploads.not_written(exc)}"}
    return {"name": name, "verdict": verdict}


def _errors(app: Flask) -> None:
    @app.errorhandler(OSError)
    def not_written(exc):  # what the routes do not say themselves (they do for uploads, the reference, builds)
        full = disk_full(exc)
        text = (f"a file could not be written in the folder ({exc.strerror or exc})"
                + ("; the disk is full: free some space on it and try again" if full else ""))
        return render_template("refused.html", code=507 if full else 500, text=text), 507 if full else 500

    @app.errorhandler(400)
    @app.errorhandler(403)
    @app.errorhandler(404)
    @app.errorhandler(413)
    def refused(exc):
        text = exc.description if exc.code != 413 else (
            f"the files sent at once are larger than {uploads.MAX_REQUEST_BYTES // 1024**2} MB: send fewer at a time")
        return render_template("refused.html", code=exc.code, text=text), exc.code
