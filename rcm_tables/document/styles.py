"""The styles the document uses, and what a template lacks of them.

The default template (``template.docx``, written by ``python -m dev.make_template``) holds them all. A
Secretariat's own template (``--template``) keeps its look: only the styles it lacks are added, with the
defaults below, and a page number is added to its footer when the footer has none.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.styles import BabelFish

FONT = "Arial"
CAPTION = "RCM Caption"
TABLE_TEXT = "RCM Table Text"
TABLE_NOTE = "RCM Table Note"
TABLE = "RCM Table"
SMALLEST_PT = 8  # no text of the document is smaller


def _font(style, size: float, bold: bool = False, italic: bool = False, name: str | None = FONT) -> None:
    """Size and weight; the font ``name`` where one is given (None: the style takes its base style's font)."""
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    if name is None:
        return
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # a theme font would win
        fonts.attrib.pop(qn(attr), None)


def _paragraph_style(document, name: str, size: float, bold=False, italic=False, align=None, before=0, after=0,
                     keep=False):
    """A style added to the template: based on Normal, in the template's body font (`body_font`)."""
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    _font(style, size, bold, italic, name=body_font(document))
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep
    fmt.line_spacing = 1.0
    if align is not None:
        fmt.alignment = align
    return style


def _table_style(document):
    style = document.styles.add_style(TABLE, WD_STYLE_TYPE.TABLE)
    tbl_pr = style.element.get_or_add_tblPr() if hasattr(style.element, "get_or_add_tblPr") else None
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "808080")
        borders.append(line)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("left", "57"), ("right", "57")):  # 0.1 cm: room for narrow figure columns
        cell = OxmlElement(f"w:{edge}")
        cell.set(qn("w:w"), width)
        cell.set(qn("w:type"), "dxa")
        margins.append(cell)
    tbl_pr.append(margins)
    return style


def body_font(document) -> str | None:
    """The template's body font: its Normal style's, else its document defaults', else None (a theme font, which
    the styles added then inherit through Normal)."""
    name = document.styles["Normal"].font.name
    if name:
        return name
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = None if defaults is None else defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if fonts is None else fonts.get(qn("w:ascii"))


# the built-in styles the document writes, and their size in the default template's look (`define_defaults`)
HEADINGS = ((1, 14), (2, 12), (3, 11))
TITLES = (("Title", 18), ("Subtitle", 12))
HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x60)
# (name, type) of every style the writer assigns: a template's style of the same name must be of the same type
WRITTEN = (*((name, WD_STYLE_TYPE.PARAGRAPH) for name, _size in TITLES),
           *((f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH) for level, _size in HEADINGS),
           (CAPTION, WD_STYLE_TYPE.PARAGRAPH), (TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH),
           (TABLE_NOTE, WD_STYLE_TYPE.PARAGRAPH), (TABLE, WD_STYLE_TYPE.TABLE))


def _heading_look(style, level: int, size: float, name: str | None = FONT) -> None:
    _font(style, size, bold=True, name=name)
    style.font.color.rgb = HEADING_COLOUR
    style.paragraph_format.keep_with_next = True
    style.paragraph_format.space_before = Pt(12 if level == 1 else 9)
    style.paragraph_format.space_after = Pt(4)


def _heading_style(document, level: int, size: float) -> None:
    """A heading a template lacks (Word keeps a built-in style in a document only once it is used): the default
    look in the template's body font, at its outline level (Word's navigation pane and table of contents)."""
    style = _paragraph_style(document, f"Heading {level}", size)  # based on Normal, in the body font
    _heading_look(style, level, size, name=style.font.name)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    style.element.get_or_add_pPr().append(outline)


# the names the writer looks styles up by (Normal: the style every style added is based on)
LOOKED_UP = ("Normal", *(name for name, _kind in WRITTEN))


def canonical_names(document) -> None:
    """Each style the writer looks up named as python-docx looks for it. Word matches a style's name whatever its
    case, and LibreOffice saves a built-in heading as "Heading 1" where Word writes "heading 1" (python-docx looks
    for the latter only): a template saved by LibreOffice would otherwise have no Heading 1 to python-docx."""
    wanted = {BabelFish.ui2internal(name).lower(): BabelFish.ui2internal(name) for name in LOOKED_UP}
    for style in document.styles.element.style_lst:
        name = style.name_val
        canonical = wanted.get(name.lower()) if name else None
        if canonical is not None and name != canonical:
            style.name_val = canonical


def ensure(document) -> None:
    """Add the styles the document uses that ``document``'s template lacks."""
    canonical_names(document)
    names = {s.name for s in document.styles}
    if "Normal" not in names:  # (Word always writes it; another program may not)
        normal = document.styles.add_style("Normal", WD_STYLE_TYPE.PARAGRAPH)
        if document.styles.default(WD_STYLE_TYPE.PARAGRAPH) is None:
            normal.element.set(qn("w:default"), "1")
    for level, size in HEADINGS:
        if f"Heading {level}" not in names:
            _heading_style(document, level, size)
    for name, size in TITLES:
        if name not in names:
            _paragraph_style(document, name, size, bold=name == "Title", after=6)
    if CAPTION not in names:
        _paragraph_style(document, CAPTION, 10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
    if TABLE_TEXT not in names:
        _paragraph_style(document, TABLE_TEXT, 9)
    if TABLE_NOTE not in names:
        _paragraph_style(document, TABLE_NOTE, 8.5, italic=False, before=2, after=2)
    if TABLE not in names:
        _table_style(document)


def define_defaults(document) -> None:
    """The default template's look: Arial, dark blue headings that keep with what follows."""
    _font(document.styles["Normal"], 10.5)
    document.styles["Normal"].paragraph_format.space_after = Pt(6)
    for level, size in HEADINGS:
        _heading_look(document.styles[f"Heading {level}"], level, size)
    for name, size in TITLES:
        _font(document.styles[name], size, bold=name == "Title")
    ensure(document)


def page_number_paragraph(paragraph) -> None:
    """A centred page number (a PAGE field) in ``paragraph``."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_run(paragraph, "PAGE")


def field_run(paragraph, instruction: str) -> None:
    """A simple field (PAGE) in ``paragraph``, in the five runs Word writes: the field's code is ours, never text
    from the inputs."""
    def run_with(tag: str, **attrs):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        paragraph.add_run()._r.append(element)
        return element

    run_with("w:fldChar", **{"w:fldCharType": "begin"})
    run_with("w:instrText", **{"xml:space": "preserve"}).text = f" {instruction} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run("1")
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def has_page_number(section) -> bool:
    xml = section.footer._element.xml if not section.footer.is_linked_to_previous else ""
    return "PAGE" in xml


def ensure_page_numbers(document) -> None:
    """Page numbers in the footer of the first section, unless the template's footer has them (or the template has
    no section: `template.usable` refuses it)."""
    if not document.sections:
        return
    section = document.sections[0]
    if has_page_number(section):
        return
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraphs = footer.paragraphs  # none in an empty footer, or one holding only a table (another program's)
    paragraph = paragraphs[0] if paragraphs and not paragraphs[0].text.strip() else footer.add_paragraph()
    page_number_paragraph(paragraph)
