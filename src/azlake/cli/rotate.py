"""`azlake rotate PATH`: a new generated gateway password, on the cluster and in the vault, never shown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azlake.cli.options import Cloud, Debug, StateDir, clients_for, header, load, set_debug


def rotate_command(path: Annotated[Path, typer.Argument(help="Environment file.")],
                   cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False) -> None:
    """Rotate the cluster's generated login password: vault (pending), cluster (updateGatewaySettings), vault
    (current). Running it again finishes an interrupted rotation."""
    set_debug(debug)
    from azure.core.exceptions import HttpResponseError

    from azlake.azure.errors import cloud_error
    from azlake.azure.keyvault import access_error
    from azlake.azure.rotation import rotate
    loaded = load(path, require_values=False)
    clients = clients_for(loaded, cloud, state_dir)
    print(header("rotate", clients, loaded.spec.name))
    vault = loaded.spec.key_vault.name if loaded.spec.key_vault else ""
    try:
        done = rotate(clients, loaded, say=print)
    except HttpResponseError as exc:
        doing = f"rotating the password of cluster {loaded.spec.cluster.name}"
        from_vault = exc.status_code == 403 and getattr(exc.error, "code", "") == "Forbidden"  # Key Vault's 403
        raise (access_error(clients, vault, exc, doing) if from_vault else cloud_error(exc, doing)) from exc
    print(f"Rotation complete{' (an interrupted rotation finished)' if done.resumed else ''}: the password is in "
          f"vault {done.vault}, secret {done.secret}; it is never shown.")


def register(app: typer.Typer) -> None:
    app.command("rotate")(rotate_command)
