"""A real Dovecot IMAP server for tests: Debian's dovecot-imapd, run in the foreground on
free loopback ports with a throwaway configuration, one passwd-file user, a Maildir, and
TLS with a self-signed certificate made here by Debian's openssl.

`.ci/run` installs dovecot-imapd; under CI=true a missing dovecot fails the run (the way
PostgreSQL does in tests/conftest.py), elsewhere the tests that need it are skipped.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration._tls import self_signed

USER = "ana@example.org"
PASSWORD = "correct horse battery staple"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"


@dataclass(frozen=True)
class Dovecot:
    root: Path
    config: Path
    imap_port: int  # plain, upgradable with STARTTLS
    imaps_port: int  # implicit TLS
    certificate: Path
    maildir: Path

    def tls_context(self) -> ssl.SSLContext:
        """A client context that trusts only this server's self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def doveadm(self, *args: str) -> str:
        result = subprocess.run(
            [DOVEADM, "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout


def require_dovecot() -> None:
    if Path(DOVECOT).exists() and Path(DOVEADM).exists():
        return
    message = "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"dovecot is required under CI=true: {message}")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _mail_user() -> pwd.struct_passwd:
    """Dovecot never reads mail as root: as root, mail belongs to nobody."""
    return pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())


def _config(root: Path, cert: Path, key: Path, imap: int, imaps: int) -> str:
    me = pwd.getpwuid(os.getuid())
    mail = _mail_user()
    # Run every service as whoever runs the tests: no system users, no privileged ports.
    users = (
        ""
        if os.getuid() == 0
        else (
            f"default_internal_user = {me.pw_name}\ndefault_login_user = {me.pw_name}\n"
            f"default_internal_group = {me.pw_name}\n"
        )
    )
    return f"""\
instance_name = kith-test-{imap}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{users}first_valid_uid = 1
first_valid_gid = 1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail.pw_uid} gid={mail.pw_gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir:LAYOUT=fs
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(100):
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    text = log.read_text(errors="replace") if log.exists() else "(no log)"
    pytest.fail(f"dovecot did not listen on {port}: {text[-2000:]}")


def give_to_mail_user(path: Path) -> None:
    """Files written by the test (as root) must be the mail user's for Dovecot to read."""
    mail = _mail_user()
    if os.getuid() != 0:
        return
    for item in [path, *path.rglob("*")]:
        os.chown(item, mail.pw_uid, mail.pw_gid)


@contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    """Start Dovecot in the foreground in a folder of its own; stop it (and only it) after.

    Not under pytest's tmp_path: as root, Dovecot reads mail as nobody, who cannot enter
    root's private temporary folders; this folder is given to the mail user.
    """
    require_dovecot()
    with tempfile.TemporaryDirectory(prefix="kith-dovecot-") as name:
        yield from _run(Path(name))


def _run(root: Path) -> Iterator[Dovecot]:
    for sub in ("run", "state", "home"):
        (root / sub).mkdir(parents=True)
    cert, key = self_signed(root)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    imap, imaps = _free_port(), _free_port()
    config = root / "dovecot.conf"
    config.write_text(_config(root, cert, key, imap, imaps), encoding="utf-8")
    maildir = root / "home" / USER / "Maildir"
    for folder in (maildir, maildir / "Sent"):
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    give_to_mail_user(root / "home")
    root.chmod(0o755)  # nobody must reach home/; the key stays readable to root only
    key.chmod(0o600)
    stderr = (root / "dovecot.stderr").open("wb")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stderr=stderr)
    try:
        _wait_for(imaps, process, root / "dovecot.log")
        _wait_for(imap, process, root / "dovecot.log")
        yield Dovecot(root, config, imap, imaps, cert, maildir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stderr.close()


def deliver(dovecot: Dovecot, folder: str, messages: list[bytes]) -> None:
    """Drop messages straight into the Maildir (cur/, seen), as a delivery agent would."""
    target = dovecot.maildir if folder == "INBOX" else dovecot.maildir / folder
    first = len(list((target / "cur").iterdir()))
    for number, raw in enumerate(messages, start=first):
        (target / "cur" / f"1700000000.M{number}P1.kith-test:2,S").write_bytes(raw)
    give_to_mail_user(target)
