"""Commands for the web app: serve it, and the API token and login password it checks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer

from kith.app.errors import InvalidInput, KithError
from kith.cli.context import garden, settings
from kith.cli.output import console, user_errors

if TYPE_CHECKING:  # annotations only: the app loads when a command runs
    from kith.app.backup_schedule import BackupSchedule

# A host name or address as a Host header carries it: letters, digits, dots, dashes, an
# optional port, or an IPv6 address (bare or in brackets).
_HOST_NAME = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[?[0-9A-Fa-f:.]+\]?(:\d{1,5})?")


@user_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8470,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help="Listen on a non-loopback address; needs a login password (kith password).",
        ),
    ] = False,
    public_host: Annotated[
        list[str] | None,
        typer.Option(
            "--public-host",
            metavar="NAME",
            help="A name or address browsers use to reach the server (repeatable); needed"
            " off loopback, where the server answers to no other Host.",
        ),
    ] = None,
) -> None:
    """Start the web app on 127.0.0.1 (only there unless --allow-remote)."""
    import uvicorn

    from kith.app import credentials, member_logins
    from kith.web.app import create_app
    from kith.web.security import is_loopback, names_every_address

    names = [name.strip() for name in public_host or []]
    for name in names:
        if not _HOST_NAME.fullmatch(name):
            raise InvalidInput("public_host", f"{name!r} is not a host name or address")
        if names_every_address(name):
            raise InvalidInput(
                "public_host",
                f"{name} means every address, and no browser sends it as a host name; give"
                " the address or name people type (e.g. --public-host 192.168.1.5)",
            )
    remote = not is_loopback(host)
    if ctx.find_root().params.get("as_login"):
        garden(ctx)  # `kith --as LOGIN serve`: a member's garden, checked before anything opens
    if remote and not allow_remote:
        raise InvalidInput("host", f"{host} is not loopback; add --allow-remote to serve it")
    if remote and not names:
        raise InvalidInput(
            "public_host",
            f"name the host browsers use to reach {host} (e.g. --public-host 192.168.1.5);"
            " the server answers to no other",
        )
    members = member_logins.serves_members(garden(ctx))  # a group's server: each member logs in
    if remote and not members and not credentials.has_password(garden(ctx)):
        raise KithError("set a login password first (kith password) to serve beyond loopback")
    app = create_app(settings(ctx), host=host, port=port, public_hosts=names, require_login=remote)
    shown = names[0] if remote else host
    console().print(f"kith is at http://{shown}:{port}/  (Ctrl+C stops it)", markup=False)
    if members:
        console().print(
            "serving the group: each member logs in with their own login and password",
            markup=False,
        )
    schedule = _backups(ctx)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        schedule.stop()


def _backups(ctx: typer.Context) -> BackupSchedule:
    """Scheduled backups while serving (`[backup] every`, KITH_BACKUP_EVERY hours; 0: off)."""
    from kith.app.backup_schedule import BackupSchedule

    wanted = settings(ctx).backup
    schedule = BackupSchedule(garden(ctx), wanted)
    if wanted.every_hours > 0:
        folder = wanted.folder_or_default()
        console().print(
            f"backing up every {wanted.every_hours:g} h into {folder} (KITH_BACKUP_EVERY=0: off)",
            markup=False,
        )
    schedule.start()
    return schedule


@user_errors
def token(
    ctx: typer.Context,
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Replace the token; the old one stops working.")
    ] = False,
) -> None:
    """Show how to get the API token, or make a new one (only its hash is stored)."""
    from kith.app import credentials

    opened = garden(ctx)
    if credentials.has_token(opened) and not rotate:
        console().print(
            "this garden has an API token; only its hash is kept, so it cannot be shown again."
            " kith token --rotate makes a new one.",
            markup=False,
        )
        return
    console().print(credentials.rotate_token(opened), markup=False)


@user_errors
def password(ctx: typer.Context) -> None:
    """Set the web app's login password (asked twice, never echoed)."""
    from kith.app import credentials

    chosen = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    ended = credentials.set_password(garden(ctx), chosen)
    console().print(
        f"password set; the web app asks for it now ({ended} web sessions ended)", markup=False
    )
