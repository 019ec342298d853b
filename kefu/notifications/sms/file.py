"""Development backend: every message becomes one JSON line in ``<KEFU_DATA_DIR>/sms/outbox.jsonl``."""

from __future__ import annotations

import fcntl
import json
import uuid
from pathlib import Path

from django.utils import timezone

from kefu.notifications.sms.base import SmsError, SmsMessage, SmsReceipt


class FileBackend:
    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: SmsMessage) -> SmsReceipt:
        message_id = uuid.uuid4().hex
        line = json.dumps(
            {
                "id": message_id,
                "at": timezone.now().isoformat(),
                "to": message.to,
                "text": message.text,
                "template_code": message.template_code,
                "params": dict(message.params),
            },
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                handle.write(line + "\n")
        except OSError as exc:
            raise SmsError(
                f"cannot write {self.path}: {exc}", code="io", retryable=True, backend=self.name
            ) from exc
        return SmsReceipt(backend=self.name, to=message.to, message_id=message_id)
