"""Key Vault over HTTP: Microsoft.KeyVault on ARM, and the secrets data plane behind a bearer challenge."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.http import Request, Response
from azlake.emulator.keyvault import access, secrets, vaults
from azlake.emulator.keyvault.errors import Forbidden, VaultNotFound


class VaultResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def put(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc, created = vaults.create_or_update(tx, sub, rg, name, req.json(), req.q("api-version") or "")
        return Response.json(doc, 201 if created else 200)

    def patch(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(vaults.update(tx, sub, rg, name, req.json(), req.q("api-version") or ""))

    def get(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(vaults.get(tx, sub, rg, name))

    def delete(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            deleted = vaults.delete(tx, sub, rg, name)
        return Response.empty(200 if deleted else 204)

    def list_by_group(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            arm.require_group(tx, sub, rg)
            return Response.json({"value": vaults.list_vaults(tx, arm.rg_id(sub, rg))})

    def list(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": vaults.list_vaults(tx, f"/subscriptions/{sub}")})

    def list_deleted(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": vaults.list_deleted(tx, sub)})

    def get_deleted(self, req: Request, sub: str, location: str, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(vaults.deleted_document(vaults.require_deleted(tx, sub, location, name)))

    def purge(self, req: Request, sub: str, location: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            vaults.purge(tx, sub, location, name)
        return Response.empty(200)

    def check_name(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(vaults.name_availability(tx, req.json()))


class SecretResponses:
    """The data plane of one vault (`req.account`), each call checked against the caller's access."""

    def __init__(self, app: Emulator) -> None:
        self.app = app

    def _vault(self, tx, req: Request, action: str, secret: str | None = None) -> dict:
        if not req.principal_id:
            raise access.challenge()
        vault = vaults.find_vault(tx, req.account)
        if vault is None:
            # In Azure the host name would not resolve; an answer that says so is more useful than a hang.
            raise VaultNotFound(f"The vault '{req.account}' does not exist in this emulator (in "
                                "Azure its host name would not resolve). Create it through ARM first.")
        if vault["properties"].get("publicNetworkAccess") == "Disabled":
            raise Forbidden("Public network access is disabled and request is not from a "
                            "trusted service nor via an approved private link.", inner="ForbiddenByConnection")
        access.authorize(tx, self.app.clock, req.principal_id, vault, action, secret)
        return vault

    def set(self, req: Request, name: str) -> Response:
        with self.app.store.tx() as tx:
            vault = self._vault(tx, req, "setSecret/action", name)
            return Response.json(secrets.set_secret(tx, vault, name, req.json()))

    def get(self, req: Request, name: str, version: str = "") -> Response:
        with self.app.store.tx(write=False) as tx:
            self._vault(tx, req, "getSecret/action", name)
            return Response.json(secrets.get_secret(tx, req.account, name, version or None))

    def update(self, req: Request, name: str, version: str = "") -> Response:
        with self.app.store.tx() as tx:
            self._vault(tx, req, "update/action", name)
            return Response.json(secrets.update_secret(tx, req.account, name, version or None, req.json()))

    def list(self, req: Request) -> Response:
        with self.app.store.tx(write=False) as tx:
            self._vault(tx, req, "readMetadata/action")
            return Response.json({"value": secrets.list_secrets(tx, req.account), "nextLink": None})

    def versions(self, req: Request, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            self._vault(tx, req, "readMetadata/action", name)
            return Response.json({"value": secrets.list_versions(tx, req.account, name), "nextLink": None})

    def delete(self, req: Request, name: str) -> Response:
        with self.app.store.tx() as tx:
            vault = self._vault(tx, req, "delete", name)
            return Response.json(secrets.delete_secret(tx, vault, name))

    def list_deleted(self, req: Request) -> Response:
        with self.app.store.tx(write=False) as tx:
            self._vault(tx, req, "readMetadata/action")
            return Response.json({"value": secrets.list_deleted(tx, req.account), "nextLink": None})

    def get_deleted(self, req: Request, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            self._vault(tx, req, "readMetadata/action", name)
            return Response.json(secrets.deleted_bundle(req.account, secrets.get_deleted(tx, req.account, name)))

    def recover(self, req: Request, name: str) -> Response:
        with self.app.store.tx() as tx:
            self._vault(tx, req, "recover/action", name)
            return Response.json(secrets.recover(tx, req.account, name))

    def purge(self, req: Request, name: str) -> Response:
        with self.app.store.tx() as tx:
            vault = self._vault(tx, req, "purge/action", name)
            secrets.purge(tx, vault, name)
        return Response.empty(204)
