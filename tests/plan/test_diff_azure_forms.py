"""Values Azure writes back in its own form are no change; a real difference behind the form still is.

Each case pairs what the file says with what Azure answers for it (the official HDInsight create examples
answer `standard_d12_v2` for `Standard_D12_V2` and "East US" for `eastus`; ARM ids and enum values come
back in any case; HDInsight answers the build `5.1.3000.0` for `5.1`).
"""

from __future__ import annotations

import pytest

from azlake.azure.observed import Observed, flat_tags, owner_from_tags, ownership_tags
from azlake.azure.resource_groups import merged_tags
from azlake.plan.diff import diff, same
from azlake.plan.resources import Resource

ENV = "ventas"
IDENTITY = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-bda-ventas/providers/"
            "Microsoft.ManagedIdentity/userAssignedIdentities/id-bda-ventas")
CLUSTER = {"location": "brazilsouth", "kind": "spark", "version": "5.1", "spark": "3.3",
           "storage.account": "stbdaplatformdatalake", "storage.filesystem": "dfs-ventas", "identity": IDENTITY,
           "nodes.head.size": "Standard_E4_v3", "nodes.head.count": 2, "nodes.zookeeper.size": "Standard_A2_v2",
           "nodes.zookeeper.count": 3, "nodes.worker.size": "Standard_E4_v3", "nodes.worker.count": 3,
           "autoscale": None, **flat_tags(ownership_tags(ENV, "ephemeral"))}
# The same cluster as HDInsight answers it.
CLUSTER_AS_AZURE_ANSWERS = {**CLUSTER, "location": "Brazil South", "kind": "SPARK", "version": "5.1.3000.0",
                            "identity": IDENTITY.replace("resourceGroups/rg-bda-ventas", "resourcegroups/RG-BDA-VENTAS"),
                            "nodes.head.size": "standard_e4_v3", "nodes.zookeeper.size": "standard_a2_v2",
                            "nodes.worker.size": "standard_e4_v3"}
STORAGE = {"location": "brazilsouth", "performance": "standard", "redundancy": "GRS",
           "hierarchical_namespace": True, "minimum_tls_version": "TLS1_2", **flat_tags({"owner": "data-platform"})}


def res(kind: str, props: dict, lifecycle: str = "persistent") -> Resource:
    return Resource(kind, kind, "T", "n", "/id", lifecycle, dict(props))


def seen(props: dict) -> Observed:
    return Observed(True, dict(props), owner=ENV, state="Succeeded")


def test_a_cluster_as_hdinsight_answers_it_is_no_change():
    action = diff(res("cluster", CLUSTER, "ephemeral"), seen(CLUSTER_AS_AZURE_ANSWERS), ENV)
    assert (action.verb, action.changes, action.reason) == ("noop", [], "matches the file")


@pytest.mark.parametrize("key, want, answered", [
    ("nodes.worker.size", "Standard_E4_v3", "standard_e4_v3"),
    ("nodes.head.size", "Standard_D12_V2", "standard_d12_v2"),
    ("nodes.zookeeper.size", "Standard_A2_v2", "STANDARD_A2_V2"),
    ("location", "westeurope", "West Europe"),
    ("location", "eastus2", "East US 2"),
    ("kind", "spark", "SPARK"),
    ("version", "5.1", "5.1.3000.0"),
    ("sku", "standard", "Standard"),
    ("performance", "standard", "Standard"),
    ("redundancy", "GRS", "grs"),
    ("minimum_tls_version", "TLS1_2", "tls1_2"),
    ("level", "CanNotDelete", "cannotdelete"),
    ("storage.account", "stbdaplatformdatalake", "StBdaPlatformDatalake"),
    ("identity", IDENTITY, IDENTITY.lower()),
    ("scope", IDENTITY, IDENTITY.upper().replace("/SUBSCRIPTIONS/", "/subscriptions/")),
])
def test_azure_forms_are_the_same_value(key, want, answered):
    assert same(key, want, answered)


@pytest.mark.parametrize("key, want, answered", [
    ("nodes.worker.size", "Standard_E4_v3", "standard_e8_v3"),   # another size, whatever the case
    ("location", "westeurope", "North Europe"),
    ("version", "5.1", "5.0.3000.0"),
    ("identity", IDENTITY, IDENTITY.replace("id-bda-ventas", "id-bda-marketing")),
    ("storage.filesystem", "dfs-ventas", "DFS-VENTAS"),           # container names are lower case only
    ("tags.owner", "data-platform", "Data-Platform"),             # tag values keep their case in ARM
    ("metadata.azlake_environment", "ventas", "Ventas"),
])
def test_real_differences_stay_differences(key, want, answered):
    assert not same(key, want, answered)


def test_a_real_size_change_still_replaces_the_cluster():
    answered = {**CLUSTER_AS_AZURE_ANSWERS, "nodes.worker.size": "standard_e2_v3"}
    action = diff(res("cluster", CLUSTER, "ephemeral"), seen(answered), ENV)
    assert action.verb == "replace" and [c.path for c in action.changes] == ["nodes.worker.size"]
    assert action.changes[0].before == "standard_e2_v3"  # the plan shows what Azure answered


def test_a_region_in_display_form_is_not_a_refused_move():
    action = diff(res("storage", STORAGE), seen({**STORAGE, "location": "Brazil South"}), ENV)
    assert action.verb == "noop" and not action.refused
    moved = diff(res("storage", STORAGE), seen({**STORAGE, "location": "West Europe"}), ENV)
    assert moved.refused and "another region" in moved.refused


def test_tag_names_match_in_any_case_but_values_do_not():
    answered = {k.replace("tags.owner", "tags.Owner"): v for k, v in STORAGE.items()}
    assert diff(res("storage", STORAGE), seen(answered), ENV).verb == "noop"
    changed = diff(res("storage", STORAGE), seen({**STORAGE, "tags.owner": "Data-Platform"}), ENV)
    assert [c.path for c in changed.changes] == ["tags.owner"]


def test_tags_written_back_keep_one_spelling_per_name():
    answered = seen({**STORAGE, "tags.Owner": "someone", "tags.policy": "kept"})
    del answered.properties["tags.owner"]
    written = merged_tags(res("storage", STORAGE), answered)
    assert written == {"owner": "data-platform", "policy": "kept"}


def test_ownership_tags_are_found_whatever_the_case_of_their_names():
    assert owner_from_tags({"Managed-By": "azlake", "AZLAKE-ENVIRONMENT": "ventas"}) == "ventas"
    assert owner_from_tags({"managed-by": "AzLake", "azlake-environment": "ventas"}) is None  # values keep case
