"""How to Make Contributions: the bank details of the reference workbook's optional ``Payment Instructions``
sheet, line by line in its order: a label and its value ("SWIFT BIC: CITIUS33"), a label alone (a heading such
as "Option 1: Transfer to IOM-Geneva"), or a value alone (a paragraph). Spanish from the ``(es)`` columns where
they are filled in."""
from __future__ import annotations

from .. import schemas as S
from ..memo import Last
from ..problems import Code, Problem, problem
from .context import Context

P = S.PaymentInstructions


def present(ref) -> bool:
    return ref.has_sheet(S.PAYMENT_SHEET) and not ref.payment_instructions.empty


def absent_note(ref) -> list[Problem]:
    if present(ref):
        return []
    return [problem(Code.PAYMENT_ABSENT, "the reference workbook has no Payment Instructions: the document leaves "
                    "out How to Make Contributions", file=ref.file,
                    hint="add a Payment Instructions sheet (Field, Value, Field (es), Value (es)): see the README")]


_rows = Last()  # the instructions' rows, read once for every statement in every language


def write(doc: Context, ref, level: int = 1, together: bool = False) -> None:
    """The part "How to Make Contributions" (nothing when the sheet is absent or empty), ending with the form's
    fill-in lines (Amount, Detail). ``together``: its paragraphs kept on one page (a statement's last page never
    holds Option 3 alone)."""
    if not present(ref):
        return
    doc.w.heading(doc._("How to Make Contributions"), level)
    doc.w.paragraph(doc._("Member Countries can pay outstanding contributions to IOM through any of the following "
                          "options:"), keep=together)
    spanish = doc.lang.code == "es"
    for rec in _rows.get(ref.payment_instructions, lambda frame: frame.to_dict("records")):
        label = rec[P.field_es] if spanish and rec[P.field_es] else rec[P.field]
        value = rec[P.value_es] if spanish and rec[P.value_es] else rec[P.value]
        if label and value:
            para = doc.w.paragraph(keep=together)
            doc.w.run(para, f"{label}: ", bold=True)
            doc.w.run(para, value)
        elif label:
            doc.w.paragraph(label, bold=True, keep=True)
        elif value:
            doc.w.paragraph(value, keep=together)
    for field in (doc._("Amount:"), doc._("Detail:")):
        para = doc.w.paragraph(keep=together and field == doc._("Amount:"))
        doc.w.run(para, field + " ", bold=True)
        doc.w.run(para, "_" * 40)
