"""`rcm-tables serve [DIR]`: the finance officer's page, the monthly routine in a browser.

A local server (Flask on waitress, pure Python, the same on Windows) bound to 127.0.0.1 on a free port; the page
shows the folder, takes the month's exports, lists the problems, builds with `rcm_tables.pipeline.build` (the
command line's own function) and verifies a workbook. See docs/web.md.

This module is imported by the command line's parser: it imports neither Flask nor pandas.
"""
from __future__ import annotations

import argparse
from pathlib import Path

SERVE_EXAMPLE = """example:
  rcm-tables serve ~/RCM                 # the folder made by rcm-tables init; opens the page in the browser
  rcm-tables serve ~/RCM --no-browser    # print the address only
"""


def add_parser(sub) -> argparse.ArgumentParser:
    """The ``serve`` subcommand's options."""
    serve = sub.add_parser(
        "serve", help="open the finance officer's page on this folder in the browser",
        description="Start a local page on a folder made by rcm-tables init: add the month's exports, see the "
                    "problems, build the workbook and documents, download them, verify a workbook. The page's "
                    "address is printed; Ctrl-C stops the server.",
        epilog=SERVE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                       help="a folder made by rcm-tables init (default: the current folder)")
    serve.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    serve.add_argument("--host", default=None,
                       help="listen on this address instead of 127.0.0.1 (others on the network can then reach "
                            "the page; a token in the address is then required)")
    serve.add_argument("--no-browser", action="store_true", help="do not open the page in the browser")
    return serve


def run(args) -> int:
    """The ``serve`` command: exit 0 when stopped with Ctrl-C, 2 for a folder that is not one made by init."""
    from .server import serve

    return serve(args.folder, host=args.host, port=args.port, browser=not args.no_browser)
