"""`azlake import --resource-group NAME`: write the environment file of what the portal built; changes nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from azlake.cli.options import Cloud, Debug, StateDir, check_out, check_state_dir, has_local_state, set_debug
from azlake.errors import AzlakeError, SpecError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)  # stdout may be the file itself


def _lake_environment(folder: Path, account: str) -> str | None:
    """The environment of `folder` that owns the lake `account` (a department names it in `use:`)."""
    from azlake.envfile.load import environment_files, load_environment
    if not folder.is_dir():
        return None
    for path in environment_files(folder):
        try:
            spec = load_environment(path, require_values=False).spec
        except (SpecError, OSError):
            continue
        if spec.data_lake is not None and (spec.data_lake.account or "").lower() == account.lower():
            return spec.name
    return None


def _clients(cloud: str | None, subscription: str | None, state_dir: Path | None, out: Path | None) -> Any:
    """Read-only clients: on the local cloud, a missing state is read as an empty cloud, never created."""
    import os

    from azlake.azure.clients import Clients, Target
    target = Target.from_env(cloud, subscription, state_dir, anchor=out.absolute() if out else None)
    if target.cloud == "azure":
        target.subscription = subscription or os.environ.get("AZURE_SUBSCRIPTION_ID", "")
        if not target.subscription:
            raise AzlakeError("import needs the subscription that holds the resource group",
                              hint="pass --subscription ID (az account show --query id -o tsv) or set "
                                   "AZURE_SUBSCRIPTION_ID")
    clients = Clients(target)
    if target.cloud == "local" and target.emulator_url is None:
        check_state_dir(target.state_dir, writable=False)
        if not has_local_state(target.state_dir):
            clients.use_empty_cloud()
    return clients


def _read(clients: Clients, group: str, depth: int, limit: int) -> Any:
    from azure.core.exceptions import AzureError, ResourceNotFoundError

    from azlake.azure.errors import cloud_error
    from azlake.importer.read import Reader
    try:
        return Reader(clients, group, depth, limit, _say).read()
    except ResourceNotFoundError as exc:
        code = exc.error.code if exc.error is not None else None
        if "resourcegroup" in str(code or "").lower() or \
                not clients.resources.resource_groups.check_existence(group):
            raise AzlakeError(f"resource group {group} does not exist in subscription {clients.target.subscription}",
                              hint="check the name (az group list -o table) and --subscription") from None
        raise cloud_error(exc, f"reading resource group {group}") from exc
    except AzureError as exc:
        raise cloud_error(exc, f"reading resource group {group}") from exc


def _group_of(clients: Clients, storage_account: str | None, cluster: str | None) -> str:
    """The resource group holding a storage account or cluster of the subscription (names are global)."""
    import re
    wanted = (storage_account or cluster or "").lower()
    items = clients.storage.storage_accounts.list() if storage_account else clients.hdinsight.clusters.list()
    for item in items:
        match = re.search(r"/resourcegroups/([^/]+)/", str(item.id), re.IGNORECASE)
        if item.name.lower() == wanted and match:
            return match.group(1)
    what = f"storage account {storage_account}" if storage_account else f"HDInsight cluster {cluster}"
    raise AzlakeError(f"{what} is not in subscription {clients.target.subscription}",
                      hint="check the name and --subscription, or give --resource-group")


def import_command(
    resource_group: Annotated[Optional[str], typer.Option("--resource-group", "-g",
                                                          help="The resource group to read.")] = None,
    storage_account: Annotated[Optional[str], typer.Option("--storage-account", help="Or: the group of this "
                                                           "storage account (the lake).")] = None,
    cluster: Annotated[Optional[str], typer.Option("--cluster", help="Or: the group of this HDInsight "
                                                   "cluster.")] = None,
    subscription: Annotated[Optional[str], typer.Option("--subscription", help="Its subscription id "
                                                        "(default: AZURE_SUBSCRIPTION_ID).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the file here (default: stdout).")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="The environment's name (default: guessed).")] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=4, help="Directory levels listed per zone.")] = 1,
    max_directories: Annotated[int, typer.Option("--max-directories", min=1, max=5000,
                                                 help="Directories listed per filesystem at most.")] = 200,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False,
) -> None:
    """Write an environment file for what exists in a resource group (built in the portal); nothing changes.

    Name the group, or a storage account or cluster in it."""
    set_debug(debug)
    if out is not None:
        check_out(out, "environment.yaml")
        if out.exists() and not force:
            raise AzlakeError(f"--out {out} exists", hint="choose another file, or pass --force to overwrite it")
    if name is not None:
        from azlake.envfile.naming import RULES
        problem = RULES["environment"].problem(name)
        if problem:
            raise AzlakeError(f"--name: {problem}")
    if sum(x is not None for x in (resource_group, storage_account, cluster)) != 1:
        raise AzlakeError("name one of --resource-group, --storage-account or --cluster",
                          hint="e.g. azlake import --resource-group grbigdatauserbda000 --out environments/bda000.yaml")
    clients = _clients(cloud, subscription, state_dir, out)
    if resource_group is None:
        from azure.core.exceptions import AzureError

        from azlake.azure.errors import cloud_error
        try:
            resource_group = _group_of(clients, storage_account, cluster)
        except AzureError as exc:
            raise cloud_error(exc, "finding the resource group") from exc
        _say(f"{storage_account or cluster} is in resource group {resource_group}")
    found = _read(clients, resource_group, depth, max_directories)
    from azlake.importer.write import environment_document, render
    lake_env = _lake_environment(out.parent if out else Path.cwd(), found.central_lake.name) \
        if found.central_lake else None
    doc, guessed = environment_document(found, lake_env, name)
    text = render(doc)
    for what in found.left_alone:
        _say(f"left alone (not expressed in the file): {what}")
    for note in found.notes:
        _say(f"note: {note}")
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text)
    _say(f"wrote {out}: environment {guessed['name']} (company {guessed['company']}, department "
         f"{guessed['department']}: guessed, check them); nothing in Azure was changed")
    _validate(out)


def _validate(out: Path) -> None:
    from azlake.envfile.load import load_environment
    try:
        loaded = load_environment(out, require_values=False)
    except SpecError as err:
        for d in err.diagnostics:
            _say(d.render())
        raise AzlakeError(f"{out} was written but does not validate", hint="fix the lines above") from None
    cluster = loaded.spec.cluster
    first = f"set {loaded.unresolved['cluster.login.password']} to the cluster's current password, then " \
        if cluster is not None and "cluster.login.password" in loaded.unresolved else ""
    _say(f"{out} validates ({len(loaded.warnings)} warning(s)); next: {first}azlake plan {out}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
