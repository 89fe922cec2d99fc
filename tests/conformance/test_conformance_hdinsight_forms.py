"""HDInsight answers values in its own form, as every official 2021-06-01 create example shows: role VM sizes
in lower case, the region by display name, `tier` and `osType` in the enum's case."""

from __future__ import annotations

import pytest

from conformance.test_conformance_hdinsight import CLUSTERS, replay_create, valid_today

CREATE_EXAMPLES = ["Create Hadoop cluster with Azure Data Lake Storage Gen 2",
                   "Create Spark on Linux Cluster with SSH password",
                   "Create Kafka cluster with Kafka Rest Proxy"]


@pytest.mark.parametrize("name", CREATE_EXAMPLES)
def test_the_examples_answer_sizes_in_lower_case_and_regions_by_display_name(name):
    """The facts the emulator follows, checked on the examples themselves."""
    body = CLUSTERS.example("Clusters_Create", name)["responses"]["200"]["body"]
    sizes = [r["hardwareProfile"]["vmSize"] for r in body["properties"]["computeProfile"]["roles"]]
    assert sizes and all(s == s.lower() and s.startswith("standard_") for s in sizes)
    assert " " in body["location"] and body["location"] != body["location"].lower()
    assert (body["properties"]["tier"], body["properties"]["osType"]) == ("Standard", "Linux")
    assert not any("minInstanceCount" in r for r in body["properties"]["computeProfile"]["roles"])


def _roles(body: dict) -> dict[str, str]:
    return {r["name"]: r["hardwareProfile"]["vmSize"] for r in body["properties"]["computeProfile"]["roles"]}


def test_create_get_and_list_answer_as_the_example_does(clients):
    example, record, poller = replay_create(clients)
    poller.result()
    expected = example["responses"]["200"]["body"]
    sent = {"headnode": "Standard_D3_V2", "workernode": "Standard_D3_V2", "zookeepernode": "Standard_A2_v2"}
    group, name = example["parameters"]["resourceGroupName"], example["parameters"]["clusterName"]
    requested = example["parameters"]["parameters"]["properties"]["computeProfile"]["roles"]
    assert all(r["minInstanceCount"] == 1 for r in requested)  # sent, never answered
    answers = {"create": record.first.json(), "final": record.responses[-1].json()}
    answers["get"] = clients.hdinsight.clusters.get(group, name).serialize(keep_readonly=True)
    answers["list"] = next(iter(clients.hdinsight.clusters.list_by_resource_group(group))).serialize(
        keep_readonly=True)
    for step, body in answers.items():
        assert _roles(body) == {role: size.lower() for role, size in sent.items()}, step
        assert body["location"] == expected["location"] == "East US", step  # the group is in eastus
        assert (body["properties"]["tier"], body["properties"]["osType"]) == ("Standard", "Linux"), step
        assert not any("minInstanceCount" in r for r in body["properties"]["computeProfile"]["roles"]), step


def test_enum_values_come_back_in_the_enums_case(clients):
    example, _, poller = replay_create(clients)
    poller.result()
    p = example["parameters"]
    account = clients.storage.storage_accounts.get_properties(p["resourceGroupName"], "mystorage")
    identity = clients.msi.user_assigned_identities.get(p["resourceGroupName"], "idconformance")
    body = valid_today(p["parameters"], account.id, identity.id)
    body["properties"].update(tier="standard", osType="linux")
    body["location"] = "EastUS"
    created = clients.hdinsight.clusters.begin_create(p["resourceGroupName"], "cluster2", body).result()
    assert (created.properties.tier, created.properties.os_type, created.location) == ("Standard", "Linux",
                                                                                        "East US")
