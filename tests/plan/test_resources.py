"""Desired resources from the repository's environment files: addresses, ids, dependencies, lifecycles."""

from __future__ import annotations

from pathlib import Path

import pytest
from passwords import generated_password

from azlake.envfile.load import load_environment
from azlake.errors import AzlakeError
from azlake.plan.resources import desired_resources

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"
SUB = "00000000-0000-0000-0000-000000000000"
PASSWORD = generated_password()  # generated per run, never a literal
ENV = {"CLUSTER_PASSWORD": PASSWORD, "VENTAS_CLUSTER_PASSWORD": PASSWORD}


def by_address(name: str, env: dict | None = None, sub: str = SUB) -> dict:
    loaded = load_environment(ENVIRONMENTS / f"{name}.yaml", env={**ENV, **(env or {})})
    return {r.address: r for r in desired_resources(loaded, sub)}


def test_practice_addresses_follow_the_product_contract():
    res = by_address("practice")
    assert {"resource_group", "identity", "identity.role[Storage Blob Data Owner]", "data_lake.account",
            "data_lake.zone[landingtmp]", "data_lake.dir[smart/reporte]", "cluster", "cluster.filesystem",
            "cluster.dir[objects/outputs]"} <= set(res)
    assert res["cluster"].depends_on == ["identity.role[Storage Blob Data Owner]", "cluster.filesystem"]
    assert res["cluster"].id == (f"/subscriptions/{SUB}/resourceGroups/grbigdatauserbda000/providers/"
                                 "Microsoft.HDInsight/clusters/clusterbigdata001")
    assert {r.lifecycle for a, r in res.items() if a.startswith("cluster")} == {"ephemeral"}
    assert {r.lifecycle for a, r in res.items() if not a.startswith("cluster")} == {"persistent"}
    assert res["data_lake.lock"].context["scope"] == res["data_lake.account"].id  # never the resource group
    assert res["identity.role[Storage Blob Data Owner]"].id is None  # named after the identity's principal


def test_no_secret_in_desired_properties():
    res = by_address("practice")
    assert all(PASSWORD not in repr(r.properties) + repr(r.context) for r in res.values())
    assert res["cluster"].secrets["login.password"].get_secret_value() == PASSWORD


def test_department_uses_the_central_lake_read_only():
    res = by_address("ventas")
    assert res["data_lake.account"].managed is False and res["data_lake.account"].name == "stbdaplatformdatalake"
    assert res["cluster.filesystem"].name == "dfs-ventas"
    assert not any(a.startswith("data_lake.zone") for a in res)


def test_central_lake_in_another_subscription_is_refused_on_azure():
    subs = {"DATALAKE_SUBSCRIPTION_ID": "11111111-1111-1111-1111-111111111111",
            "VENTAS_SUBSCRIPTION_ID": "22222222-2222-2222-2222-222222222222"}
    with pytest.raises(AzlakeError, match="same subscription"):
        by_address("ventas", subs, sub=subs["VENTAS_SUBSCRIPTION_ID"])
    assert by_address("ventas", subs)["cluster"].id.startswith(f"/subscriptions/{SUB}/")  # the local cloud
