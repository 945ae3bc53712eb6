"""A throwaway self-signed certificate for loopback TLS servers in tests (Dovecot, SMTP)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def self_signed(root: Path) -> tuple[Path, Path]:
    """A certificate and key for localhost and 127.0.0.1 in `root`, made by openssl."""
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key
