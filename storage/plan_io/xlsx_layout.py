"""The spreadsheet template's layout: its sheets and columns, each with a Thai and English header
and a line of help. The writer, the reader and the instructions sheet all come from this one
description, so the template and its documentation cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass

HEADER_ROWS = 2  # row 1: Thai label, row 2: the English field name the reader goes by
FIRST_DATA_ROW = HEADER_ROWS + 1


@dataclass(frozen=True)
class Column:
    key: str  # the English header, and the field name the plan format uses
    th: str  # the Thai header
    help_en: str
    help_th: str
    width: int
    kind: str = "text"  # text | lines | keys | money | number | integer | label | flag
    required: bool = True  # False: a workbook made before the column existed still reads

    @property
    def wraps(self) -> bool:
        return self.kind in ("lines", "text") and self.width >= 30


@dataclass(frozen=True)
class SheetLayout:
    name: str
    th: str
    help_en: str
    help_th: str
    columns: tuple[Column, ...]
    freeze: str = "A3"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_NOTES = Column(
    "notes",
    "หมายเหตุ",
    "Where the source is missing something or contradicts itself; one note per line.",
    "สิ่งที่ต้นฉบับขาดหรือขัดกันเอง บรรทัดละหนึ่งข้อ",
    50,
    "lines",
)

PLAN = SheetLayout(
    "plan",
    "แผน",
    "The fiscal year and the recurring basic expenses block, one field per row.",
    "ปีงบประมาณ และหมวดค่าใช้จ่ายประจำพื้นฐาน หนึ่งรายการต่อแถว",
    (
        Column("field", "รายการ", "The field name; do not change it.", "ชื่อรายการ ห้ามแก้ไข", 26),
        Column("description", "คำอธิบาย", "What the field holds.", "ความหมายของรายการ", 60),
        Column("value", "ค่า", "Fill in this column.", "กรอกค่าในคอลัมน์นี้", 50),
    ),
)

# The rows of the plan sheet: (field, Thai description, kind).
PLAN_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("fiscal_year", "ปีงบประมาณ (พ.ศ.) เช่น 2565 / Buddhist-era fiscal year", "integer"),
    ("source", "ที่มาของข้อมูล / where the figures come from", "text"),
    (
        "recurring_name_th",
        "ชื่อหมวดค่าใช้จ่ายประจำพื้นฐาน / name of the recurring expenses block (Thai)",
        "text",
    ),
    ("recurring_name_en", "ชื่อภาษาอังกฤษ / its English name", "text"),
    (
        "recurring_declared_gov",
        "งบประมาณรวม งปม. (ล้านบาท) ตามที่ต้นฉบับระบุ / declared government budget total",
        "money",
    ),
    (
        "recurring_declared_own",
        "งบประมาณรวม เงินนอก (ล้านบาท) ตามที่ต้นฉบับระบุ / declared own-funds total",
        "money",
    ),
    ("recurring_notes", "หมายเหตุ บรรทัดละข้อ / notes, one per line", "lines"),
)

DIVISIONS = SheetLayout(
    "divisions",
    "ฝ่าย",
    "Every division a project may name.",
    "ทุกฝ่ายที่โครงการอ้างถึงได้",
    (
        Column(
            "key",
            "รหัสฝ่าย",
            "Short lowercase ASCII key, e.g. gem_testing.",
            "รหัสภาษาอังกฤษตัวเล็ก เช่น gem_testing",
            16,
        ),
        Column("name_th", "ชื่อฝ่าย (ไทย)", "Thai name.", "ชื่อภาษาไทย", 40),
        Column("name_en", "ชื่อฝ่าย (อังกฤษ)", "English name.", "ชื่อภาษาอังกฤษ", 40),
        Column(
            "aliases",
            "ชื่อเรียกสั้น",
            "Short names people type for it (ไอที, พีอาร์), separated by commas; no other "
            "division's name or alias. Optional.",
            "ชื่อที่คนพิมพ์เรียกสั้น ๆ (ไอที, พีอาร์) คั่นด้วยจุลภาค ห้ามซ้ำกับชื่อของฝ่ายอื่น ไม่บังคับ",
            24,
            "keys",
            required=False,
        ),
        Column(
            "plans",
            "ฝ่ายแผน",
            "TRUE on the one division that plans: it gets the weekly summary of who is late.",
            "TRUE เฉพาะฝ่ายที่ทำหน้าที่วางแผน (ได้รับสรุปรายสัปดาห์ว่าฝ่ายใดยังไม่รายงาน) มีได้ฝ่ายเดียว",
            10,
            "flag",
            required=False,
        ),
    ),
)

_DECLARED_GOV = Column(
    "declared_gov",
    "งบรวมที่ระบุ งปม. (ล้านบาท)",
    "Total government budget as the source prints it (million baht); empty if none. "
    "The loader compares it with the sum of the projects and warns on a difference.",
    "ยอดรวม งปม. ตามที่ต้นฉบับพิมพ์ (ล้านบาท) เว้นว่างถ้าไม่มี ระบบจะเทียบกับผลรวมของโครงการ",
    16,
    "money",
)
_DECLARED_OWN = Column(
    "declared_own",
    "งบรวมที่ระบุ เงินนอก (ล้านบาท)",
    "Total own funds as the source prints it (million baht); empty if none.",
    "ยอดรวมเงินนอกตามที่ต้นฉบับพิมพ์ (ล้านบาท) เว้นว่างถ้าไม่มี",
    16,
    "money",
)

STRATEGIES = SheetLayout(
    "strategies",
    "ยุทธศาสตร์และกลยุทธ์",
    "One row per strategy (tactic empty), then one row per tactic.",
    "หนึ่งแถวต่อยุทธศาสตร์ (ช่องกลยุทธ์ว่าง) และหนึ่งแถวต่อกลยุทธ์",
    (
        Column("strategy", "ยุทธศาสตร์ที่", "Strategy number, 1, 2, …", "เลขยุทธศาสตร์", 10, "integer"),
        Column(
            "tactic",
            "กลยุทธ์ที่",
            "Tactic number such as 1.1; empty on the strategy's own row.",
            "เลขกลยุทธ์ เช่น 1.1 เว้นว่างในแถวของยุทธศาสตร์",
            10,
            "label",
        ),
        Column("name_th", "ชื่อ (ไทย)", "Thai name.", "ชื่อภาษาไทย", 60),
        Column("name_en", "ชื่อ (อังกฤษ)", "English name (optional).", "ชื่อภาษาอังกฤษ (ไม่บังคับ)", 50),
        _DECLARED_GOV,
        _DECLARED_OWN,
        _NOTES,
    ),
)

PROJECTS = SheetLayout(
    "projects",
    "โครงการ",
    "One row per project or sub-activity, parents before or after their children.",
    "หนึ่งแถวต่อโครงการหรือกิจกรรมย่อย",
    (
        Column(
            "code",
            "รหัสโครงการ",
            "Code such as STR114/64 or SME111_5/64; the suffix is the fiscal year.",
            "รหัส เช่น STR114/64 หรือ SME111_5/64 ท้ายรหัสคือปีงบประมาณ",
            14,
        ),
        Column(
            "parent",
            "โครงการหลัก",
            "For a sub-activity: its parent's code; empty otherwise.",
            "กิจกรรมย่อย: รหัสโครงการหลัก นอกนั้นเว้นว่าง",
            14,
        ),
        Column(
            "strategy",
            "ยุทธศาสตร์ที่",
            "Strategy number; empty for recurring basic expenses.",
            "เลขยุทธศาสตร์ เว้นว่างสำหรับค่าใช้จ่ายประจำพื้นฐาน",
            10,
            "integer",
        ),
        Column(
            "tactic",
            "กลยุทธ์ที่",
            "Tactic number such as 1.1; empty for recurring basic expenses.",
            "เลขกลยุทธ์ เช่น 1.1 เว้นว่างสำหรับค่าใช้จ่ายประจำพื้นฐาน",
            10,
            "label",
        ),
        Column("name_th", "ชื่อโครงการ (ไทย)", "Thai name.", "ชื่อภาษาไทย", 50),
        Column("name_en", "ชื่อโครงการ (อังกฤษ)", "English name (optional).", "ชื่อภาษาอังกฤษ", 40),
        Column(
            "activities", "กิจกรรม", "Activities, one per line.", "กิจกรรม บรรทัดละหนึ่งข้อ", 60, "lines"
        ),
        Column(
            "budget_gov",
            "งปม. (ล้านบาท)",
            "Government budget in million baht, 4 decimals; empty (or -) if the source has none.",
            "งบประมาณแผ่นดิน ล้านบาท ทศนิยม 4 ตำแหน่ง เว้นว่างหรือ - ถ้าไม่มี",
            14,
            "money",
        ),
        Column(
            "budget_own",
            "เงินนอก (ล้านบาท)",
            "Own funds in million baht, 4 decimals; empty (or -) if none.",
            "เงินนอกงบประมาณ ล้านบาท ทศนิยม 4 ตำแหน่ง เว้นว่างหรือ - ถ้าไม่มี",
            14,
            "money",
        ),
        Column(
            "divisions",
            "ฝ่ายที่รับผิดชอบ",
            "Division keys separated by commas, lead division first.",
            "รหัสฝ่ายคั่นด้วยจุลภาค ฝ่ายหลักก่อน",
            24,
            "keys",
        ),
        _NOTES,
    ),
    freeze="B3",
)

INDICATORS = SheetLayout(
    "indicators",
    "ตัวชี้วัด",
    "One row per indicator, under its project's code.",
    "หนึ่งแถวต่อตัวชี้วัด ระบุรหัสโครงการ",
    (
        Column("project", "รหัสโครงการ", "The project's code.", "รหัสโครงการ", 14),
        Column("kind", "ประเภท", "outcome or output.", "outcome (ผลลัพธ์) หรือ output (ผลผลิต)", 10),
        Column(
            "number",
            "ข้อที่",
            "Its number within the kind, 1, 2, …",
            "ลำดับภายในประเภท",
            8,
            "integer",
        ),
        Column("text", "ตัวชี้วัด", "The indicator as the plan words it.", "ข้อความตัวชี้วัด", 70),
        Column(
            "target",
            "ค่าเป้าหมาย",
            "Numeric target; empty when the plan states none.",
            "ค่าเป้าหมายเป็นตัวเลข เว้นว่างถ้าไม่มี",
            12,
            "number",
        ),
        Column(
            "unit",
            "หน่วยนับ",
            "percent, level, or the Thai counting word (ราย, คน …); needed with a target.",
            "percent, level หรือหน่วยนับภาษาไทย (ราย, คน …) ต้องมีเมื่อมีค่าเป้าหมาย",
            12,
        ),
        Column(
            "direction",
            "ทิศทาง",
            "at_least, at_most or milestone.",
            "at_least (ไม่น้อยกว่า), at_most (ไม่เกิน) หรือ milestone (สำเร็จเมื่อถึงเป้า)",
            12,
        ),
        Column(
            "tags",
            "ป้ายกำกับ",
            "สงป. and/or ก.พ.ร., separated by commas.",
            "สงป. และ/หรือ ก.พ.ร. คั่นด้วยจุลภาค",
            14,
            "keys",
        ),
        _NOTES,
    ),
    freeze="B3",
)

TABLES = (DIVISIONS, STRATEGIES, PROJECTS, INDICATORS)

INSTRUCTIONS_NAME = "instructions"
INSTRUCTIONS_INTRO: tuple[str, ...] = (
    "แม่แบบแผนปฏิบัติการประจำปี / Annual plan template",
    "กรอกข้อมูลในแผ่นงาน plan, divisions, strategies, projects และ indicators "
    "แล้วตรวจด้วย `planbot plan validate FILE.xlsx` และนำเข้าด้วย `planbot plan load FILE.xlsx`",
    "Fill in the sheets plan, divisions, strategies, projects and indicators, check the file with "
    "`planbot plan validate FILE.xlsx`, then load it with `planbot plan load FILE.xlsx`.",
    "แถวที่ 1 คือหัวคอลัมน์ภาษาไทย แถวที่ 2 คือชื่อฟิลด์ภาษาอังกฤษที่โปรแกรมใช้อ่าน ห้ามแก้แถวที่ 2 "
    "ข้อมูลเริ่มแถวที่ 3 / Row 1 is the Thai header, row 2 the English field name the loader reads "
    "(keep it as it is); data starts on row 3.",
    "จำนวนเงินเป็นล้านบาท ทศนิยม 4 ตำแหน่ง ช่องว่างหมายถึงต้นฉบับไม่ระบุ (ไม่ใช่ศูนย์) / "
    "Money is in million baht with 4 decimals; an empty cell means the source states no figure "
    "(not zero).",
    "ทุกปัญหาจะแจ้งชื่อไฟล์ แผ่นงาน แถว และคอลัมน์ ไฟล์ที่มีข้อผิดพลาดจะไม่ถูกนำเข้า / "
    "Every problem is reported with the file, sheet, row and column; a file with errors is not "
    "loaded and the database keeps what it had. Differences between declared totals and the sum "
    "of their items are warnings.",
)
