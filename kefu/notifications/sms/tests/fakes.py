"""Local stand-ins for the SMS providers: a real HTTP server in a thread that checks each request's signature
the way the provider does (written here from the providers' documents, not with the code under test) and
answers like the provider."""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int
    body: dict


@dataclass
class FakeProvider:
    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


Check = Callable[[Received], Answer]


@contextmanager
def serve(check: Check) -> Iterator[FakeProvider]:
    """Serve ``check`` (request → answer) on 127.0.0.1 and a free port; queued ``answers`` win."""
    provider = FakeProvider(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length),
            )
            provider.received.append(received)
            answer = check(received)
            if answer.status == 200 and provider.answers:
                answer = provider.answers.pop(0)
            data = json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _fresh(timestamp: float | None) -> bool:
    """Both providers refuse a request signed more than a few minutes away from their clock."""
    return timestamp is not None and abs(time.time() - timestamp) <= 300


def _utc_seconds(text: str) -> float | None:
    try:
        return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return None


def aliyun_check(access_key_id: str, secret: str) -> Check:
    """Alibaba Cloud's side of the RPC signature (HMAC-SHA1, signature version 1.0)."""

    def enc(value: str) -> str:
        return quote(value, safe="-_.~")

    def check(received: Received) -> Answer:
        params = dict(parse_qsl(received.body.decode(), keep_blank_values=True))
        given = params.pop("Signature", "")
        query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
        to_sign = "POST&%2F&" + enc(query)
        expected = base64.b64encode(
            hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        request_id = "0A1B2C3D-REQ"
        if params.get("AccessKeyId") != access_key_id:
            return Answer(
                404,
                {"Code": "InvalidAccessKeyId.NotFound", "Message": "no such key", "RequestId": request_id},
            )
        if (
            not hmac.compare_digest(given, expected)
            or params.get("SignatureMethod") != "HMAC-SHA1"
            or params.get("SignatureVersion") != "1.0"
            or not params.get("SignatureNonce")
            or not _fresh(_utc_seconds(params.get("Timestamp", "")))
        ):
            return Answer(
                400,
                {
                    "Code": "SignatureDoesNotMatch",
                    "Message": "Specified signature is not matched",
                    "RequestId": request_id,
                },
            )
        if params.get("Action") != "SendSms" or params.get("Version") != "2017-05-25":
            return Answer(400, {"Code": "InvalidAction", "Message": "bad action", "RequestId": request_id})
        return Answer(
            200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": request_id}
        )

    return check


def tencent_check(secret_id: str, secret_key: str) -> Check:
    """Tencent Cloud's side of TC3-HMAC-SHA256."""

    def sha256_hex(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def check(received: Received) -> Answer:
        headers = received.headers
        auth = headers.get("authorization", "")
        error = {
            "Response": {
                "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad signature"},
                "RequestId": "r-1",
            }
        }
        try:
            algorithm, rest = auth.split(" ", 1)
            parts = dict(part.strip().split("=", 1) for part in rest.split(","))
            credential_id, date, service, terminator = parts["Credential"].split("/")
        except ValueError:
            return Answer(200, error)
        if algorithm != "TC3-HMAC-SHA256" or credential_id != secret_id or terminator != "tc3_request":
            return Answer(200, error)
        signed = parts["SignedHeaders"].split(";")
        canonical_headers = "".join(
            f"{name}:{headers[name].strip().lower() if name == 'x-tc-action' else headers[name].strip()}\n"
            for name in signed
        )
        canonical = "\n".join(
            ["POST", "/", "", canonical_headers, parts["SignedHeaders"], sha256_hex(received.body)]
        )
        timestamp = headers.get("x-tc-timestamp", "")
        to_sign = "\n".join(
            ["TC3-HMAC-SHA256", timestamp, f"{date}/{service}/tc3_request", sha256_hex(canonical.encode())]
        )
        key = hmac.new(f"TC3{secret_key}".encode(), date.encode(), hashlib.sha256).digest()
        key = hmac.new(key, service.encode(), hashlib.sha256).digest()
        key = hmac.new(key, b"tc3_request", hashlib.sha256).digest()
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if (
            not hmac.compare_digest(parts["Signature"], expected)
            or "content-type" not in signed
            or "host" not in signed
            or not timestamp.isdigit()
            or not _fresh(int(timestamp))
            or service != "sms"
            or headers.get("x-tc-action") != "SendSms"
            or headers.get("x-tc-version") != "2021-01-11"
        ):
            return Answer(200, error)
        body = json.loads(received.body)
        return Answer(
            200,
            {
                "Response": {
                    "SendStatusSet": [
                        {
                            "SerialNo": "5000:1045710669157053657849499619",
                            "PhoneNumber": body["PhoneNumberSet"][0],
                            "Fee": 1,
                            "SessionContext": "",
                            "Code": "Ok",
                            "Message": "send success",
                            "IsoCode": "CN",
                        }
                    ],
                    "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
                }
            },
        )

    return check


def http_check(token: str) -> Check:
    def check(received: Received) -> Answer:
        if received.headers.get("authorization") != f"Bearer {token}":
            return Answer(401, {"code": "unauthorized", "message": "bad token"})
        return Answer(200, {"id": "msg-1"})

    return check
