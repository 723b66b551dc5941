"""The Word styles and page of the quarterly report (handlers/quarterly_report.py): the Thai
government layout — A4, margins 2.5–3 cm, body 16 pt — with "TH Sarabun New" named in the styles
for every script and the shipped TLWG Laksaman declared as the fallback, page numbers, and the
table looks. Everything here is a style, never direct formatting, so planners can restyle the
report from Word's style pane."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table

from handlers.i18n import Translator

FONT = "TH Sarabun New"
FALLBACK_FONT = "Laksaman"  # handlers/fonts: TLWG's metric clone of the Sarabun family
BODY_PT, TABLE_PT, TITLE_PT = 16, 14, 20
HEADING_PT = (18, 16, 16)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = Cm(3), Cm(2.5), Cm(2.5), Cm(2.5)
TABLE_STYLE = "Table Grid"


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
    paragraph_format.line_spacing = 1.0
    for level, size in enumerate(HEADING_PT, start=1):
        heading = styles[f"Heading {level}"]
        _font(heading, size, bold=True)
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        heading.paragraph_format.space_after = Pt(4)
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
    _every_font_named(document)
    _declare_fallback(document)


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
    for tag, value in (("w:altName", FALLBACK_FONT), ("w:charset", "DE"), ("w:family", "swiss"),
                       ("w:pitch", "variable")):  # fmt: skip
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
    begin, instruction, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"),
                               OxmlElement("w:fldChar"))  # fmt: skip
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
