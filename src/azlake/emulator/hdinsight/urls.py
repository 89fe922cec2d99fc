"""Routes of Microsoft.HDInsight (api-version 2021-06-01)."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.hdinsight import models
from azlake.emulator.hdinsight.responses import ClusterResponses, LocationResponses

PROVIDER = "/subscriptions/{sub}/providers/Microsoft.HDInsight"
GROUP = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.HDInsight/clusters"
CLUSTER = GROUP + "/{name}"


def register(app: Emulator) -> None:
    clusters = ClusterResponses(app)
    app.arm("PUT", CLUSTER, clusters.put)
    app.arm("GET", CLUSTER, clusters.get)
    app.arm("PATCH", CLUSTER, clusters.patch)
    app.arm("DELETE", CLUSTER, clusters.delete)
    app.arm("GET", GROUP, clusters.list_group)
    app.arm("GET", PROVIDER + "/clusters", clusters.list_subscription)
    app.arm("POST", CLUSTER + "/roles/{role}/resize", clusters.resize)
    app.arm("POST", CLUSTER + "/roles/{role}/autoscale", clusters.autoscale)
    app.arm("POST", CLUSTER + "/getGatewaySettings", clusters.get_gateway)
    app.arm("POST", CLUSTER + "/updateGatewaySettings", clusters.update_gateway)
    app.arm("POST", CLUSTER + "/configurations", clusters.list_configurations)
    app.arm("GET", CLUSTER + "/configurations/{config}", clusters.get_configuration)
    app.arm("POST", CLUSTER + "/configurations/{config}", clusters.update_configuration)
    app.arm("POST", CLUSTER + "/listHosts", clusters.list_hosts)
    app.arm("POST", CLUSTER + "/restartHosts", clusters.restart_hosts)
    app.arm("GET", CLUSTER + "/restartHosts/azureasyncoperations/{op}", clusters.async_status)
    app.arm("GET", CLUSTER + "/azureasyncoperations/{op}", clusters.async_status)
    app.arm("GET", CLUSTER + "/operationresults/{op}", clusters.result)
    where = LocationResponses(app)
    app.arm("GET", PROVIDER + "/locations/{loc}/capabilities", where.capabilities)
    app.arm("GET", PROVIDER + "/locations/{loc}/usages", where.usages)
    app.arm("GET", PROVIDER + "/locations/{loc}/billingSpecs", where.billing_specs)
    app.arm("POST", PROVIDER + "/locations/{loc}/checkNameAvailability", where.check_name)
    app.arm("POST", PROVIDER + "/locations/{loc}/validateCreateRequest", where.validate)
    app.arm("GET", PROVIDER + "/locations/{loc}/azureasyncoperations/{op}", where.async_status)
    arm.on_delete(models.TYPE, models.drop_private)
