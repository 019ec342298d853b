# ruff: noqa: E501 — message bodies are kept on the lines real clients put them on
"""Writes tests/email/corpus/NN-name.eml and NN-name.json beside this script.

The .eml files are committed; this script is how they were made (charset content has to be byte-exact, which
is easier to get right in Python than in an editor). Each case states its expected parse result by hand:
the expectations are not produced by the parser. Run from the repository root:

    .venv/bin/python tests/email/corpus/make_corpus.py
"""

from __future__ import annotations

import base64
import json
import struct
import urllib.parse
from pathlib import Path

CORPUS = Path(__file__).parent
CASES: list[tuple[str, str, bytes, dict]] = []


def case(name: str, description: str, raw: bytes, parse: dict) -> None:
    CASES.append((name, description, raw, parse))


def b_word(text: str, charset: str = "utf-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def eml(headers: str, body: bytes = b"", *, crlf: bool = False) -> bytes:
    head = headers.strip("\n").encode("ascii") + b"\n\n"
    raw = head + body
    return raw.replace(b"\n", b"\r\n") if crlf else raw


def addr(address: str, name: str = "") -> dict:
    return {"name": name, "address": address}


BASIC = """From: Alice Customer <Alice@Example.COM>
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
MIME-Version: 1.0"""


def tnef_object(level: int, attribute: int, data: bytes) -> bytes:
    header = struct.pack("<BHHI", level, attribute & 0xFFFF, attribute >> 16, len(data))
    return header + data + struct.pack("<H", sum(data) & 0xFFFF)


def tnef_blob() -> bytes:
    """A TNEF stream per MS-OXTNEF: version, code page, class, body, then two attachments."""
    rend = b"\x01\x00" + b"\xff\xff\xff\xff" + b"\x00" * 8
    objects = [
        tnef_object(1, 0x00089006, struct.pack("<I", 0x00010000)),
        tnef_object(1, 0x00069007, struct.pack("<II", 1252, 0)),
        tnef_object(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00"),
        tnef_object(1, 0x0002800C, b"Please find the quarterly report attached.\r\n"),
        tnef_object(2, 0x00069002, rend),
        tnef_object(2, 0x00018010, b"report.txt\x00"),
        tnef_object(2, 0x0006800F, b"Q3 revenue: 42\r\nQ4 revenue: 43\r\n"),
        tnef_object(2, 0x00069002, rend),
        tnef_object(2, 0x00018010, b"logo.png\x00"),
        tnef_object(2, 0x0006800F, b"\x89PNG\r\n\x1a\n" + b"\x00" * 24),
    ]
    return struct.pack("<IH", 0x223E9F78, 0x0001) + b"".join(objects)


# --- charsets ---------------------------------------------------------------------------------------------

case(
    "01-gb2312-label-gbk-chars",
    "Body and subject labelled gb2312 hold 镕 and 堃, which only GBK/GB18030 have.",
    eml(
        f"""{BASIC}
Subject: =?gb2312?B?{base64.b64encode("朱镕基与王堃的订单".encode("gbk")).decode()}?=
Message-ID: <gb2312-gbk@example.com>
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: 8bit""",
        "您好，我是朱镕基，王堃的订单还没有收到。\n".encode("gbk"),
    ),
    {
        "subject": "朱镕基与王堃的订单",
        "new_text": "您好，我是朱镕基，王堃的订单还没有收到。",
        "defects": [],
    },
)
case(
    "02-gbk",
    "Body labelled gbk (Python has the codec, we decode with GB18030 anyway).",
    eml(
        f"""{BASIC}
Subject: {b_word("发票问题", "gbk")}
Message-ID: <gbk@example.com>
Content-Type: text/plain; charset="GBK"
Content-Transfer-Encoding: base64""",
        base64.encodebytes("请帮我开一张增值税发票，谢谢！".encode("gbk")),
    ),
    {"subject": "发票问题", "new_text": "请帮我开一张增值税发票，谢谢！", "defects": []},
)
case(
    "03-gb18030-four-byte",
    "GB18030 four-byte sequences (CJK Extension B and an emoji).",
    eml(
        f"""{BASIC}
Subject: {b_word("生僻字𠀀", "gb18030")}
Message-ID: <gb18030@example.com>
Content-Type: text/plain; charset=gb18030
Content-Transfer-Encoding: 8bit""",
        "名字里有生僻字𠀀和𪚥，系统显示成问号了😀\n".encode("gb18030"),
    ),
    {"subject": "生僻字𠀀", "new_text": "名字里有生僻字𠀀和𪚥，系统显示成问号了😀", "defects": []},
)
case(
    "04-big5",
    "Traditional Chinese in Big5, labelled big5.",
    eml(
        f"""{BASIC}
Subject: {b_word("訂單查詢", "big5")}
Message-ID: <big5@example.com>
Content-Type: text/plain; charset=big5
Content-Transfer-Encoding: 8bit""",
        "您好，請問我的訂單什麼時候出貨？謝謝。\n".encode("big5"),
    ),
    {"subject": "訂單查詢", "new_text": "您好，請問我的訂單什麼時候出貨？謝謝。", "defects": []},
)
case(
    "05-big5-labelled-latin1",
    "Big5 text mislabelled ISO-8859-1: recovered by detection and recorded as a defect.",
    eml(
        f"""{BASIC}
Subject: Order question
Message-ID: <big5-latin1@example.com>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit""",
        "您好，請問我的訂單什麼時候出貨？謝謝。\n".encode("big5"),
    ),
    {
        "new_text": "您好，請問我的訂單什麼時候出貨？謝謝。",
        "defects": ["big5hkscs labelled as iso-8859-1"],
    },
)
case(
    "06-iso-2022-jp",
    "Japanese in ISO-2022-JP with an ISO-2022-JP encoded-word subject.",
    eml(
        f"""{BASIC}
Subject: {b_word("注文について", "iso-2022-jp")}
Message-ID: <iso2022jp@example.com>
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: 7bit""",
        "こんにちは。注文の件でご連絡します。\n".encode("iso-2022-jp"),
    ),
    {"subject": "注文について", "new_text": "こんにちは。注文の件でご連絡します。", "defects": []},
)
case(
    "07-iso-2022-jp-labelled-ascii",
    "ISO-2022-JP escapes in a part labelled us-ascii.",
    eml(
        f"""{BASIC}
Subject: Re: order
Message-ID: <iso2022jp-ascii@example.com>
Content-Type: text/plain; charset=us-ascii""",
        "ありがとうございます。\n".encode("iso-2022-jp"),
    ),
    {"new_text": "ありがとうございます。", "defects": ["ISO-2022-JP labelled as us-ascii"]},
)
case(
    "08-utf8-labelled-latin1",
    "UTF-8 bytes labelled ISO-8859-1 (an old webmail habit): recovered.",
    eml(
        f"""{BASIC}
Subject: Cafe order
Message-ID: <utf8-latin1@example.com>
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable""",
        b"Bonjour, ma commande n=C2=B042 est arriv=C3=A9e cass=C3=A9e. =E8=B0=A2=E8=B0=A2\n",
    ),
    {
        "new_text": "Bonjour, ma commande n°42 est arrivée cassée. 谢谢",
        "defects": ["UTF-8 labelled as ISO-8859-1"],
    },
)
case(
    "09-latin1-genuine",
    "Real ISO-8859-1 French text stays as it is (no false recovery).",
    eml(
        f"""{BASIC}
Subject: =?iso-8859-1?Q?Probl=E8me_de_livraison?=
Message-ID: <latin1@example.com>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 8bit""",
        "Très bien reçu, merci. À bientôt, Zoë\n".encode("latin-1"),
    ),
    {"subject": "Problème de livraison", "new_text": "Très bien reçu, merci. À bientôt, Zoë", "defects": []},
)
_SPLIT = "客服系统测试".encode()
case(
    "10-rfc2047-b-split-multibyte",
    "A base64 encoded-word subject split in the middle of a UTF-8 character, folded over two lines.",
    eml(
        f"""{BASIC}
Subject: =?UTF-8?B?{base64.b64encode(_SPLIT[:7]).decode()}?=
 =?UTF-8?B?{base64.b64encode(_SPLIT[7:]).decode()}?= [#123]
Message-ID: <b-split@example.com>
Content-Type: text/plain; charset=utf-8""",
        b"Body.\n",
    ),
    {"subject": "客服系统测试 [#123]", "new_text": "Body.", "defects": []},
)
case(
    "11-rfc2047-q-split-multibyte",
    "Q-encoded subject mixing ASCII and UTF-8, split mid-character, plus an encoded From name.",
    eml(
        """From: =?utf-8?Q?=E5=BC=A0=E4=B8=89?= <zhang.san@example.cn>
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: =?utf-8?Q?Re:_=E9=80=80=E6?= =?utf-8?Q?=AC=BE_request?=
Message-ID: <q-split@example.cn>
Content-Type: text/plain; charset=utf-8""",
        "请退款。\n".encode(),
    ),
    {
        "subject": "Re: 退款 request",
        "sender": addr("zhang.san@example.cn", "张三"),
        "new_text": "请退款。",
    },
)
_FILENAME = "发票2026年11月.pdf"
_QUOTED = urllib.parse.quote(_FILENAME.encode())
case(
    "12-rfc2231-chinese-filenames",
    "RFC 2231 filenames: UTF-8 in one piece, UTF-8 continued over sections, and GB2312.",
    eml(
        f"""{BASIC}
Subject: Invoice
Message-ID: <rfc2231@example.com>
Content-Type: multipart/mixed; boundary="b1"
""",
        f"""--b1
Content-Type: text/plain; charset=utf-8

See attached.
--b1
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''{_QUOTED}
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--b1
Content-Type: application/vnd.ms-excel
Content-Disposition: attachment;
 filename*0*=utf-8''{urllib.parse.quote("报价单".encode())};
 filename*1*={urllib.parse.quote("（最终版）.xls".encode())}
Content-Transfer-Encoding: base64

0M8R4KGxGuE=
--b1
Content-Type: text/plain
Content-Disposition: attachment; filename*=gb2312''{urllib.parse.quote("说明.txt".encode("gb2312"))}

readme
--b1--
""".encode(),
    ),
    {
        "new_text": "See attached.",
        "attachments": [
            {"filename": _FILENAME, "content_type": "application/pdf", "is_inline": False, "size": 9},
            {
                "filename": "报价单（最终版）.xls",
                "content_type": "application/vnd.ms-excel",
                "is_inline": False,
            },
            {"filename": "说明.txt", "content_type": "text/plain", "is_inline": False, "size": 6},
        ],
    },
)
case(
    "13-rfc2047-filename-outlook",
    "Outlook/Foxmail style: an RFC 2047 word inside the quoted name= and filename= parameters.",
    eml(
        f"""{BASIC}
Subject: {b_word("合同", "gb2312")}
Message-ID: <rfc2047-filename@example.com>
Content-Type: multipart/mixed; boundary="b1"
""",
        f"""--b1
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: base64

{base64.b64encode("合同见附件。".encode("gb2312")).decode()}
--b1
Content-Type: application/msword; name="{b_word("采购合同.doc", "gb2312")}"
Content-Disposition: attachment; filename="{b_word("采购合同.doc", "gb2312")}"
Content-Transfer-Encoding: base64

0M8R4KGxGuE=
--b1--
""".encode(),
    ),
    {
        "subject": "合同",
        "new_text": "合同见附件。",
        "attachments": [
            {"filename": "采购合同.doc", "content_type": "application/msword", "is_inline": False}
        ],
    },
)
case(
    "14-raw-8bit-headers",
    "Unencoded UTF-8 in Subject and the From name.",
    b"From: \xe6\x9d\x8e\xe5\x9b\x9b <li.si@example.cn>\nTo: support@kefu.test\n"
    b"Subject: \xe8\xae\xa2\xe5\x8d\x95\xe9\x97\xae\xe9\xa2\x98 [#77]\nMessage-ID: <raw8bit@example.cn>\n"
    b"Content-Type: text/plain; charset=utf-8\n\n\xe4\xbd\xa0\xe5\xa5\xbd\n",
    {"subject": "订单问题 [#77]", "sender": addr("li.si@example.cn", "李四"), "new_text": "你好"},
)

# --- quoting styles ---------------------------------------------------------------------------------------

OUTLOOK_EN_HTML = """<html><head><style>p.MsoNormal{margin:0}</style></head><body>
<div class="WordSection1"><p class="MsoNormal">Thanks, that fixed it.</p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">
<div id="divRplyFwdMsg"><p class="MsoNormal"><b>From:</b> Support &lt;support@kefu.test&gt;<br>
<b>Sent:</b> Thursday, November 19, 2026 9:00 AM<br><b>To:</b> Alice<br><b>Subject:</b> Re: Login</p></div>
<p class="MsoNormal">Please clear your cache.</p></div></div></body></html>"""
case(
    "15-outlook-en",
    "Outlook (English): From/Sent/To/Subject header block under an underline; HTML with divRplyFwdMsg.",
    eml(
        f"""{BASIC}
Subject: RE: Login [#123]
Message-ID: <outlook-en@example.com>
In-Reply-To: <ticket-123-1@kefu.test>
References: <ticket-123@kefu.test> <ticket-123-1@kefu.test>
Content-Type: multipart/alternative; boundary="alt"
""",
        f"""--alt
Content-Type: text/plain; charset=us-ascii

Thanks, that fixed it.

________________________________
From: Support <support@kefu.test>
Sent: Thursday, November 19, 2026 9:00 AM
To: Alice
Subject: Re: Login

Please clear your cache.
--alt
Content-Type: text/html; charset=us-ascii

{OUTLOOK_EN_HTML}
--alt--
""".encode(),
    ),
    {
        "subject": "RE: Login [#123]",
        "in_reply_to": ["ticket-123-1@kefu.test"],
        "references": ["ticket-123@kefu.test", "ticket-123-1@kefu.test"],
        "new_text": "Thanks, that fixed it.",
        "has_quoted_history": True,
        "text_contains": ["Please clear your cache."],
        "new_html_contains": ["Thanks, that fixed it."],
        "new_html_not_contains": ["Please clear your cache", "From:"],
        "html_not_contains": ["<style", "MsoNormal{"],
    },
)
OUTLOOK_ZH_TEXT = """问题已解决，谢谢！

发件人: 客服中心 <support@kefu.test>
发送时间: 2026年11月19日 9:00
收件人: 王五 <wang.wu@example.cn>
主题: 回复: 无法登录

请清除浏览器缓存后重试。
"""
case(
    "16-outlook-zh",
    "Outlook (Chinese): 发件人/发送时间/收件人/主题 header block, full-width colons in HTML.",
    eml(
        f"""From: {b_word("王五", "gb2312")} <wang.wu@example.cn>
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: {b_word("答复: 无法登录", "gb2312")}
Message-ID: <outlook-zh@example.cn>
Content-Type: multipart/alternative; boundary="alt"
""",
        b"--alt\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(OUTLOOK_ZH_TEXT.encode("gb2312"))
        + b"--alt\nContent-Type: text/html; charset=gb2312\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(
            (
                "<html><body><p>问题已解决，谢谢！</p><div><div style='border:none;border-top:solid #B5C4DF 1.0pt'>"
                "<p><b>发件人：</b>客服中心 &lt;support@kefu.test&gt;<br><b>发送时间：</b>2026年11月19日 9:00<br>"
                "<b>收件人：</b>王五<br><b>主题：</b>回复: 无法登录</p></div></div>"
                "<p>请清除浏览器缓存后重试。</p></body></html>"
            ).encode("gb2312")
        )
        + b"--alt--\n",
    ),
    {
        "subject": "答复: 无法登录",
        "sender": addr("wang.wu@example.cn", "王五"),
        "new_text": "问题已解决，谢谢！",
        "has_quoted_history": True,
        "new_html_contains": ["问题已解决"],
        "new_html_not_contains": ["请清除浏览器缓存", "发件人"],
    },
)
case(
    "17-gmail-en",
    "Gmail (English): 'On … wrote:' wrapped over two lines; gmail_quote and gmail_signature in HTML.",
    eml(
        f"""{BASIC}
Subject: Re: Refund [#124]
Message-ID: <CAgmail-en@mail.gmail.com>
In-Reply-To: <ticket-124@kefu.test>
References: <ticket-124@kefu.test>
Content-Type: multipart/alternative; boundary="000000000000abc"
""",
        b"""--000000000000abc
Content-Type: text/plain; charset="UTF-8"

Yes, please refund to the original card.

On Thu, Nov 19, 2026 at 9:00 AM Kefu Support <support@kefu.test>
wrote:

> Would you like a refund or a replacement?
>
--000000000000abc
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Yes, please refund to the original card.<br><span class="gmail_signature_prefix">-- </span><br>\
<div dir="ltr" class="gmail_signature">Alice</div></div><br><div class="gmail_quote gmail_quote_container">\
<div dir="ltr" class="gmail_attr">On Thu, Nov 19, 2026 at 9:00 AM Kefu Support &lt;<a href="mailto:support@kefu.test">\
support@kefu.test</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">\
Would you like a refund or a replacement?</blockquote></div>
--000000000000abc--
""",
    ),
    {
        "new_text": "Yes, please refund to the original card.",
        "has_quoted_history": True,
        "new_html_contains": ["Yes, please refund"],
        "new_html_not_contains": ["Would you like", "Alice"],
        "html_contains": ["Would you like a refund or a replacement?"],
    },
)
case(
    "18-gmail-zh",
    "Gmail (Chinese UI): '<name> <addr> 于2026年11月19日周四 09:00写道：'.",
    eml(
        f"""{BASIC}
Subject: =?UTF-8?B?UmU6IOmAgOasvg==?=
Message-ID: <CAgmail-zh@mail.gmail.com>
In-Reply-To: <ticket-125@kefu.test>
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: base64""",
        base64.encodebytes(
            "好的，请退回原卡。\n\nKefu Support <support@kefu.test> 于2026年11月19日周四 09:00写道：\n\n> 请问您需要退款还是换货？\n".encode()
        ),
    ),
    {"subject": "Re: 退款", "new_text": "好的，请退回原卡。", "has_quoted_history": True},
)
QQ_TEXT = """收到，谢谢

------------------ 原始邮件 ------------------
发件人: "客服中心"<support@kefu.test>;
发送时间: 2026年11月19日(星期四) 上午9:00
收件人: "赵六"<12345678@qq.com>;
主题: 回复：物流查询

您的包裹已发出。
"""
QQ_HTML = (
    '<div>收到，谢谢</div><div><includetail><div style="font:Verdana normal 14px;color:#000;">'
    '<div style="FONT-SIZE: 12px;FONT-FAMILY: Arial Narrow;padding:2px 0 2px 0;">'
    '------------------&nbsp;原始邮件&nbsp;------------------</div><div>发件人: "客服中心"&lt;support@kefu.test&gt;;</div>'
    "<div>您的包裹已发出。</div></div></includetail></div>"
)
case(
    "19-qq-mail",
    "QQ Mail: '------------------ 原始邮件 ------------------' divider; <includetail> in HTML.",
    eml(
        f"""From: "{b_word("赵六", "gb18030")}" <12345678@qq.com>
To: "support" <support@kefu.test>
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: {b_word("回复：物流查询", "gb18030")}
Message-ID: <tencent_ABC123@qq.com>
Content-Type: multipart/alternative; boundary="----=_NextPart_5F2A"
""",
        b'------=_NextPart_5F2A\nContent-Type: text/plain; charset="gb18030"\nContent-Transfer-Encoding: base64\n\n'
        + base64.encodebytes(QQ_TEXT.encode("gb18030"))
        + b'\n------=_NextPart_5F2A\nContent-Type: text/html; charset="gb18030"\nContent-Transfer-Encoding: base64\n\n'
        + base64.encodebytes(QQ_HTML.encode("gb18030"))
        + b"\n------=_NextPart_5F2A--\n",
    ),
    {
        "subject": "回复：物流查询",
        "sender": addr("12345678@qq.com", "赵六"),
        "new_text": "收到，谢谢",
        "has_quoted_history": True,
        "new_html_contains": ["收到，谢谢"],
        "new_html_not_contains": ["原始邮件", "包裹"],
    },
)
case(
    "20-foxmail",
    "Foxmail (English UI): '------------------ Original ------------------' then From:/Date:/To:/Subject:.",
    eml(
        f"""{BASIC}
Subject: Re: Delivery
Message-ID: <202611201000.AB12@foxmail.com>
X-Mailer: Foxmail 7.2.25
Content-Type: text/plain; charset=utf-8""",
        b"""Received, thank you.

------------------ Original ------------------
From:  "Support"<support@kefu.test>;
Date:  Thu, Nov 19, 2026 09:00 AM
To:  "Alice"<alice@example.com>;
Subject:  Delivery

Your parcel has shipped.
""",
    ),
    {"new_text": "Received, thank you.", "has_quoted_history": True},
)
NETEASE_HTML = (
    '<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial"><div>好的，明天上午在家。</div>'
    '<br><div style="position:relative;zoom:1"></div><div id="divNeteaseMailCard"></div><br>'
    '<pre><br>在 2026-11-19 09:00:00，"客服中心" &lt;support@kefu.test&gt; 写道：<br></pre>'
    '<blockquote id="isReplyContent" style="PADDING-LEFT: 1ex; MARGIN: 0px 0px 0px 0.8ex; BORDER-LEFT: #ccc 1px solid">'
    "<div>师傅明天上门安装，请问家里有人吗？</div></blockquote></div>"
)
case(
    "21-netease-163",
    "NetEase 163: '在 2026-11-19 09:00:00，\"客服中心\" <…> 写道：' and blockquote#isReplyContent.",
    eml(
        f"""From: "{b_word("孙八", "gbk")}" <sunba@163.com>
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: {b_word("Re:安装预约", "gbk")}
Message-ID: <6a1b2c3d.1234.18c2@163.com>
Content-Type: multipart/alternative; boundary="----=_Part_1_163"
""",
        b"------=_Part_1_163\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(
            '好的，明天上午在家。\n\n\n在 2026-11-19 09:00:00，"客服中心" <support@kefu.test> 写道：\n'
            ">师傅明天上门安装，请问家里有人吗？\n".encode("gbk")
        )
        + b"------=_Part_1_163\nContent-Type: text/html; charset=GBK\nContent-Transfer-Encoding: base64\n\n"
        + base64.encodebytes(NETEASE_HTML.encode("gbk"))
        + b"------=_Part_1_163--\n",
    ),
    {
        "subject": "Re:安装预约",
        "sender": addr("sunba@163.com", "孙八"),
        "new_text": "好的，明天上午在家。",
        "has_quoted_history": True,
        "new_html_contains": ["好的，明天上午在家。"],
        "new_html_not_contains": ["师傅", "写道"],
    },
)
case(
    "22-netease-126",
    "NetEase 126 plain text, attribution without the quoted sender name.",
    eml(
        f"""From: chenjiu@126.com
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: {b_word("Re:发票", "gbk")}
Message-ID: <126-reply@126.com>
Content-Type: text/plain; charset=GBK
Content-Transfer-Encoding: base64""",
        base64.encodebytes(
            "发票抬头写公司全称。\n\n在 2026-11-19 15:30:12，support@kefu.test 写道：\n>请提供发票抬头。\n".encode(
                "gbk"
            )
        ),
    ),
    {
        "sender": addr("chenjiu@126.com"),
        "subject": "Re:发票",
        "new_text": "发票抬头写公司全称。",
        "has_quoted_history": True,
    },
)
case(
    "23-apple-mail",
    "Apple Mail: 'On 19 Nov 2026, at 09:00, … wrote:' and blockquote type=cite; 'Sent from my iPhone'.",
    eml(
        f"""{BASIC}
Subject: Re: Warranty
Message-ID: <A1B2C3D4-E5F6-7890-ABCD-EF1234567890@example.com>
In-Reply-To: <ticket-126@kefu.test>
X-Mailer: iPhone Mail (22B83)
Content-Type: multipart/alternative; boundary="Apple-Mail-1"
""",
        b"""--Apple-Mail-1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

The serial number is SN-4411.

Sent from my iPhone

> On 19 Nov 2026, at 09:00, Kefu Support <support@kefu.test> wrote:
>=20
> Could you send the serial number?
--Apple-Mail-1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body dir=3D"auto"><div>The serial number is SN-4411.</div><div><br></di=
v><div>Sent from my iPhone</div><div><br><blockquote type=3D"cite">On 19 Nov 2=
026, at 09:00, Kefu Support &lt;support@kefu.test&gt; wrote:<br><br></blockquo=
te></div><blockquote type=3D"cite"><div>Could you send the serial number?</div=
></blockquote></body></html>
--Apple-Mail-1--
""",
    ),
    {
        "new_text": "The serial number is SN-4411.",
        "has_quoted_history": True,
        "new_html_contains": ["SN-4411"],
        "new_html_not_contains": ["serial number?", "iPhone"],
    },
)
case(
    "24-thunderbird",
    "Thunderbird: moz-cite-prefix attribution, moz-signature, and a '-- ' signature in the text part.",
    eml(
        f"""{BASIC}
Subject: Re: Backup failing
Message-ID: <d3f1a2b4-1111-2222-3333-444455556666@example.com>
In-Reply-To: <ticket-127@kefu.test>
References: <ticket-127@kefu.test>
User-Agent: Mozilla Thunderbird
Content-Type: multipart/alternative; boundary="------------tb1"
""",
        b"""--------------tb1
Content-Type: text/plain; charset=UTF-8; format=flowed

The log is below:
ERROR disk full

--\x20
Alice Customer
ACME Ltd.

On 11/19/26 09:00, Kefu Support wrote:
> Please send the log.
--------------tb1
Content-Type: text/html; charset=UTF-8

<html><body><p>The log is below:<br>ERROR disk full</p>
<div class="moz-signature">-- <br>Alice Customer<br>ACME Ltd.</div>
<div class="moz-cite-prefix">On 11/19/26 09:00, Kefu Support wrote:<br></div>
<blockquote type="cite" cite="mid:ticket-127@kefu.test">Please send the log.</blockquote></body></html>
--------------tb1--
""",
    ),
    {
        "new_text": "The log is below:\nERROR disk full",
        "has_quoted_history": True,
        "new_html_contains": ["ERROR disk full"],
        "new_html_not_contains": ["ACME", "Please send the log"],
    },
)
case(
    "25-signature-only",
    "A '-- ' signature and no quoted history.",
    eml(
        f"""{BASIC}
Subject: Question about pricing
Message-ID: <signature@example.com>
Content-Type: text/plain; charset=utf-8""",
        b"Do you offer discounts for charities?\n\n-- \nAlice Customer\nHead of Operations, ACME\n",
    ),
    {
        "new_text": "Do you offer discounts for charities?",
        "has_quoted_history": False,
        "text_contains": ["Head of Operations, ACME"],
    },
)
case(
    "26-bottom-posted",
    "A bottom-posted reply: quote first, new text after. The new text is what remains outside the quote.",
    eml(
        f"""{BASIC}
Subject: Re: Opening hours
Message-ID: <bottom@example.com>
Content-Type: text/plain; charset=utf-8""",
        b"On Thu, Nov 19, 2026 at 9:00 AM Support <support@kefu.test> wrote:\n> We open at 9.\n\n"
        b"And on Sundays?\n",
    ),
    {"new_text": "And on Sundays?", "has_quoted_history": True},
)

# --- structure --------------------------------------------------------------------------------------------

case(
    "27-html-only",
    "HTML only: scripts and event handlers are removed; the text version is derived from it.",
    eml(
        f"""{BASIC}
Subject: Broken link
Message-ID: <html-only@example.com>
Content-Type: text/html; charset=utf-8""",
        b'<html><head><script>alert(1)</script></head><body><p onclick="evil()">The <b>download</b> '
        b'link <a href="javascript:alert(2)">here</a> is broken.</p><p>Second paragraph.</p></body></html>\n',
    ),
    {
        "text": "The download link here is broken.\nSecond paragraph.",
        "new_text": "The download link here is broken.\nSecond paragraph.",
        "html_contains": ["<b>download</b>"],
        "html_not_contains": ["script", "onclick", "javascript:"],
        "has_quoted_history": False,
    },
)
case(
    "28-text-only-crlf",
    "Plain text with CRLF line endings and a CC list with encoded names.",
    eml(
        f"""From: Bob <bob@example.com>
To: Support <support@kefu.test>, "Sales, EU" <sales-eu@kefu.test>
Cc: {b_word("财务部")} <Finance@Example.com>, carol@example.com,
 "Dave D." <dave@example.com>
Date: Fri, 20 Nov 2026 02:00:00 +0000
Subject: Contract renewal
Message-ID: <crlf@example.com>
Content-Type: text/plain; charset=us-ascii""",
        b"Please renew for another year.\nBob\n",
        crlf=True,
    ),
    {
        "sender": addr("bob@example.com", "Bob"),
        "to": [addr("support@kefu.test", "Support"), addr("sales-eu@kefu.test", "Sales, EU")],
        "cc": [
            addr("finance@example.com", "财务部"),
            addr("carol@example.com"),
            addr("dave@example.com", "Dave D."),
        ],
        "date": "2026-11-20T02:00:00+00:00",
        "new_text": "Please renew for another year.\nBob",
        "html": "",
        "new_html": "",
    },
)
case(
    "29-related-cid-images",
    "multipart/related: an HTML body showing two cid: images, plus an unrelated PDF attachment.",
    eml(
        f"""{BASIC}
Subject: Screenshot of the error
Message-ID: <related@example.com>
Content-Type: multipart/mixed; boundary="mixed"
""",
        b"""--mixed
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

See the screenshot: [image: screen.png]
--alt
Content-Type: text/html; charset=utf-8

<p>See the screenshot:</p><img src="cid:ii_screen01@example.com" alt="screen.png"><img src="cid:logo">
--alt--
--rel
Content-Type: image/png; name="screen.png"
Content-Disposition: inline; filename="screen.png"
Content-ID: <ii_screen01@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAAN
--rel
Content-Type: image/gif
Content-ID: <logo>
Content-Transfer-Encoding: base64

R0lGODlhAQABAAAAACw=
--rel--
--mixed
Content-Type: application/pdf; name="log.pdf"
Content-Disposition: attachment; filename="log.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--mixed--
""",
    ),
    {
        "new_text": "See the screenshot: [image: screen.png]",
        "html_contains": ['src="cid:ii_screen01@example.com"'],
        "attachments": [
            {
                "filename": "screen.png",
                "content_type": "image/png",
                "is_inline": True,
                "content_id": "ii_screen01@example.com",
                "size": 12,
            },
            {
                "filename": "attachment-2.gif",
                "content_type": "image/gif",
                "is_inline": True,
                "content_id": "logo",
            },
            {"filename": "log.pdf", "content_type": "application/pdf", "is_inline": False, "content_id": ""},
        ],
    },
)
case(
    "30-attached-eml",
    "A forwarded message attached as message/rfc822 is kept whole as an .eml attachment.",
    eml(
        f"""{BASIC}
Subject: Fwd: phishing?
Message-ID: <attached-eml@example.com>
Content-Type: multipart/mixed; boundary="m"
""",
        b"""--m
Content-Type: text/plain; charset=utf-8

Is this message really from you?
--m
Content-Type: message/rfc822
Content-Disposition: attachment

From: "Kefu Billing" <billing@kefu-phish.test>
To: alice@example.com
Subject: =?utf-8?B?6LSm5Y2V?= overdue
Message-ID: <phish@kefu-phish.test>
Content-Type: text/plain; charset=utf-8

Pay now.
--m
Content-Type: message/rfc822; name="original.eml"
Content-Disposition: attachment; filename="original.eml"

From: a@example.com
Subject: second

Second.
--m--
""",
    ),
    {
        "new_text": "Is this message really from you?",
        "attachments": [
            {"filename": "账单 overdue.eml", "content_type": "message/rfc822", "is_inline": False},
            {"filename": "original.eml", "content_type": "message/rfc822", "is_inline": False},
        ],
        "attachment_data_contains": {"0": "Message-ID: <phish@kefu-phish.test>", "1": "Second."},
    },
)
case(
    "31-winmail-dat",
    "Outlook TNEF: winmail.dat holding the body and two files is unpacked.",
    eml(
        f"""{BASIC}
Subject: Quarterly report
Message-ID: <tnef@example.com>
X-MS-TNEF-Correlator: <tnef@example.com>
Content-Type: multipart/mixed; boundary="tnef"
""",
        b"""--tnef
Content-Type: text/plain; charset=us-ascii

Please find the quarterly report attached.
--tnef
Content-Type: application/ms-tnef; name="winmail.dat"
Content-Disposition: attachment; filename="winmail.dat"
Content-Transfer-Encoding: base64

"""
        + base64.encodebytes(tnef_blob())
        + b"--tnef--\n",
    ),
    {
        "text_contains": ["Please find the quarterly report attached."],
        "attachments": [
            {"filename": "report.txt", "content_type": "text/plain", "is_inline": False, "size": 32},
            {"filename": "logo.png", "content_type": "image/png", "is_inline": False, "size": 32},
        ],
        "attachment_data_contains": {"0": "Q3 revenue: 42"},
    },
)
ICS = """BEGIN:VCALENDAR
PRODID:-//Example//EN
VERSION:2.0
METHOD:REQUEST
BEGIN:VEVENT
UID:onboarding-42@example.com
DTSTART:20261125T020000Z
DTEND:20261125T030000Z
SUMMARY:Onboarding call
END:VEVENT
END:VCALENDAR
"""
case(
    "32-calendar-invite",
    "A calendar invite: text/calendar inside the alternative plus invite.ics; both kept as files.",
    eml(
        f"""{BASIC}
Subject: Invitation: Onboarding call
Message-ID: <invite@example.com>
Content-Type: multipart/mixed; boundary="cal-mixed"
""",
        f"""--cal-mixed
Content-Type: multipart/alternative; boundary="cal-alt"

--cal-alt
Content-Type: text/plain; charset=utf-8

You are invited to the onboarding call.
--cal-alt
Content-Type: text/calendar; charset=utf-8; method=REQUEST

{ICS}
--cal-alt--
--cal-mixed
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"

{ICS}
--cal-mixed--
""".encode(),
    ),
    {
        "new_text": "You are invited to the onboarding call.",
        "attachments": [
            {"filename": "invite.ics", "content_type": "text/calendar", "is_inline": False},
            {"filename": "invite.ics", "content_type": "application/ics", "is_inline": False},
        ],
        "attachment_data_contains": {"0": "SUMMARY:Onboarding call"},
    },
)

# --- loops and noise ---------------------------------------------------------------------------------------

NOT_NOISE = {"is_auto_submitted": False, "is_from_daemon": False, "is_spam": False, "delivery_report": None}
for number, (slug, header, expected) in enumerate(
    [
        ("auto-submitted-auto-replied", "Auto-Submitted: auto-replied", True),
        (
            "auto-submitted-auto-generated",
            'Auto-Submitted: auto-generated; owner-email="x@example.com"',
            True,
        ),
        ("auto-submitted-no", "Auto-Submitted: no", False),
        ("x-autoreply", "X-Autoreply: yes", True),
        ("x-autorespond", "X-Autorespond: Out of office", True),
        ("precedence-bulk", "Precedence: bulk", True),
        ("precedence-list", "Precedence: list", True),
        ("precedence-junk", "Precedence: junk", True),
    ],
    start=33,
):
    case(
        f"{number}-{slug}",
        f"Loop protection: '{header}' {'marks' if expected else 'does not mark'} the message auto-submitted.",
        eml(
            f"""{BASIC}
Subject: Out of office: your request
Message-ID: <{slug}@example.com>
{header}
Content-Type: text/plain; charset=utf-8""",
            b"I am out of the office until Monday.\n",
        ),
        {**NOT_NOISE, "is_auto_submitted": expected, "new_text": "I am out of the office until Monday."},
    )
case(
    "41-mailer-daemon",
    "A non-standard bounce from MAILER-DAEMON (no multipart/report): flagged as from a daemon.",
    eml(
        """From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: Undelivered Mail Returned to Sender
Message-ID: <daemon-1@mx.example.com>
Content-Type: text/plain; charset=us-ascii""",
        b"I'm sorry to have to inform you that your message could not be delivered.\n",
    ),
    {
        **NOT_NOISE,
        "is_from_daemon": True,
        "sender": addr("mailer-daemon@mx.example.com", "Mail Delivery System"),
    },
)
case(
    "42-postmaster",
    "A message from postmaster@ is flagged as from a daemon.",
    eml(
        """From: postmaster@example.org
To: support@kefu.test
Subject: Delivery delayed
Message-ID: <pm@example.org>
Content-Type: text/plain""",
        b"Delivery to the following recipients has been delayed.\n",
    ),
    {**NOT_NOISE, "is_from_daemon": True, "date": None},
)
case(
    "43-dsn-rfc822-headers",
    "An RFC 3464 bounce with text/rfc822-headers: the original Message-ID, recipient, status, diagnostic.",
    eml(
        """From: MAILER-DAEMON@mx.example.com (Mail Delivery System)
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.example.com>
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"
""",
        b"""--dsn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.com.
I'm sorry to have to inform you that your message could not be delivered.

--dsn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Arrival-Date: Fri, 20 Nov 2026 10:00:00 +0800

Final-Recipient: rfc822; Nobody@Example.com
Original-Recipient: rfc822;nobody@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address
    rejected: User unknown

--dsn
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: support@kefu.test
To: nobody@example.com
Subject: Re: Your request [#130]
Message-ID: <ticket-130-reply-2@kefu.test>

--dsn--
""",
    ),
    {
        "is_auto_submitted": True,
        "is_from_daemon": True,
        "is_spam": False,
        "delivery_report": {
            "original_message_id": "ticket-130-reply-2@kefu.test",
            "recipients": ["nobody@example.com"],
            "action": "failed",
            "status": "5.1.1",
            "diagnostic": "smtp; 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
        },
        "new_text_contains": ["could not be delivered"],
    },
)
case(
    "44-dsn-message-rfc822",
    "A bounce carrying the whole original as message/rfc822, two recipients, a delay then a failure.",
    eml(
        """From: postmaster@exchange.example.com
To: support@kefu.test
Subject: Undeliverable: Welcome
Message-ID: <dsn-2@exchange.example.com>
Content-Type: multipart/report; report-type="delivery-status"; boundary="b"
""",
        b"""--b
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns;exchange.example.com

Final-Recipient: rfc822;first@example.com
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp;552 mailbox full

Final-Recipient: rfc822;second@example.com
Action: failed
Status: 5.1.1
--b
Content-Type: message/rfc822

From: support@kefu.test
To: first@example.com, second@example.com
Subject: Welcome
Message-ID: <welcome-1@kefu.test>

Hello!
--b--
""",
    ),
    {
        "is_from_daemon": True,
        "delivery_report": {
            "original_message_id": "welcome-1@kefu.test",
            "recipients": ["first@example.com", "second@example.com"],
            "action": "failed",
            "status": "5.2.2",
            "diagnostic": "smtp;552 mailbox full",
        },
        "attachments": [{"filename": "Welcome.eml", "content_type": "message/rfc822", "is_inline": False}],
    },
)
case(
    "45-spam-flag",
    "X-Spam-Flag: YES goes to the spam view.",
    eml(
        f"""{BASIC}
Subject: You won!
Message-ID: <spam@example.com>
X-Spam-Flag: YES
X-Spam-Status: Yes, score=12.3 required=5.0
Content-Type: text/plain""",
        b"Claim your prize.\n",
    ),
    {**NOT_NOISE, "is_spam": True},
)

# --- threading headers ------------------------------------------------------------------------------------

case(
    "46-reply-references",
    "A reply with In-Reply-To and a long, folded References list (angle brackets removed, order kept).",
    eml(
        f"""{BASIC}
Subject: Re: Re: Re: [#123] Printer jam
Message-ID: < reply-3@example.com >
In-Reply-To: <ticket-123-reply-2@kefu.test> (Support's message of Thu)
References: <ticket-123@kefu.test>
 <reply-1@example.com>
\t<ticket-123-reply-2@kefu.test>
Content-Type: text/plain""",
        b"It jammed again.\n",
    ),
    {
        "message_id": "reply-3@example.com",
        "in_reply_to": ["ticket-123-reply-2@kefu.test"],
        "references": ["ticket-123@kefu.test", "reply-1@example.com", "ticket-123-reply-2@kefu.test"],
        "subject": "Re: Re: Re: [#123] Printer jam",
    },
)
case(
    "47-no-message-id",
    "No Message-ID, no Date, a Reply-To and a From without a display name.",
    eml(
        """From: dave@example.com
Reply-To: Dave Home <dave.home@example.net>
To: support@kefu.test
Subject:   Password    reset
Content-Type: text/plain""",
        b"I cannot reset my password.\n",
    ),
    {
        "message_id": "",
        "in_reply_to": [],
        "references": [],
        "date": None,
        "subject": "Password reset",
        "sender": addr("dave@example.com"),
        "reply_to": [addr("dave.home@example.net", "Dave Home")],
    },
)

# --- bad input --------------------------------------------------------------------------------------------

case(
    "48-truncated",
    "Cut off in the middle of a base64 attachment and before the closing boundary.",
    eml(
        f"""{BASIC}
Subject: Truncated
Message-ID: <truncated@example.com>
Content-Type: multipart/mixed; boundary="t"
""",
        b"--t\nContent-Type: text/plain\n\nThe file follows.\n--t\nContent-Type: application/pdf; name=a.pdf\n"
        b"Content-Disposition: attachment; filename=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLj",
    ),
    {
        "subject": "Truncated",
        "new_text": "The file follows.",
        "attachments": [{"filename": "a.pdf", "content_type": "application/pdf", "is_inline": False}],
        "defects_nonempty": True,
    },
)
case(
    "49-binary-garbage",
    "Random bytes including NULs: no crash, no sender, defects recorded.",
    bytes((i * 131 + 7) % 256 for i in range(2048)),
    {
        "message_id": "",
        "subject": "",
        "sender": addr(""),
        "attachments": [],
        "defects_nonempty": True,
    },
)
case(
    "50-empty",
    "Zero bytes.",
    b"",
    {
        "message_id": "",
        "subject": "",
        "sender": addr(""),
        "text": "",
        "new_text": "",
        "attachments": [],
        "defects": ["empty message"],
    },
)
case(
    "51-header-only",
    "Headers and no body at all (not even the blank line).",
    b"From: eve@example.com\nTo: support@kefu.test\nSubject: Header only\nMessage-ID: <header-only@example.com>",
    {
        "message_id": "header-only@example.com",
        "subject": "Header only",
        "sender": addr("eve@example.com"),
        "text": "",
        "new_text": "",
        "html": "",
        "attachments": [],
    },
)
case(
    "52-long-header",
    "A 10,000-character Subject and a 10,000-character X- header.",
    eml(
        f"""From: frank@example.com
To: support@kefu.test
Subject: {"long " * 2000}
X-Junk: {"x" * 10000}
Message-ID: <long-header@example.com>
Content-Type: text/plain""",
        b"Body after a long header.\n",
    ),
    {
        "subject": ("long " * 2000).strip(),
        "sender": addr("frank@example.com"),
        "new_text": "Body after a long header.",
    },
)
case(
    "53-multipart-without-boundary",
    "Declared multipart/mixed but no boundary parameter: the body is read as text.",
    eml(
        f"""{BASIC}
Subject: No boundary
Message-ID: <no-boundary@example.com>
Content-Type: multipart/mixed""",
        b"Just text really.\n",
    ),
    {"new_text": "Just text really.", "defects_nonempty": True},
)
case(
    "54-unknown-charset",
    "An unknown charset label on UTF-8 text: decoded as UTF-8 and the label recorded.",
    eml(
        f"""{BASIC}
Subject: =?x-unknown-foo?Q?Hello?=
Message-ID: <unknown-charset@example.com>
Content-Type: text/plain; charset=x-foo-bar""",
        "Grüße aus München\n".encode(),
    ),
    {"subject": "Hello", "new_text": "Grüße aus München", "defects_nonempty": True},
)


QQ_BOUNCE_HTML = """<html><body><div>您发送的邮件退信了。</div>
<div>收件人：nobody@qq.com</div><div>退信原因：550 5.1.1 收件人不存在</div>
<div>------------------ 原始邮件头 ------------------</div>
<div>From: support@kefu.test</div><div>Subject: Re: [#131] 发货通知</div>
<div>Message-ID: &lt;ticket-131-reply-1@kefu.test&gt;</div></body></html>"""
case(
    "55-daemon-bounce-without-report",
    "A QQ-style bounce (HTML, not multipart/report) quoting the original Message-ID: still a delivery report.",
    eml(
        f"""From: MAILER-DAEMON@qq.com
To: support@kefu.test
Date: Fri, 20 Nov 2026 10:00:00 +0800
Subject: {b_word("退信：Re: [#131] 发货通知")}
Message-ID: <bounce-131@qq.com>
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64""",
        base64.encodebytes(QQ_BOUNCE_HTML.encode()),
    ),
    {
        "subject": "退信：Re: [#131] 发货通知",
        "is_from_daemon": True,
        "delivery_report": {
            "original_message_id": "ticket-131-reply-1@kefu.test",
            "recipients": [],
            "action": "failed",
            "status": "5.1.1",
            "diagnostic": "",
        },
    },
)
case(
    "56-daemon-bounce-attached-original",
    "A bounce from postmaster with the original attached as message/rfc822 but no multipart/report.",
    eml(
        """From: Postmaster <postmaster@163.com>
To: support@kefu.test
Subject: Delivery failure
Message-ID: <bounce-132@163.com>
Content-Type: multipart/mixed; boundary="o"
""",
        b"""--o
Content-Type: text/plain; charset=us-ascii

The message below could not be delivered (mailbox unavailable).
--o
Content-Type: message/rfc822

From: support@kefu.test
To: gone@163.com
Subject: Re: [#132] Refund
Message-ID: <ticket-132-reply-4@kefu.test>

Your refund was issued.
--o--
""",
    ),
    {
        "is_from_daemon": True,
        "delivery_report": {
            "original_message_id": "ticket-132-reply-4@kefu.test",
            "recipients": [],
            "action": "failed",
            "status": "",
            "diagnostic": "",
        },
        "attachments": [
            {"filename": "Re_ [#132] Refund.eml", "content_type": "message/rfc822", "is_inline": False}
        ],
    },
)


case(
    "57-utf8-labelled-gb2312",
    "UTF-8 text labelled gb2312 (a misconfigured web form): GB18030 would decode it as mojibake; UTF-8 wins.",
    eml(
        f"""{BASIC}
Subject: {b_word("网站表单")}
Message-ID: <utf8-gb2312@example.com>
Content-Type: text/plain; charset=gb2312
Content-Transfer-Encoding: 8bit""",
        "您好，我在网站上提交了退款申请。\n".encode(),
    ),
    {
        "subject": "网站表单",
        "new_text": "您好，我在网站上提交了退款申请。",
        "defects": ["UTF-8 labelled as gb2312"],
    },
)


case(
    "58-raw-gbk-headers",
    "Unencoded GBK bytes in Subject and the From name; the body's charset (gbk) says how to read them.",
    "From: 周七 <zhou.qi@example.cn>\nTo: support@kefu.test\nSubject: 订单问题 [#88]\n".encode("gbk")
    + b"Message-ID: <raw-gbk@example.cn>\nContent-Type: text/plain; charset=gbk\n\n"
    + "请尽快处理。\n".encode("gbk"),
    {
        "subject": "订单问题 [#88]",
        "sender": addr("zhou.qi@example.cn", "周七"),
        "new_text": "请尽快处理。",
        "defects": [],
    },
)


def main() -> None:
    """Rewrite every case; keys other than "description" and "parse" (intake's) are kept as they are."""
    CORPUS.mkdir(exist_ok=True)
    for name, description, raw, parse in CASES:
        (CORPUS / f"{name}.eml").write_bytes(raw)
        path = CORPUS / f"{name}.json"
        document = json.loads(path.read_text()) if path.exists() else {}
        document.update({"description": description, "parse": parse})
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
