"""Claims of an Azure access token (a JWT), read without verifying it: azlake only needs its own identity."""

from __future__ import annotations

import base64
import json


def object_id(token: str) -> str | None:
    """The `oid` claim (the principal's object id), or None when the token is not a JWT that carries one."""
    parts = token.strip().split(".")
    if len(parts) < 2:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, UnicodeDecodeError):  # JSONDecodeError and binascii.Error are ValueErrors
        return None
    oid = claims.get("oid") if isinstance(claims, dict) else None
    return oid if isinstance(oid, str) else None
