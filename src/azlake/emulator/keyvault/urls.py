"""Routes of Microsoft.KeyVault (ARM) and of the Key Vault secrets data plane."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.keyvault import vaults
from azlake.emulator.keyvault.responses import SecretResponses, VaultResponses

SUB = "/subscriptions/{sub}/providers/Microsoft.KeyVault"
VAULTS = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.KeyVault/vaults"


def register(app: Emulator) -> None:
    v = VaultResponses(app)
    app.arm("PUT", VAULTS + "/{name}", v.put)
    app.arm("PATCH", VAULTS + "/{name}", v.patch)
    app.arm("GET", VAULTS + "/{name}", v.get)
    app.arm("DELETE", VAULTS + "/{name}", v.delete)
    app.arm("GET", VAULTS, v.list_by_group)
    app.arm("GET", SUB + "/vaults", v.list)
    app.arm("GET", SUB + "/deletedVaults", v.list_deleted)
    app.arm("GET", SUB + "/locations/{location}/deletedVaults/{name}", v.get_deleted)
    app.arm("POST", SUB + "/locations/{location}/deletedVaults/{name}/purge", v.purge)
    app.arm("POST", SUB + "/checkNameAvailability", v.check_name)
    arm.on_delete(vaults.TYPE, vaults.soft_delete)
    s = SecretResponses(app)
    app.route("keyvault", "GET", "/secrets", s.list)
    app.route("keyvault", "GET", "/secrets/{name}/versions", s.versions)
    app.route("keyvault", "PUT", "/secrets/{name}", s.set)
    app.route("keyvault", "GET", "/secrets/{name}/{version}", s.get)
    app.route("keyvault", "GET", "/secrets/{name}", s.get)
    app.route("keyvault", "PATCH", "/secrets/{name}/{version}", s.update)
    app.route("keyvault", "PATCH", "/secrets/{name}", s.update)
    app.route("keyvault", "DELETE", "/secrets/{name}", s.delete)
    app.route("keyvault", "GET", "/deletedsecrets", s.list_deleted)
    app.route("keyvault", "GET", "/deletedsecrets/{name}", s.get_deleted)
    app.route("keyvault", "DELETE", "/deletedsecrets/{name}", s.purge)
    app.route("keyvault", "POST", "/deletedsecrets/{name}/recover", s.recover)
