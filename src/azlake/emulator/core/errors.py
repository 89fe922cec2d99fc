"""Errors the emulator answers with, rendered in the body format of the Azure API that raised them."""

from __future__ import annotations

from azlake.emulator.core.http import Response


class EmulatedError(Exception):
    """An Azure error: HTTP status, Azure's error code and message."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 details: list[dict] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details or []

    def to_response(self) -> Response:
        """ARM's body: {"error": {"code", "message"}}."""
        err: dict = {"code": self.code, "message": self.message}
        if self.details:
            err["details"] = self.details
        return Response.json({"error": err}, self.status, self.headers)


class StorageError(EmulatedError):
    """Storage data-plane error: `x-ms-error-code` header plus a JSON (DFS) body."""

    def to_response(self) -> Response:
        resp = Response.json({"error": {"code": self.code, "message": self.message}}, self.status, self.headers)
        resp.headers["x-ms-error-code"] = self.code
        return resp


class AzureError(EmulatedError):
    """An error whose HTTP status and Azure error code are fixed by its class (one class per code, as moto).

    A few codes come with another status from some operations; such a class lists them in OTHER_STATUSES,
    says in its docstring which operation answers which, and the raise site passes `status=`.
    """

    STATUS = 500
    CODE = "InternalServerError"
    OTHER_STATUSES: tuple[int, ...] = ()

    def __init__(self, message: str, *, status: int | None = None, headers: dict[str, str] | None = None,
                 details: list[dict] | None = None) -> None:
        if status is not None and status != self.STATUS and status not in self.OTHER_STATUSES:
            raise ValueError(f"Azure does not answer {self.CODE} with status {status}")
        super().__init__(self.STATUS if status is None else status, self.CODE, message, headers=headers,
                         details=details)


# The codes ARM itself or several Azure services answer with; a service's own codes are in <service>/errors.py.
class BadRequest(AzureError):
    STATUS, CODE = 400, "BadRequest"


class InvalidApiVersionParameter(AzureError):
    STATUS, CODE = 400, "InvalidApiVersionParameter"


class InvalidIdentity(AzureError):
    STATUS, CODE = 400, "InvalidIdentity"


class InvalidIdentityType(AzureError):
    STATUS, CODE = 400, "InvalidIdentityType"


class InvalidRequestContent(AzureError):
    STATUS, CODE = 400, "InvalidRequestContent"


class InvalidResourceType(AzureError):
    """400 when a request names a type the provider does not offer (api-version check, name check);
    404 when ARM has no resource type or operation at the path at all."""
    STATUS, CODE, OTHER_STATUSES = 400, "InvalidResourceType", (404,)


class InvalidFilterInQueryString(AzureError):
    STATUS, CODE = 400, "InvalidFilterInQueryString"


class InvalidResourceName(AzureError):
    STATUS, CODE = 400, "InvalidResourceName"


class InvalidValuesForRequestParameters(AzureError):
    STATUS, CODE = 400, "InvalidValuesForRequestParameters"


class LocationNotAvailableForResourceType(AzureError):
    STATUS, CODE = 400, "LocationNotAvailableForResourceType"


class LocationRequired(AzureError):
    STATUS, CODE = 400, "LocationRequired"


class MissingApiVersionParameter(AzureError):
    STATUS, CODE = 400, "MissingApiVersionParameter"


class NoRegisteredProviderFound(AzureError):
    STATUS, CODE = 400, "NoRegisteredProviderFound"


class QuotaExceeded(AzureError):
    STATUS, CODE = 400, "QuotaExceeded"


class AuthenticationFailed(AzureError):
    STATUS, CODE = 401, "AuthenticationFailed"


class NotFound(AzureError):
    STATUS, CODE = 404, "NotFound"


class OperationNotFound(AzureError):
    STATUS, CODE = 404, "OperationNotFound"


class ResourceNotFound(AzureError):
    STATUS, CODE = 404, "ResourceNotFound"


class ResourceGroupNotFound(AzureError):
    STATUS, CODE = 404, "ResourceGroupNotFound"


class Conflict(AzureError):
    STATUS, CODE = 409, "Conflict"


class MethodNotAllowed(AzureError):
    STATUS, CODE = 405, "MethodNotAllowed"


class InvalidResourceLocation(AzureError):
    STATUS, CODE = 409, "InvalidResourceLocation"


class ScopeLocked(AzureError):
    STATUS, CODE = 409, "ScopeLocked"


class InternalServerError(AzureError):
    STATUS, CODE = 500, "InternalServerError"


def not_found(resource_type: str, name: str, group: str | None = None) -> EmulatedError:
    where = f" under resource group '{group}'" if group else ""
    return ResourceNotFound(f"The Resource '{resource_type}/{name}'{where} was not found. For more details please "
                            "go to https://aka.ms/ARMResourceNotFoundFix")


def resource_group_not_found(group: str) -> EmulatedError:
    return ResourceGroupNotFound(f"Resource group '{group}' could not be found.")

