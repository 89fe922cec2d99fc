"""What a cluster's operator calls beside create and resize: configurations, the host list, host restarts.

Configurations are the ones given at creation (`clusterDefinition.configurations`); `gateway` is the HTTP
credential, the same one getGatewaySettings answers, and updating it is updateGatewaySettings' operation (Azure
documents the configurations update as the deprecated way to change it). Hosts are named as HDInsight names
them: `hn0-<cluster>`, `wn0-<cluster>`, `zk0-<cluster>`, with an internal DNS suffix.
"""

from __future__ import annotations

from azlake.emulator.core import lro
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.errors import BadRequest, NotFound
from azlake.emulator.core.store import Tx
from azlake.emulator.hdinsight import models

RESTART_SECONDS = 300.0  # nominal; the emulator's choice (Azure gives no figure)
_PREFIX = {"headnode": "hn", "workernode": "wn", "zookeepernode": "zk"}


def configurations(tx: Tx, clock: Clock, sub: str, group: str, name: str) -> dict:
    """Every configuration of the cluster, `gateway` included (as getGatewaySettings answers it)."""
    gateway = models.gateway_settings(tx, clock, sub, group, name)
    stored = (models.private(tx, name) or {}).get("configurations") or {}
    return {"gateway": gateway, **stored}


def configuration(tx: Tx, clock: Clock, sub: str, group: str, name: str, config: str) -> dict:
    found = {k.lower(): v for k, v in configurations(tx, clock, sub, group, name).items()}.get(config.lower())
    if found is None:
        raise NotFound(f"The configuration '{config}' does not exist on cluster '{name}'. "
                       "Configurations are the ones given at creation, plus 'gateway'.")
    return found


def update_configuration(app, tx: Tx, req, sub: str, group: str, name: str, config: str,
                         body: dict) -> lro.Operation:
    if config.lower() != "gateway":
        raise BadRequest(f"Only the 'gateway' configuration can be updated on a running "
                         f"cluster, not '{config}'; other configurations are set when the cluster is created.")
    return models.update_gateway(app, tx, req, sub, group, name, body)


def hosts(tx: Tx, sub: str, group: str, name: str) -> list[dict]:
    doc = models.require(tx, sub, group, name)
    out = []
    for role in doc["properties"]["computeProfile"]["roles"]:
        prefix = _PREFIX.get(role["name"].lower(), role["name"][:2].lower())
        for i in range(int(role.get("targetInstanceCount") or 0)):
            host = f"{prefix}{i}-{name[:9].lower()}"
            out.append({"name": host, "fqdn": f"{host}.{name.lower()}.internal.cloudapp.net",
                        "effectiveDiskEncryptionKeyUrl": None})
    return out


def restart_hosts(app, tx: Tx, req, sub: str, group: str, name: str, body) -> lro.Operation:
    doc = models.require(tx, sub, group, name)
    if not isinstance(body, list) or not body or not all(isinstance(h, str) and h for h in body):
        raise BadRequest("The request body must be a list of host names to restart, such as "
                         "['wn0-mycluster'] (listHosts gives them).")
    record = models.require_idle(tx, app.clock, doc)
    return models.start(app, tx, req, doc, record, "restart", RESTART_SECONDS)
