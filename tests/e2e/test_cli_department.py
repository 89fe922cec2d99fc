"""A department (ventas) on the central lake through the CLI: its part comes and goes, the lake stays."""

from __future__ import annotations

from e2e_support import changed, owned_anything, plan_json

from azlake.azure import datalake

LAKE = "stbdaplatformdatalake"
CLUSTER_PART = {"cluster", "cluster.filesystem", "cluster.dir[objects/inputs]", "cluster.dir[objects/outputs]",
                "cluster.dir[objects/scripts]"}


def ok(result) -> None:
    assert result.exit_code == 0, result.output + result.error


def test_department_lifecycle(cli, lake_clients):
    ok(cli("apply", "datalake", "--auto-approve"))
    ok(cli("apply", "ventas", "--auto-approve"))
    assert cli("plan", "ventas", "--detailed-exitcode").exit_code == 0

    datalake.put(lake_clients, LAKE, "landing", "ventas/transacciones.data", b"1;2\n")
    ok(cli("destroy", "ventas", "--auto-approve"))
    assert datalake.get(lake_clients, LAKE, "landing", "ventas/transacciones.data") == b"1;2\n"
    assert changed(plan_json(cli, "ventas")) == CLUSTER_PART
    ok(cli("apply", "ventas", "--auto-approve"))
    assert cli("plan", "ventas", "--detailed-exitcode").exit_code == 0

    ok(cli("destroy", "ventas", "--all", "--auto-approve"))
    assert owned_anything(lake_clients, "ventas") == []
    assert cli("plan", "datalake", "--detailed-exitcode").exit_code == 0  # the central lake is untouched
    assert datalake.get(lake_clients, LAKE, "landing", "ventas/transacciones.data") == b"1;2\n"

    ok(cli("destroy", "datalake", "--all", "--auto-approve"))
    assert owned_anything(lake_clients, "datalake") == []
