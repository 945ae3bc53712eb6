"""Rules for the connections kith opens (IMAP capture, the SMTP digest): pure, no sockets.

A password never crosses a network in clear: implicit TLS is the default, STARTTLS is
allowed (RFC 8314 prefers implicit TLS, STARTTLS remains common on submission), and a
plain connection only to this machine (a local test server, or a tunnel the user runs).
The host is judged by what it says, without a DNS lookup: "localhost" and loopback
addresses only, so a name that merely resolves to 127.0.0.1 today is not trusted.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum


class Security(StrEnum):
    """How a mail connection is protected."""

    TLS = "tls"  # implicit TLS from the first byte (IMAPS 993, SMTPS 465)
    STARTTLS = "starttls"  # plain greeting, upgraded before login (IMAP 143, submission 587)
    PLAIN = "plain"  # no encryption at all: loopback only


DEFAULT_PORTS: dict[str, dict[Security, int]] = {
    "imap": {Security.TLS: 993, Security.STARTTLS: 143, Security.PLAIN: 143},
    "smtp": {Security.TLS: 465, Security.STARTTLS: 587, Security.PLAIN: 25},
}


def is_loopback(host: str) -> bool:
    """Whether the host is this machine (plain connections are allowed only there)."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: always loopback
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refusal(host: str, security: Security) -> str | None:
    """Why this connection must not be opened, or None when it may."""
    if not host.strip():
        return "no host given"
    if security is Security.PLAIN and not is_loopback(host):
        return (
            f"a plain (unencrypted) connection is allowed only to this machine, not to {host}; "
            "use TLS or STARTTLS"
        )
    return None


def port_for(protocol: str, security: Security, port: int | None) -> int:
    """The port given, or the protocol's usual one for this security."""
    if port is not None:
        return port
    return DEFAULT_PORTS[protocol][security]
