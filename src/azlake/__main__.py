"""`python -m azlake` entry point."""

from azlake.cli.main import run

run()
