"""tnef: winmail.dat unpacked into its body and files; anything unreadable reported, never raised."""

from __future__ import annotations

import struct

from kefu.channels.email.parse.tnef import is_tnef, unpack_tnef


def _object(level: int, attribute: int, data: bytes) -> bytes:
    header = struct.pack("<BHHI", level, attribute & 0xFFFF, attribute >> 16, len(data))
    return header + data + struct.pack("<H", sum(data) & 0xFFFF)


def _blob(*objects: bytes) -> bytes:
    return struct.pack("<IH", 0x223E9F78, 1) + b"".join(objects)


def test_body_and_attachment():
    blob = _blob(
        _object(1, 0x00089006, struct.pack("<I", 0x00010000)),
        _object(1, 0x0002800C, b"Body text\r\n"),
        _object(2, 0x00069002, b"\x01\x00" + b"\xff" * 4 + b"\x00" * 8),
        _object(2, 0x00018010, b"data.csv\x00"),
        _object(2, 0x0006800F, b"a,b\r\n1,2\r\n" * 3),
    )
    defects: list[str] = []
    content = unpack_tnef(blob, defects)
    assert content is not None
    assert content.text == "Body text\r\n"
    assert [(a.filename, a.content_type, a.data) for a in content.attachments] == [
        ("data.csv", "text/csv", b"a,b\r\n1,2\r\n" * 3)
    ]
    assert defects == []


def test_attachment_without_name_gets_one():
    blob = _blob(
        _object(2, 0x00069002, b"\x01\x00" + b"\xff" * 4 + b"\x00" * 8),
        _object(2, 0x0006800F, b"x" * 20),
    )
    content = unpack_tnef(blob, [])
    assert content is not None
    assert [(a.filename, a.content_type) for a in content.attachments] == [
        ("attachment-1", "application/octet-stream")
    ]


def test_wrong_signature_is_reported():
    defects: list[str] = []
    assert unpack_tnef(b"PK\x03\x04 not tnef", defects) is None
    assert defects == ["unreadable winmail.dat kept as a file"]


def test_truncated_blob_never_raises():
    blob = _blob(_object(1, 0x0002800C, b"Body text that is long enough" * 4))
    for cut in range(0, len(blob), 7):
        unpack_tnef(blob[:cut], [])


def test_is_tnef():
    assert is_tnef("application/ms-tnef", "")
    assert is_tnef("application/octet-stream", "WINMAIL.DAT")
    assert not is_tnef("application/octet-stream", "report.dat")
