"""Every command, button and guided flow, registered explicitly in one place: a command's one
declaration (handlers.router.CommandSpec) gives its name, handler, roles, the words that run it,
its arguments' shape and the questions that ask for it. Adding a command touches its module,
its declaration here, and its catalog lines (`cmd_<name>` and its answers)."""

from __future__ import annotations

from functools import cache, partial

from handlers import arguments, intents, suggested
from handlers.buttons import (
    CancelSpend,
    CancelUpdate,
    ConfirmSpend,
    ConfirmUpdate,
    DueList,
    EvidenceAnswer,
    EvidenceFor,
    EvidencePage,
    EvidenceShow,
    HistoryPage,
    PickIndicator,
    PickProject,
    PickValue,
    ReportNow,
    ReportOn,
    ReviewCancel,
    ReviewReturn,
    ReviewVerify,
    RunCommand,
    RunSuggested,
    ShowStatus,
    SpendQuarter,
    WalkSkip,
    WalkStop,
)
from handlers.commands import (
    admin,
    budget,
    dashboard,
    due,
    evidence,
    history,
    planning,
    projects,
    report,
    reporting,
    review,
    spending,
    start_help,
    status,
    walk,
)
from handlers.flows import GuidedUpdate, ReturnReason, Walk
from handlers.router import Asked, Router
from plan_data.roles import LINKERS, MANAGERS, PLANNING


@cache
def build_router() -> Router:
    router = Router()
    _commands(router)
    _buttons_and_flows(router)
    return router


def _commands(router: Router) -> None:
    """Every command, once, in the order the menus list them (most used first). A question's
    phrases are separated by commas, a phrase's words by spaces."""
    router.command(
        "status",
        status.status,
        words=("สถานะ",),
        takes=arguments.code_and_number,
        asked=Asked(
            "สถานะ, ความคืบหน้า, คืบหน้า, เป็น ยังไง, เป็น อย่างไร, ไป ถึง ไหน, ตัวชี้วัด, "
            "ผล การ ดำเนินงาน, status, progress, doing, going, on track, indicators, card",
            needs="code",
        ),
    )
    router.command(
        "update",
        reporting.update,
        words=("อัปเดต", "อัพเดต", "อัพเดท", "รายงาน"),
        takes=arguments.update,
        asked=Asked(
            "รายงาน, รายงาน ผล, อัปเดต, อัพเดต, อัพเดท, บันทึก, ส่ง ผล, report, update, record",
            needs="code",
        ),
        usage_key="update_usage",
    )
    router.command(
        "spend",
        spending.spend,
        words=("ใช้จ่าย", "เบิกจ่าย"),
        takes=arguments.spend,
        asked=Asked(
            "ใช้ เงิน, ใช้ จ่าย, ใช้จ่าย, เบิก, เบิก จ่าย, เบิกจ่าย, เบิกเงิน, จ่าย, จ่าย เงิน, "
            "ใช้ งบ, spend, spent, paid, pay",
            needs="code",
        ),
        usage_key="spend_usage",
    )
    router.command(
        "budget",
        budget.budget,
        words=("งบ", "งบประมาณ"),
        takes=arguments.scope,
        asked=Asked(
            "งบ, งบประมาณ, เงิน, เหลือ, คงเหลือ, เหลือ เท่าไหร่, เหลือ เท่าไร, เหลือ เท่าใด, "
            "ไป เท่าไหร่, ไป เท่าไร, ใช้ ไป กี่ บาท, budget, money, left, remaining, how much, "
            "balance, spending",
            needs="scope",
        ),
    )
    router.command(
        "projects",
        projects.projects,
        words=("โครงการ",),
        takes=arguments.group,
        asked=Asked(
            "โครงการ ของ, มี โครงการ, โครงการ อะไร, โครงการ ไหน, รายการ โครงการ, รายชื่อ โครงการ, "
            "projects of, projects for, list projects, which projects, what projects, "
            "projects does, projects do",
            needs="group",
        ),
    )
    router.command(
        "find",
        projects.find,
        words=("ค้นหา", "search"),
        takes=arguments.search_words,
        asked=Asked(
            "หา, ค้นหา, ค้น, หา โครงการ, ค้นหา โครงการ, เกี่ยวกับ, find, search, search for, "
            "look for, look up, projects about, projects with",
            needs="words",
        ),
    )
    router.command(
        "history",
        history.history,
        words=("ประวัติ",),
        takes=arguments.one_code,
        asked=Asked(
            "ประวัติ, ใคร รายงาน, ใคร บันทึก, รายการ ย้อนหลัง, history, log, changes, who reported, "
            "entries",
            needs="code",
        ),
    )
    router.command(
        "undo",
        reporting.undo,
        words=("ย้อนกลับ",),
        takes=arguments.nothing,
        asked=Asked(
            "ย้อนกลับ, ยกเลิก, ลบ, แก้, แก้ไข, undo, cancel, delete, revert, take back",
        ),
        usage_key="intent_undo_usage",
    )
    router.command(
        "due",
        due.due,
        words=("ค้างส่ง", "กำหนดส่ง"),
        takes=arguments.division_or_mine,
        asked=Asked(
            "ค้าง, ค้าง ส่ง, ค้าง อะไร, ยัง ค้าง, ต้อง รายงาน, ต้อง ส่ง, กำหนด ส่ง, ส่ง เมื่อไหร่, "
            "ส่ง เมื่อไร, ยัง ไม่ รายงาน อะไร, ยัง ไม่ ได้ รายงาน อะไร, ยัง ไม่ ส่ง อะไร, due, owe, "
            "still owe, deadline, missing, to report, must report",
            needs="division",
        ),
    )
    router.command("evidence", evidence.evidence, words=("หลักฐาน",))
    router.command(
        "late",
        due.late,
        PLANNING,
        words=("ล่าช้า",),
        takes=arguments.nothing,
        asked=Asked(
            "ใคร ยัง ไม่ รายงาน, ยัง ไม่ รายงาน, ยัง ไม่ ได้ รายงาน, ยัง ไม่ ส่ง, ใคร ยัง ไม่ ส่ง, "
            "ฝ่าย ไหน ยัง ไม่, ล่าช้า, ส่ง ช้า, who hasnt reported, hasnt reported, "
            "havent reported, not reported, not reported yet, who is late, late, behind",
        ),
    )
    router.command("review", review.review, PLANNING, words=("ตรวจรับรอง",), in_groups=False)
    router.command(
        "summary",
        planning.summary,
        words=("สรุป",),
        takes=arguments.nothing,
        asked=Asked(
            "สรุป, สรุป ผล, summary, summarise, summarize, overview",
        ),
    )
    router.command(
        "dashboard",
        dashboard.dashboard,
        words=("แดชบอร์ด", "ภาพรวม"),
        asked=Asked(
            "แดชบอร์ด, แดช บอร์ด, dashboard, หน้า ภาพรวม, เปิด ภาพรวม",
        ),
    )
    router.command(
        "chart",
        planning.chart,
        words=("กราฟ",),
        takes=arguments.scope,
        asked=Asked(
            "กราฟ, แผนภูมิ, รูป, ภาพ, chart, graph, picture, plot, กราฟ งบ, กราฟ งบประมาณ, "
            "กราฟ เงิน, รูป กราฟ, ขอ กราฟ, ภาพรวม เป็น กราฟ, แผนภาพ, ไดอะแกรม, budget chart, "
            "chart of",
            needs="scope",
        ),
        makes_file=True,
    )
    router.command(
        "export",
        planning.export,
        PLANNING,
        words=("ส่งออก",),
        takes=arguments.nothing,
        asked=Asked(
            "สเปรดชีต, สเปรดชีท, ไฟล์ excel, excel, เอ็กเซล, เอ็กเซล์, xlsx, ส่งออก, ดาวน์โหลด, "
            "ขอ ไฟล์, ไฟล์ ข้อมูล, ตาราง ข้อมูล, spreadsheet, export, download, sheet",
        ),
        makes_file=True,
    )
    router.command(
        "report",
        report.report,
        PLANNING,
        takes=arguments.period,
        asked=Asked(
            "รายงาน ไตรมาส, รายงาน ประจำ ไตรมาส, รายงาน ผล ไตรมาส, ไฟล์ word, word, docx, "
            "เอกสาร รายงาน, รายงาน ผู้บริหาร, รายงาน บอร์ด, สรุป ผู้บริหาร, quarterly report, "
            "report document, board report",
        ),
        makes_file=True,
    )
    router.command("invite", admin.invite, MANAGERS, words=("เชิญ",))
    router.command("link", admin.link, LINKERS, words=("ผูกกลุ่ม",))
    router.open_command("lang", admin.lang, words=("ภาษา", "language"))
    router.open_command(
        "help",
        partial(start_help.help_command, router),
        words=("ช่วยเหลือ", "วิธีใช้"),
        asked=Asked(
            "ช่วยเหลือ, วิธีใช้, ใช้ ยังไง, ใช้ งาน ยังไง, ใช้งาน ยังไง, ทำ อะไร ได้, คำสั่ง, help, "
            "what can you do, commands, how to use",
        ),
    )
    router.open_command("start", partial(start_help.start, router), words=("เริ่ม",), in_groups=False)


# fmt: on


def _buttons_and_flows(router: Router) -> None:
    router.button(ShowStatus, status.status_button)
    router.button(HistoryPage, history.history_button)
    router.button(RunCommand, partial(intents.run_button, router))
    router.button(RunSuggested, partial(suggested.run_suggested, router))
    for kind in (PickProject, ReportOn, PickIndicator, ConfirmUpdate, CancelUpdate, PickValue):
        router.button(kind, reporting.update_button)
    for spend_kind in (ConfirmSpend, CancelSpend, SpendQuarter):
        router.button(spend_kind, spending.spend_button)
    router.flow(GuidedUpdate, reporting.typed_value)
    router.button(EvidenceFor, evidence.evidence_for_button)
    router.button(EvidenceAnswer, evidence.answer_button)
    router.button(EvidenceShow, review.evidence_button)
    router.button(EvidencePage, evidence.evidence_page_button)
    router.button(ReviewVerify, review.verify_button)
    router.button(ReviewReturn, review.return_button)
    router.button(ReviewCancel, review.cancel_button)
    router.flow(ReturnReason, review.typed_reason)
    router.button(ReportNow, walk.report_now)
    router.button(WalkSkip, walk.walk_button)
    router.button(WalkStop, walk.walk_button)
    router.button(DueList, walk.see_all)
    router.flow(Walk, walk.typed_value)
