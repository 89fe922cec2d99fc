"""HDInsight clusters: state, rules and lifecycle over emulated time (no HTTP).

The ARM document (collection "arm") holds what GET shows, without secrets; a private record per cluster
name (collection "hdinsight", keyed by lower-cased name because the name is a global DNS label) holds the
gateway credential and the cluster's operations. States are computed on every read from the clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from azlake.emulator.core import arm, lro
from azlake.emulator.core.clock import Clock, timeline_state
from azlake.emulator.core.errors import BadRequest, Conflict, InvalidResourceName, QuotaExceeded
from azlake.emulator.core.store import Tx
from azlake.emulator.hdinsight import prerequisites, rules, shape

TYPE = "Microsoft.HDInsight/clusters"
PRIVATE = "hdinsight"
# clusterState steps of a creation, nominal seconds: about 20 minutes in all (estimatedCreationDuration PT20M)
CREATE_STEPS = [("Accepted", 60.0), ("AzureVMConfiguration", 600.0), ("HdInsightConfiguration", 540.0)]
CREATE_SECONDS = sum(d for _, d in CREATE_STEPS)
# a creation that cannot reach its storage fails while HDInsight configures Ambari, about 16 minutes in
FAIL_AFTER_SECONDS = 960.0
# HDInsight first touches its storage when it configures the cluster, after the VMs exist: the identity's
# role must be effective by then, not when the creation is requested (propagation overlaps provisioning)
STORAGE_ACCESS_AFTER = sum(d for s, d in CREATE_STEPS if s != "HdInsightConfiguration")
RESIZE_SECONDS, AUTOSCALE_SECONDS, GATEWAY_SECONDS, DELETE_SECONDS = 600.0, 60.0, 120.0, 600.0
# Regional HDInsight core quota of a subscription (the official capabilities example shows 1000 per region).
REGIONAL_CORE_QUOTA = 1000


@dataclass
class ClusterGateway:
    """What the cluster's HTTPS gateway (Livy, Ambari) needs to answer a request."""
    name: str
    id: str
    username: str
    password: str
    cluster_state: str          # Accepted | AzureVMConfiguration | HdInsightConfiguration | Running | Error
    provisioning_state: str     # InProgress | Succeeded | Failed
    storage_account_id: str     # default storage account (ADLS Gen2) resource id
    file_system: str            # default filesystem
    identity_principal_id: str  # principal of the user-assigned identity the cluster reaches storage with

    @property
    def running(self) -> bool:
        return self.cluster_state == "Running"

    def check_basic_auth(self, username: str, password: str) -> bool:
        import hmac
        return (hmac.compare_digest(username.encode(), self.username.encode())
                and hmac.compare_digest(password.encode(), self.password.encode()))


def cluster_id(subscription: str, group: str, name: str) -> str:
    return f"{arm.rg_id(subscription, group)}/providers/{TYPE}/{name}"


def private(tx: Tx, name: str) -> dict | None:
    return tx.get(PRIVATE, name.lower())


def require(tx: Tx, subscription: str, group: str, name: str) -> dict:
    return arm.require(tx, subscription, group, cluster_id(subscription, group, name), TYPE, name)


def _operation(tx: Tx, record: dict, kind: str) -> lro.Operation | None:
    op_id = (record.get("ops") or {}).get(kind)
    doc = tx.get(lro.COLLECTION, op_id) if op_id else None
    return lro.Operation(**doc) if doc else None


def states(tx: Tx, clock: Clock, name: str) -> tuple[str, str, dict | None]:
    """(provisioningState, clusterState, error) of a cluster now."""
    record = private(tx, name) or {}
    create = _operation(tx, record, "create")
    if create is None:
        return "Succeeded", "Running", None
    elapsed = clock.elapsed_nominal(create.started)
    if create.outcome == "Failed" and elapsed >= create.duration:
        return "Failed", "Error", {"code": create.error_code, "message": create.error_message}
    state = timeline_state(elapsed, CREATE_STEPS, "Running")
    if state != "Running":
        return "InProgress", state, None
    busy = busy_operation(tx, clock, record)
    return ("InProgress" if busy else "Succeeded"), "Running", None


def busy_operation(tx: Tx, clock: Clock, record: dict) -> lro.Operation | None:
    for kind in (record.get("ops") or {}):
        op = _operation(tx, record, kind)
        if op and not op.done(clock):
            return op
    return None


def view(tx: Tx, clock: Clock, doc: dict) -> dict:
    """The GET body: the stored document with the states of this moment, in HDInsight's shapes."""
    _apply_pending_gateway(tx, clock, doc["name"])
    provisioning, cluster_state, error = states(tx, clock, doc["name"])
    body = shape.cluster({**doc, "properties": dict(doc["properties"])})
    body["properties"]["provisioningState"] = provisioning
    body["properties"]["clusterState"] = cluster_state
    if error:
        body["properties"]["errors"] = [error]
    return body


def create(app, tx: Tx, req, subscription: str, group: str, name: str, body: dict) -> dict:
    """Validate like Azure, store the cluster and start its creation; returns the stored document."""
    group_doc = arm.require_group(tx, subscription, group)
    rid = cluster_id(subscription, group, name)
    _refuse_existing(tx, rid, name)
    problem = rules.cluster_name_problem(name)
    if problem:
        raise InvalidResourceName(problem)
    locks = arm.locks_covering(tx, group_doc["id"])
    if locks:
        raise arm.scope_locked_error(group_doc["id"], locks, "write")
    props = body.get("properties") or {}
    location = shape.normalise(str(body.get("location") or group_doc["location"]))
    for check in (rules.request_problems(props), prerequisites.problems(tx, body, location)):
        if check:
            raise check[0].error()
    _check_quota(tx, subscription, location, props)
    doc = _document(tx, rid, name, location, body)
    arm.put(tx, doc)
    failure = prerequisites.storage_access_failure(tx, app.clock, body,
                                                   at=app.clock.now() + app.clock.scaled(STORAGE_ACCESS_AFTER))
    op = app.start_operation(tx, req, rid, "create", FAIL_AFTER_SECONDS if failure else CREATE_SECONDS)
    if failure and op.outcome == "Succeeded":
        op.outcome, (op.error_code, op.error_message) = "Failed", failure
        tx.put(lro.COLLECTION, op.id, op.to_doc())
    gateway = rules.gateway_of(props)
    given = (props.get("clusterDefinition") or {}).get("configurations") or {}
    tx.put(PRIVATE, name.lower(), {
        "id": rid, "ops": {"create": op.id},
        # the cluster's other configurations (core-site, spark2-defaults, ...), served by the configurations API
        "configurations": {k: v for k, v in given.items() if k.lower() != "gateway" and isinstance(v, dict)},
        "gateway": {"enabled": str(gateway.get("restAuthCredential.isEnabled", "true")).lower() == "true",
                    "username": gateway.get("restAuthCredential.username"),
                    "password": gateway.get("restAuthCredential.password")}})
    return doc


def _refuse_existing(tx: Tx, rid: str, name: str) -> None:
    record = private(tx, name)
    if record is None:
        return
    if arm.key(record["id"]) == arm.key(rid):
        raise Conflict(f"The cluster '{name}' already exists. HDInsight clusters cannot be "
                       "changed by PUT: use PATCH for tags, resize, autoscale or gateway settings, or delete "
                       "the cluster and create it again.")
    raise Conflict(f"The cluster name '{name}' is already in use. HDInsight cluster names "
                   f"are unique across all of Azure (they form the DNS name {name}.azurehdinsight.net); "
                   "choose another name.")


def _check_quota(tx: Tx, subscription: str, location: str, props: dict) -> None:
    used = cores_used(tx, subscription, location)
    wanted = rules.core_count(props)
    if used + wanted > REGIONAL_CORE_QUOTA:
        raise QuotaExceeded(f"The cluster needs {wanted} cores but the subscription has {REGIONAL_CORE_QUOTA - used} "
                            f"of its {REGIONAL_CORE_QUOTA} HDInsight cores left in '{location}'. Use smaller or "
                            "fewer nodes, delete other clusters, or request a quota increase.")



def clusters_in(tx: Tx, subscription: str, group: str | None = None) -> list[dict]:
    prefix = arm.key(arm.rg_id(subscription, group) if group else f"/subscriptions/{subscription}") + "/"
    return [d for d in tx.values(arm.COLLECTION, prefix) if d.get("type") == TYPE]


def cores_used(tx: Tx, subscription: str, location: str | None = None) -> int:
    return sum(d["properties"]["quotaInfo"]["coresUsed"] for d in clusters_in(tx, subscription)
               if location is None or d["location"] == location)


def _document(tx: Tx, rid: str, name: str, location: str, body: dict) -> dict:
    props = body.get("properties") or {}
    version = ".".join(str(props.get("clusterVersion")).split(".")[:2])
    build = rules.CURRENT_BUILD.get(version, f"{version}.3000.0")
    definition = props.get("clusterDefinition") or {}
    kind = str(definition.get("kind")).lower()
    stamp = datetime.now(UTC)
    out: dict[str, Any] = {
        "clusterVersion": build, "clusterHdpVersion": build, "osType": shape.os_type(props.get("osType")),
        "tier": shape.tier(props.get("tier")), "clusterId": uuid.uuid4().hex,
        "clusterDefinition": {
            "blueprint": f"https://blueprints.azurehdinsight.net/{kind}-{build}.{stamp:%y%m%d%H%M}.json",
            "kind": kind.upper(),
            "componentVersion": definition.get("componentVersion") or {"Spark": rules.VERSIONS[version][1]}},
        "computeProfile": {"roles": [_public_role(r) for r in (props.get("computeProfile") or {}).get("roles", [])]},
        "createdDate": stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}",
        "quotaInfo": {"coresUsed": rules.core_count(props)},
        "connectivityEndpoints": [
            {"name": "SSH", "protocol": "TCP", "location": f"{name}-ssh.azurehdinsight.net", "port": 22},
            {"name": "HTTPS", "protocol": "TCP", "location": f"{name}.azurehdinsight.net", "port": 443}],
        "storageProfile": {"storageaccounts": [
            {k: v for k, v in a.items() if k not in ("key", "saskey")}
            for a in (props.get("storageProfile") or {}).get("storageaccounts", [])]},
        "minSupportedTlsVersion": props.get("minSupportedTlsVersion") or "1.2",
    }
    # settings the emulator does not act on are kept as sent and answered (secrets left out, as GET does)
    for key in _KEPT:
        if props.get(key) is not None:
            out[key] = props[key]
    if isinstance(out.get("securityProfile"), dict):
        out["securityProfile"] = {k: v for k, v in out["securityProfile"].items() if k != "domainUserPassword"}
    return arm.envelope(rid, name, TYPE, location=location, etag=str(uuid.uuid4()), tags=body.get("tags") or {},
                        zones=body.get("zones"), identity=_identity(tx, body.get("identity")), properties=out)


_KEPT = ("kafkaRestProperties", "securityProfile", "diskEncryptionProperties", "encryptionInTransitProperties",
         "networkProperties", "computeIsolationProperties", "privateLinkConfigurations")


def _public_role(role: dict) -> dict:
    """A role as GET shows it: the OS profile keeps only the user name (no password, no keys)."""
    linux = ((role.get("osProfile") or {}).get("linuxOperatingSystemProfile") or {})
    out = {k: v for k, v in role.items() if k not in ("osProfile",) and v is not None}
    out["osProfile"] = {"linuxOperatingSystemProfile": {"username": linux.get("username")}}
    return out


def _identity(tx: Tx, identity: dict | None) -> dict | None:
    if not identity:
        return None
    return {"type": identity.get("type"), "userAssignedIdentities": {
        rid: prerequisites.identity_summary(tx, rid) for rid in (identity.get("userAssignedIdentities") or {})}}


def delete(app, tx: Tx, req, subscription: str, group: str, name: str) -> lro.Operation:
    doc = require(tx, subscription, group, name)
    locks = arm.locks_covering(tx, doc["id"])
    if locks:
        raise arm.scope_locked_error(doc["id"], locks)
    # Azure removes the cluster while the operation runs; the emulator removes it at once (the name frees up
    # immediately) and lets the operation report progress. A delete that is made to fail keeps the cluster.
    op = app.start_operation(tx, req, doc["id"], "delete", DELETE_SECONDS)
    if op.outcome == "Succeeded":
        arm.delete(tx, doc["id"])
    return op


def drop_private(tx: Tx, doc: dict) -> None:
    """arm.on_delete hook: forget the credential and operations of a deleted cluster."""
    tx.delete(PRIVATE, str(doc["name"]).lower())


def require_idle(tx: Tx, clock: Clock, doc: dict) -> dict:
    provisioning, cluster_state, _ = states(tx, clock, doc["name"])
    if cluster_state != "Running" or provisioning != "Succeeded":
        raise Conflict(f"The cluster '{doc['name']}' cannot accept this operation while it is "
                       f"{cluster_state} (provisioningState {provisioning}). Wait for the running operation "
                       "to finish, or delete and re-create a failed cluster.")
    return private(tx, doc["name"]) or {}


def start(app, tx: Tx, req, doc: dict, record: dict, kind: str, seconds: float) -> lro.Operation:
    op = app.start_operation(tx, req, doc["id"], kind, seconds)
    record.setdefault("ops", {})[kind] = op.id
    tx.put(PRIVATE, doc["name"].lower(), record)
    arm.put(tx, doc)
    return op


def _worker(doc: dict, role_name: str) -> dict:
    if role_name.lower() != "workernode":
        raise BadRequest(f"Role '{role_name}' cannot be resized or autoscaled; only the "
                         "workernode role can.")
    return next(r for r in doc["properties"]["computeProfile"]["roles"] if r["name"].lower() == "workernode")


def resize(app, tx: Tx, req, subscription: str, group: str, name: str, role_name: str,
           body: dict) -> lro.Operation:
    doc = require(tx, subscription, group, name)
    record = require_idle(tx, app.clock, doc)
    role = _worker(doc, role_name)
    count = body.get("targetInstanceCount")
    if not isinstance(count, int) or count < 1:
        raise rules.invalid_document(f"targetInstanceCount {count} is invalid: the workernode role needs at "
                                     "least 1 instance.").error()
    role["targetInstanceCount"] = count
    doc["properties"]["quotaInfo"]["coresUsed"] = rules.core_count(doc["properties"])
    return start(app, tx, req, doc, record, "resize", RESIZE_SECONDS)


def update_autoscale(app, tx: Tx, req, subscription: str, group: str, name: str, role_name: str,
                     body: dict) -> lro.Operation:
    doc = require(tx, subscription, group, name)
    record = require_idle(tx, app.clock, doc)
    role = _worker(doc, role_name)
    autoscale = body.get("autoscale")
    problems = rules.autoscale_problems("workernode", autoscale)
    if problems:
        raise problems[0].error()
    if autoscale:
        role["autoscale"] = autoscale
    else:
        role.pop("autoscale", None)
    return start(app, tx, req, doc, record, "autoscale", AUTOSCALE_SECONDS)


def gateway_settings(tx: Tx, clock: Clock, subscription: str, group: str, name: str) -> dict:
    require(tx, subscription, group, name)
    _apply_pending_gateway(tx, clock, name)
    gateway = (private(tx, name) or {}).get("gateway") or {}
    return {"restAuthCredential.isEnabled": "true" if gateway.get("enabled", True) else "false",
            "restAuthCredential.username": gateway.get("username"),
            "restAuthCredential.password": gateway.get("password")}


def update_gateway(app, tx: Tx, req, subscription: str, group: str, name: str, body: dict) -> lro.Operation:
    doc = require(tx, subscription, group, name)
    record = require_idle(tx, app.clock, doc)
    user = body.get("restAuthCredential.username")
    ssh_user = rules.ssh_profile(doc["properties"]).get("username")
    problems = rules.login_problems(user, body.get("restAuthCredential.password"), ssh_user)
    if problems:
        raise problems[0].error()
    op = start(app, tx, req, doc, record, "gateway", GATEWAY_SECONDS)
    # the new credential takes effect when the operation succeeds (an injected failure keeps the old one)
    record["pending_gateway"] = {"op": op.id, "enabled": bool(body.get("restAuthCredential.isEnabled", True)),
                                 "username": user, "password": body.get("restAuthCredential.password")}
    tx.put(PRIVATE, name.lower(), record)
    return op


def _apply_pending_gateway(tx: Tx, clock: Clock, name: str) -> None:
    record = private(tx, name)
    pending = record.get("pending_gateway") if record else None
    if record is None or not pending:
        return
    doc = tx.get(lro.COLLECTION, pending["op"])
    op = lro.Operation(**doc) if doc else None
    if op and not op.done(clock):
        return
    if op and op.outcome == "Succeeded":
        record["gateway"] = {k: pending[k] for k in ("enabled", "username", "password")}
    record.pop("pending_gateway")
    tx.put(PRIVATE, name.lower(), record)


def patch_tags(tx: Tx, subscription: str, group: str, name: str, body: dict) -> dict:
    doc = require(tx, subscription, group, name)
    if "tags" in body:
        doc["tags"] = body.get("tags") or {}
    arm.put(tx, doc)
    return doc


def cluster_gateway(tx: Tx, clock: Clock, name: str) -> ClusterGateway | None:
    """The gateway credential, state and default storage of the cluster called `name` (any subscription).

    For the emulated cluster endpoints (Livy behind https://<name>.azurehdinsight.net/livy/...): check basic
    auth with `check_basic_auth` and require `running`. None when no such cluster exists.
    """
    _apply_pending_gateway(tx, clock, name)
    record = private(tx, name)
    if record is None:
        return None
    doc = arm.get(tx, record["id"])
    if doc is None:
        return None
    provisioning, cluster_state, _ = states(tx, clock, name)
    storage: dict[str, Any] = next((a for a in doc["properties"]["storageProfile"]["storageaccounts"] if a.get("isDefault")), {})
    identity = prerequisites.identity_doc(tx, storage.get("msiResourceId") or "") or {}
    gateway = record.get("gateway") or {}
    return ClusterGateway(doc["name"], doc["id"], str(gateway.get("username") or ""),
                          str(gateway.get("password") or ""), cluster_state, provisioning,
                          storage.get("resourceId") or "", storage.get("fileSystem") or "",
                          (identity.get("properties") or {}).get("principalId") or "")
