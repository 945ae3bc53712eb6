"""`python -m kith` runs the CLI."""

from kith.cli.main import run

run()
