"""A real Dovecot (IMAP + POP3) for the fetching tests, started from Debian's package with its own config.

The master runs as the current user (root on the test machines; its login and mail processes then run
as ``nobody``, since Dovecot refuses root for those) with everything under a temporary folder: config,
sockets, logs and the maildirs. Each test gets its own account (all are created at start-up), so tests
never see each other's mail.
"""

from __future__ import annotations

import datetime as dt
import grp
import imaplib
import ipaddress
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
ACCOUNTS = 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 so that the SSL/TLS intake path is tested against a real handshake."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = 0
first_valid_gid = 0
mail_uid = {uid}
mail_gid = {gid}
mail_location = maildir:{root}/mail/%u/Maildir
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
pop3_uidl_format = %08Xu%08Xv
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3_port}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {pop3s_port}
    ssl = yes
  }}
}}
service imap-urlauth-login {{
  inet_listener imap-urlauth {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
"""


@dataclass
class Account:
    """One mail account on the test server."""

    server: DovecotServer
    username: str
    password: str

    @property
    def maildir(self) -> Path:
        return self.server.root / "mail" / self.username / "Maildir"

    def imap(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.server.imap_port)
        client.login(self.username, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver ``raw`` with IMAP APPEND, as another mail client or an MTA would."""
        client = self.imap()
        try:
            if folder != "INBOX":
                client.create(folder)
            status, _data = client.append(folder, "", None, raw)
            assert status == "OK", _data
        finally:
            client.logout()

    def deliver_file(self, raw: bytes, name: str) -> None:
        """Drop ``raw`` straight into ``Maildir/new``, the way a local delivery agent does."""
        owner = (self.server.mail_uid, self.server.mail_gid)
        for folder in (
            self.maildir.parent,
            self.maildir,
            *(self.maildir / sub for sub in ("new", "cur", "tmp")),
        ):
            folder.mkdir(exist_ok=True)
            os.chown(folder, *owner)
        path = self.maildir / "new" / name
        path.write_bytes(raw)
        os.chown(path, *owner)

    def folder_uids(self, folder: str = "INBOX") -> list[int]:
        client = self.imap()
        try:
            status, _data = client.select(folder, readonly=True)
            assert status == "OK", _data
            _status, data = client.uid("SEARCH", None, "ALL")
            return [int(uid) for uid in data[0].split()]
        finally:
            client.logout()

    def folders(self) -> list[str]:
        client = self.imap()
        try:
            _status, data = client.list()
            return sorted(line.decode().rsplit(" ", 1)[-1].strip('"') for line in data)
        finally:
            client.logout()


@dataclass
class DovecotServer:
    root: Path
    imap_port: int
    imaps_port: int
    pop3_port: int
    pop3s_port: int
    process: subprocess.Popen
    mail_uid: int
    mail_gid: int

    _counter = itertools.count(1)

    def new_account(self) -> Account:
        number = next(self._counter)
        if number > ACCOUNTS:
            raise RuntimeError(f"the test Dovecot has only {ACCOUNTS} accounts")
        return Account(server=self, username=f"user{number}", password=f"secret-user{number}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _wait_for_port(port: int, process: subprocess.Popen, server_log: Path) -> None:
    for _attempt in range(200):
        if process.poll() is not None:
            log = server_log.read_text(errors="replace") if server_log.exists() else ""
            raise RuntimeError(f"dovecot exited with {process.returncode}: {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("dovecot did not start listening")


def _unprivileged(uid: int) -> pwd.struct_passwd:
    """Dovecot refuses root for its login and mail processes; as root, use the system's ``nobody``."""
    return pwd.getpwuid(uid) if uid != 0 else pwd.getpwnam("nobody")


def start_dovecot(root: Path) -> DovecotServer:
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    # All accounts up front: Dovecot caches the passwd-file, and a test must never wait for a reload.
    (root / "users").write_text(
        "".join(f"user{n}:{{PLAIN}}secret-user{n}::::::\n" for n in range(1, ACCOUNTS + 1))
    )
    cert, key = _self_signed_certificate(root)
    me = os.getuid()
    mail_user = _unprivileged(me)
    root.chmod(0o755)
    os.chown(root / "mail", mail_user.pw_uid, mail_user.pw_gid)
    ports = {name: free_port() for name in ("imap_port", "imaps_port", "pop3_port", "pop3s_port")}
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            user=pwd.getpwuid(me).pw_name,
            login_user=mail_user.pw_name,
            group=grp.getgrgid(os.getgid()).gr_name,
            uid=mail_user.pw_uid,
            gid=mail_user.pw_gid,
            cert=cert,
            key=key,
            **ports,
        )
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=(root / "stderr.log").open("wb"),
    )
    try:
        for port in ports.values():
            _wait_for_port(port, process, root / "stderr.log")
    except RuntimeError:
        process.kill()
        raise
    return DovecotServer(
        root=root, process=process, mail_uid=mail_user.pw_uid, mail_gid=mail_user.pw_gid, **ports
    )


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A running Dovecot for the whole session, stopped at its end."""
    # Not under pytest's own folder: that one is private to us, and Dovecot's mail processes run as
    # another user. A short path also keeps Dovecot's UNIX socket paths under their length limit.
    root = Path(tempfile.mkdtemp(prefix="kefu-dovecot-"))
    server = start_dovecot(root)
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mail_account(dovecot) -> Account:
    """A fresh, empty account on the session's Dovecot."""
    return dovecot.new_account()
