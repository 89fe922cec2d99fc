"""`azlake validate PATH...`: check environment files offline and report every problem with file:line."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from azlake.errors import ExitCode


def _targets(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files to validate (folders expanded, partials skipped) and problems with the paths themselves."""
    from azlake.spec.load import environment_files, is_partial

    files, problems = [], []
    for path in paths:
        if path.is_dir():
            found = environment_files(path)
            if not found:
                problems.append(f"{path}: no environment files (*.yaml) in this folder")
            files.extend(found)
        elif path.is_file():
            if is_partial(path):
                print(f"skip {path}: a partial (_*.yaml) is checked through the files that extend it")
            else:
                files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


def validate_paths(paths: list[Path], require_values: bool = False) -> int:
    """Validate every file, print the diagnostics, return the exit code (1 if any error)."""
    from azlake.errors import SpecError
    from azlake.spec.load import load_environment

    files, problems = _targets(paths)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    failed = bool(problems)
    for file in files:
        try:
            loaded = load_environment(file, require_values=require_values)
        except SpecError as err:
            failed = True
            errors = [d for d in err.diagnostics if d.is_error]
            for diagnostic in err.diagnostics:
                print(diagnostic.render())
            print(f"FAIL {file}: {len(errors)} error(s), {len(err.diagnostics) - len(errors)} warning(s)")
            continue
        for diagnostic in loaded.diagnostics:
            print(diagnostic.render())
        note = f" ({len(loaded.diagnostics)} warning(s))" if loaded.diagnostics else ""
        print(f"ok   {file}: environment {loaded.spec.name}{note}")
    return ExitCode.ERROR if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        paths: list[Path] = typer.Argument(..., metavar="PATH", help="Environment files or folders "
                                           "(partials _*.yaml are skipped as roots)."),
        require_values: bool = typer.Option(False, "--require-values", help="Treat unset environment "
                                            "variables as errors, as plan and apply do."),
    ) -> None:
        """Check environment files offline; exit 0 when valid (warnings allowed), 1 on any error."""
        code = validate_paths(paths, require_values)
        if code:
            raise typer.Exit(code)
