"""The conformance checker itself: it accepts Azure's own examples and catches broken bodies."""

from __future__ import annotations

import pytest

from conformance.swagger import SPECS, Spec

STORAGE = SPECS / "storage/resource-manager/Microsoft.Storage/Storage/stable/2026-09-01/openapi.json"
LOCKS = SPECS / "resources/resource-manager/Microsoft.Authorization/locks/stable/2020-05-01/locks.json"


def test_official_example_passes():
    spec = Spec.load(STORAGE)
    example = spec.example("StorageAccounts_GetProperties")
    assert spec.check_response("StorageAccounts_GetProperties", 200, example["responses"]["200"]["body"],
                               strict_enums=False) == []


@pytest.mark.parametrize("body, expected", [
    ({"id": 1, "location": "x"}, "$.id: expected string"),
    ({"id": "a"}, "required property 'location' is missing"),
    ({"location": "x", "properties": {"primaryEndpoints": {"dfs": 3}}}, "$.properties.primaryEndpoints.dfs"),
    ({"location": "x", "tags": {"a": 1}}, "$.tags.a: expected string"),
])
def test_broken_bodies_are_reported(body, expected):
    problems = Spec.load(STORAGE).validate(body, "StorageAccount")
    assert any(expected in p for p in problems), problems


def test_enums_strict_for_the_emulator_lenient_for_azure():
    spec = Spec.load(LOCKS)
    body = {"properties": {"level": "Sometimes"}}
    assert spec.validate(body, "ManagementLockObject", strict_enums=False) == []
    assert "not one of" in spec.validate(body, "ManagementLockObject")[0]


def test_undeclared_status_is_reported():
    assert "does not declare status 203" in Spec.load(LOCKS).check_response(
        "ManagementLocks_GetByScope", 203, {})[0]


def test_errors_are_checked_against_the_default_answer():
    spec = Spec.load(LOCKS)
    assert spec.check_response("ManagementLocks_GetByScope", 404, {"error": {"code": "LockNotFound"}}) == []
    assert spec.check_response("ManagementLocks_GetByScope", 404, {"error": {"code": 7}}) != []
