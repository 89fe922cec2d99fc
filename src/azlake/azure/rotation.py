"""Rotation of a generated gateway password: vault first (pending), then the cluster, then the vault (current).

At every moment the cluster's password is a version in the vault: the current one until the cluster takes
the new one, the pending one afterwards. An interrupted rotation is finished by running it again: the
pending version is reused, the cluster updated only if it does not have it yet, then it is marked current.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.keyvault import CURRENT, PENDING, current_version, pending_version, store_password
from azlake.envfile.load import derived
from azlake.envfile.secrets_rules import generate_password
from azlake.envfile.vault_refs import CURRENT_TAG, VaultSecret
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment


@dataclass
class Rotation:
    vault: str
    secret: str
    steps: list[str] = field(default_factory=list)   # what was done, for people (never a value)
    resumed: bool = False                            # an earlier rotation's pending password was used


def rotate(clients: Clients, loaded: LoadedEnvironment, say: Callable[[str], None] = lambda _: None) -> Rotation:
    """Rotate the cluster's generated login password; returns what was done."""
    spec, cluster = loaded.spec, loaded.spec.cluster
    password = cluster.login.password if cluster is not None else None
    if cluster is None or not isinstance(password, VaultSecret) or not password.generated:
        raise AzlakeError("azlake rotate changes generated passwords only (cluster.login.password: generate)",
                          hint="for a password from a variable, set the new value and run azlake apply; or switch "
                               "the file to password: generate (see docs/environment-file.md)")
    out = Rotation(password.vault, password.secret)
    client = clients.secrets(password.vault)
    value, version = _pending(client, out, spec, say)
    group, name = derived(spec.resource_group.name, "resource_group.name"), derived(cluster.name, "cluster.name")
    if _cluster_running(clients, group, name):
        _update_gateway(clients, group, name, cluster.login.username, value, out, say)
    else:
        out.steps.append(f"cluster {name} is not running: the next apply or run creates it with the new password")
    props = client.get_secret(password.secret, version).properties
    client.update_secret_properties(password.secret, version, tags={**(props.tags or {}), CURRENT_TAG: CURRENT})
    password.remember(value)
    out.steps.append(f"marked the new password current in vault {password.vault} (secret {password.secret})")
    say(out.steps[-1])
    return out


def _pending(client: Any, out: Rotation, spec: Any, say: Callable[[str], None]) -> tuple[str, str]:
    """The rotation's new password: an interrupted rotation's pending version, or a new one stored pending."""
    try:
        found = pending_version(client, out.secret)
        has_current = current_version(client, out.secret) is not None
    except ResourceNotFoundError:
        found, has_current = None, False
    if not has_current and found is None:
        raise AzlakeError(f"vault {out.vault} holds no generated password {out.secret} to rotate",
                          hint="run azlake apply first: it generates the password")
    if found is not None:
        out.resumed = True
        out.steps.append("an earlier rotation was interrupted: finishing it with its new password")
        say(out.steps[-1])
        return client.get_secret(out.secret, found.version).value, found.version
    value = generate_password([spec.cluster.login.username, spec.cluster.ssh.username])
    stored = store_password(client, out.secret, value, spec.name, PENDING)
    out.steps.append(f"stored a new password in vault {out.vault} as pending (version {stored.properties.version})")
    say(out.steps[-1])
    return value, stored.properties.version


def _cluster_running(clients: Clients, group: str, name: str) -> bool:
    try:
        cluster = clients.hdinsight.clusters.get(group, name)
    except ResourceNotFoundError:
        return False
    return cluster.properties.provisioning_state == "Succeeded"


def _update_gateway(clients: Clients, group: str, name: str, user: str, value: str, out: Rotation,
                    say: Callable[[str], None]) -> None:
    """updateGatewaySettings unless the cluster has the new password already (an interrupted rotation)."""
    from azure.mgmt.hdinsight import models
    have = clients.hdinsight.clusters.get_gateway_settings(group, name).password or ""
    if have and hmac.compare_digest(have.encode(), value.encode()):
        out.steps.append(f"cluster {name} already has the new password")
    else:
        say(f"updating the gateway credential of cluster {name} (updateGatewaySettings)")
        clients.hdinsight.clusters.begin_update_gateway_settings(group, name, models.UpdateGatewaySettingsParameters(
            is_credential_enabled=True, user_name=user, password=value)).result()
        out.steps.append(f"cluster {name} now takes the new password (the old one is refused); SSH keeps its "
                         "password until the cluster is created again (HDInsight cannot change it in place)")
    say(out.steps[-1])
