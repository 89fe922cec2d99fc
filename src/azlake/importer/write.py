"""The environment file import writes: explicit where Azure's names differ from derived ones, commented."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from azlake.catalog import vm_size
from azlake.envfile.naming import derived_names
from azlake.importer.found import Found, Lake, Listing
from azlake.importer.guess import guess

_MARKS = {"azlake-environment", "azlake-lifecycle", "managed-by"}


def _yaml() -> Any:
    from ruamel.yaml import YAML
    y = YAML()
    y.width = 120
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _flow(items: dict[str, Any] | list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    node = CommentedMap(items) if isinstance(items, dict) else CommentedSeq(items)
    node.fa.set_flow_style()
    return node


def _map() -> Any:
    from ruamel.yaml.comments import CommentedMap
    return CommentedMap()


def password_variable(name: str) -> str:
    """BDA000_CLUSTER_PASSWORD for environment bda000: one variable per environment of a folder."""
    stem = re.sub(r"[^A-Z0-9]", "_", name.upper())
    return f"{stem if stem[0].isalpha() else 'AZLAKE_' + stem}_CLUSTER_PASSWORD"


_UNWRITABLE = re.compile(r"[<>%&\\?/]")  # tag names the file refuses (the storage account's rule)


def common_tags(found: Found) -> dict[str, str]:
    """Tags every imported resource carries (azlake's own left out): the file's `tags`. A tag the file
    cannot hold (Azure's `hidden-link:/...`) stays on the resources: adoption keeps the tags Azure has."""
    tag_sets = found.all_tags()
    first = {k: v for k, v in tag_sets[0].items()
             if k.lower() not in _MARKS and not k.lower().startswith("azlake-")}
    common = {k: v for k, v in first.items() if all(t.get(k) == v for t in tag_sets[1:])}
    return {k: v for k, v in common.items() if not _UNWRITABLE.search(k) and len(k) <= 128 and len(v) <= 256}


def environment_document(found: Found, lake_env: str | None = None, name: str | None = None) -> tuple[Any, dict[str, Any]]:
    """The file as a ruamel document, and the guesses (company, department, name) it made."""
    tags = common_tags(found)
    g = guess(found.group, found.all_tags())
    if name:
        g["name"], g["how"]["name"] = name, "given with --name"
    derived = derived_names(g["company"], g["department"], g["name"])
    doc = _map()
    doc["name"] = g["name"]
    doc["company"] = g["company"]
    doc["department"] = g["department"]
    for key in ("name", "company", "department"):
        doc.yaml_add_eol_comment(f"guessed ({g['how'][key]}): check it", key)
    doc["subscription"] = found.subscription
    doc["location"] = found.location
    if tags:
        doc["tags"] = _flow(tags)
        doc.yaml_add_eol_comment("carried by every imported resource", "tags")
    doc["resource_group"] = _flow({"name": found.group})
    if found.identity:
        doc["identity"] = _flow({"name": found.identity})
    _lake_section(doc, found, derived, lake_env)
    _cluster_section(doc, found, derived, g["name"])
    _streaming_section(doc, found, derived)
    _header(doc, found)
    return doc, g


def _header(doc: Any, found: Found) -> None:
    lines = [f"Imported by `azlake import` from resource group {found.group} (subscription {found.subscription}) "
             f"on {date.today().isoformat()}.",
             "Nothing in Azure was changed. Check the guesses, then: azlake validate, azlake plan (adoption only),",
             "azlake apply --adopt (adds azlake's tags; without --adopt everything is used as it is)."]
    if found.left_alone:
        lines += ["", "Not expressed in this file (azlake leaves it as it is):"]
        lines += [f"  - {what}" for what in found.left_alone]
    if found.notes:
        lines += ["", "Notes:"] + [f"  - {n}" for n in found.notes]
    doc.yaml_set_start_comment("\n".join(lines))


def _directories(lake: Lake, section: Any) -> None:
    dirs = {fs: listing.paths for fs, listing in lake.filesystems.items() if listing.paths}
    if dirs:
        section["directories"] = _map()
        for fs, paths in dirs.items():
            section["directories"][fs] = _flow(paths)
    unlisted: dict[str, list[str]] = {}  # one comment per reason, naming its zones
    for fs, listing in lake.filesystems.items():
        note = _listing_note(listing)
        if note and "directories" in section and fs in section["directories"]:
            section["directories"].yaml_add_eol_comment(note, fs)
        elif note:
            unlisted.setdefault(note, []).append(fs)
    if unlisted:
        section.yaml_add_eol_comment("; ".join(f"{', '.join(zones)}: {note}" for note, zones in unlisted.items()),
                                     "zones")


def _listing_note(listing: Listing) -> str | None:
    return listing.error or (f"listing {listing.truncated}" if listing.truncated else None)


def _lake_section(doc: Any, found: Found, derived: dict[str, str], lake_env: str | None) -> None:
    if found.central_lake is not None:
        doc["data_lake"] = _flow({"use": lake_env or "datalake", "deployer_access": False})
        comment = (f"the central lake {found.central_lake.name} (group {found.central_lake.group})")
        if not lake_env:
            comment += ": import its group into this folder (azlake import --resource-group " \
                       f"{found.central_lake.group}) and name that file's environment here"
        doc.yaml_add_eol_comment(comment, "data_lake")
        return
    lake = found.lake
    if lake is None:
        return
    s = _map()
    if lake.name != derived["storage_account"]:
        s["account"] = lake.name
    s["performance"] = lake.performance
    s["redundancy"] = lake.redundancy
    s["hierarchical_namespace"] = lake.hns
    s["zones"] = _flow(list(lake.filesystems))
    _directories(lake, s)
    s["protection"] = _flow({"soft_delete_days": lake.soft_delete_days, "lock": lake.lock})
    s["deployer_access"] = lake.deployer_access
    if not lake.deployer_access:
        s.yaml_add_eol_comment("true gives you Storage Blob Data Contributor (the plan then adds it)",
                               "deployer_access")
    doc["data_lake"] = s


def _cluster_section(doc: Any, found: Found, derived: dict[str, str], name: str) -> None:
    c = found.cluster
    if c is None:
        return
    s = _map()
    if c.name != derived["cluster"]:
        s["name"] = c.name
    s["version"] = ".".join(c.version.split(".")[:2])
    s["lifecycle"] = "ephemeral"
    s.yaml_add_eol_comment(f"azlake destroy deletes it and its filesystem {c.filesystem} (the lake stays); "
                           "write persistent to keep them", "lifecycle")
    storage: dict[str, Any] = {"filesystem": c.filesystem}
    if c.layout.paths:
        storage["layout"] = c.layout.paths
    s["storage"] = _flow(storage)
    note = _listing_note(c.layout)
    if note:
        s.yaml_add_eol_comment(f"layout: {note}", "storage")
    s["login"] = _flow({"username": c.login_user or "admin", "password": f"${{{password_variable(name)}}}"})
    s.yaml_add_eol_comment("set the variable to the cluster's current password, or the plan changes it",
                           "login")
    s["ssh"] = _flow({"username": c.ssh_user or "sshuser", "password": "same-as-login"})
    s.yaml_add_eol_comment("Azure does not say whether SSH uses a password or a key (then write public_key)",
                           "ssh")
    nodes = _map()
    for role in ("head", "zookeeper", "worker"):
        size, count = c.nodes.get(role, ("", 0))
        nodes[role] = _flow({"size": _size(size), "count": count})
    s["nodes"] = nodes
    if c.autoscale:
        s["autoscale"] = _flow({"min": c.autoscale[0], "max": c.autoscale[1]})
    doc["cluster"] = s


def _size(size: str) -> str:
    """Azure answers sizes in its own case (standard_e2_v3): the catalog's spelling reads as people write it."""
    known = vm_size(size)
    return known.name if known else size


def _streaming_section(doc: Any, found: Found, derived: dict[str, str]) -> None:
    st = found.streaming
    if st is None:
        return
    s = _map()
    if st.name != derived["namespace"]:
        s["namespace"] = st.name
    s["sku"] = st.sku
    s["capacity"] = st.capacity
    if st.hubs:
        hubs = _map()
        for hub, h in st.hubs.items():
            spec: dict[str, Any] = {"partitions": h.partitions, "retention_hours": h.retention_hours}
            if h.consumer_groups:
                spec["consumer_groups"] = h.consumer_groups
            hubs[hub] = _flow(spec)
        s["hubs"] = hubs
    doc["streaming"] = s


def render(doc: Any) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()
