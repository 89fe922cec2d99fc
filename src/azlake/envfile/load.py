"""Loads an environment file: YAML with lines, extends:, ${VAR}, secrets, derived names, models, Azure rules."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from azlake.envfile.diagnostics import (
    Collector,
    Diagnostic,
    KeyPath,
    Locations,
    did_you_mean,
    format_path,
    render_all,
)
from azlake.envfile.interpolate import (
    SAME_AS_LOGIN,
    Interpolation,
    check_secret_literal,
    check_secret_variables_stay_secret,
    interpolate,
)
from azlake.envfile.local_files import resolve_files
from azlake.envfile.models import SECRET_PATHS, Environment
from azlake.envfile.naming import RULES, derived_names
from azlake.envfile.rules import check_environment
from azlake.envfile.source import load_merged, read_yaml
from azlake.errors import AzlakeError, SpecError


@dataclass(frozen=True)
class LoadedEnvironment:
    """A valid environment file (warnings possible) with derived names filled in.

    With require_values=False a key whose ${VAR} is unset holds the `${VAR}` text (strings, secrets) or its
    default (numbers); `unresolved` lists those keys.
    """

    path: Path
    spec: Environment
    lake: LoadedEnvironment | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unresolved: dict[str, str] = field(default_factory=dict)  # key path -> missing variable (validate only)
    derived: tuple[str, ...] = ()  # key paths whose values azlake derived
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key path -> ${VAR}s it uses
    locations: Locations | None = None  # where each key was written, for findings made after loading
    vault_owner: LoadedEnvironment | None = None  # key_vault: {use: ...}: the environment owning the vault

    def where(self, *key_path: str) -> str:
        """`file:line key.path` of a key, for problems found later (e.g. by asking Azure at plan time)."""
        file, line = self.locations.find(key_path) if self.locations else (self.path, None)
        return f"{file or self.path}{f':{line}' if line else ''} {format_path(key_path)}"

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def lake_account(self) -> str:
        """The storage account of the lake this environment uses: its own, or the central one's."""
        lake = self.spec.data_lake
        if lake is not None and lake.use and self.lake is not None:
            return self.lake.lake_account()  # the loader takes a central lake that owns its account
        if lake is None or not lake.account:
            raise AzlakeError(f"{self.path}: the environment has no data lake",
                              hint="add a data_lake: section (or data_lake: {use: <central lake>}) to the file")
        return lake.account


def derived(value: str | None, key_path: str) -> str:
    """A name the loader fills when the file leaves it out (cluster.name, cluster.storage.filesystem, ...).

    Optional in the model, set on every LoadedEnvironment: this tells the type checker so, and says it in
    words should a spec that did not come through the loader reach a command."""
    if value is None:
        raise AzlakeError(f"{key_path} has no value: azlake derives it when it loads the environment file",
                          hint="load the file with load_environment(); this is a bug in azlake if you did")
    return value


def is_partial(path: Path) -> bool:
    """`_*.yaml` files are partials: only pulled in by extends:, never environments of their own."""
    return Path(path).name.startswith("_")


def environment_files(folder: Path) -> list[Path]:
    """The non-partial environment files of a folder, sorted."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not is_partial(p))


def load_environment(path: str | Path, env: Mapping[str, str] | None = None,
                     require_values: bool = True) -> LoadedEnvironment:
    """Load and check one file; raise SpecError carrying every problem if any is an error."""
    return _load(Path(path), os.environ if env is None else env, require_values, ())


def _get(data: object, path: KeyPath) -> object:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _section(data: dict[str, Any], *keys: str) -> dict[str, Any] | None:
    """The mapping at keys, or None when absent or not a mapping (then the model reports it)."""
    node = _get(data, keys)
    return node if isinstance(node, dict) else None


def _load(path: Path, env: Mapping[str, str], require: bool, chain: tuple[Path, ...]) -> LoadedEnvironment:
    out = Collector(Locations(root_file=path))
    data = load_merged(path, out)
    if not isinstance(data, dict) and not out.has_errors:
        out.error((), "the file is empty" if data is None else "the file must be a mapping of keys "
                  "(name:, company:, ...)", "start from a copy of environments/practice.yaml")
    if not isinstance(data, dict):
        _fail(out)
    state = Interpolation()
    _check_secrets(data, out)
    data = interpolate(data, env, require, out, state)
    assert isinstance(data, dict)  # interpolation keeps the mapping a mapping
    check_secret_variables_stay_secret(state, env, out)
    for secret_path in SECRET_PATHS:
        value = _get(data, secret_path)
        if isinstance(value, str) and value != SAME_AS_LOGIN and secret_path not in state.unresolved \
                and not _in_vault(value):
            out.secrets.append(value)
    _resolve_same_as_login(data, state)
    resolve_files(data, path, out)
    derived = _derive(data)
    lake = _central_lake(data, path, env, require, chain, out)
    _default_filesystem(data, lake is not None or _get(data, ("data_lake", "use")) is not None)
    vault_owner = _vault_owner(data, path, env, require, chain, out)
    _vault_secrets(data)
    spec = _validate(data, lake, path, state, out)
    if out.has_errors or spec is None:
        _fail(out)
    return LoadedEnvironment(path, spec, lake, _sorted(out.items),
                             {format_path(p): v for p, v in state.unresolved.items()}, tuple(derived),
                             {format_path(p): tuple(sorted(v)) for p, v in state.refs.items()}, out.locations,
                             vault_owner)


def _validate(data: dict[str, Any], lake: LoadedEnvironment | None, path: Path, state: Interpolation,
              out: Collector) -> Environment | None:
    """The model, then the Azure rules; with structural errors, rules run on the sound sections only."""
    central = lake.spec if lake is not None else None

    try:
        spec = Environment.model_validate(data)
    except ValidationError as exc:
        from azlake.envfile.recover import best_effort
        from azlake.envfile.recover import distrusted as untrusted
        from azlake.envfile.translate import report

        report(exc, out, skip=set(state.unresolved))  # an unset ${VAR} was already reported by name
        partial, distrusted = best_effort(data, exc)
        if partial is not None:
            before = len(out.items)
            check_environment(partial, central, path, state.unresolved, out)
            out.items[before:] = [d for d in out.items[before:] if not untrusted(d.key_path, distrusted)]
        only_unset = all(tuple(e["loc"]) in state.unresolved for e in exc.errors(include_url=False))
        return partial if only_unset else None  # e.g. `count: ${N}` with N unset, in validate
    check_environment(spec, central, path, state.unresolved, out)
    return spec


def _sorted(items: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(items, key=lambda d: (str(d.file or ""), d.line or 0))


def _fail(out: Collector) -> NoReturn:
    items = _sorted(out.items)
    err = SpecError(items)
    err.detail = render_all(items)
    raise err


def _check_secrets(data: dict[str, Any], out: Collector) -> None:
    for secret_path in SECRET_PATHS:
        raw = _get(data, secret_path)
        ok = check_secret_literal(raw, secret_path, out, allow_same_as_login=secret_path[1] == "ssh")
        if not ok and isinstance(raw, str):
            out.secrets.append(raw)


def _resolve_same_as_login(data: dict[str, Any], state: Interpolation) -> None:
    """`ssh.password: same-as-login`, or an ssh section with neither password nor key: the login password."""
    cluster = _section(data, "cluster")
    if cluster is None:
        return
    ssh = cluster.setdefault("ssh", {})
    login = _section(data, "cluster", "login")
    if not isinstance(ssh, dict):
        return
    if ssh.get("password") == SAME_AS_LOGIN or (ssh.get("password") is None and ssh.get("public_key") is None):
        ssh["password"] = login.get("password") if login else None
        login_path = ("cluster", "login", "password")
        if login_path in state.unresolved:
            state.unresolved[("cluster", "ssh", "password")] = state.unresolved[login_path]


def _vault_owner(data: dict[str, Any], path: Path, env: Mapping[str, str], require: bool, chain: tuple[Path, ...],
                 out: Collector) -> LoadedEnvironment | None:
    """`key_vault: {use: <environment>}`: that environment's file, whose vault name this file takes."""
    use, where = _get(data, ("key_vault", "use")), ("key_vault", "use")
    if not isinstance(use, str) or RULES["environment"].problem(use) or path.resolve() in chain:
        return None
    candidates = _environments_named(path.parent, use)
    if use == data.get("name") or use not in candidates:
        out.error(where, f"key_vault.use must name another environment file of {path.parent}",
                  "key_vault.use takes the `name:` of the environment that owns the vault")
        return None
    try:
        owner = _load(candidates[use], env, require, chain + (path.resolve(),))
    except SpecError:
        out.error(where, f"the vault owner's file {candidates[use].name} has errors",
                  f"run: azlake validate {candidates[use]}")
        return None
    vault = owner.spec.key_vault
    if vault is None or vault.use is not None:
        out.error(where, f"environment {use!r} ({candidates[use].name}) does not own a key vault",
                  "key_vault.use must name an environment whose key_vault has its own name")
        return None
    if _get(data, ("key_vault", "name")) not in (None, vault.name):
        out.error(("key_vault", "name"), "key_vault.name and key_vault.use together", "keep only use:")
    data["key_vault"]["name"] = vault.name
    return owner


def _in_vault(value: str) -> bool:
    from azlake.envfile.vault_refs import GENERATE, REFERENCE
    return value == GENERATE or bool(REFERENCE.match(value))


def _vault_secrets(data: dict[str, Any]) -> None:
    """`generate` and `${keyvault:...}` become VaultSecrets: read from the vault when a command needs them."""
    from azlake.envfile.vault_refs import vault_secret
    vault, cluster = _get(data, ("key_vault", "name")), _get(data, ("cluster", "name"))
    made: dict[Any, object] = {}  # ssh same-as-login shares the login's object: one read from the vault
    for secret_path in SECRET_PATHS:
        parent, raw = _get(data, secret_path[:-1]), _get(data, secret_path)
        found = made.get(raw) if isinstance(raw, str) else None
        found = found or vault_secret(raw, vault if isinstance(vault, str) else None,
                                      cluster if isinstance(cluster, str) else None)
        if found is not None and isinstance(parent, dict):
            parent[secret_path[-1]] = made.setdefault(raw, found)


def _derive(data: dict[str, Any]) -> list[str]:
    """Fill omitted names from company, department and name (Cloud Adoption Framework abbreviations)."""
    company, department, name = (data.get(k) for k in ("company", "department", "name"))
    if not (isinstance(company, str) and isinstance(department, str) and isinstance(name, str)):
        return []
    if any(RULES[kind].problem(v) for kind, v in (("company", company), ("department", department),
                                                  ("environment", name))):
        return []
    names = derived_names(company, department, name)
    derived = []
    targets = [("resource_group", "name", "resource_group", True), ("identity", "name", "identity", True),
               ("data_lake", "account", "storage_account", False), ("cluster", "name", "cluster", False),
               ("streaming", "namespace", "namespace", False), ("key_vault", "name", "key_vault", False)]
    for section, key, which, create in targets:
        if create and data.get(section) is None:
            data[section] = {}
        node = data.get(section)
        if not isinstance(node, dict) or node.get(key) is not None:
            continue
        if section in ("data_lake", "key_vault") and node.get("use") is not None:
            continue
        node[key] = names[which]
        derived.append(f"{section}.{key}")
    return derived


def _default_filesystem(data: dict[str, Any], central: bool) -> None:
    cluster = _section(data, "cluster")
    if cluster is None:
        return
    storage = cluster.setdefault("storage", {})
    if isinstance(storage, dict) and storage.get("filesystem") is None:
        department = data.get("department")
        storage["filesystem"] = f"dfs-{department}" if central and isinstance(department, str) else "dfs"


def _central_lake(data: dict[str, Any], path: Path, env: Mapping[str, str], require: bool, chain: tuple[Path, ...],
                  out: Collector) -> LoadedEnvironment | None:
    use = _get(data, ("data_lake", "use"))
    if not isinstance(use, str) or RULES["environment"].problem(use):
        return None
    where = ("data_lake", "use")
    if use == data.get("name"):
        out.error(where, "data_lake.use names this environment itself",
                  "name the environment that owns the central lake, or describe the lake here instead")
        return None
    if path.resolve() in chain:
        return None
    candidates = _environments_named(path.parent, use)
    if use not in candidates:
        out.error(where, f"no environment named {use!r} in {path.parent}{did_you_mean(use, candidates)}",
                  "data_lake.use takes the `name:` of another environment file in the same folder")
        return None
    try:
        lake = _load(candidates[use], env, require, chain + (path.resolve(),))
    except SpecError:
        out.error(where, f"the central lake's file {candidates[use].name} has errors",
                  f"run: azlake validate {candidates[use]}")
        return None
    if lake.spec.data_lake is None or lake.spec.data_lake.use is not None:
        out.error(where, f"environment {use!r} ({candidates[use].name}) does not own a data lake",
                  "data_lake.use must name an environment whose data_lake has its own account")
        return None
    return lake


# `name:` -> file of each folder seen, so that the N departments of a folder do not read all N files each.
_FOLDER_NAMES: dict[str, dict[str, Path]] = {}


def _environments_named(folder: Path, wanted: str) -> dict[str, Path]:
    """The folder's name index, built once and rebuilt only when `wanted` is missing or has moved."""
    key = str(folder.resolve())
    index = _FOLDER_NAMES.get(key)
    if index is None or wanted not in index or _name_of(index[wanted]) != wanted:
        index = _FOLDER_NAMES[key] = _names_in_folder(folder)
    return index


def _name_of(path: Path) -> str | None:
    read = read_yaml(path, Collector(Locations(root_file=path))) if path.is_file() else None
    name = read[0].get("name") if read and isinstance(read[0], dict) else None
    return name if isinstance(name, str) else None


def _names_in_folder(folder: Path) -> dict[str, Path]:
    """`name:` of each environment file in a folder (first one wins), read without full validation."""
    found: dict[str, Path] = {}
    for candidate in environment_files(folder):
        name = _name_of(candidate)
        if name is not None:
            found.setdefault(name, candidate)
    return found
