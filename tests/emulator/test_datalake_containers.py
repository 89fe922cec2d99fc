"""ARM blobContainers through the real StorageManagementClient, on the same state as the DFS filesystems."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from datalake_env import ACCOUNT, RG, make_account, make_lake


def test_create_get_list_delete(any_clients):
    make_account(any_clients)
    containers = any_clients.storage.blob_containers
    created = containers.create(RG, ACCOUNT, "landing", {"properties": {"metadata": {"azlake_environment": "v"}}})
    assert created.id.endswith(f"/storageAccounts/{ACCOUNT}/blobServices/default/containers/landing")
    assert created.type == "Microsoft.Storage/storageAccounts/blobServices/containers"
    got = containers.get(RG, ACCOUNT, "landing")
    assert got.metadata == {"azlake_environment": "v"} and got.public_access == "None" and got.etag
    containers.create(RG, ACCOUNT, "smart", {})
    assert [c.name for c in containers.list(RG, ACCOUNT)] == ["landing", "smart"]
    # as the official BlobContainersList example: ARM's list has no metadata (a GET, or the data plane's List
    # Containers with include=metadata, has it: tests/emulator/test_datalake.py)
    assert [c.metadata for c in containers.list(RG, ACCOUNT)] == [None, None]
    containers.delete(RG, ACCOUNT, "landing")
    assert [c.name for c in containers.list(RG, ACCOUNT)] == ["smart"]
    with pytest.raises(ResourceNotFoundError) as exc:
        containers.get(RG, ACCOUNT, "landing")
    assert exc.value.error.code == "ContainerNotFound"
    containers.delete(RG, ACCOUNT, "landing")  # deleting what is gone answers 204, which the SDK accepts


def test_put_again_updates_and_patch_changes_metadata(clients):
    make_account(clients)
    containers = clients.storage.blob_containers
    first = containers.create(RG, ACCOUNT, "landing", {})
    again = containers.create(RG, ACCOUNT, "landing", {"properties": {"metadata": {"a": "1"}}})
    assert again.metadata == {"a": "1"} and again.etag != first.etag
    patched = containers.update(RG, ACCOUNT, "landing", {"properties": {"metadata": {"b": "2"}}})
    assert patched.metadata == {"b": "2"}


def test_container_made_through_arm_is_a_filesystem(clients):
    make_lake(clients)
    clients.storage.blob_containers.create(RG, ACCOUNT, "dfs", {"properties": {"metadata": {"k": "v"}}})
    fs = clients.datalake(ACCOUNT).get_file_system_client("dfs")
    assert fs.get_file_system_properties().metadata == {"k": "v"}
    fs.create_directory("objects/inputs")
    clients.storage.blob_containers.delete(RG, ACCOUNT, "dfs")
    assert fs.exists() is False


@pytest.mark.parametrize("name", ["ab", "x" * 64, "Upper", "double--dash", "-lead", "trail-", "under_score"])
def test_invalid_names(clients, name):
    make_account(clients)
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.blob_containers.create(RG, ACCOUNT, name, {})
    assert exc.value.status_code == 400
    assert exc.value.error.code == "ContainerOperationFailure"
    expected = ("length is not within the permissible limits" if len(name) not in range(3, 64)
                else "contains invalid characters")
    assert expected in exc.value.error.message


def test_valid_edge_names(clients):
    make_account(clients)
    for name in ("abc", "a-b-c", "0" * 63):
        clients.storage.blob_containers.create(RG, ACCOUNT, name, {})
    assert len(list(clients.storage.blob_containers.list(RG, ACCOUNT))) == 3


def test_missing_account(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.storage.blob_containers.create(RG, "nosuchacct", "landing", {})
    assert exc.value.error.code == "ResourceNotFound"
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.storage.blob_containers.list("nosuchgroup", "nosuchacct").next()
    assert exc.value.error.code == "ResourceGroupNotFound"


def test_a_lock_guards_arm_deletes_but_not_the_data_plane(clients):
    """As Azure documents: a management lock on the account does not protect the data inside it."""
    make_lake(clients)
    clients.locks.management_locks.create_or_update_at_resource_level(
        RG, "Microsoft.Storage", "", "storageAccounts", ACCOUNT, "keep", {"level": "CanNotDelete"})
    clients.storage.blob_containers.create(RG, ACCOUNT, "landing", {})
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.blob_containers.delete(RG, ACCOUNT, "landing")
    assert exc.value.error.code == "ScopeLocked"
    clients.datalake(ACCOUNT).delete_file_system("landing")
    assert [c.name for c in clients.storage.blob_containers.list(RG, ACCOUNT)] == []


def _soft_delete(clients, days: int) -> None:
    clients.storage.blob_services.set_service_properties(RG, ACCOUNT, {"properties": {
        "containerDeleteRetentionPolicy": {"enabled": True, "days": days}}})


def test_soft_deleted_filesystem_can_be_restored(any_clients):
    make_lake(any_clients)
    _soft_delete(any_clients, 7)
    svc = any_clients.datalake(ACCOUNT)
    svc.create_file_system("dfs").get_file_client("objects/outputs/part-0").upload_data(b"result", overwrite=True)
    svc.delete_file_system("dfs")
    assert [f.name for f in svc.list_file_systems()] == []
    deleted = [f for f in svc.list_file_systems(include_deleted=True) if f.deleted]
    assert [f.name for f in deleted] == ["dfs"] and deleted[0].deleted_version
    svc.create_file_system("dfs")  # the name is free again; the deleted one stays apart
    assert list(svc.get_file_system_client("dfs").get_paths()) == []
    with pytest.raises(ResourceExistsError) as exc:
        svc.undelete_file_system("dfs", deleted[0].deleted_version)
    assert exc.value.error_code == "ContainerAlreadyExists"
    svc.delete_file_system("dfs")
    restored = svc.undelete_file_system("dfs", deleted[0].deleted_version)
    assert restored.get_file_client("objects/outputs/part-0").download_file().readall() == b"result"
    assert len([f for f in svc.list_file_systems(include_deleted=True) if f.deleted]) == 1  # the empty one


def test_soft_deleted_filesystem_expires_after_the_retention(clients, emulator):
    make_lake(clients)
    _soft_delete(clients, 1)
    svc = clients.datalake(ACCOUNT)
    svc.create_file_system("dfs").get_file_client("f").upload_data(b"x", overwrite=True)
    clients.storage.blob_containers.delete(RG, ACCOUNT, "dfs")  # ARM deletes are soft too
    version = next(f.deleted_version for f in svc.list_file_systems(include_deleted=True) if f.deleted)
    emulator.advance(2 * 86400)
    assert not [f for f in svc.list_file_systems(include_deleted=True) if f.deleted]
    with pytest.raises(ResourceNotFoundError) as exc:
        svc.undelete_file_system("dfs", version)
    assert exc.value.error_code == "ContainerNotFound"


def test_without_soft_delete_a_deleted_filesystem_is_gone(clients):
    make_lake(clients)
    svc = clients.datalake(ACCOUNT)
    svc.create_file_system("dfs")
    svc.delete_file_system("dfs")
    assert list(svc.list_file_systems(include_deleted=True)) == []
