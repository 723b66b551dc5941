"""The Word styles and page of the quarterly report (handlers/outputs/board_report.py): the Thai
government layout — A4, margins 2.5–3 cm, body 16 pt — with "TH Sarabun New" named in the styles
for every script and the shipped TLWG Laksaman declared as the fallback, page numbers, and the
table looks. Everything here is a style, never direct formatting, so planners can restyle the
report from Word's style pane."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Row

from handlers.i18n import Translator

FONT = "TH Sarabun New"
FALLBACK_FONT = "Laksaman"  # handlers/fonts: TLWG's metric clone of the Sarabun family
BODY_PT, TABLE_PT, TITLE_PT = 16, 13, 20
# Laksaman (and TH Sarabun New) declare a line of almost two ems (ascent 1.27, descent 0.69):
# at single spacing a table of 14 pt rows takes twice the height its text needs. Table text
# takes 80 % of that, which still clears Thai marks above and below.
TABLE_LINE, BODY_LINE = 0.8, 0.9
HEADING_PT = (18, 16, 16)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Cm(3), Cm(2.5), Cm(2.5), Cm(2.5)
TABLE_STYLE = "Table Grid"
BODY_STYLE = "Body Text"  # the executive summary's sentences: a little room between them
CELL_STYLE = "Table Text"  # every table cell's paragraph
GROUP_STYLE = "Table Group"  # a table's spanning row (a project in Part 2): bold, kept with next
SIGN_STYLE = "Signature"  # the closing block's lines: centred
TEXT_WIDTH_CM = {False: 15.5, True: 24.2}  # portrait, landscape
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
LEFT, CENTRE, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT


# Styles and page ------------------------------------------------------------------------------


def set_up(document: DocxDocument, _: Translator) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True  # no page number on the cover
    _page_number(section.header.paragraphs[0])
    document.core_properties.title = _("qr_institute")
    document.core_properties.language = _.language
    _defaults(document, _.language)
    styles = document.styles
    _font(styles["Normal"], BODY_PT)
    paragraph_format = styles["Normal"].paragraph_format
    paragraph_format.space_after = Pt(0)
    paragraph_format.line_spacing = BODY_LINE
    for level, size in enumerate(HEADING_PT, start=1):
        heading = styles[f"Heading {level}"]
        _font(heading, size, bold=True)
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    title = styles["Title"]
    _font(title, TITLE_PT, bold=True)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    _no_border(title)
    _font(styles["Caption"], TABLE_PT, bold=False)
    for name in ("Subtitle", "Caption", "List Bullet", "Header"):
        if name != "Caption":
            _font(styles[name], BODY_PT)
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
    _not_italic(styles["Subtitle"])
    styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Header"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(styles[TABLE_STYLE], TABLE_PT)
    _narrow_cell_margins(styles[TABLE_STYLE])
    _bold_first_and_last_rows(styles[TABLE_STYLE])
    _report_styles(document)
    _every_font_named(document)
    _declare_fallback(document)


def _report_styles(document: DocxDocument) -> None:
    """The report's own paragraph styles: a table's spanning group row and the signature
    block's centred lines."""
    styles = document.styles
    body = styles[BODY_STYLE]
    _font(body, BODY_PT)
    body.paragraph_format.space_after = Pt(4)
    body.paragraph_format.line_spacing = BODY_LINE
    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    _font(cell, TABLE_PT)
    cell.paragraph_format.line_spacing = TABLE_LINE
    group = styles.add_style(GROUP_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    group.base_style = cell
    _font(group, TABLE_PT, bold=True)
    group.paragraph_format.keep_with_next = True  # Word keeps the row with the next one
    sign = styles.add_style(SIGN_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    sign.base_style = styles["Normal"]
    _font(sign, TABLE_PT + 1)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _every_font_named(document)


def _defaults(document: DocxDocument, language: str) -> None:
    """The document's default run: the Thai font for every script, Thai as the complex-script
    language (so Word shapes and breaks Thai lines), 16 pt."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        _name_fonts(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = rpr.find(qn(tag))
        if size is not None:
            size.set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")  # digits and Latin: no Thai word breaking inside numbers
        lang.set(qn("w:bidi"), "th-TH")


def _name_fonts(fonts: BaseOxmlElement) -> None:
    """`TH Sarabun New` for the ASCII, high-ANSI, East-Asian and complex-script ranges; theme
    fonts removed (a theme font would win over a named one)."""
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)


def _font(style: BaseStyle, size: int, *, bold: bool | None = None) -> None:
    """A style's font: the name for every script, size and bold for Latin and complex script
    (Thai is complex script: Word and LibreOffice size and embolden it by w:szCs and w:bCs)."""
    rpr = style.element.get_or_add_rPr()
    _name_fonts(rpr.get_or_add_rFonts())
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rpr.sz.addnext(size_cs)
    size_cs.set(qn("w:val"), str(size * 2))
    if bold is not None:
        style.font.bold = bold  # type: ignore[attr-defined]
        bold_cs = rpr.find(qn("w:bCs"))
        if bold_cs is None:
            bold_cs = OxmlElement("w:bCs")
            rpr.b.addnext(bold_cs)
        if not bold:
            bold_cs.set(qn("w:val"), "0")


def _every_font_named(document: DocxDocument) -> None:
    """Every style the report may use names the Thai font, not a theme font."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        _name_fonts(fonts)


def _declare_fallback(document: DocxDocument) -> None:
    """The font table names Laksaman as TH Sarabun New's alternative, for LibreOffice and Word
    on a machine without TH Sarabun New (Laksaman ships in handlers/fonts)."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            break
    else:
        return
    table = parse_xml(part.blob)
    if any(font.get(qn("w:name")) == FONT for font in table.findall(qn("w:font"))):
        return
    font = OxmlElement("w:font", {qn("w:name"): FONT})
    for tag, value in (
        ("w:altName", FALLBACK_FONT),
        ("w:charset", "DE"),
        ("w:family", "swiss"),
        ("w:pitch", "variable"),
    ):
        font.append(OxmlElement(tag, {qn("w:val"): value}))  # DE: the Thai character set
    table.append(font)
    part._blob = serialize_part_xml(table)


def _not_italic(style: BaseStyle) -> None:
    style.font.italic = False  # type: ignore[attr-defined]
    rpr = style.element.get_or_add_rPr()
    italic_cs = rpr.find(qn("w:iCs"))
    if italic_cs is not None:
        rpr.remove(italic_cs)


def _narrow_cell_margins(style: BaseStyle) -> None:
    """1 mm either side of a cell's text (Word's default is 1.9 mm): room for Thai words."""
    properties = style.element.find(qn("w:tblPr"))
    if properties is None:
        return
    margins = properties.find(qn("w:tblCellMar"))
    if margins is None:
        return
    for side in margins.findall(qn("w:left")) + margins.findall(qn("w:right")):
        side.set(qn("w:w"), "57")


def _bold_first_and_last_rows(style: BaseStyle) -> None:
    """The table style sets the header row (and a total row, where a table has one) in bold:
    conditional formatting of the style, so a planner restyles every table at once."""
    for kind in ("firstRow", "lastRow"):
        conditional = OxmlElement("w:tblStylePr", {qn("w:type"): kind})
        run = OxmlElement("w:rPr")
        run.append(OxmlElement("w:b"))
        run.append(OxmlElement("w:bCs"))
        conditional.append(run)
        style.element.append(conditional)


def _no_border(style: BaseStyle) -> None:
    ppr = style.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)


def _page_number(paragraph: object) -> None:
    """A PAGE field, centred at the top as Thai official documents number their pages."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    begin, instruction, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, end):
        run._r.append(element)
    paragraph.style = "Header"  # type: ignore[attr-defined]


def look(table: Table, *, last_row: bool) -> None:
    """Which of the table style's conditional formats apply: the header row always, the last
    row where it is a total."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:lastRow"), "1" if last_row else "0")
        look.set(qn("w:val"), "04E0" if last_row else "04A0")


def repeat_as_header(row: object) -> None:
    """The header row repeats at the top of each page a table runs onto."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# Sections and tables ------------------------------------------------------------------------


def new_section(
    document: DocxDocument, *, landscape: bool, columns: int = 1, new_page: bool = True
) -> None:
    """A new section, on a new page unless it follows on: landscape for the wide tables, in
    `columns` newspaper columns (short lines read better in two), numbered."""
    section = document.add_section(WD_SECTION.NEW_PAGE if new_page else WD_SECTION.CONTINUOUS)
    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        section._sectPr.append(cols)
    cols.set(qn("w:num"), str(columns))
    cols.set(qn("w:space"), str(int(Cm(1).twips)))
    section.different_first_page_header_footer = False
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    section.page_width, section.page_height = width, height


def new_table(
    document: DocxDocument,
    headers: Sequence[str],
    widths: Sequence[float],
    *,
    style: str | None = TABLE_STYLE,
) -> Table:
    """A table of fixed column widths (cm) whose header row repeats on every page."""
    table: Table = document.add_table(rows=1 if headers else 0, cols=len(widths), style=style)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout", {qn("w:type"): "fixed"})
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    if headers:
        header = table.rows[0]
        repeat_as_header(header)
        cant_split(header)
        for cell, text, width in zip(header.cells, headers, widths, strict=True):
            cell.text = text
            cell.width = Cm(width)
            cell.paragraphs[0].style = CELL_STYLE
            cell.paragraphs[0].alignment = CENTRE
    return table


def add_row(
    table: Table,
    values: Sequence[str],
    widths: Sequence[float],
    align: Sequence[WD_ALIGN_PARAGRAPH],
) -> _Row:
    """A row that is never split across pages."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    cant_split(row)
    for cell, text, width, where in zip(row.cells, values, widths, align, strict=True):
        cell.text = text
        cell.width = Cm(width)
        for paragraph in cell.paragraphs:
            paragraph.style = CELL_STYLE
            paragraph.alignment = where
    return row


def span_row(table: Table, text: str, widths: Sequence[float]) -> _Row:
    """A row whose one cell spans the table (a group heading), shaded, kept with the next."""
    row: _Row = table.add_row()  # type: ignore[no-untyped-call]
    cant_split(row)
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Cm(width)
    merged = row.cells[0].merge(row.cells[-1])
    merged.text = text
    merged.paragraphs[0].style = GROUP_STYLE
    properties = merged._tc.get_or_add_tcPr()
    properties.append(
        OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "EDEDED"})
    )
    return row


def cant_split(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def thai_digits(document: DocxDocument) -> None:
    """Every digit of the document's text as a Thai digit (๐–๙), where a setting asks."""
    for element in document.element.body.iter(qn("w:t")):
        if element.text:
            element.text = element.text.translate(THAI_DIGITS)
