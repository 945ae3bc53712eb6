"""The settings object: config file, environment, command line, validated at start-up."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kith.settings import ResidentSettings, SettingsError, load_settings


def test_defaults_point_at_the_user_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"KITH_CONFIG": str(tmp_path / "none.toml")})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("kith.db")
    assert settings.today is None
    assert settings.account == "default"


def test_config_file_then_env_then_option(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'database_url = "sqlite:///from-file.db"\naccount = "club"\n[rules]\nseed_days = 20\n'
    )
    env = {"KITH_CONFIG": str(config)}
    from_file = load_settings(env)
    assert from_file.database_url == "sqlite:///from-file.db"
    assert from_file.account == "club"
    assert from_file.rules == {"seed_days": 20}
    from_env = load_settings(
        {**env, "KITH_DATABASE_URL": "sqlite:///env.db", "KITH_TODAY": "2026-01-02"}
    )
    assert from_env.database_url == "sqlite:///env.db"
    assert from_env.today == date(2026, 1, 2)
    assert load_settings(env, database_url="sqlite:///cli.db").database_url == "sqlite:///cli.db"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("database_url = 3", "database_url must be a non-empty string"),
        ("colour = 'red'", "unknown key 'colour'"),
        ("rules = 4", "[rules] must be a table"),
        ("not toml [", "config file"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    with pytest.raises(SettingsError, match=message.replace("[", r"\[")):
        load_settings({"KITH_CONFIG": str(config)})


def test_bad_today_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="KITH_TODAY"):
        load_settings({"KITH_CONFIG": str(tmp_path / "x.toml"), "KITH_TODAY": "soon"})


def test_backup_rotation_and_write_wait_come_from_the_file_then_the_environment(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('write_wait = 2.5\n[backup]\ndir = "/srv/kith-backups"\ndaily = 3\n')
    env = {"KITH_CONFIG": str(config)}
    from_file = load_settings(env)
    assert from_file.write_wait == 2.5
    assert from_file.backup.folder == Path("/srv/kith-backups")
    assert (from_file.backup.daily, from_file.backup.weekly) == (3, 4)
    from_env = load_settings({**env, "KITH_BACKUP_WEEKLY": "0", "KITH_WRITE_WAIT": "0"})
    assert from_env.backup.weekly == 0 and from_env.write_wait == 0
    default = load_settings({"KITH_CONFIG": str(tmp_path / "none.toml")})
    assert default.write_wait == 30 and default.backup.folder_or_default().name == "backups"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KITH_WRITE_WAIT": "soon"}, "KITH_WRITE_WAIT: 'soon' is not a number"),
        ({"KITH_WRITE_WAIT": "-1"}, "KITH_WRITE_WAIT: -1 is out of range 0..3600"),
        ({"KITH_BACKUP_DAILY": "2.5"}, "KITH_BACKUP_DAILY: 2.5 is not a whole number"),
        ({"KITH_BACKUP_WEEKLY": "5000"}, "KITH_BACKUP_WEEKLY: 5000 is out of range 0..1000"),
    ],
)
def test_bad_backup_and_wait_settings_are_refused_naming_them(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"KITH_CONFIG": str(tmp_path / "none.toml"), **env})


def test_smtp_comes_from_the_file_then_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[smtp]\nhost = "mail.example.org"\nport = 465\nsecurity = "tls"\n')
    env = {"KITH_CONFIG": str(config)}
    from_file = load_settings(env).smtp
    assert (from_file.host, from_file.port, from_file.security) == ("mail.example.org", 465, "tls")
    from_env = load_settings({**env, "KITH_SMTP_PORT": "587", "KITH_SMTP_USER": "ana"}).smtp
    assert (from_env.port, from_env.user, from_env.host) == (587, "ana", "mail.example.org")
    assert load_settings({"KITH_CONFIG": str(tmp_path / "none.toml")}).smtp.host is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KITH_SMTP_PORT": "mail"}, "KITH_SMTP_PORT: 'mail' is not a number"),
        ({"KITH_SMTP_PORT": "70000"}, "KITH_SMTP_PORT: 70000 is out of range"),
        ({"KITH_SMTP_SECURITY": "ssl"}, "KITH_SMTP_SECURITY: 'ssl' is not starttls, tls"),
    ],
)
def test_bad_smtp_settings_are_refused_naming_them(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({"KITH_CONFIG": str(tmp_path / "none.toml"), **env})


def test_the_resident_setting_comes_from_the_file_then_the_environment(tmp_path: Path) -> None:
    assert load_settings({"KITH_CONFIG": str(tmp_path / "none.toml")}).resident == (
        ResidentSettings(mode="auto", idle_minutes=15.0)
    )
    config = tmp_path / "config.toml"
    config.write_text('resident = "off"\nresident_idle_minutes = 5\n', encoding="utf-8")
    env = {"KITH_CONFIG": str(config)}
    assert load_settings(env).resident == ResidentSettings(mode="off", idle_minutes=5.0)
    from_env = load_settings(env | {"KITH_RESIDENT": " On ", "KITH_RESIDENT_IDLE_MINUTES": "2"})
    assert from_env.resident == ResidentSettings(mode="on", idle_minutes=2.0)


@pytest.mark.parametrize(
    ("env", "content", "message"),
    [
        ({"KITH_RESIDENT": "always"}, "", "KITH_RESIDENT: 'always' is not auto, on or off"),
        ({}, 'resident = "yes"\n', "resident: 'yes' is not auto, on or off"),
        ({}, "resident = true\n", "resident must be a non-empty string"),
        ({"KITH_RESIDENT_IDLE_MINUTES": "0"}, "", "KITH_RESIDENT_IDLE_MINUTES: 0 is out of range"),
        ({"KITH_RESIDENT_IDLE_MINUTES": "soon"}, "", "KITH_RESIDENT_IDLE_MINUTES: 'soon'"),
        ({}, 'resident_idle_minutes = "15"\n', "resident_idle_minutes must be a number"),
    ],
)
def test_bad_resident_settings_are_refused_naming_them(
    tmp_path: Path, env: dict[str, str], content: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings({"KITH_CONFIG": str(config), **env})
