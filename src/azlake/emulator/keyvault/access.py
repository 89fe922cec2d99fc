"""Who may use a vault's secrets: the challenge for a bearer token, then Azure RBAC or access policies."""

from __future__ import annotations

from azlake.emulator.authorization.models import effective_role_ids
from azlake.emulator.core.auth import LOCAL_TENANT_ID
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.store import Tx
from azlake.emulator.keyvault.errors import Forbidden, Unauthorized

_SECRETS = "Microsoft.KeyVault/vaults/secrets"
# role-definition GUID -> data actions on secrets it grants (Azure's built-in Key Vault roles)
ROLE_DATA_ACTIONS: dict[str, tuple[str, ...]] = {
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": ("*",),                                   # Key Vault Administrator
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": ("*",),                                   # Key Vault Secrets Officer
    "4633458b-17de-408a-b874-0445c86b69e6": ("getSecret/action", "readMetadata/action"),  # Key Vault Secrets User
    "21090545-7ca7-4776-b22c-e363652d74d2": ("readMetadata/action",),                 # Key Vault Reader
}
# data action -> the access-policy permission that grants the same (vaults without RBAC)
POLICY_PERMISSION = {"getSecret/action": "get", "readMetadata/action": "list", "setSecret/action": "set",
                     "delete": "delete", "recover/action": "recover", "purge/action": "purge",
                     "update/action": "set"}


def challenge() -> Unauthorized:
    """What Key Vault answers a request without a token: where to get one and for which resource."""
    header = (f'Bearer authorization="https://login.microsoftonline.com/{LOCAL_TENANT_ID}", '
              'resource="https://vault.azure.net"')
    return Unauthorized("AKV10000: Request is missing a Bearer or PoP token.",
                        headers={"WWW-Authenticate": header})


def authorize(tx: Tx, clock: Clock, principal: str, vault: dict, action: str, secret: str | None) -> None:
    """Raise 403 Forbidden naming the data action unless the caller may do it on this vault."""
    props = vault["properties"]
    if props.get("enableRbacAuthorization"):
        scope = vault["id"] + (f"/secrets/{secret}" if secret else "")
        held = {r.lower() for r in effective_role_ids(tx, clock, principal, scope)}
        if any(a == "*" or a == action for g in held for a in ROLE_DATA_ACTIONS.get(g, ())):
            return
        resource = scope.lower()
        raise Forbidden("Caller is not authorized to perform action on resource.\r\nIf role "
                        "assignments, deny assignments or role definitions were changed recently, please observe "
                        f"propagation time.\r\nCaller: oid={principal}\r\nAction: '{_SECRETS}/{action}'\r\n"
                        f"Resource: '{resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\n"
                        f"DecisionReason: 'DeniedWithNoValidRBAC' \r\nVault: {vault['name']};"
                        f"location={vault['location']}\r\n", inner="ForbiddenByRbac")
    wanted = POLICY_PERMISSION.get(action, action)
    for policy in props.get("accessPolicies") or []:
        if str(policy.get("objectId", "")).lower() == principal.lower():
            granted = [p.lower() for p in (policy.get("permissions") or {}).get("secrets") or []]
            if wanted in granted or "all" in granted:
                return
    raise Forbidden(f"The user, group or application 'oid={principal}' does not have secrets "
                    f"{wanted} permission on key vault '{vault['name']};location={vault['location']}'. For help "
                    "resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
                    inner="AccessDenied")
