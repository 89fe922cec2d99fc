"""The `azlake` application: registers the command modules and turns every error into a message and an exit code."""

from __future__ import annotations

import importlib
import os
import sys

import typer

from azlake.cli.render import print_error
from azlake.errors import AzlakeError, ExitCode

# Command name -> the module whose `register(app)` adds it; modules stay small and lazy about the Azure SDKs.
COMMANDS = {"validate": "validate", "schema": "schema", "plan": "plan", "apply": "apply", "destroy": "destroy",
            "status": "status", "cost": "cost", "lake": "lake", "run": "run", "reap": "reap",
            "force-unlock": "unlock", "emulator": "emulator", "demo": "demo", "import": "importer",
            "rotate": "rotate"}


def build_app(command: str | None = None, root_only: bool = False) -> typer.Typer:
    """The application with every command, or with only the module of `command` when it names one, or with
    none (`root_only`: `--version` needs no command).

    A run needs only its own command: importing the other modules and building their parameters (typer reads
    every signature) was a quarter of `validate`'s start-up. Help and unknown names get every command.
    """
    app = typer.Typer(
        name="azlake",
        help="Declarative Azure big-data environments: ADLS Gen2 lake, managed identity, ephemeral HDInsight "
             "Spark.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,  # tracebacks (and their locals, which can hold secrets) only with --debug
        add_completion=False,
        # plain help: rich's help pulls in its Markdown renderer (about 60 ms) for every --help
        rich_markup_mode=None,
    )
    app.callback()(_root)
    modules = [] if root_only else [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for name in modules:
        importlib.import_module(f"azlake.cli.{name}").register(app)
    return app


def _command_in(argv: list[str]) -> str | None:
    """The command a command line names: its first word that is not a root option (none of those take a value)."""
    return next((word for word in argv if not word.startswith("-")), None)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version
        typer.echo(f"azlake {version('azlake')}")
        raise typer.Exit(0)


def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors.",
                                     envvar="AZLAKE_DEBUG"),
          _: bool = typer.Option(False, "--version", help="Print the version and exit.", callback=_version,
                                 is_eager=True)) -> None:
    if debug:
        os.environ["AZLAKE_DEBUG"] = "1"


def __getattr__(name: str) -> typer.Typer:
    """`app`, with every command, built on first use (tests and tools drive it; the console script does not)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    app = globals()["app"] = build_app()
    return app


def run() -> None:
    """Console-script entry point: the command's exit code, and nothing after it can change that code."""
    try:
        _run()
        code = 0
    except SystemExit as done:
        if "pyarrow" not in sys.modules:
            raise
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    if "pyarrow" in sys.modules:
        # Arrow's native thread pools can abort the interpreter's teardown ("terminate called without an
        # active exception", SIGABRT; apache/arrow#34314) after the command has finished well: leave
        # without that teardown, the output flushed and the command's own exit code kept
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run() -> None:
    """No traceback reaches the user unless --debug."""
    debug = "--debug" in sys.argv or os.environ.get("AZLAKE_DEBUG") == "1"
    if not debug:
        # azure-identity logs every credential it tried as a warning; azlake's own sign-in error says what to do
        import logging
        logging.getLogger("azure").addHandler(logging.NullHandler())
    try:
        command = _command_in(sys.argv[1:])
        root_only = command is None and "--version" in sys.argv[1:] and "--help" not in sys.argv[1:]
        result = build_app(command, root_only)(standalone_mode=False)
        if result == 130:  # typer turns Ctrl-C into exit code 130 when not standalone
            raise KeyboardInterrupt
        if isinstance(result, int) and result:  # click returns typer.Exit's code without standalone_mode
            sys.exit(result)
    except AzlakeError as err:
        print_error(err)
        sys.exit(ExitCode.ERROR)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("Interrupted. Run the same command again to finish: every step is idempotent.", file=sys.stderr)
        sys.exit(ExitCode.INTERRUPTED)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and the unexpected
        # typer vendors click: recognise its usage errors by shape rather than by import
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(ExitCode.ERROR)
        from azlake.azure.errors import sign_in_error
        translated = sign_in_error(exc)
        if translated is not None and not debug:
            print_error(translated)
            sys.exit(ExitCode.ERROR)
        if debug:
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc}\n(run with --debug for the traceback)",
              file=sys.stderr)
        sys.exit(ExitCode.ERROR)
