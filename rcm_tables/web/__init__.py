"""`rcm-tables serve [DIR]`: the finance officer's page, the monthly routine in a browser.

A local server (Flask on waitress, pure Python, the same on Windows) bound to 127.0.0.1 on a free port; the page
shows the folder, takes the month's exports, lists the problems, builds with `rcm_tables.pipeline.build` (the
command line's own function) and verifies a workbook. See docs/web.md. The command's options are in
`rcm_tables.cli` (the one module that speaks argparse); `server.serve` runs the page.
"""
