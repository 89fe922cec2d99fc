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
    """An error whose HTTP status and Azure error code are fixed by its class (one class per code, as moto)."""

    STATUS = 500
    CODE = "InternalServerError"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None,
                 details: list[dict] | None = None) -> None:
        super().__init__(self.STATUS, self.CODE, message, headers=headers, details=details)


# The codes several Azure services answer with (service-specific ones stay with their service).
class BadRequest(AzureError):
    STATUS, CODE = 400, "BadRequest"


class InvalidFilterInQueryString(AzureError):
    STATUS, CODE = 400, "InvalidFilterInQueryString"


class InvalidResourceName(AzureError):
    STATUS, CODE = 400, "InvalidResourceName"


class InvalidValuesForRequestParameters(AzureError):
    STATUS, CODE = 400, "InvalidValuesForRequestParameters"


class LocationRequired(AzureError):
    STATUS, CODE = 400, "LocationRequired"


class QuotaExceeded(AzureError):
    STATUS, CODE = 400, "QuotaExceeded"


class NotFound(AzureError):
    STATUS, CODE = 404, "NotFound"


class ResourceNotFound(AzureError):
    STATUS, CODE = 404, "ResourceNotFound"


class ResourceGroupNotFound(AzureError):
    STATUS, CODE = 404, "ResourceGroupNotFound"


class Conflict(AzureError):
    STATUS, CODE = 409, "Conflict"


class InvalidResourceLocation(AzureError):
    STATUS, CODE = 409, "InvalidResourceLocation"


def not_found(resource_type: str, name: str, group: str | None = None) -> EmulatedError:
    where = f" under resource group '{group}'" if group else ""
    return ResourceNotFound(f"The Resource '{resource_type}/{name}'{where} was not found. For more details please "
                            "go to https://aka.ms/ARMResourceNotFoundFix")


def resource_group_not_found(group: str) -> EmulatedError:
    return ResourceGroupNotFound(f"Resource group '{group}' could not be found.")


def invalid_parameter(message: str, target: str | None = None) -> EmulatedError:
    return EmulatedError(400, "InvalidParameter", message)


def missing_api_version() -> EmulatedError:
    return EmulatedError(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) is required for all requests.")
