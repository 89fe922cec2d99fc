"""Azure SDK exceptions turned into CloudErrors a person can act on (code, one-line cause, what next)."""

from __future__ import annotations

from typing import Any

from azlake.errors import CloudError

# Azure error code -> (explanation, what to do next)
_KNOWN: dict[str, tuple[str, str]] = {
    "AuthorizationPermissionMismatch": (
        "the principal running azlake has no data role on the lake: management roles (Owner, Contributor) "
        "do not grant access to files",
        "set `data_lake.deployer_access: true` (azlake assigns you Storage Blob Data Contributor) or ask an "
        "admin to assign you Storage Blob Data Contributor on the storage account; wait a few minutes"),
    "AuthorizationFailed": ("the signed-in principal may not do this at this scope",
                            "ask for Owner (or Contributor + User Access Administrator) on the subscription"),
    "ScopeLocked": ("a management lock forbids this", "remove the lock (azlake destroy --all removes its own)"),
    "StorageAccountAlreadyTaken": ("storage account names are global and this one is taken",
                                   "pick another `data_lake.account` name"),
    "AccountNameInvalid": ("the storage account name is not valid", "use 3-24 lowercase letters and digits"),
    "RoleAssignmentExists": ("the same role is already assigned under another name",
                             "nothing to do: the access exists (it was assigned outside azlake)"),
    "PrincipalNotFound": ("the new identity has not replicated in Entra ID yet", "run apply again in a minute"),
    "TooManyRequests": ("Azure throttled the requests", "wait a minute and run the same command again"),
    "QuotaExceeded": ("the subscription's core quota in this region is too small",
                      "request more cores (Usage + quotas) or choose smaller sizes/fewer workers"),
    "ResourceGroupNotFound": ("the resource group does not exist", "run azlake apply first"),
}


def explain(code: str) -> tuple[str, str]:
    """(why, what to do next) for an Azure error code azlake knows, else ("", "")."""
    return _KNOWN.get(code, ("", ""))


def cloud_error(exc: Exception, doing: str) -> CloudError:
    """`doing` says what azlake was doing, e.g. "creating storage account storagebigdatauserbda000"."""
    code, message, status = error_parts(exc)
    why, todo = explain(code)
    if not todo:
        todo = ("run the same command again: every step is idempotent" if status in (None, 408, 429) or
                (status and status >= 500) else "fix the cause above, then run the same command again")
    summary = f"{doing} failed: {why or _first_line(message) or 'Azure returned an error'}"
    said = _first_line(message)
    if said.startswith("Operation returned an invalid status"):
        said = ""  # a HEAD answer has no body: the code above says it all
    detail = f"Azure said ({status or 'no status'}): {said}" if said else ""
    return CloudError(summary, detail=detail, hint=todo, code=code)


def error_parts(exc: Exception) -> tuple[str, str, int | None]:
    """(Azure error code, message, HTTP status) of an SDK exception, as well as it can be read."""
    status = getattr(exc, "status_code", None)
    err: Any = getattr(exc, "error", None)
    code = getattr(err, "code", None) or getattr(exc, "error_code", None) or ""
    message = getattr(err, "message", None) or getattr(exc, "message", None) or str(exc)
    if not code:
        resp = getattr(exc, "response", None)
        headers = getattr(resp, "headers", None) or {}
        code = headers.get("x-ms-error-code", "") if hasattr(headers, "get") else ""
        body_code, body_message = _body_error(resp)
        if body_code:  # a failed long-running operation: the poller raises without reading the body
            code, message = code or body_code, body_message or message
    return str(code or type(exc).__name__), str(message or ""), status


def _body_error(resp: Any) -> tuple[str, str]:
    """ARM's {"error": {"code", "message"}} from a response body, when there is one."""
    try:
        doc = resp.json() if resp is not None else None
    except Exception:  # no body, not JSON, or a streamed answer: nothing more to read
        return "", ""
    err = doc.get("error") if isinstance(doc, dict) else None
    if not isinstance(err, dict):
        return "", ""
    return str(err.get("code") or ""), str(err.get("message") or "")


def is_not_found(exc: Exception) -> bool:
    return getattr(exc, "status_code", None) == 404


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0][:300] if (text or "").strip() else ""


def sign_in_error(exc: Exception) -> CloudError | None:
    """azure-identity found no usable credential: say how to sign in (or to use the emulator)."""
    if type(exc).__name__ not in ("ClientAuthenticationError", "CredentialUnavailableError"):
        return None
    return CloudError("could not sign in to Azure: no credential is available on this machine",
                      detail="azlake uses DefaultAzureCredential: environment variables, workload identity, "
                             "managed identity or the Azure CLI.",
                      hint="run `az login` (in CI: a workload identity federation login step, see docs/ci.md), "
                           "or add --cloud local to use the embedded emulator",
                      code="ClientAuthenticationError")
