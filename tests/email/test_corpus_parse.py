"""Every raw message in tests/email/corpus/ parses to what its JSON file's "parse" section expects."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kefu.channels.email.parse import ParsedMessage, parse_message

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(path.stem for path in CORPUS.glob("*.eml"))
_EXACT_FIELDS = (
    "message_id",
    "in_reply_to",
    "references",
    "subject",
    "text",
    "html",
    "new_text",
    "new_html",
    "has_quoted_history",
    "is_auto_submitted",
    "is_from_daemon",
    "is_spam",
    "defects",
)
_ADDRESS_LISTS = ("to", "cc", "reply_to")
_ATTACHMENT_KEYS = ("filename", "content_type", "is_inline", "content_id")


def _check(parsed: ParsedMessage, expected: dict) -> None:
    for name in _EXACT_FIELDS:
        if name in expected:
            assert getattr(parsed, name) == expected[name], name
    if "sender" in expected:
        assert dataclasses.asdict(parsed.sender) == expected["sender"]
    for name in _ADDRESS_LISTS:
        if name in expected:
            assert [dataclasses.asdict(a) for a in getattr(parsed, name)] == expected[name], name
    if "date" in expected:
        assert (parsed.date.isoformat() if parsed.date else None) == expected["date"]
    for name in ("text", "new_text", "html", "new_html"):
        for snippet in expected.get(f"{name}_contains", []):
            assert snippet in getattr(parsed, name), (name, snippet)
        for snippet in expected.get(f"{name}_not_contains", []):
            assert snippet not in getattr(parsed, name), (name, snippet)
    if "attachments" in expected:
        got = []
        for attachment, wanted in zip(parsed.attachments, expected["attachments"], strict=False):
            row = {key: getattr(attachment, key) for key in _ATTACHMENT_KEYS if key in wanted}
            if "size" in wanted:
                row["size"] = len(attachment.data)
            got.append(row)
        assert len(parsed.attachments) == len(expected["attachments"])
        assert got == expected["attachments"]
    for index, snippet in expected.get("attachment_data_contains", {}).items():
        assert snippet.encode() in parsed.attachments[int(index)].data
    if "delivery_report" in expected:
        report = parsed.delivery_report
        assert (dataclasses.asdict(report) if report else None) == expected["delivery_report"]
    if expected.get("defects_nonempty"):
        assert parsed.defects


@pytest.mark.parametrize("name", CASES)
def test_corpus_message_parses_as_expected(name: str) -> None:
    expected = json.loads((CORPUS / f"{name}.json").read_text())["parse"]
    parsed = parse_message((CORPUS / f"{name}.eml").read_bytes())
    _check(parsed, expected)


def test_corpus_has_at_least_forty_messages_each_with_expectations() -> None:
    assert len(CASES) >= 40
    assert sorted(path.stem for path in CORPUS.glob("*.json")) == CASES
