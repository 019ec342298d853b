"""Importing in a browser, in both languages: an administrator uploads 1,000 contacts of which 3 are
bad, maps nothing by hand (the columns are named as the targets), imports, and sees the progress and
the error report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kefu.contacts.models import Contact
from tests.browser.helpers import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORDS = {
    "en": {
        "import": "Import",
        "file": "File",
        "upload": "Upload",
        "counts": "1000 of 1000 rows: imported 997, skipped 0, errors 3",
        "error_report": "Error report",
        "download": "Download the error report",
        "bad_email": "Enter a valid email address.",
    },
    "zh-hans": {
        "import": "导入",
        "file": "文件",
        "upload": "上传",
        "counts": "已处理 1000 / 1000 行：导入 997，跳过 0，错误 3",
        "error_report": "错误报告",
        "download": "下载错误报告",
        "bad_email": "请输入有效的邮箱地址。",
    },
}
BAD_ROWS = {101: "not-an-address", 502: "also@bad", 903: "@example.cn"}


def test_import_a_thousand_contacts_with_three_bad_rows(
    context, page, desk, lang, live_server, tmp_path, screenshot
):
    words = WORDS[lang]
    lines = ["external_id,name,email"]
    for n in range(1, 1001):
        email = BAD_ROWS.get(n + 1, f"import{n}@example.cn")  # row n + 1 of the file (the header is row 1)
        lines.append(f"imp-{n},客户{n},{email}")
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = Contact.objects.count()

    sign_in_as(context, live_server.url, desk.admin.user)
    page.goto("/transfer/imports/")
    expect(page.get_by_role("heading", level=2)).to_have_text(words["import"])
    page.get_by_label(words["file"], exact=True).set_input_files(str(path))
    page.get_by_role("button", name=words["upload"], exact=True).click()
    mapping = page.get_by_test_id("mapping-form")
    expect(mapping).to_be_visible()
    mapping.get_by_role("button", name=words["import"], exact=True).click()

    progress = page.get_by_test_id("import-progress")
    expect(progress.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(page.get_by_test_id("import-counts")).to_have_text(words["counts"])
    expect(page.get_by_role("heading", name=words["error_report"])).to_be_visible()
    rows = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(words["bad_email"])
    expect(rows.nth(0).locator("td").first).to_have_text("101")
    expect(rows.nth(2).locator("td").first).to_have_text("903")
    expect(page.get_by_role("link", name=words["download"])).to_be_visible()
    screenshot(page, "import-report")
    assert Contact.objects.count() == before + 997
