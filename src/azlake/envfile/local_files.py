"""The local files an environment file names (job scripts, SSH public key files): found, confined, checked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from azlake.envfile.diagnostics import Collector, KeyPath
from azlake.envfile.files import (
    MAX_PUBLIC_KEY_BYTES,
    MAX_SCRIPT_BYTES,
    Refused,
    check_regular,
    confined,
    public_key_problem,
    read_text,
)


def _mapping(node: object) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def resolve_files(data: dict[str, Any], path: Path, out: Collector) -> None:
    """Job scripts and SSH public key files are relative to the environment file."""
    for name, job in _mapping(data.get("jobs")).items():
        if isinstance(job, dict) and isinstance(job.get("script"), str) and job["script"].strip():
            job["script"] = _script(job["script"], path, ("jobs", str(name), "script"), out)
    ssh = _mapping(_mapping(data.get("cluster")).get("ssh"))
    key = ssh.get("public_key")
    if isinstance(key, str) and key.strip():
        ssh["public_key"] = _public_key(key, path, out)


def _script(script: str, path: Path, where: KeyPath, out: Collector) -> str:
    """The job script's full path, once it is known to be a regular file of sane size inside the tree.

    `azlake run` uploads it to the lake: a script naming /etc/passwd or ~/.ssh/id_rsa would publish it."""
    try:
        target = confined(script, path.parent, path.resolve().parent, "script",
                          "a job script must live in the environment file's folder or below it (azlake uploads "
                          "it to the lake): copy it there, e.g. jobs/<name>.py")
        check_regular(target, MAX_SCRIPT_BYTES, "a job script")
    except Refused as refused:
        gone = refused.summary == "the file does not exist"
        out.error(where, f"script {script} does not exist" if gone else refused.summary,
                  f"the path is relative to the environment file's folder ({path.resolve().parent})" if gone
                  else refused.detail)
        return script
    if target.suffix not in (".py", ".jar"):
        out.warning(where, f"script {target.name} is neither .py nor .jar", "Spark batch jobs run a Python file or a JAR")
    return str(target)


def _public_key(key: str, path: Path, out: Collector) -> str | None:
    """The key text: given inline, or read from a .pub file (regular, small); never echoed when wrong."""
    where = ("cluster", "ssh", "public_key")
    inline = "PRIVATE KEY" in key or key.startswith(("ssh-", "ecdsa-", "sk-")) or "\n" in key
    if not inline:
        key_file = (path.parent / os.path.expanduser(key))
        try:
            key = read_text(key_file, MAX_PUBLIC_KEY_BYTES, "a public key file").strip()
        except Refused as refused:
            summary = "not found" if refused.summary == "the file does not exist" else refused.summary
            out.error(where, f"public key file {key_file.name!r}: {summary}",
                      "give a path relative to the environment file, or the 'ssh-rsa AAAA...' text")
            return None
    problem = public_key_problem(key)
    if problem:
        out.error(where, f"public_key {problem}", "give the path of the .pub file (ssh-keygen writes it next to "
                  "the private key) or its 'ssh-ed25519 AAAA...' text")
        return None
    return key
