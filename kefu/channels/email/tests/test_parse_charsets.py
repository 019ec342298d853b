"""charsets: labels normalised, mislabelled bytes recovered, clean labels trusted."""

from __future__ import annotations

import pytest

from kefu.channels.email.parse.charsets import decode_bytes, normalise_charset


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ('"GB2312"', "gb18030"),
        ("x-gbk", "gb18030"),
        ("cp936", "gb18030"),
        ("gb18030", "gb18030"),
        ("big5", "big5hkscs"),
        ("ISO-2022-JP", "iso2022_jp_ext"),
        ("ks_c_5601-1987", "cp949"),
        ("utf8", "utf-8"),
        ("us-ascii", "ascii"),
        ("latin1", "iso8859-1"),
        ("x-no-such-charset", ""),
        ("unknown-8bit", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_charset(label, codec):
    assert normalise_charset(label) == codec


def test_gb2312_label_decodes_gbk_only_characters():
    defects: list[str] = []
    assert decode_bytes("朱镕基".encode("gbk"), "gb2312", defects) == "朱镕基"
    assert defects == []


def test_gb18030_four_byte_characters():
    assert decode_bytes("𠀀😀".encode("gb18030"), "gbk") == "𠀀😀"


def test_utf8_labelled_latin1_is_recovered_and_recorded():
    defects: list[str] = []
    assert decode_bytes("arrivée 谢谢".encode(), "iso-8859-1", defects) == "arrivée 谢谢"
    assert defects == ["UTF-8 labelled as iso-8859-1"]


def test_genuine_latin1_is_kept():
    defects: list[str] = []
    assert decode_bytes("Très bien, Zoë".encode("latin-1"), "iso-8859-1", defects) == "Très bien, Zoë"
    assert defects == []


def test_big5_labelled_latin1_is_recovered():
    defects: list[str] = []
    text = "您好，請問我的訂單什麼時候出貨？"
    assert decode_bytes(text.encode("big5"), "iso-8859-1", defects) == text
    assert defects == ["big5hkscs labelled as iso-8859-1"]


def test_unlabelled_big5_mixed_with_ascii_is_not_read_as_shift_jis():
    assert decode_bytes("Hello 您好，請問 order #123".encode("big5"), None) == "Hello 您好，請問 order #123"


def test_gbk_labelled_utf8_is_recovered():
    defects: list[str] = []
    text = "您好，请问我的订单什么时候发货？"
    assert decode_bytes(text.encode("gbk"), "utf-8", defects) == text
    assert defects == ["gb18030 labelled as utf-8"]


def test_iso_2022_jp_labelled_ascii_is_recovered():
    defects: list[str] = []
    assert decode_bytes("ありがとう".encode("iso-2022-jp"), "us-ascii", defects) == "ありがとう"
    assert defects == ["ISO-2022-JP labelled as us-ascii"]


def test_unknown_label_falls_back_to_utf8_and_is_recorded():
    defects: list[str] = []
    assert decode_bytes("Grüße".encode(), "x-foo", defects) == "Grüße"
    assert defects == ["unknown charset 'x-foo'"]


def test_nul_characters_are_dropped():
    assert decode_bytes(b"a\x00b", "utf-8") == "ab"


def test_empty_bytes():
    assert decode_bytes(b"", "gb2312") == ""


def test_undecodable_bytes_never_raise():
    defects: list[str] = []
    result = decode_bytes(bytes(range(256)) * 4, "utf-8", defects)
    assert isinstance(result, str)
    assert len(defects) == 1


def test_utf8_labelled_gb2312_is_recovered():
    defects: list[str] = []
    assert decode_bytes("您好，订单".encode(), "gb2312", defects) == "您好，订单"
    assert defects == ["UTF-8 labelled as gb2312"]


@pytest.mark.parametrize("text", ["你好", "您好，请问我的订单什么时候发货？", "朱镕基 发票 退款 谢谢"])
def test_genuine_gbk_is_not_mistaken_for_utf8(text):
    defects: list[str] = []
    assert decode_bytes(text.encode("gbk"), "gbk", defects) == text
    assert defects == []


def test_genuine_big5_is_not_mistaken_for_utf8():
    text = "您好，請問我的訂單什麼時候出貨？"
    assert decode_bytes(text.encode("big5"), "big5") == text
