"""Write a large, valid IOM export quickly by streaming sheet XML into a zip (no spreadsheet library)."""
from __future__ import annotations

import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" \
ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" \
ContentType="application/xml"/><Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override \
PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Line Items" \
sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/></Relationships>"""
HEADER = ["Document No.", "Item", "Posting Date", "Doc. Type", "Fund", "G/L Account", "Partner", "Assignment",
          "Currency", "Amount (Doc. Curr.)", "Amount (USD)", "Text"]


def _text(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _num(value) -> str:
    return f"<c><v>{value}</v></c>"


def write_big_export(path: Path, lines: int, seed: int = 7) -> tuple[int, int]:
    """An export of ``lines`` expense lines posted in 2012 (account 710100). Returns (lines, total cents)."""
    rng = random.Random(seed)
    total = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                      b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            out.write(f'<row>{_text("IOM Financial Systems: line items")}</row><row/>'.encode())
            out.write(("<row>" + "".join(_text(h) for h in HEADER) + "</row>").encode())
            for n in range(lines):
                cents = rng.randrange(1, 500_000)
                total += cents
                serial = 40909 + n % 300  # a date in 2012 as an Excel serial
                usd = f"{cents // 100}.{cents % 100:02d}"
                cells = [_num(5_100_000_000 + n), _num(1), _num(serial), _text("KR"), _text("TS"), _num(710100),
                         "<c/>", "<c/>", _text("USD"), _num(usd), _num(usd),
                         _text(f"Invoice {n} for services rendered, ref. {rng.getrandbits(64):016x}")]
                out.write(("<row>" + "".join(cells) + "</row>").encode())
            out.write(("<row>" + _text("Grand Total") + "</row></sheetData></worksheet>").encode())
    return lines, total


if __name__ == "__main__":
    print(write_big_export(Path(sys.argv[1]), int(sys.argv[2])))
