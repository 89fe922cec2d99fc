"""`azlake schema`: print (or write) the JSON Schema of the environment file."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from azlake.cli.options import check_out


def register(app: typer.Typer) -> None:
    @app.command("schema")
    def schema(out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the schema to this file "
                                                  "(e.g. docs/environment.schema.json) instead of printing it."),
               ) -> None:
        """Print the JSON Schema of the environment file (for editor completion and checks)."""
        from azlake.envfile.schema import schema_text

        text = schema_text()
        if out is None:
            typer.echo(text, nl=False)
        else:
            check_out(out, "environment.schema.json")
            out.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {out}")
