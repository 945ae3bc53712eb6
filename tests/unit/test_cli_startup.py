"""The CLI starts without its heavy libraries: each command imports what it needs when it runs.

Each probe runs in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# What no command needs before it runs (nor `kith --help`): the web stack, the numeric and
# fuzzy-matching libraries, the formats, the network clients, the migrations and the ORM.
HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "kith.web",
    "scipy",
    "numpy",
    "rustworkx",
    "rapidfuzz",
    "vobject",
    "icalendar",
    "phonenumbers",
    "httpx",
    "radicale",
    "argon2",
    "alembic",
    "sqlalchemy",
    "pydantic",
)

# Runs `kith ARGS...` in-process and then reports every module that was imported.
PROBE = """
import json, sys
args, report = sys.argv[1:-1], sys.argv[-1]
sys.argv = ["kith", *args]
{importing}
with open(report, "w") as out:
    json.dump(sorted(sys.modules), out)
"""
RUN_KITH = """
from kith.cli.main import run
try:
    run()
except SystemExit:
    pass
"""


def loaded_modules(tmp_path: Path, importing: str, *args: str, **env: str) -> set[str]:
    """The modules a fresh interpreter has imported after running `importing`."""
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE.format(importing=importing), *args, str(report)],
        check=True,
        capture_output=True,
        env=os.environ | env,
    )
    return set(json.loads(report.read_text(encoding="utf-8")))


def heavy_in(modules: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    """The heavy packages (or any of their submodules) among `modules`, but the allowed."""
    return sorted(
        name
        for name in HEAVY
        if name not in allowed and any(m == name or m.startswith(f"{name}.") for m in modules)
    )


def test_importing_the_cli_loads_no_heavy_library(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, "import kith.cli.main")
    assert "kith.cli.main" in modules
    assert heavy_in(modules) == []


def test_kith_help_loads_no_heavy_library(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, RUN_KITH, "--help")
    assert "kith.cli.people_cmds" in modules  # the commands were listed, from their modules
    assert heavy_in(modules) == []


def test_a_commands_help_loads_no_heavy_library(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, RUN_KITH, "serve", "--help")
    # Typer (0.29) reads a command's options with pydantic; nothing of the web loads.
    assert heavy_in(modules, allowed=("pydantic",)) == []


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, "import kith.cli.main\nimport kith.app.views")
    assert "sqlalchemy" in heavy_in(modules)


def test_a_command_loads_its_own_module_and_no_other_command_s(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, RUN_KITH, "list", "--help")
    assert "kith.cli.people_cmds" in modules
    others = ("io_cmds", "web_cmds", "group_cmds", "capture_cmds", "match_cmds", "history_cmds")
    assert [name for name in others if f"kith.cli.{name}" in modules] == []


def test_the_kith_script_asks_the_resident_before_loading_typer(tmp_path: Path) -> None:
    modules = loaded_modules(tmp_path, "import kith.cli.launch")
    assert heavy_in(modules) == []
    assert "typer" not in modules and "rich" not in modules
