"""body: which parts are the body and which are files, through parse_message."""

from __future__ import annotations

import base64

from kefu.channels.email.parse import MAX_ATTACHMENT_BYTES, parse_message


def _mixed(*parts: bytes, boundary: bytes = b"b") -> bytes:
    body = b"".join(b"--" + boundary + b"\n" + part + b"\n" for part in parts)
    head = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=" + boundary + b"\n\n"
    return head + body + b"--" + boundary + b"--\n"


def test_alternative_prefers_html_and_keeps_text():
    raw = (
        b'From: a@example.com\nContent-Type: multipart/alternative; boundary="a"\n\n'
        b"--a\nContent-Type: text/plain\n\nplain version\n"
        b"--a\nContent-Type: text/html\n\n<p>html <b>version</b></p>\n--a--\n"
    )
    parsed = parse_message(raw)
    assert (parsed.text, parsed.html) == ("plain version", "<p>html <b>version</b></p>")


def test_html_is_sanitised():
    raw = b'From: a@example.com\nContent-Type: text/html\n\n<p onmouseover="x()">hi<script>bad()</script></p>'
    assert parse_message(raw).html == "<p>hi</p>"


def test_html_without_mime_charset_uses_its_meta_charset():
    markup = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
    raw = b"From: a@example.com\nContent-Type: text/html\n\n" + (markup + "<p>你好</p>").encode("gbk")
    parsed = parse_message(raw)
    assert (parsed.html, parsed.defects) == ("<p>你好</p>", [])


def test_html_head_and_title_are_not_body_text():
    raw = (
        b"From: a@example.com\nContent-Type: text/html\n\n"
        b"<html><HEAD><title>Newsletter</title><style>p{}</style></HEAD><body><p>Hi</p></body></html>"
    )
    parsed = parse_message(raw)
    assert (parsed.html, parsed.text) == ("<p>Hi</p>", "Hi")


def test_text_only_has_no_html():
    parsed = parse_message(b"From: a@example.com\n\nhello\n")
    assert (parsed.text, parsed.html, parsed.new_html) == ("hello", "", "")


def test_inline_text_parts_in_mixed_are_joined():
    parsed = parse_message(
        _mixed(
            b"Content-Type: text/plain\n\nfirst",
            b"Content-Type: image/png\n\nPNG",
            b"Content-Type: text/plain\n\nsecond",
        )
    )
    assert parsed.text == "first\n\nsecond"
    assert [a.filename for a in parsed.attachments] == ["attachment-1.png"]


def test_text_part_with_filename_is_an_attachment():
    parsed = parse_message(
        _mixed(
            b"Content-Type: text/plain\n\nbody",
            b"Content-Type: text/plain\nContent-Disposition: inline; filename=notes.txt\n\nnotes",
        )
    )
    assert parsed.text == "body"
    assert [(a.filename, a.data) for a in parsed.attachments] == [("notes.txt", b"notes")]


def test_filename_path_is_stripped():
    parsed = parse_message(
        _mixed(
            b"Content-Type: application/octet-stream\n"
            b'Content-Disposition: attachment; filename="C:\\\\temp\\\\..\\\\evil.exe"\n\nMZ'
        )
    )
    assert parsed.attachments[0].filename == "evil.exe"


def test_cid_image_not_referenced_is_not_inline():
    parsed = parse_message(
        _mixed(
            b"Content-Type: text/html\n\n<p>no image</p>",
            b"Content-Type: image/png\nContent-ID: <unused@x>\n\nPNG",
        )
    )
    assert [(a.content_id, a.is_inline) for a in parsed.attachments] == [("unused@x", False)]


def test_attachment_over_the_limit_is_dropped_and_recorded():
    big = base64.encodebytes(b"\0" * (MAX_ATTACHMENT_BYTES + 1))
    small = base64.encodebytes(b"ok")
    parsed = parse_message(
        _mixed(
            b"Content-Type: text/plain\n\nsee files",
            b"Content-Type: application/zip; name=big.zip\nContent-Transfer-Encoding: base64\n\n" + big,
            b"Content-Type: application/zip; name=small.zip\nContent-Transfer-Encoding: base64\n\n" + small,
        )
    )
    assert [a.filename for a in parsed.attachments] == ["small.zip"]
    assert parsed.defects == [
        f"attachment 'big.zip' dropped: {MAX_ATTACHMENT_BYTES + 1} bytes over the limit"
    ]


def test_winmail_dat_that_is_not_tnef_is_kept_as_a_file():
    parsed = parse_message(_mixed(b"Content-Type: application/ms-tnef; name=winmail.dat\n\nnot tnef at all"))
    assert [(a.filename, a.data) for a in parsed.attachments] == [("winmail.dat", b"not tnef at all")]
    assert parsed.defects == ["unreadable winmail.dat kept as a file"]


def test_digest_children_default_to_messages():
    raw = (
        b'From: list@example.com\nContent-Type: multipart/digest; boundary="d"\n\n'
        b"--d\n\nSubject: one\n\nfirst\n--d\n\nSubject: two\n\nsecond\n--d--\n"
    )
    assert [a.filename for a in parse_message(raw).attachments] == ["one.eml", "two.eml"]


def test_crlf_text_becomes_lf():
    assert parse_message(b"From: a@example.com\r\n\r\nline one\r\nline two\r\n").text == "line one\nline two"


def test_attached_message_keeps_its_raw_bytes():
    inner = (
        "From: a@example.com\nSubject: 订单 ".encode()
        + b"x" * 200
        + b"\nContent-Type: text/plain; charset=gbk\n\n"
        + "你好".encode("gbk")
    )
    raw = b"From: b@example.com\nContent-Type: multipart/mixed; boundary=m\n\n"
    raw += b"--m\nContent-Type: message/rfc822\n\n"
    parsed = parse_message(raw + inner + b"\n--m--\n")
    assert [(a.filename, a.data) for a in parsed.attachments] == [(f"订单 {'x' * 77}.eml", inner)]
