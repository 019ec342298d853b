"""parse_message never raises: garbage, truncation, huge and pathological messages all come back parsed."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.channels.email.parse import MAX_ATTACHMENT_BYTES, ParsedMessage, parse_message

CORPUS = Path(__file__).resolve().parents[4] / "tests" / "email" / "corpus"


def test_five_hundred_attachments():
    parts = b"".join(
        b"--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=f%d.bin\n"
        b"Content-Transfer-Encoding: base64\n\nAAEC\n" % i
        for i in range(500)
    )
    raw = (
        b"From: a@example.com\nSubject: many\nContent-Type: multipart/mixed; boundary=b\n\n"
        + parts
        + b"--b--\n"
    )
    parsed = parse_message(raw)
    assert len(parsed.attachments) == 500
    assert (parsed.attachments[0].filename, parsed.attachments[499].filename) == ("f0.bin", "f499.bin")
    assert parsed.attachments[499].data == b"\x00\x01\x02"


def test_thirty_megabyte_message():
    # 22.5 MiB of data: over 30 MiB once base64-encoded, still under the attachment limit.
    payload = base64.encodebytes(bytes(range(256)) * 92_160)
    raw = (
        b"From: a@example.com\nSubject: big\nContent-Type: multipart/mixed; boundary=b\n\n"
        b"--b\nContent-Type: text/plain\n\nsee attachment\n"
        b"--b\nContent-Type: video/mp4; name=clip.mp4\nContent-Transfer-Encoding: base64\n\n"
        + payload
        + b"--b--\n"
    )
    assert len(raw) > 30 * 1024 * 1024
    parsed = parse_message(raw)
    assert parsed.new_text == "see attachment"
    assert [a.filename for a in parsed.attachments] == ["clip.mp4"]
    assert len(parsed.attachments[0].data) < MAX_ATTACHMENT_BYTES


def test_thirty_megabyte_text_body():
    raw = b"From: a@example.com\nSubject: log\n\n" + b"line of a very long log file\n" * 1_100_000
    parsed = parse_message(raw)
    assert parsed.subject == "log"
    assert parsed.new_text.startswith("line of a very long log file\nline")


def test_ten_thousand_character_header():
    raw = b"From: a@example.com\nSubject: " + b"x" * 10_000 + b"\nX-Long: " + b"y " * 5000 + b"\n\nbody\n"
    parsed = parse_message(raw)
    assert parsed.subject == "x" * 10_000
    assert parsed.new_text == "body"


def test_header_only_message():
    parsed = parse_message(b"From: a@example.com\nSubject: nothing else")
    assert (parsed.subject, parsed.text, parsed.attachments) == ("nothing else", "", [])


def test_empty_message():
    parsed = parse_message(b"")
    assert (parsed.subject, parsed.sender.address, parsed.text, parsed.defects) == (
        "",
        "",
        "",
        ["empty message"],
    )


def test_deeply_nested_multiparts_stop_with_a_defect():
    depth = 60
    raw = b"From: a@example.com\n"
    for level in range(depth):
        raw += b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (level, level)
    raw += b"Content-Type: text/plain\n\ndeep\n"
    for level in reversed(range(depth)):
        raw += b"--b%d--\n" % level
    parsed = parse_message(raw)
    assert parsed.defects.count("MIME tree too deep or too large; the rest was skipped") == 1


def test_parts_beyond_the_limit_are_skipped_once():
    parts = b"".join(b"--b\nContent-Type: application/octet-stream\n\nx\n" for _ in range(2100))
    raw = b"From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n" + parts + b"--b--\n"
    parsed = parse_message(raw)
    assert len(parsed.attachments) == 1999
    assert parsed.defects.count("MIME tree too deep or too large; the rest was skipped") == 1


def test_str_input_is_accepted():
    assert parse_message("Subject: text\n\nhi").subject == "text"  # type: ignore[arg-type]


def test_non_bytes_input_is_an_empty_message():
    parsed = parse_message(None)  # type: ignore[arg-type]
    assert parsed.defects == ["input is not bytes", "empty message"]


def test_nul_bytes_never_reach_the_result():
    raw = b"From: a\x00b@example.com\nSubject: a\x00b\nMessage-ID: <a\x00b@x>\n\nbo\x00dy\n"
    parsed = parse_message(raw)
    assert (parsed.subject, parsed.text, parsed.message_id) == ("ab", "body", "ab@x")


def test_raw_8bit_message_id_is_decoded_not_surrogates():
    parsed = parse_message("Message-ID: <订单@x>\n\nhi".encode())
    assert parsed.message_id == "订单@x"
    parsed.message_id.encode("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.eml")))
def test_every_truncation_of_every_corpus_message(name):
    raw = (CORPUS / name).read_bytes()
    for cut in range(0, len(raw), max(1, len(raw) // 40)):
        parsed = parse_message(raw[:cut])
        assert isinstance(parsed, ParsedMessage)
        for value in (parsed.subject, parsed.text, parsed.html, parsed.new_text, parsed.message_id):
            value.encode("utf-8")


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes(raw):
    assert isinstance(parse_message(raw), ParsedMessage)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            [
                b"Content-Type: multipart/mixed; boundary=x\n",
                b'Content-Type: multipart/alternative; boundary="x"\n',
                b"Content-Type: message/rfc822\n",
                b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n",
                b"Content-Type: message/delivery-status\n",
                b"Content-Type: text/html; charset=gb2312\n",
                b"Content-Type: application/ms-tnef; name=winmail.dat\n",
                b"Content-Transfer-Encoding: base64\n",
                b"Content-Transfer-Encoding: quoted-printable\n",
                b"Content-Disposition: attachment; filename*0*=utf-8''%E6; filename*1=x\n",
                b"From: =?utf-8?B?####?= <@>\n",
                b"Subject: =?gb2312?Q?=B0=A1?=\n",
                b"\n",
                b"--x\n",
                b"--x--\n",
                b"<div class=gmail_quote>\n",
                b"> quoted\n",
                b"\xff\xfe\x00garbage\n",
                b"x\x9f\x92\x96=\n",
            ]
        ),
        max_size=40,
    )
)
def test_random_mime_fragments(lines):
    assert isinstance(parse_message(b"".join(lines)), ParsedMessage)
