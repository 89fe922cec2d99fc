"""HDInsight per-location operations: capabilities with quota, usages, billing specs, name checks, validation."""

from __future__ import annotations

from azlake.emulator.core.clock import Clock
from azlake.emulator.core.store import Tx
from azlake.emulator.hdinsight import models, prerequisites, rules
from azlake.emulator.hdinsight.shape import REGIONS, normalise

FEATURES = ["CLUSTER_RESIZE", "DATALAKE", "ENABLEDATALAKE", "IAAS_ARM_PROVISIONING", "AUTOSCALE"]


def capabilities(tx: Tx, subscription: str, location: str) -> dict:
    available = [{"friendlyName": version, "displayName": f"HDInsight version {rules.CURRENT_BUILD[version]}",
                  "isDefault": True, "componentVersions": {"Spark": spark, **rules.COMPONENTS.get(version, {})}}
                 for version, (status, spark) in rules.VERSIONS.items() if status == "supported"]
    regional = []
    for r in REGIONS:
        region_used = models.cores_used(tx, subscription, normalise(r))
        regional.append({"regionName": r, "coresUsed": region_used, "coresAvailable": models.REGIONAL_CORE_QUOTA,
                         "region_name": r, "cores_used": region_used, "cores_available": models.REGIONAL_CORE_QUOTA})
    used, most = models.cores_used(tx, subscription), models.REGIONAL_CORE_QUOTA * len(REGIONS)
    sizes = sorted(s.upper() for s in rules.VM_CORES)
    return {
        # keyed by deployment model like the official example ("paas" and "iaas")
        "versions": {"paas": {"available": available}, "iaas": {"available": available}},
        "regions": {"paas": {"available": [r.upper() for r in REGIONS]},
                    "iaas": {"available": [r.upper() for r in REGIONS]}},
        "vmsizes": {model: {"available": sizes} for model in ("paas", "iaas")},
        "vmsize_filters": [],
        "features": FEATURES,
        "quota": {"coresUsed": used, "maxCoresAllowed": most, "regionalQuotas": regional,
                  # Azure's answer also spells these in snake case (its official example shows both forms used)
                  "cores_used": used, "max_cores_allowed": most},
    }


def usages(tx: Tx, subscription: str, location: str) -> dict:
    return {"value": [{"unit": "Count", "currentValue": models.cores_used(tx, subscription, normalise(location)),
                       "limit": models.REGIONAL_CORE_QUOTA,
                       "name": {"value": "cores", "localizedValue": "Cores"}}]}


def billing_specs(location: str) -> dict:
    """The VM sizes HDInsight offers in the location, with their cores, and which node types may not use them.

    vmSizeFilters follow the API's model (VmSizeCompatibilityFilterV2: a filter mode, node types and sizes;
    later filters override earlier ones). Prices are not emulated here (billingResources lists no meters).
    """
    if normalise(location) not in {normalise(r) for r in REGIONS}:
        return {"vmSizes": [], "vmSizesWithEncryptionAtHost": [], "vmSizeFilters": [], "vmSizeProperties": [],
                "billingResources": []}
    sizes = sorted(rules.VM_CORES)
    not_zookeeper = [_display(s) for s in sizes if s not in rules.ZOOKEEPER_SIZES]
    return {"vmSizes": [_display(s) for s in sizes], "vmSizesWithEncryptionAtHost": [],
            "vmSizeFilters": [{"filterMode": "Exclude", "regions": None, "clusterFlavors": None,
                               "nodeTypes": ["ZookeeperNode"], "clusterVersions": None, "osType": None,
                               "vmSizes": not_zookeeper}],
            "vmSizeProperties": [{"name": _display(s), "cores": rules.VM_CORES[s], "label": _display(s),
                                  "supportedByVirtualMachines": True, "supportedByWebWorkerRoles": False}
                                 for s in sizes],
            "billingResources": [{"region": location, "billingMeters": [], "diskBillingMeters": []}]}


def _display(size: str) -> str:
    """standard_e2a_v4 -> Standard_E2a_v4"""
    _, family, generation = size.split("_")
    return f"Standard_{family[0].upper()}{family[1:]}_{generation}"


def check_name(tx: Tx, body: dict) -> dict:
    name = str(body.get("name") or "")
    problem = rules.cluster_name_problem(name)
    if problem:
        return {"nameAvailable": False, "reason": "Invalid", "message": problem}
    if models.private(tx, name) is not None:
        return {"nameAvailable": False, "reason": "AlreadyExists",
                "message": f"The cluster name '{name}' is already in use (names are unique across Azure)."}
    return {"nameAvailable": True}


def validate(tx: Tx, clock: Clock, subscription: str, location: str, body: dict) -> dict:
    """validationErrors for every rule the create would refuse; warnings for what would fail later."""
    props = body.get("properties") or {}
    where = normalise(str(body.get("location") or location))
    errors = []
    name = str(body.get("name") or "")
    name_problem = rules.cluster_name_problem(name) if name else None
    if name_problem:
        errors.append(rules.Problem("InvalidResourceName", name_problem).info())
    elif name and models.private(tx, name) is not None:
        errors.append(rules.Problem("Conflict", f"The cluster name '{name}' is already in use.").info())
    errors += [p.info() for p in rules.request_problems(props) + prerequisites.problems(tx, body, where)]
    used, wanted = models.cores_used(tx, subscription, where), rules.core_count(props)
    if used + wanted > models.REGIONAL_CORE_QUOTA:
        errors.append(rules.Problem("QuotaExceeded", f"The cluster needs {wanted} cores; {models.REGIONAL_CORE_QUOTA - used} "
                                    f"are left in '{where}'.").info())
    warnings = []
    workers = rules.roles_by_name(props).get("workernode", {}).get("targetInstanceCount")
    if isinstance(workers, int) and workers < 3:
        warnings.append(rules.Problem("WorkerNodeCountLow", f"{workers} worker node(s): fewer than 3 can leave HDFS "
                                      "in safe mode.").info())
    if not errors and prerequisites.storage_access_failure(tx, clock, body,
                                                           at=clock.now() + clock.scaled(models.STORAGE_ACCESS_AFTER)):
        warnings.append(rules.Problem(
            "StorageAccessNotEffective", "The managed identity does not (yet) hold an effective Storage Blob Data "
            "Owner role on the storage account; the cluster creation would fail. Assign the role and wait for it "
            "to propagate.").info())
    return {"validationErrors": errors, "validationWarnings": warnings, "estimatedCreationDuration": "PT20M",
            "aaddsResourcesDetails": []}

