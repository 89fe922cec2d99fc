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


def not_found(resource_type: str, name: str, group: str | None = None) -> EmulatedError:
    where = f" under resource group '{group}'" if group else ""
    return EmulatedError(404, "ResourceNotFound",
                         f"The Resource '{resource_type}/{name}'{where} was not found. For more details please go "
                         "to https://aka.ms/ARMResourceNotFoundFix")


def resource_group_not_found(group: str) -> EmulatedError:
    return EmulatedError(404, "ResourceGroupNotFound", f"Resource group '{group}' could not be found.")


def invalid_parameter(message: str, target: str | None = None) -> EmulatedError:
    return EmulatedError(400, "InvalidParameter", message)


def missing_api_version() -> EmulatedError:
    return EmulatedError(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) is required for all requests.")
