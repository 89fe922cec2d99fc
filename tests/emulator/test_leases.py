"""Blob, container and path leases through the real azure-storage-blob and azure-storage-file-datalake clients."""

from __future__ import annotations

import uuid

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobLeaseClient
from azure.storage.filedatalake import DataLakeLeaseClient
from datalake_env import ACCOUNT, blob_client, make_lake


@pytest.fixture
def blob(any_clients):
    make_lake(any_clients)
    any_clients.blob(ACCOUNT).create_container("locks")
    client = blob_client(any_clients, ACCOUNT, "locks", "env.lock")
    client.upload_blob(b"{}")
    return client


def _code(exc: pytest.ExceptionInfo) -> tuple[int, str]:
    return exc.value.status_code, exc.value.error_code


def test_acquire_then_a_second_acquire_is_409_lease_already_present(blob):
    mine = BlobLeaseClient(blob)
    mine.acquire(lease_duration=60)
    props = blob.get_blob_properties()
    assert (props.lease.status, props.lease.state, props.lease.duration) == ("locked", "leased", "fixed")
    with pytest.raises(HttpResponseError) as exc:
        BlobLeaseClient(blob).acquire(lease_duration=60)
    assert _code(exc) == (409, "LeaseAlreadyPresent")
    mine.acquire(lease_duration=-1)  # the holder may acquire again with its own id: a new duration
    assert blob.get_blob_properties().lease.duration == "infinite"


def test_a_proposed_id_is_the_lease_id_and_release_frees_it(blob):
    wanted = str(uuid.uuid4())
    lease = BlobLeaseClient(blob, lease_id=wanted)
    lease.acquire(lease_duration=15)
    assert lease.id == wanted
    lease.release()
    assert blob.get_blob_properties().lease.state == "available"
    BlobLeaseClient(blob).acquire(lease_duration=15)


def test_writes_to_a_leased_blob_need_the_lease_id(blob):
    lease = BlobLeaseClient(blob)
    lease.acquire(lease_duration=60)
    with pytest.raises(HttpResponseError) as exc:
        blob.upload_blob(b"other", overwrite=True)
    assert _code(exc) == (412, "LeaseIdMissing")
    with pytest.raises(HttpResponseError) as exc:
        blob.upload_blob(b"other", overwrite=True, lease=str(uuid.uuid4()))
    assert _code(exc) == (412, "LeaseIdMismatchWithBlobOperation")
    for write in (lambda: blob.set_blob_metadata({"a": "b"}), lambda: blob.delete_blob()):
        with pytest.raises(HttpResponseError) as exc:
            write()
        assert _code(exc) == (412, "LeaseIdMissing")
    blob.upload_blob(b"mine", overwrite=True, lease=lease)
    assert blob.download_blob().readall() == b"mine"
    assert blob.get_blob_properties().lease.state == "leased"  # a write keeps the lease


def test_a_lease_id_on_an_unleased_blob_is_412(blob):
    with pytest.raises(HttpResponseError) as exc:
        blob.upload_blob(b"x", overwrite=True, lease=str(uuid.uuid4()))
    assert _code(exc) == (412, "LeaseNotPresentWithBlobOperation")


def test_renew_change_release_with_a_wrong_or_no_lease(blob):
    with pytest.raises(HttpResponseError) as exc:
        BlobLeaseClient(blob, lease_id=str(uuid.uuid4())).renew()
    assert _code(exc) == (409, "LeaseNotPresentWithLeaseOperation")
    lease = BlobLeaseClient(blob)
    lease.acquire(lease_duration=30)
    stranger = BlobLeaseClient(blob, lease_id=str(uuid.uuid4()))
    for action in (stranger.renew, stranger.release, lambda: stranger.change(str(uuid.uuid4()))):
        with pytest.raises(HttpResponseError) as exc:
            action()
        assert _code(exc) == (409, "LeaseIdMismatchWithLeaseOperation")
    new_id = str(uuid.uuid4())
    lease.change(new_id)
    assert lease.id == new_id
    lease.renew()
    blob.upload_blob(b"y", overwrite=True, lease=new_id)


def test_break_with_a_period_then_acquire_after_it(blob, emulator):
    lease = BlobLeaseClient(blob)
    lease.acquire(lease_duration=-1)
    assert BlobLeaseClient(blob).break_lease(lease_break_period=10) == 10
    assert blob.get_blob_properties().lease.state == "breaking"
    with pytest.raises(HttpResponseError) as exc:
        BlobLeaseClient(blob).acquire(lease_duration=15)
    assert _code(exc) == (409, "LeaseIsBreakingAndCannotBeAcquired")
    with pytest.raises(HttpResponseError) as exc:
        lease.renew()
    assert _code(exc) == (409, "LeaseIsBrokenAndCannotBeRenewed")
    emulator.clock.offset += 11
    assert blob.get_blob_properties().lease.state == "broken"
    blob.upload_blob(b"free", overwrite=True)  # a broken lease no longer locks writes
    BlobLeaseClient(blob).acquire(lease_duration=15)


def test_an_infinite_lease_breaks_at_once_and_a_fixed_one_expires(blob, emulator):
    BlobLeaseClient(blob).acquire(lease_duration=-1)
    assert BlobLeaseClient(blob).break_lease() == 0
    assert blob.get_blob_properties().lease.state == "broken"
    crashed = BlobLeaseClient(blob)
    crashed.acquire(lease_duration=15)
    emulator.clock.offset += 16  # the holder never renewed
    assert blob.get_blob_properties().lease.state == "expired"
    crashed.renew()  # nobody took it meanwhile: the same id renews
    emulator.clock.offset += 16
    BlobLeaseClient(blob).acquire(lease_duration=15)  # someone else may take an expired lease
    with pytest.raises(HttpResponseError) as exc:
        crashed.renew()
    assert _code(exc) == (409, "LeaseIdMismatchWithLeaseOperation")


def test_bad_durations_and_missing_headers_are_400(blob):
    for seconds in (5, 61, 0):
        with pytest.raises(HttpResponseError) as exc:
            BlobLeaseClient(blob).acquire(lease_duration=seconds)
        assert _code(exc) == (400, "InvalidHeaderValue")


def test_container_lease_guards_its_deletion(any_clients):
    make_lake(any_clients)
    container = any_clients.blob(ACCOUNT).create_container("zone")
    lease = container.acquire_lease(lease_duration=60)
    with pytest.raises(HttpResponseError) as exc:
        container.delete_container()
    assert _code(exc) == (412, "LeaseIdMissing")
    with pytest.raises(HttpResponseError) as exc:
        container.acquire_lease(lease_duration=60)
    assert _code(exc) == (409, "LeaseAlreadyPresent")
    assert container.get_container_properties().lease.state == "leased"
    container.set_container_metadata({"k": "v"})  # metadata needs no lease id on a container
    container.delete_container(lease=lease)


def test_a_container_delete_with_the_wrong_lease_names_the_container_operation(any_clients):
    make_lake(any_clients)
    container = any_clients.blob(ACCOUNT).create_container("zone")
    lease = container.acquire_lease(lease_duration=60)
    with pytest.raises(HttpResponseError) as exc:
        container.delete_container(lease=str(uuid.uuid4()))
    assert _code(exc) == (412, "LeaseIdMismatchWithContainerOperation")
    released = lease.id
    lease.release()  # the SDK forgets the id of a released lease
    with pytest.raises(HttpResponseError) as exc:
        container.delete_container(lease=released)
    assert _code(exc) == (412, "LeaseNotPresentWithContainerOperation")
    container.delete_container()


def test_datalake_file_lease_guards_dfs_writes(any_clients):
    make_lake(any_clients)
    fs = any_clients.datalake(ACCOUNT).create_file_system("landing")
    file = fs.get_file_client("transaccion/a.data")
    file.upload_data(b"v1", overwrite=True)
    lease = file.acquire_lease(lease_duration=60)
    assert isinstance(lease, DataLakeLeaseClient)
    for write in (lambda: file.upload_data(b"v2", overwrite=True), lambda: file.append_data(b"x", 2, 1),
                  lambda: file.delete_file(), lambda: file.rename_file("landing/transaccion/b.data")):
        with pytest.raises(HttpResponseError) as exc:
            write()
        assert _code(exc) == (412, "LeaseIdMissing")
    file.upload_data(b"v2", overwrite=True, lease=lease)
    assert file.download_file().readall() == b"v2"
    assert file.get_file_properties().lease.state == "leased"
    lease.release()
    file.delete_file()


def test_dfs_path_lease_over_the_dfs_endpoint(clients):
    """Path - Lease (POST on the DFS endpoint) follows the same rules and answers the DFS dialect."""
    make_lake(clients)
    fs = clients.datalake(ACCOUNT).create_file_system("landing")
    fs.get_file_client("a.data").upload_data(b"1", overwrite=True)
    session = clients.http_session()
    url = f"https://{ACCOUNT}.dfs.core.windows.net/landing/a.data"
    token = clients.credential.get_token("https://storage.azure.com/.default").token
    headers = {"Authorization": f"Bearer {token}", "x-ms-version": "2023-11-03", "x-ms-lease-action": "acquire",
               "x-ms-lease-duration": "15"}
    first = session.post(url, headers=headers)
    assert first.status_code == 201 and first.headers["x-ms-lease-id"]
    second = session.post(url, headers=headers)
    assert second.status_code == 409 and second.headers["x-ms-error-code"] == "LeaseAlreadyPresent"
    assert second.json()["error"]["code"] == "LeaseAlreadyPresent"
    released = session.post(url, headers={**headers, "x-ms-lease-action": "release",
                                          "x-ms-lease-id": first.headers["x-ms-lease-id"]})
    assert released.status_code == 200
