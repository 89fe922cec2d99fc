"""Azure's rules and the lecture's policy advice, checked offline on a validated Environment.

Errors are what Azure itself would reject (documented limits); warnings are advice or facts azlake could not
confirm (AZURE-FACTS.md marks them unconfirmed): a warning never blocks a plan.
"""

from __future__ import annotations

import re
from pathlib import Path

from azlake import catalog
from azlake.envfile.diagnostics import Collector, KeyPath, did_you_mean
from azlake.envfile.jobs_rules import check_jobs
from azlake.envfile.models import Cluster, Environment
from azlake.envfile.rule_context import Context
from azlake.envfile.secrets_rules import check_credentials
from azlake.envfile.streaming_rules import check_streaming

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
RESERVED_TAGS = ("azlake-environment", "azlake-lifecycle", "managed-by")
_SIZE_NAME = re.compile(r"Standard_[A-Za-z0-9_]+")


def check_environment(spec: Environment, lake: Environment | None, path: Path, unresolved: dict[KeyPath, str],
                      out: Collector) -> None:
    """Add a diagnostic for every rule the environment breaks (`lake`: the central lake's environment)."""
    ctx = Context(spec, lake, path, unresolved, out)
    for rule in (_top_level, _tags, _data_lake, _lake_policy, _cluster, _nodes, _central_lake,
                 _streaming, _jobs):
        rule(ctx)
    cluster = spec.cluster
    if cluster is not None:
        from azlake.envfile.vault_refs import VaultSecret

        def known(key: KeyPath) -> bool:  # a password in a vault is judged where it is made or stored
            value = cluster.login.password if key[1] == "login" else cluster.ssh.password
            return ctx.set(key) and not isinstance(value, VaultSecret)
        check_credentials(cluster, known, out)
        _generated_needs_vault(ctx, cluster)


def _generated_needs_vault(ctx: Context, cluster: Cluster) -> None:
    from azlake.envfile.vault_refs import VaultSecret
    password = cluster.login.password
    if ctx.spec.key_vault is None and isinstance(password, VaultSecret) and password.generated:
        ctx.out.error(("cluster", "login", "password"), "password: generate keeps the password in the "
                      "environment's key vault, and this file has no key_vault section",
                      "add `key_vault: {}` (its name is derived: kv-<company>-<department>) or give a name")


def _top_level(ctx: Context) -> None:
    spec, out = ctx.spec, ctx.out
    if ctx.set(("subscription",)) and not _GUID.fullmatch(spec.subscription):
        out.error(("subscription",), f"{spec.subscription!r} is not a subscription id",
                  "a GUID like 00000000-0000-0000-0000-000000000000; usually ${AZURE_SUBSCRIPTION_ID}")
    regions = catalog.regions()
    if ctx.set(("location",)) and spec.location not in regions:
        out.error(("location",), f"unknown Azure region {spec.location!r}{did_you_mean(spec.location, regions)}",
                  "use the ARM name: lower case, no spaces, e.g. brazilsouth, eastus2, westeurope")


def _tags(ctx: Context) -> None:
    tags, out = ctx.spec.tags, ctx.out
    if len(tags) > 50 - len(RESERVED_TAGS):
        out.error(("tags",), f"{len(tags)} tags: Azure allows 50 per resource and azlake adds "
                             f"{len(RESERVED_TAGS)}", f"keep at most {50 - len(RESERVED_TAGS)}")
    for key, value in tags.items():
        where = ("tags", key)
        if key.lower() in RESERVED_TAGS or key.lower().startswith("azlake-"):
            out.error(where, f"tag {key!r} is reserved: azlake uses it to know what it owns",
                      "remove it; azlake sets azlake-environment, azlake-lifecycle and managed-by itself")
        elif not key or len(key) > 128 or re.search(r"[<>%&\\?/]", key):
            out.error(where, f"tag name {key!r} is not valid",
                      "1-128 characters (the storage account limit), none of < > % & \\ ? /")
        if len(value) > 256:
            out.error(where, f"tag {key!r} has a value of {len(value)} characters; Azure allows 256")


def _data_lake(ctx: Context) -> None:
    lake, out = ctx.spec.data_lake, ctx.out
    if lake is None:
        if ctx.spec.cluster is not None:
            out.error(("cluster",), "a cluster needs a data lake for its primary storage",
                      "add data_lake: (your own account) or data_lake: {use: <central lake environment>}")
        return
    if lake.use is not None:
        extra = sorted(lake.model_fields_set - {"use", "deployer_access"})
        for key in extra:
            out.error(("data_lake", key), f"data_lake.{key} cannot be set together with data_lake.use",
                      f"the lake belongs to environment {lake.use!r}: change it in that file")
        return
    if lake.performance == "premium" and lake.redundancy not in ("LRS", "ZRS"):
        out.error(("data_lake", "redundancy"), f"premium storage allows only LRS or ZRS, not {lake.redundancy}",
                  "premium (BlockBlobStorage) accounts replicate within one region; use standard for GRS")
    if len(set(lake.zones)) != len(lake.zones):
        dupes = sorted({z for z in lake.zones if lake.zones.count(z) > 1})
        out.error(("data_lake", "zones"), f"zone listed twice: {', '.join(dupes)}", "each zone once")
    for zone, paths in lake.directories.items():
        if zone not in lake.zones:
            out.error(("data_lake", "directories", zone), f"{zone!r} is not a zone"
                      f"{did_you_mean(zone, lake.zones)}", f"zones: {', '.join(lake.zones) or '(none)'}")
        for index, item in enumerate(paths):
            if paths.index(item) != index:
                out.error(("data_lake", "directories", zone, index), f"directory {item!r} listed twice")
    if not lake.hierarchical_namespace:
        severity = "error" if ctx.spec.cluster is not None or ctx.spec.jobs else "warning"
        out.add(severity, ("data_lake", "hierarchical_namespace"),
                "hierarchical_namespace is off: the account is not a Data Lake Storage Gen2 lake",
                "HDInsight's ADLS Gen2 storage and directories need it; it can only be set at creation")


def _lake_policy(ctx: Context) -> None:
    lake, out = ctx.spec.data_lake, ctx.out
    if lake is None or lake.use is not None:
        return
    if lake.redundancy == "LRS":
        out.warning(("data_lake", "redundancy"), "LRS keeps all copies in one datacenter: fine to practise, "
                    "not for a real lake", "the recommended minimum for a lake you keep is GRS (or GZRS)")
    if lake.protection.soft_delete_days is None:
        out.warning(("data_lake", "protection", "soft_delete_days"), "soft delete is off: a deleted file or "
                    "zone cannot be recovered", "set soft_delete_days: 7 (1-365)")
    if lake.performance == "premium" and ctx.spec.streaming is None:
        out.warning(("data_lake", "performance"), "premium storage costs more and suits real-time, "
                    "low-latency work", "batch lakes are fine on standard")
    if lake.performance == "standard" and ctx.spec.streaming is not None:
        out.warning(("data_lake", "performance"), "real-time ingestion usually wants premium storage "
                    "(low latency)", "keep standard if the stream is micro-batch and latency is not critical")
    if lake.performance == "premium" and ctx.spec.cluster is not None:
        out.warning(("data_lake", "performance"), "HDInsight primary storage on a premium account is not "
                    "confirmed", "azlake knows StorageV2 standard works; premium may be refused at creation")


def _cluster(ctx: Context) -> None:
    cluster, out = ctx.spec.cluster, ctx.out
    if cluster is None:
        return
    _version(cluster, out)
    if cluster.max_age is not None and cluster.lifecycle == "persistent":
        out.warning(("cluster", "max_age"), "max_age is ignored for a persistent cluster",
                    "azlake reap only destroys ephemeral clusters")
    if cluster.lifecycle == "persistent":
        out.warning(("cluster", "lifecycle"), "a persistent cluster is billed every hour it exists, idle or "
                    "not", "prefer ephemeral clusters: data stays in the lake, the cluster is recreated")
    lake = ctx.lake_spec
    if lake is not None:
        fs = cluster.storage.filesystem
        if fs in lake.zones:
            out.error(("cluster", "storage", "filesystem"), f"the cluster filesystem {fs!r} is a lake zone",
                      "destroy deletes the cluster's working filesystem: give it its own (default dfs)")
        if lake.redundancy == "RAGZRS":
            out.error(("data_lake", "redundancy"), "HDInsight cannot use RA-GZRS storage as primary storage",
                      "use GZRS, GRS or LRS for the lake the cluster uses")
    if cluster.autoscale is not None:
        auto, workers = cluster.autoscale, cluster.nodes.worker.count
        if auto.min > auto.max:
            out.error(("cluster", "autoscale", "min"), f"autoscale min {auto.min} is above max {auto.max}")
        elif auto.min < 3:
            out.warning(("cluster", "autoscale", "min"), f"autoscale may scale down to {auto.min} worker(s)",
                        "HDFS can get stuck in safe mode when a cluster shrinks below 3 workers; min 3 is safer")
        if auto.min <= auto.max and not auto.min <= workers <= auto.max:
            out.warning(("cluster", "nodes", "worker", "count"), f"{workers} workers is outside autoscale "
                        f"{auto.min}-{auto.max}", "autoscale will resize the cluster into that range")


def _version(cluster: Cluster, out: Collector) -> None:
    where = ("cluster", "version")
    known = catalog.hdinsight_versions()
    version = catalog.hdinsight_version(cluster.version)
    usable = [v.version for v in known if v.status == "supported"]
    if version is None:
        out.error(where, f"unknown HDInsight version {cluster.version!r}"
                  f"{did_you_mean(cluster.version, [v.version for v in known])}", f"supported: {', '.join(usable)}")
    elif version.status == "retired":
        out.error(where, f"HDInsight {version.version} is retired: {version.note}",
                  f"use a supported version: {', '.join(usable)}")
    elif version.status == "preview" and not cluster.allow_preview:
        out.error(where, f"HDInsight {version.version} is a preview", "set allow_preview: true to use it, or "
                  f"choose a supported version: {', '.join(usable)}")


_ROLE_COUNTS = {"head": 2, "zookeeper": 3}


def _nodes(ctx: Context) -> None:
    cluster, out = ctx.spec.cluster, ctx.out
    if cluster is None:
        return
    for role in ("head", "zookeeper", "worker"):
        node, where = getattr(cluster.nodes, role), ("cluster", "nodes", role)
        if role in _ROLE_COUNTS and node.count != _ROLE_COUNTS[role]:
            out.error(where + ("count",), f"must be {_ROLE_COUNTS[role]} (HDInsight requires "
                      f"{_ROLE_COUNTS[role]} {role} nodes)", "HDInsight fixes this count; only workers scale")
        if not ctx.set(where + ("size",)) or not ctx.set(where):
            continue  # an unset ${VAR}: reported by name already
        size = catalog.vm_size(node.size)
        known = [s.name for s in catalog.vm_sizes() if role in s.roles]
        shown = f"known for {role} nodes: {', '.join(known[:8])}, ..."
        if size is None:
            named = _SIZE_NAME.fullmatch(node.size) is not None
            # An unknown size fails at creation, after the lake, identity and roles exist: refuse it now.
            out.error(where + ("size",), f"{node.size!r} is not {'an HDInsight' if named else 'an Azure'} VM size"
                      f"{did_you_mean(node.size, known)}", f"{shown} (`azlake plan` also checks what the "
                      "region offers)")
        elif role not in size.roles:
            out.error(where + ("size",), f"{size.name} is not a size HDInsight offers for {role} nodes", shown)


def _central_lake(ctx: Context) -> None:
    if ctx.lake is None:
        return
    other, out = ctx.lake, ctx.out
    if other.location != ctx.spec.location:
        severity = "error" if ctx.spec.cluster is not None else "warning"
        out.add(severity, ("data_lake", "use"), f"the central lake is in {other.location}, this environment in "
                f"{ctx.spec.location}", "HDInsight needs its storage in the cluster's region; traffic between "
                "regions is billed")
    # the loader takes a central lake only from an environment that owns its data_lake
    if other.data_lake is not None and not other.data_lake.hierarchical_namespace and ctx.spec.cluster is not None:
        out.error(("data_lake", "use"), "the central lake has no hierarchical namespace; a cluster needs it")


def _streaming(ctx: Context) -> None:
    if ctx.spec.streaming is not None:
        check_streaming(ctx.spec.streaming, ctx.out)


def _jobs(ctx: Context) -> None:
    if ctx.spec.jobs:
        check_jobs(ctx)
