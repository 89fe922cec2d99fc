"""Leases on DFS writes through the real azure-storage-file-datalake clients: conditions and lease actions.

Sources: the DFS endpoint's error list (Microsoft.StorageDataLake/stable/2018-11-09/DataLakeStorage.json in
Azure/azure-rest-api-specs, responses/ErrorResponse: 412 LeaseIdMissing, LeaseIdMismatch, LeaseNotPresent,
LeaseLost, "resource" in the messages); the DataLake spec 2026-06-06 (LeaseAction on append and flush,
x-ms-lease-renewed, ProposedLeaseIdOptional + LeaseDurationMethod on Path - Create); the SDK's recorded tests
in Azure/azure-sdk-for-python sdk/storage/azure-storage-file-datalake/tests/test_file*.py
(test_append_data_lease_action, test_flush_data_lease_action, test_create_file_proposed_lease_id,
test_create_file_with_lease_id); microsoft/AzureStorageExplorer#2790 for directories with leased files.
"""

from __future__ import annotations

import uuid

import pytest
from azure.core.exceptions import HttpResponseError
from datalake_env import ACCOUNT, make_lake

DATA = b"Hello world"


@pytest.fixture
def lake(any_clients):
    make_lake(any_clients)
    return any_clients.datalake(ACCOUNT).create_file_system("landing")


@pytest.fixture
def file(lake):
    client = lake.get_file_client("transaccion/a.data")
    client.upload_data(b"v1", overwrite=True)
    return client


def _code(exc: pytest.ExceptionInfo) -> tuple[int, str]:
    return exc.value.status_code, exc.value.error_code


def _refused(write, expected: tuple[int, str], what: str = "") -> None:
    with pytest.raises(HttpResponseError) as exc:
        write()
    assert _code(exc) == expected, what
    assert "resource" in str(exc.value)  # the DFS endpoint says "resource", the Blob one "blob"


def _writes(file, lease):
    """Every DFS write of a file, each taking the lease id it should carry (None: no x-ms-lease-id)."""
    return {
        "create": lambda: file.create_file(lease=lease),
        "append": lambda: file.append_data(b"x", 2, 1, lease=lease),
        "flush": lambda: file.flush_data(2, lease=lease),
        "set ACL": lambda: file.set_access_control(permissions="rwxr-x---", lease=lease),
        "rename source": lambda: file.rename_file("landing/transaccion/b.data", source_lease=lease),
        "delete": lambda: file.delete_file(lease=lease),
    }


def test_dfs_writes_of_a_leased_file_without_or_with_another_lease_id_are_412(file):
    file.acquire_lease(lease_duration=60)
    for name, write in _writes(file, None).items():
        _refused(write, (412, "LeaseIdMissing"), name)
    for name, write in _writes(file, str(uuid.uuid4())).items():
        _refused(write, (412, "LeaseIdMismatch"), name)  # the Blob endpoint's LeaseIdMismatchWithBlobOperation
    assert file.download_file().readall() == b"v1"


def test_dfs_writes_with_the_lease_id_succeed_and_keep_the_lease(file):
    lease = file.acquire_lease(lease_duration=60)
    writes = _writes(file, lease)
    for name in ("append", "flush", "set ACL", "create"):
        writes[name]()
    assert file.get_file_properties().lease.state == "leased"  # create emptied the file, kept the lease
    file.append_data(b"abc", 0, 3, lease=lease)
    file.flush_data(3, lease=lease)
    assert file.download_file().readall() == b"abc"
    renamed = writes["rename source"]()
    assert renamed.get_file_properties().lease.state == "leased"
    renamed.delete_file(lease=lease)
    assert not renamed.exists()


def test_a_lease_id_on_an_unleased_file_or_an_expired_lease_is_412(file, emulator):
    _refused(lambda: file.append_data(b"x", 2, 1, lease=str(uuid.uuid4())), (412, "LeaseNotPresent"))
    lease = file.acquire_lease(lease_duration=15)
    emulator.clock.offset += 16  # nobody renewed it
    _refused(lambda: file.flush_data(2, lease=lease), (412, "LeaseLost"))
    file.flush_data(2)  # an expired lease no longer locks the file


def test_append_lease_actions_acquire_renew_release(file, emulator):
    lease_id = "670d43d1-ecde-4ae9-9c37-d22d340e7719"  # as the SDK's test_append_data_lease_action
    file.append_data(DATA, 2, len(DATA), lease_action="acquire", lease_duration=30, lease=lease_id)
    props = file.get_file_properties()
    assert (props.lease.state, props.lease.duration) == ("leased", "fixed")
    _refused(lambda: file.flush_data(2 + len(DATA)), (412, "LeaseIdMissing"))  # the append took the lease
    emulator.clock.offset += 20
    answer = file.append_data(DATA, 2, len(DATA), lease_action="auto-renew", lease=lease_id)
    assert answer["lease_renewed"] is True
    emulator.clock.offset += 20  # 40 s after the acquire: alive only because the append renewed it
    assert file.get_file_properties().lease.state == "leased"
    file.append_data(DATA, 2, len(DATA), lease_action="release", lease=lease_id)  # release waits for a flush
    assert file.get_file_properties().lease.state == "leased"
    file.append_data(DATA, 2, len(DATA), flush=True, lease_action="release", lease=lease_id)
    props = file.get_file_properties()
    assert (props.lease.state, props.lease.duration, props.size) == ("available", None, 2 + len(DATA))
    file.append_data(b"!", props.size, 1, flush=True, lease_action="acquire-release", lease=lease_id)
    assert file.get_file_properties().lease.state == "available"
    assert file.download_file().readall() == b"v1" + DATA + b"!"


def test_flush_lease_actions_acquire_renew_release(file):
    lease_id = "c8107e94-ab42-42ac-92d6-6458764982af"  # as the SDK's test_flush_data_lease_action
    file.append_data(DATA, 2, len(DATA))
    file.flush_data(2 + len(DATA), lease_action="acquire", lease_duration=30, lease=lease_id)
    assert file.get_file_properties().lease.state == "leased"
    size = 2 + len(DATA)
    file.append_data(DATA, size, len(DATA), lease=lease_id)
    assert file.flush_data(size + len(DATA), lease_action="auto-renew", lease=lease_id)["lease_renewed"]
    size += len(DATA)
    file.append_data(DATA, size, len(DATA), lease=lease_id)
    file.flush_data(size + len(DATA), lease_action="release", lease=lease_id)
    assert file.get_file_properties().lease.state == "available"
    size += len(DATA)
    file.append_data(DATA, size, len(DATA))
    file.flush_data(size + len(DATA), lease_action="acquire-release", lease=lease_id)
    props = file.get_file_properties()
    assert (props.lease.state, props.size) == ("available", size + len(DATA))


def test_acquiring_with_a_write_on_someone_elses_lease_is_409(file):
    file.acquire_lease(lease_duration=60)
    with pytest.raises(HttpResponseError) as exc:
        file.flush_data(2, lease_action="acquire", lease_duration=30, lease=str(uuid.uuid4()))
    assert _code(exc) == (409, "LeaseAlreadyPresent")  # as Path - Lease acquire answers it


def test_an_unknown_lease_action_or_bad_duration_is_400(file):
    with pytest.raises(HttpResponseError) as exc:
        file.flush_data(2, lease_action="steal", lease=str(uuid.uuid4()))
    assert _code(exc) == (400, "InvalidHeaderValue")
    with pytest.raises(HttpResponseError) as exc:
        file.flush_data(2, lease_action="acquire", lease_duration=5, lease=str(uuid.uuid4()))
    assert _code(exc) == (400, "InvalidHeaderValue")
    assert file.get_file_properties().lease.state == "available"


def test_create_file_with_a_proposed_lease_id_leases_it(lake):
    file = lake.get_file_client("transaccion/new.data")
    lease_id = "4cf4e284-f6a8-4540-b53e-c3469af032dc"  # as the SDK's test_create_file_proposed_lease_id
    file.create_file(lease_id=lease_id, lease_duration=15)
    props = file.get_file_properties()
    assert (props.lease.status, props.lease.state, props.lease.duration) == ("locked", "leased", "fixed")
    _refused(lambda: file.append_data(b"x", 0, 1), (412, "LeaseIdMissing"))
    file.append_data(b"x", 0, 1, lease=lease_id)


def test_a_directory_with_a_leased_file_is_still_deleted(lake):
    """The Storage platform team, in microsoft/AzureStorageExplorer#2790: by design, as a container is."""
    leased = lake.get_file_client("zona/dia/a.data")
    leased.upload_data(b"1", overwrite=True)
    leased.acquire_lease(lease_duration=-1)
    lake.get_directory_client("zona").delete_directory()
    assert not leased.exists()
    assert not lake.get_directory_client("zona").exists()


def test_path_lease_over_the_dfs_endpoint_names_the_path_a_resource(clients):
    """Path - Lease (POST, DFS endpoint): same codes as Lease Blob, the DFS list's wording ("resource")."""
    make_lake(clients)
    clients.datalake(ACCOUNT).create_file_system("landing").get_file_client("a.data").upload_data(b"1", overwrite=True)
    token = clients.credential.get_token("https://storage.azure.com/.default").token
    headers = {"Authorization": f"Bearer {token}", "x-ms-version": "2023-11-03", "x-ms-lease-action": "renew",
               "x-ms-lease-id": str(uuid.uuid4())}
    answer = clients.http_session().post(f"https://{ACCOUNT}.dfs.core.windows.net/landing/a.data", headers=headers)
    assert (answer.status_code, answer.headers["x-ms-error-code"]) == (409, "LeaseNotPresentWithLeaseOperation")
    assert "resource" in answer.json()["error"]["message"]
