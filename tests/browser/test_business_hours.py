"""Settings → Business hours: an administrator creates a Beijing-time calendar with a lunch break for a
department, imports China's 2026 holidays, and the calculator counts over the National Day golden week."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.sla.models import BusinessCalendar, DepartmentCalendar
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TEXTS = {
    "zh-hans": {
        "nav": "工作时间",
        "new": "新建日历",
        "save": "保存",
        "created": "日历已创建。",
        "department": "售后服务",
        "import": "导入中国法定节假日",
        "imported": "已导入 2026 年中国法定节假日：新增或更新了 22 个休息日和 6 个调休上班日。",
        "calculate": "计算",
        "elapsed": "1410 分钟（23 小时 30 分钟）",
        "weekday": "星期四",
    },
    "en": {
        "nav": "Business hours",
        "new": "New calendar",
        "save": "Save",
        "created": "The calendar was created.",
        "department": "After-sales",
        "import": "Import China's holidays",
        "imported": (
            "China's holidays for 2026 were imported: 22 days off and 6 make-up workdays added or updated."
        ),
        "calculate": "Calculate",
        "elapsed": "1410 minutes (23 h 30 min)",
        "weekday": "Thu",
    },
}


def test_an_administrator_builds_a_calendar_imports_china_2026_and_calculates(
    context, page, desk, live_server, lang
):
    words = TEXTS[lang]
    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/settings/general/")
    page.get_by_role("link", name=words["nav"], exact=True).click()
    page.wait_for_url("**/settings/business-hours/")
    page.get_by_role("link", name=words["new"], exact=True).click()
    page.wait_for_url("**/settings/business-hours/new/")

    page.locator("#id_name").fill("北京工作时间")
    # Monday to Friday come filled in with the usual 09:00–12:00, 13:30–18:00.
    expect(page.locator("#id_day_mon")).to_have_value("09:00–12:00, 13:30–18:00")
    expect(page.locator("#id_day_sat")).to_have_value("")
    page.get_by_label(words["department"], exact=True).check()
    page.get_by_role("button", name=words["save"], exact=True).click()
    expect(page.get_by_text(words["created"])).to_be_visible()
    calendar = BusinessCalendar.objects.get()
    page.wait_for_url(f"**/settings/business-hours/{calendar.pk}/")
    assert calendar.week[0] == [[540, 720], [810, 1080]]
    assert DepartmentCalendar.objects.get().department_id == desk.department.pk

    page.locator("#id_year").fill("2026")
    page.get_by_role("button", name=words["import"], exact=True).click()
    expect(page.get_by_text(words["imported"])).to_be_visible()
    page.wait_for_url(f"**/settings/business-hours/{calendar.pk}/")
    # The imported days are in the editor, to change if need be.
    expect(page.locator("#id_holidays")).to_contain_text("2026-10-01")
    expect(page.locator("#id_workdays")).to_contain_text("2026-10-10")

    # Created Wednesday 30 September 17:00 with a 2-hour target: one hour that day, the golden week off,
    # due Thursday 8 October 10:00; to Monday 12 October 09:00 it is 23.5 working hours.
    calculator = page.get_by_test_id("calculator")
    calculator.locator("#id_start").fill("2026-09-30T17:00")
    calculator.locator("#id_minutes").fill("120")
    calculator.locator("#id_end").fill("2026-10-12T09:00")
    calculator.get_by_role("button", name=words["calculate"], exact=True).click()
    expect(page.get_by_test_id("calculator-due")).to_contain_text("2026-10-08 10:00")
    expect(page.get_by_test_id("calculator-due")).to_contain_text(words["weekday"])
    expect(page.get_by_test_id("calculator-elapsed")).to_have_text(words["elapsed"])
