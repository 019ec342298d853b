"""headers: RFC 2047/2231 decoding, addresses, Message-ID lists and dates, tolerant of garbage."""

from __future__ import annotations

import base64
import datetime
import urllib.parse

import pytest

from kefu.channels.email.parse.headers import (
    decode_header_value,
    parse_addresses,
    parse_date,
    parse_message_ids,
    split_value_and_params,
)
from kefu.channels.email.parse.message import Address


def test_b_words_split_inside_a_character_are_joined_before_decoding():
    data = "客服系统".encode()
    value = (
        f"=?utf-8?B?{base64.b64encode(data[:4]).decode()}?=\n "
        f"=?utf-8?B?{base64.b64encode(data[4:]).decode()}?="
    )
    assert decode_header_value(value) == "客服系统"


def test_q_words_with_underscores_and_split_character():
    assert decode_header_value("=?utf-8?Q?Re:_=E9=80=80=E6?= =?utf-8?Q?=AC=BE_now?=") == "Re: 退款 now"


def test_gb2312_word_with_gbk_character():
    word = base64.b64encode("朱镕基".encode("gbk")).decode()
    assert decode_header_value(f"=?gb2312?B?{word}?=") == "朱镕基"


def test_text_between_words_is_kept():
    assert decode_header_value("Re: =?utf-8?B?5L2g5aW9?= [#12]") == "Re: 你好 [#12]"


def test_raw_utf8_header_bytes_are_decoded():
    raw = "订单".encode().decode("ascii", "surrogateescape")
    assert decode_header_value(raw) == "订单"


@pytest.mark.parametrize(
    "value", ["=?utf-8?B?####?=", "=?bogus?Q?abc?=", "=?utf-8?X?abc?=", "=?", "\x00\x00"]
)
def test_broken_encoded_words_never_raise(value):
    assert isinstance(decode_header_value(value), str)


def test_huge_header_is_truncated_and_recorded():
    defects: list[str] = []
    assert len(decode_header_value("x" * 200_000, defects)) == 100_000
    assert defects == ["header truncated"]


def test_addresses_lowercased_names_decoded_commas_in_names_kept():
    values = ['"Sales, EU" <Sales@Kefu.TEST>, =?utf-8?B?5byg5LiJ?= <zhang@example.cn>, bare@example.com']
    assert parse_addresses(values) == [
        Address(name="Sales, EU", address="sales@kefu.test"),
        Address(name="张三", address="zhang@example.cn"),
        Address(name="", address="bare@example.com"),
    ]


def test_addresses_without_at_sign_are_dropped():
    assert parse_addresses(["undisclosed-recipients:;", "nobody"]) == []


def test_garbage_address_header_still_yields_the_address():
    assert parse_addresses(["<<<foo@example.com>>> ((("]) == [Address(name="", address="foo@example.com")]


def test_message_ids_without_brackets_in_order_without_duplicates():
    value = "<a@x> <b@x>\n\t<a@x> (comment) < c@x >"
    assert parse_message_ids([value]) == ["a@x", "b@x", "c@x"]


def test_message_ids_without_angle_brackets():
    assert parse_message_ids(["a@x b@x", "", "no-id-here"]) == ["a@x", "b@x"]


def test_date_parsed_aware():
    assert parse_date("Fri, 20 Nov 2026 10:00:00 +0800") == datetime.datetime(
        2026, 11, 20, 2, 0, tzinfo=datetime.UTC
    )


def test_date_without_zone_is_utc():
    assert parse_date("Fri, 20 Nov 2026 10:00:00 -0000") == datetime.datetime(
        2026, 11, 20, 10, 0, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize("value", ["", None, "yesterday", "Fri, 99 Nov 2026 99:00:00 +0800"])
def test_unreadable_date_is_none(value):
    assert parse_date(value) is None


def test_rfc2231_continuations_and_charset():
    first = urllib.parse.quote("报价".encode())
    second = urllib.parse.quote("单.xls".encode())
    raw = f"attachment;\n filename*0*=utf-8''{first};\n filename*1*={second}"
    assert split_value_and_params(raw) == ("attachment", {"filename": "报价单.xls"})


def test_rfc2231_gb2312_filename():
    raw = f"attachment; filename*=gb2312''{urllib.parse.quote('说明.txt'.encode('gbk'))}"
    assert split_value_and_params(raw)[1] == {"filename": "说明.txt"}


def test_rfc2047_inside_quoted_param():
    word = base64.b64encode("合同.doc".encode("gbk")).decode()
    assert split_value_and_params(f'application/msword; name="=?gb2312?B?{word}?="') == (
        "application/msword",
        {"name": "合同.doc"},
    )


def test_params_quoted_with_semicolons_and_escapes():
    assert split_value_and_params('Text/Plain; charset="utf-8"; name="a;\\"b\\".txt"') == (
        "text/plain",
        {"charset": "utf-8", "name": 'a;"b".txt'},
    )


def test_unterminated_quote_does_not_raise():
    assert split_value_and_params('text/plain; name="abc')[1] == {"name": "abc"}
