"""The settings object: config file, environment, command line, validated at start-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kith.settings import SettingsError, load_settings


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
