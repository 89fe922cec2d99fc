"""`azlake validate PATH...`: check environment files offline and report every problem with file:line."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from azlake.errors import ExitCode, SpecError


def _targets(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Files to validate (folders expanded, partials skipped) and problems with the paths themselves."""
    from azlake.envfile.load import environment_files, is_partial

    files, problems = [], []
    for path in paths:
        if path.is_dir():
            found = environment_files(path)
            if not found:
                problems.append(f"{path}: no environment files (*.yaml) in this folder")
            files.extend(found)
        elif path.exists():  # a FIFO or device too: the loader says why it is not read
            if path.is_file() and is_partial(path):
                print(f"skip {path}: a partial (_*.yaml) is checked through the files that extend it")
            else:
                files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return files, problems


def _check(file: Path, require_values: bool) -> tuple[str | None, list]:
    """(environment name or None when invalid, diagnostics) of one file."""
    from azlake.envfile.load import load_environment

    try:
        loaded = load_environment(file, require_values=require_values)
    except SpecError as err:
        return None, list(err.diagnostics)
    return loaded.spec.name, list(loaded.diagnostics)


def _as_json(diagnostic) -> dict:
    return {"severity": diagnostic.severity, "file": str(diagnostic.file) if diagnostic.file else None,
            "line": diagnostic.line, "key_path": diagnostic.key_path, "summary": diagnostic.summary,
            "detail": diagnostic.detail}


def validate_paths(paths: list[Path], require_values: bool = False, fmt: str = "text") -> int:
    """Validate every file, print the diagnostics, return the exit code (1 if any error)."""
    files, problems = _targets(paths)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    results = [(file, *_check(file, require_values)) for file in files]
    if fmt == "json":
        import json

        print(json.dumps({"files": [{"path": str(file), "valid": name is not None, "environment": name,
                                     "diagnostics": [_as_json(d) for d in diagnostics]}
                                    for file, name, diagnostics in results]}, indent=2))
    else:
        for file, name, diagnostics in results:
            for diagnostic in diagnostics:
                print(diagnostic.render())
            errors = sum(d.is_error for d in diagnostics)
            if name is None:
                print(f"FAIL {file}: {errors} error(s), {len(diagnostics) - errors} warning(s)")
            else:
                note = f" ({len(diagnostics)} warning(s))" if diagnostics else ""
                print(f"ok   {file}: environment {name}{note}")
    failed = problems or any(name is None for _, name, _ in results)
    return ExitCode.ERROR if failed else ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        paths: list[Path] = typer.Argument(..., metavar="PATH", help="Environment files or folders "
                                           "(partials _*.yaml are skipped as roots)."),
        require_values: bool = typer.Option(False, "--require-values", help="Treat unset environment "
                                            "variables as errors, as plan and apply do."),
        fmt: str = typer.Option("text", "--format", help="text (for people) or json (for editors and CI)."),
    ) -> None:
        """Check environment files offline; exit 0 when valid (warnings allowed), 1 on any error."""
        if fmt not in ("text", "json"):
            raise typer.BadParameter(f"unknown format {fmt!r}; use text or json", param_hint="--format")
        code = validate_paths(paths, require_values, fmt)
        if code:
            raise typer.Exit(code)
