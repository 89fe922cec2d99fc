"""The desired state of an environment's key vault: the vault, who may use its secrets, generated passwords."""

from __future__ import annotations

from typing import Any

VAULT = "key_vault"
DEPLOYER_ACCESS = "key_vault.deployer_access"
OFFICER = "Key Vault Secrets Officer"
USER = "Key Vault Secrets User"


def vault_id(builder: Any, name: str) -> str:
    return f"{builder.rg_id}/providers/Microsoft.KeyVault/vaults/{name}"


def add_vault(b: Any) -> None:
    """The vault (RBAC authorisation, soft delete, purge protection), the deployer's Secrets Officer role, the
    identity's Secrets User role when asked, and one secret per password azlake generates."""
    kv = b.spec.key_vault
    if kv is None:
        return
    owner = getattr(b.loaded, "vault_owner", None)
    if kv.use and owner is not None:  # a shared vault: read, never changed; this file only adds its secrets
        group = owner.spec.resource_group.name
        rid = f"/subscriptions/{b.sub}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{kv.name}"
        b.add(VAULT, "key_vault", "Microsoft.KeyVault/vaults", kv.name, rid, {}, [], group=group, vault=kv.name,
              used_from=owner.spec.name, used_file=str(owner.path)).managed = False
    else:
        group, rid = b.spec.resource_group.name, vault_id(b, kv.name)
        b.add(VAULT, "key_vault", "Microsoft.KeyVault/vaults", kv.name, rid, {
            "location": b.spec.location, "rbac_authorization": True,
            "public_network_access": kv.public_network_access, "purge_protection": kv.purge_protection,
            "soft_delete_days": kv.soft_delete_days, **b.tags()}, ["resource_group"], group=group, vault=kv.name)
    if not kv.use:
        # On a shared vault the owner environment grants access: an assignment made from here would be the
        # owner's own one whenever the same principal deploys both (same scope, principal and role).
        b.role(DEPLOYER_ACCESS, OFFICER, rid, [VAULT], principal="deployer")
    if kv.identity_access:
        b.role(f"identity.role[{USER}]", USER, rid, ["identity", VAULT], principal="identity")
    cluster = b.spec.cluster
    password = cluster.login.password if cluster is not None else None
    if cluster is not None and password is not None and getattr(password, "generated", False):
        b.add(secret_address(password.secret), "kv_secret", "Microsoft.KeyVault/vaults/secrets", password.secret,
              f"{rid}/secrets/{password.secret}", {}, [VAULT if kv.use else DEPLOYER_ACCESS], group=group, vault=kv.name,
              secret=password.secret, users=[cluster.login.username, cluster.ssh.username], shared=bool(kv.use))


def secret_address(secret: str) -> str:
    return f"key_vault.secret[{secret}]"


def password_dependencies(b: Any, password: Any) -> list[str]:
    """A cluster whose password azlake generates is created after the password is in the vault."""
    if getattr(password, "generated", False) and b.spec.key_vault is not None:
        return [secret_address(password.secret)]
    return []
