"""Raw test messages, built with the standard library the way a mail client would."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime


def raw_mail(
    *,
    sender: str = "李娜 <li.na@example.cn>",
    to: str = "support@kefu.test",
    cc: str = "",
    subject: str = "打印机无法连接网络",
    body: str = "您好，打印机重启后仍然无法连接网络。",
    html: str = "",
    message_id: str | None = "<m1@example.cn>",
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # (filename, mime type, data)
    inline_images: list[tuple[str, bytes]] = (),  # (content id without brackets, png bytes)
    charset: str = "utf-8",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC))
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body, charset=charset)
    if html:
        message.add_alternative(html, subtype="html", charset=charset)
        if inline_images:
            html_part = message.get_payload()[1]
            for content_id, data in inline_images:
                html_part.add_related(
                    data, "image", "png", cid=f"<{content_id}>", filename=f"{content_id}.png"
                )
    for filename, mime, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
