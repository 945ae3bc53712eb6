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


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    account: str = "default"
    today: date | None = None  # KITH_TODAY fixes "today" for every computation
    rules: Mapping[str, object] = field(default_factory=dict)  # overrides of core.rules
    config_file: Path | None = None
    semantic: bool = False  # embedding similarity of tags: needs the extra kith[semantic]


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


_KNOWN_KEYS = {"database_url", "account", "today", "rules", "semantic"}
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
    )
