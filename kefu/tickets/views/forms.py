"""Form input the ticket pages share: address lists, uploaded files, and the channels an agent can log."""

from __future__ import annotations

import re

from django.http import HttpRequest

from kefu.tickets.inputs import FileInput
from kefu.tickets.models import Channel

_ADDRESS_SEPARATORS = re.compile(r"[,;\s]+")
# Where a customer's words can reach an agent who then types them in: a form, a call, a chat, social media.
CREATE_CHANNELS = (Channel.WEB, Channel.PHONE, Channel.CHAT, Channel.SOCIAL)


def split_addresses(raw: str) -> list[str]:
    return [address for address in _ADDRESS_SEPARATORS.split(raw) if address]


def uploaded_files(request: HttpRequest) -> list[FileInput]:
    return [
        FileInput(filename=upload.name or "", content=upload, size=upload.size)
        for upload in request.FILES.getlist("files")
    ]
