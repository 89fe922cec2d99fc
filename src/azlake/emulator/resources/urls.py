"""Routes of Microsoft.Resources."""

from __future__ import annotations

from azlake.emulator.core.app import Emulator
from azlake.emulator.resources.responses import OperationResponses, ResourceGroupResponses

RG = "/subscriptions/{sub}/resourcegroups/{rg}"


def register(app: Emulator) -> None:
    groups = ResourceGroupResponses(app)
    app.arm("PUT", RG, groups.put)
    app.arm("GET", RG, groups.get)
    app.arm("HEAD", RG, groups.head)
    app.arm("PATCH", RG, groups.patch)
    app.arm("DELETE", RG, groups.delete)
    app.arm("GET", "/subscriptions/{sub}/resourcegroups", groups.list)
    app.arm("GET", RG + "/resources", groups.list_resources)
    ops = OperationResponses(app)
    app.arm("GET", "/subscriptions/{sub}/operationresults/{op_id}", ops.result)
    # provider-scoped operation endpoints used by services:
    #   .../providers/{ns}/locations/{loc}/asyncoperations/{id}   (Azure-AsyncOperation status body)
    #   .../providers/{ns}/locations/{loc}/operationresults/{id}  (Location result)
    app.arm("GET", "/subscriptions/{sub}/providers/{ns}/locations/{loc}/asyncoperations/{op_id}", ops.status)
    app.arm("GET", "/subscriptions/{sub}/providers/{ns}/locations/{loc}/operationresults/{op_id}", ops.result)
    app.arm("GET", "/subscriptions/{sub}/providers/{ns}/locations/{loc}/operationstatuses/{op_id}", ops.status)
