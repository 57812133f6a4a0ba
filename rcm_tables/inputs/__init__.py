"""Reading the inputs: exports and the reference workbook, each file checked before any parser sees it.

`preflight` (is the file safe to open), `engines` (python-calamine or openpyxl), `values` (a cell to a date,
cents, a code), `grid` (a sheet's cells and its header), `exports` and `reference_sheets` (the two kinds of
workbook), `folder` (which files are exports), `cache` (parsed exports kept between runs) and `parallel`
(many files at once).
"""
