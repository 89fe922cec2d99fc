"""Who may use the data plane: effective data roles (with propagation), HNS, accounts, ARM-side clean-up."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from datalake_env import ACCOUNT, DATA_CONTRIBUTOR, DATA_OWNER, DATA_READER, OWNER, RG, assign, make_account, make_lake

MISMATCH = "This request is not authorized to perform this operation using this permission."


def _refused(call) -> HttpResponseError:
    with pytest.raises(HttpResponseError) as exc:
        call()
    assert exc.value.status_code == 403
    assert exc.value.error_code == "AuthorizationPermissionMismatch"
    assert MISMATCH in exc.value.message
    return exc.value


def test_without_a_data_role_every_call_is_refused(any_clients):
    make_lake(any_clients, role=None)
    svc = any_clients.datalake(ACCOUNT)
    _refused(lambda: svc.create_file_system("landing"))
    _refused(lambda: list(svc.list_file_systems()))
    any_clients.storage.blob_containers.create(RG, ACCOUNT, "landing", {})  # ARM needs no data role
    fs = svc.get_file_system_client("landing")
    _refused(lambda: fs.create_directory("d"))
    _refused(lambda: list(fs.get_paths()))
    _refused(lambda: fs.get_file_client("f").download_file())


def test_management_owner_grants_no_data_access(clients):
    account_id = make_lake(clients, role=None)
    assign(clients, account_id, OWNER)
    _refused(lambda: clients.datalake(ACCOUNT).create_file_system("landing"))


def test_reader_reads_but_cannot_write(clients):
    account_id = make_lake(clients, role=None)
    assign(clients, account_id, DATA_READER)
    clients.storage.blob_containers.create(RG, ACCOUNT, "landing", {})
    fs = clients.datalake(ACCOUNT).get_file_system_client("landing")
    assert list(fs.get_paths()) == []
    assert fs.get_file_system_properties().name == "landing"
    _refused(lambda: fs.create_directory("d"))


@pytest.mark.parametrize("role", [DATA_OWNER, DATA_CONTRIBUTOR])
def test_role_at_resource_group_scope_is_inherited(clients, role):
    make_account(clients)
    assign(clients, f"/subscriptions/{clients.target.subscription}/resourceGroups/{RG}", role)
    fs = clients.datalake(ACCOUNT).create_file_system("landing")
    fs.create_directory("d")
    assert [p.name for p in fs.get_paths()] == ["d"]


def test_a_new_assignment_works_only_once_propagated(any_clients, emulator):
    # nominal seconds; tests run at time_scale 0.0005, so the margins below are tens of real seconds
    emulator.configure(role_propagation_seconds=1_000_000)
    account_id = make_lake(any_clients, role=None)
    assign(any_clients, account_id, DATA_OWNER)
    svc = any_clients.datalake(ACCOUNT)
    _refused(lambda: svc.create_file_system("landing"))
    emulator.advance(900_000)
    _refused(lambda: svc.create_file_system("landing"))
    emulator.advance(200_000)
    assert svc.create_file_system("landing").exists()


def test_dfs_calls_on_a_flat_account_fail_as_in_azure(any_clients):
    make_lake(any_clients, hns=False)
    svc = any_clients.datalake(ACCOUNT)
    fs = svc.create_file_system("flat")  # a container: the Blob API works on any account
    with pytest.raises(HttpResponseError) as exc:
        fs.create_directory("d")
    assert exc.value.status_code == 400
    assert exc.value.error_code == "HierarchicalNamespaceNotEnabled"
    assert "only supported on a hierarchical namespace account" in exc.value.message
    with pytest.raises(HttpResponseError) as exc:
        list(fs.get_paths())
    assert exc.value.error_code == "HierarchicalNamespaceNotEnabled"


def test_unknown_account_is_reported(clients):
    make_lake(clients)
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.datalake("nosuchaccount").get_file_system_client("x").get_file_system_properties()
    assert "does not exist in this emulator" in exc.value.message


def test_deleting_the_account_drops_its_data(clients, emulator):
    make_lake(clients)
    fs = clients.datalake(ACCOUNT).create_file_system("landing")
    fs.get_file_client("d/f.bin").upload_data(b"x" * 100, overwrite=True)
    account_files = emulator.store.blob_dir / ACCOUNT
    assert any(account_files.iterdir())
    clients.storage.storage_accounts.delete(RG, ACCOUNT)
    assert not account_files.exists()
    make_lake(clients)
    assert list(clients.datalake(ACCOUNT).list_file_systems()) == []


def test_deleting_the_resource_group_drops_its_accounts_data(clients, emulator):
    make_lake(clients)
    clients.datalake(ACCOUNT).create_file_system("landing").get_file_client("f").upload_data(b"x", overwrite=True)
    clients.resources.resource_groups.begin_delete(RG).result()
    assert not (emulator.store.blob_dir / ACCOUNT).exists()
    make_lake(clients)
    assert list(clients.datalake(ACCOUNT).list_file_systems()) == []
