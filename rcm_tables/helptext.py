"""The examples at the end of `rcm-tables COMMAND --help`."""

# Each command on a line of its own, without a comment after it: as typed, it works in cmd.exe and PowerShell as
# in a POSIX shell (rcm-tables expands a leading ~ itself, which cmd.exe does not; C:\\... paths are accepted).
BUILD_EXAMPLE = """example: (the commands work as typed in cmd.exe, PowerShell and a POSIX shell; ~ is your home folder)
  the bundled 2012 sample, into workbooks/output/:
    rcm-tables build
  a folder made by rcm-tables init, into ~/RCM/output/:
    rcm-tables build ~/RCM
  your exports and reference workbook, up to an as-of date:
    rcm-tables build --exports ~/IOM/exports --reference ~/IOM/reference.xlsx --as-of 2012-10-31 --out report.xlsx
  the same with Windows paths (in quotes where a name has a space):
    rcm-tables build --exports "C:\\Users\\me\\IOM exports" --reference C:\\IOM\\reference.xlsx --out report.xlsx
"""
VERIFY_EXAMPLE = """example:
  your inputs; a folder made by rcm-tables init:
    rcm-tables verify report.xlsx --exports ~/IOM/exports --reference ~/IOM/reference.xlsx
    rcm-tables verify ~/RCM/output/rcm-report.xlsx ~/RCM
"""
VALIDATE_EXAMPLE = """example:
  the bundled sample; a folder made by rcm-tables init; your inputs, the problems into a workbook:
    rcm-tables validate
    rcm-tables validate ~/RCM
    rcm-tables validate --exports ~/IOM/exports --reference ~/IOM/reference.xlsx --report problems.xlsx
"""
INIT_EXAMPLE = """example:
  make the folder (exports/, reference.xlsx, README.txt), see what is still missing, build into ~/RCM/output/:
    rcm-tables init ~/RCM
    rcm-tables validate ~/RCM
    rcm-tables build ~/RCM
"""
SERVE_EXAMPLE = """example:
  the folder made by rcm-tables init, the page opened in the browser; the address printed only:
    rcm-tables serve ~/RCM
    rcm-tables serve ~/RCM --no-browser
"""
