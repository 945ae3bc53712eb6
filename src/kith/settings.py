"""The one settings object, validated at start-up.

Sources, later ones winning: defaults, the config file (`config.toml` in the XDG config
dir, or the file `KITH_CONFIG` names), environment variables `KITH_*`, then command-line
options such as `--db`. Nothing here is module-level state: callers build a `Settings`
and pass it down.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import platformdirs

APP_NAME = "kith"
# How long a write waits for another to finish before "the garden is busy" (seconds); the
# same default as kith.store.db's, which cannot be imported here (settings import nothing
# of kith, so that reading them loads no database driver).
WRITE_WAIT_SECONDS = 30.0


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class BackupSettings:
    """Where `kith backup` without a FILE writes, and how many copies it keeps."""

    folder: Path | None = None  # None: `backups` in the user data dir
    daily: int = 7  # the newest copy of each of the last N days that have one
    weekly: int = 4  # and of each of the last M ISO weeks that have one
    every_hours: float = 24.0  # `kith serve` backs up when the newest copy is this old; 0: never

    def folder_or_default(self) -> Path:
        return self.folder or Path(platformdirs.user_data_dir(APP_NAME)) / "backups"


@dataclass(frozen=True)
class SmtpConfig:
    """Where `kith digest --to` sends: KITH_SMTP_* or the config's `[smtp]` table."""

    host: str | None = None  # None: no server set up, `kith digest --to` says so
    port: int | None = None  # None: the security's usual port (587 for STARTTLS)
    security: str = "starttls"  # starttls, tls, or plain (loopback only)
    user: str | None = None
    password: str | None = None
    sender: str | None = None  # the From address; default: the user, else kith@localhost


RESIDENT_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class ResidentSettings:
    """Whether `kith` commands run in a resident process (README, "Faster commands")."""

    # auto: use one; if none answers, run here, then start one in the background.
    # on: use one; if none answers, start one, wait for it, and run the command in it.
    # off: never start one; one started by `kith resident start` is still used.
    mode: str = "auto"
    idle_minutes: float = 15.0  # the resident exits after this long without a command


@dataclass(frozen=True)
class Settings:
    database_url: str
    account: str = "default"
    today: date | None = None  # KITH_TODAY fixes "today" for every computation
    rules: Mapping[str, object] = field(default_factory=dict)  # overrides of core.rules
    config_file: Path | None = None
    semantic: bool = False  # embedding similarity of tags: needs the extra kith[semantic]
    # How long a write waits for another one to finish before it is refused as busy
    # (SQLite lets one writer in at a time), in seconds.
    write_wait: float = WRITE_WAIT_SECONDS
    backup: BackupSettings = field(default_factory=BackupSettings)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    resident: ResidentSettings = field(default_factory=ResidentSettings)


def default_database_url() -> str:
    path = Path(platformdirs.user_data_dir(APP_NAME)) / "kith.db"
    return f"sqlite:///{path}"


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def _read_config(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"config file {path}: {exc}") from exc


def _parse_today(text: str, source: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SettingsError(f"{source}: {text!r} is not a date (YYYY-MM-DD)") from None


def _string(config: Mapping[str, object], key: str, path: Path) -> str | None:
    value = config.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"config file {path}: {key} must be a non-empty string")
    return value


_KNOWN_KEYS = {
    "database_url", "account", "today", "rules", "semantic", "write_wait", "backup", "smtp",
    "resident", "resident_idle_minutes",
}  # fmt: skip
_BACKUP_KEYS = {"dir", "daily", "weekly", "every"}
MAX_BACKUP_EVERY_HOURS = 24 * 366  # a year: anything longer is a typo
_SMTP_KEYS = {"host", "port", "security", "user", "password", "from"}
_SECURITIES = {"starttls", "tls", "plain"}
MAX_WRITE_WAIT = 3600.0  # an hour: longer is a typo, not a wish
MAX_RESIDENT_IDLE_MINUTES = 7 * 24 * 60.0  # a week: longer is a typo
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _semantic(env: Mapping[str, str], config: Mapping[str, object], path: Path) -> bool:
    text = env.get("KITH_SEMANTIC")
    if text is not None:
        if text.strip().lower() not in _TRUE | _FALSE:
            raise SettingsError(f"KITH_SEMANTIC: {text!r} is not one of 1, 0, true, false")
        return text.strip().lower() in _TRUE
    value = config.get("semantic", False)
    if not isinstance(value, bool):
        raise SettingsError(f"config file {path}: semantic must be true or false")
    return value


def _number(
    env: Mapping[str, str], name: str, config: Mapping[str, object], key: str, where: str
) -> float | None:
    """A number from the environment variable `name`, else the config's `key`, or None."""
    text = env.get(name)
    if text is not None:
        try:
            return float(text.strip())
        except ValueError:
            raise SettingsError(f"{name}: {text!r} is not a number") from None
    value = config.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(f"{where}: {key} must be a number")
    return float(value)


def _within(value: float | None, low: float, high: float, name: str) -> float | None:
    if value is not None and not low <= value <= high:
        raise SettingsError(f"{name}: {value:g} is out of range {low:g}..{high:g}")
    return value


def _count(
    env: Mapping[str, str], name: str, config: Mapping[str, object], key: str, *, default: int
) -> int:
    value = _within(_number(env, name, config, key, f"config file: backup.{key}"), 0, 1000, name)
    if value is None:
        return default
    if value != int(value):
        raise SettingsError(f"{name}: {value:g} is not a whole number")
    return int(value)


def _backup(env: Mapping[str, str], config: Mapping[str, object], path: Path) -> BackupSettings:
    table = config.get("backup", {})
    if not isinstance(table, dict):
        raise SettingsError(f"config file {path}: [backup] must be a table")
    unknown = sorted(set(table) - _BACKUP_KEYS)
    if unknown:
        raise SettingsError(f"config file {path}: unknown key backup.{unknown[0]}")
    folder = env.get("KITH_BACKUP_DIR") or _string(table, "dir", path)
    defaults = BackupSettings()
    return BackupSettings(
        folder=Path(folder).expanduser() if folder else None,
        daily=_count(env, "KITH_BACKUP_DAILY", table, "daily", default=defaults.daily),
        weekly=_count(env, "KITH_BACKUP_WEEKLY", table, "weekly", default=defaults.weekly),
        every_hours=_every(env, table, defaults.every_hours),
    )


def _every(env: Mapping[str, str], table: Mapping[str, object], default: float) -> float:
    value = _number(env, "KITH_BACKUP_EVERY", table, "every", "config file: backup.every")
    checked = _within(value, 0, MAX_BACKUP_EVERY_HOURS, "KITH_BACKUP_EVERY")
    return default if checked is None else checked


def _write_wait(env: Mapping[str, str], config: Mapping[str, object], path: Path) -> float:
    value = _number(env, "KITH_WRITE_WAIT", config, "write_wait", f"config file {path}")
    checked = _within(value, 0, MAX_WRITE_WAIT, "KITH_WRITE_WAIT")
    return WRITE_WAIT_SECONDS if checked is None else checked


def load_settings(env: Mapping[str, str], *, database_url: str | None = None) -> Settings:
    """Build the settings from the config file, the environment and an explicit URL."""
    config_file = Path(env["KITH_CONFIG"]) if env.get("KITH_CONFIG") else default_config_file()
    config = _read_config(config_file)
    unknown = sorted(set(config) - _KNOWN_KEYS)
    if unknown:
        raise SettingsError(f"config file {config_file}: unknown key {unknown[0]!r}")
    rules = config.get("rules", {})
    if not isinstance(rules, dict):
        raise SettingsError(f"config file {config_file}: [rules] must be a table")

    url = (
        database_url
        or env.get("KITH_DATABASE_URL")
        or _string(config, "database_url", config_file)
        or default_database_url()
    )
    account = env.get("KITH_ACCOUNT") or _string(config, "account", config_file) or "default"
    today_text = env.get("KITH_TODAY") or _string(config, "today", config_file)
    today = _parse_today(today_text, "KITH_TODAY") if today_text else None
    return Settings(
        database_url=url.strip(),
        account=account.strip(),
        today=today,
        rules=rules,
        config_file=config_file,
        semantic=_semantic(env, config, config_file),
        write_wait=_write_wait(env, config, config_file),
        backup=_backup(env, config, config_file),
        smtp=_smtp(env, config, config_file),
        resident=_resident(env, config, config_file),
    )


def _resident(env: Mapping[str, str], config: Mapping[str, object], path: Path) -> ResidentSettings:
    text = env.get("KITH_RESIDENT")
    mode = text if text is not None else _string(config, "resident", path)
    mode = (mode or ResidentSettings.mode).strip().lower()
    if mode not in RESIDENT_MODES:
        where = "KITH_RESIDENT" if text is not None else f"config file {path}: resident"
        raise SettingsError(f"{where}: {mode!r} is not auto, on or off")
    where = f"config file {path}"
    idle = _number(env, "KITH_RESIDENT_IDLE_MINUTES", config, "resident_idle_minutes", where)
    checked = _within(idle, 0.01, MAX_RESIDENT_IDLE_MINUTES, "KITH_RESIDENT_IDLE_MINUTES")
    return ResidentSettings(
        mode=mode, idle_minutes=ResidentSettings.idle_minutes if checked is None else checked
    )


def _smtp(env: Mapping[str, str], config: Mapping[str, object], path: Path) -> SmtpConfig:
    table = config.get("smtp", {})
    if not isinstance(table, dict):
        raise SettingsError(f"config file {path}: [smtp] must be a table")
    unknown = sorted(set(table) - _SMTP_KEYS)
    if unknown:
        raise SettingsError(f"config file {path}: unknown key smtp.{unknown[0]}")

    def text(name: str, key: str) -> str | None:
        return env.get(name) or _string(table, key, path)

    port = _within(
        _number(env, "KITH_SMTP_PORT", table, "port", f"config file {path}: smtp.port"),
        1, 65535, "KITH_SMTP_PORT",
    )  # fmt: skip
    if port is not None and port != int(port):
        raise SettingsError(f"KITH_SMTP_PORT: {port:g} is not a whole number")
    security = (text("KITH_SMTP_SECURITY", "security") or "starttls").strip().lower()
    if security not in _SECURITIES:
        raise SettingsError(f"KITH_SMTP_SECURITY: {security!r} is not starttls, tls or plain")
    return SmtpConfig(
        host=text("KITH_SMTP_HOST", "host"),
        port=int(port) if port is not None else None,
        security=security,
        user=text("KITH_SMTP_USER", "user"),
        password=text("KITH_SMTP_PASSWORD", "password"),
        sender=text("KITH_SMTP_FROM", "from"),
    )
