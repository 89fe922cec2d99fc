"""`${NAME}` and `${NAME:-default}` from the environment, and the rule that secrets are never literal."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from azlake.envfile.diagnostics import Collector, KeyPath
from azlake.envfile.models import SECRET_PATHS

_REF = re.compile(r"\$\$|\$\{([^}]*)\}")
_VAR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?", re.S)
SECRET_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SAME_AS_LOGIN = "same-as-login"


@dataclass
class Interpolation:
    """What interpolation learned: unresolved variables per key path, and the secret values seen."""

    unresolved: dict[KeyPath, str] = field(default_factory=dict)  # path -> variable name
    secrets: list[str] = field(default_factory=list)
    refs: dict[KeyPath, set[str]] = field(default_factory=dict)  # path -> variables it references


def _substitute(text: str, path: KeyPath, env: Mapping[str, str], state: Interpolation,
                require: bool, out: Collector) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"  # `$$` escapes a literal dollar
        if match.group(1).startswith("keyvault:"):
            if path not in SECRET_PATHS:
                out.error(path, "a ${keyvault:...} reference outside a password key",
                          "vault references are read only in cluster.login.password and cluster.ssh.password")
            return match.group(0)  # resolved from the vault when needed, never here
        inner = _VAR.fullmatch(match.group(1))
        if not inner:
            out.error(path, f"'${{{match.group(1)}}}' is not a valid variable reference",
                      "write ${NAME} or ${NAME:-default}; NAME is letters, digits and '_'")
            return match.group(0)
        name, default = inner.group(1), inner.group(2)
        state.refs.setdefault(path, set()).add(name)
        if name in env and env[name] != "":
            return env[name]
        if default is not None:
            return default
        state.unresolved[path] = name
        if require:
            fallback = "" if path in SECRET_PATHS else f", or give a default: ${{{name}:-value}}"
            out.error(path, f"environment variable {name} is not set",
                      f"set it (export {name}=...) before running this command{fallback}")
        else:
            out.warning(path, f"environment variable {name} is not set (needed by plan and apply)",
                        f"export {name}=... before `azlake plan` or `azlake apply`")
        return match.group(0)

    if "$" not in text:
        return text
    if "${" in text and "}" not in text[text.index("${"):]:
        out.error(path, "unterminated '${' in value", "close the reference: ${NAME}")
        return text
    return _REF.sub(replace, text)


def interpolate(data: object, env: Mapping[str, str], require: bool, out: Collector,
                state: Interpolation, path: KeyPath = ()) -> object:
    """A copy of `data` with every string's references replaced."""
    if isinstance(data, dict):
        return {k: interpolate(v, env, require, out, state, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [interpolate(v, env, require, out, state, path + (i,)) for i, v in enumerate(data)]
    if isinstance(data, str):
        return _substitute(data, path, env, state, require, out)
    return data


def check_secret_literal(raw: object, path: KeyPath, out: Collector, allow_same_as_login: bool = False) -> bool:
    """A secret must be exactly `${NAME}`, a vault reference or (the login) `generate`: no literal, no default
    (a default is a literal in disguise)."""
    from azlake.envfile.vault_refs import GENERATE, REFERENCE
    if raw is None:
        return True
    if allow_same_as_login and raw == SAME_AS_LOGIN:
        return True
    if isinstance(raw, str) and (REFERENCE.match(raw) or (raw == GENERATE and not allow_same_as_login)):
        return True
    if isinstance(raw, str) and raw.startswith("${keyvault:"):
        out.error(path, "not a valid vault reference", "write ${keyvault:<vault>/<secret>}: a vault name of 3-24 "
                  "letters, digits and '-', a secret name of letters, digits and '-'")
        return False
    if isinstance(raw, str) and SECRET_REF.fullmatch(raw):
        return True
    if isinstance(raw, str) and raw.startswith("${") and ":-" in raw:
        out.error(path, "a secret with a default value: that would put the secret in the file",
                  "write ${NAME} without a default and set NAME in the environment or a secret store")
    else:
        allowed = "${NAME}, ${keyvault:<vault>/<secret>}" + (" or same-as-login" if allow_same_as_login
                                                              else " or generate")
        out.error(path, "a literal secret: secrets are never written in the file",
                  f"allowed: {allowed}, e.g. password: ${{CLUSTER_PASSWORD}}, and set that variable")
    return False


_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|(^|_)KEY$", re.I)


def check_secret_variables_stay_secret(state: Interpolation, env: Mapping[str, str], out: Collector) -> None:
    """A password variable used in an ordinary key would print the password in plans and logs.

    Secret variables: those a password key references (or a key above one), and any whose name says secret.
    Their values are also redacted from every message, whatever key they ended up in.
    """
    secret_vars = {name for path, names in state.refs.items() for name in names
                   if any(path == p[:len(path)] for p in SECRET_PATHS) or _SECRET_NAME.search(name)}
    out.secrets.extend(env[name] for name in secret_vars if env.get(name))
    for path, names in state.refs.items():
        leaked = sorted(names & secret_vars)
        if leaked and path not in SECRET_PATHS and path != ("cluster", "ssh", "public_key"):
            out.error(path, f"uses the secret variable {leaked[0]} outside a password key",
                      "its value would appear in plans and logs; use it only in cluster.login/ssh.password")
