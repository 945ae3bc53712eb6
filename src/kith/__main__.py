"""`python -m kith` runs the CLI as the `kith` script does (through a resident, if one answers)."""

from kith.cli.launch import run

run()
