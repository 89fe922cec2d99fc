"""Bearer tokens for the emulator: an unsigned JWT carrying the caller's object id.

The emulator accepts any bearer token, like Azurite; when the token is a JWT it reads the caller's
`oid` claim, so data-plane authorisation (role assignments) can be checked per principal.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo

# The principal that runs azlake against the local cloud ("you"); fixed so role assignments persist.
LOCAL_DEPLOYER_OBJECT_ID = "11111111-2222-4333-8444-555555555555"
LOCAL_TENANT_ID = "72f988bf-0000-4000-8000-000000000001"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def make_token(object_id: str, tenant_id: str = LOCAL_TENANT_ID, lifetime: int = 3600) -> tuple[str, int]:
    expires = int(time.time()) + lifetime
    claims = {"oid": object_id, "tid": tenant_id, "sub": object_id, "exp": expires, "iss": "azlake-emulator"}
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.", expires


def principal_from_authorization(header: str | None) -> str | None:
    """The `oid` of a bearer token, or None when absent or not a JWT."""
    if not header or not header.lower().startswith("bearer "):
        return None
    parts = header.split(" ", 1)[1].strip().split(".")
    if len(parts) < 2:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        return json.loads(base64.urlsafe_b64decode(payload)).get("oid")
    except (ValueError, json.JSONDecodeError, UnicodeDecodeError):
        return None


class EmulatorCredential:
    """A TokenCredential for the local cloud: tokens for `object_id`, accepted by the emulator only."""

    def __init__(self, object_id: str = LOCAL_DEPLOYER_OBJECT_ID) -> None:
        self.object_id = object_id

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        token, expires = make_token(self.object_id)
        return AccessToken(token, expires)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        token, expires = make_token(self.object_id)
        return AccessTokenInfo(token, expires)

    def close(self) -> None:
        pass

    def __enter__(self) -> EmulatorCredential:
        return self

    def __exit__(self, *args: Any) -> None:
        pass
