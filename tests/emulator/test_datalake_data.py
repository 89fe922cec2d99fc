"""Bytes through the data plane: chunked parallel uploads, ranged reads, server-side copy, and a model check."""

from __future__ import annotations

import itertools
import os

import pytest
from azure.core.exceptions import HttpResponseError
from datalake_env import ACCOUNT, blob_client, make_lake
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MIB = 1024 * 1024


@pytest.fixture
def svc(any_clients):
    make_lake(any_clients)
    return any_clients.datalake(ACCOUNT)


def test_chunked_parallel_upload_and_ranged_download(svc, emulator):
    fs = svc.create_file_system("landing")
    data = os.urandom(10 * MIB + 12345)
    file = fs.get_file_client("big/blob.bin")
    since = emulator.store.last_request_seq()
    file.upload_data(data, overwrite=True, chunk_size=4 * MIB, max_concurrency=3)
    appends = [r for r in emulator.request_log(since) if "action=append" in r["url"]]
    assert len(appends) == 3 and {r["status"] for r in appends} == {202}
    assert file.get_file_properties().size == len(data)
    assert file.download_file(max_concurrency=3).readall() == data
    for offset, length in ((0, 1), (4 * MIB - 7, 20), (7 * MIB, 3 * MIB), (len(data) - 5, 5)):
        assert file.download_file(offset=offset, length=length).readall() == data[offset:offset + length]


def test_server_side_copy_between_filesystems(any_clients, svc):
    lake, work = svc.create_file_system("landing"), svc.create_file_system("dfs")
    data = os.urandom(MIB + 3)
    lake.get_file_client("transaccion/2026/part-0.parquet").upload_data(data, overwrite=True)
    source = blob_client(any_clients, ACCOUNT, "landing", "transaccion/2026/part-0.parquet")
    target = blob_client(any_clients, ACCOUNT, "dfs", "objects/inputs/part-0.parquet")
    copy = target.start_copy_from_url(source.url)
    assert copy["copy_status"] == "success"  # the emulator finishes a copy before it answers
    props = target.get_blob_properties()
    assert (props.copy.status, props.copy.id, props.copy.progress) == ("success", copy["copy_id"],
                                                                       f"{len(data)}/{len(data)}")
    assert work.get_file_client("objects/inputs/part-0.parquet").download_file().readall() == data
    assert [p.name for p in work.get_paths()] == ["objects", "objects/inputs", "objects/inputs/part-0.parquet"]
    again = blob_client(any_clients, ACCOUNT, "dfs", "objects/inputs/copy2.parquet")
    again.upload_blob_from_url(source.url)  # Put Blob From URL (synchronous copy)
    assert work.get_file_client("objects/inputs/copy2.parquet").get_file_properties().size == len(data)


def test_copy_of_a_missing_source_fails(any_clients, svc):
    svc.create_file_system("landing")
    svc.create_file_system("dfs")
    target = blob_client(any_clients, ACCOUNT, "dfs", "x")
    with pytest.raises(HttpResponseError) as exc:
        target.start_copy_from_url(blob_client(any_clients, ACCOUNT, "landing", "missing").url)
    assert exc.value.status_code == 404 and exc.value.error_code == "CannotVerifyCopySource"


def test_blob_api_writes_and_lists(any_clients, svc):
    fs = svc.create_file_system("landing")
    blob_client(any_clients, ACCOUNT, "landing", "a/b/c.txt").upload_blob(b"hello", metadata={"k": "v"})
    assert [p.name for p in fs.get_paths()] == ["a", "a/b", "a/b/c.txt"]
    from azure.storage.blob import ContainerClient
    container = ContainerClient.from_container_url(blob_client(any_clients, ACCOUNT, "landing", "x").url.rsplit("/", 1)[0],
                                                   credential=any_clients.credential, **any_clients._data_kwargs())
    assert [b.name for b in container.list_blobs()] == ["a", "a/b", "a/b/c.txt"]
    assert sorted(b.name for b in container.walk_blobs()) == ["a", "a/"]
    assert fs.get_file_client("a/b/c.txt").get_file_properties().metadata == {"k": "v"}


def test_a_hierarchical_listing_shows_directories_as_blobs_with_their_metadata(any_clients, svc):
    """With a hierarchical namespace, directories are zero-length blobs in List Blobs (with hdi_isfolder in
    their metadata), beside the BlobPrefix of each that holds something."""
    fs = svc.create_file_system("dfs")
    fs.create_directory("objects/inputs", metadata={"azlake_environment": "bda000"})
    fs.create_directory("objects/scripts")
    fs.get_file_client("objects/inputs/a.csv").create_file()
    fs.get_file_client("objects/readme").create_file(metadata={"k": "v"})
    from azure.storage.blob import BlobPrefix
    container = any_clients.blob(ACCOUNT).get_container_client("dfs")
    items = list(container.walk_blobs(name_starts_with="objects/", include=["metadata"], delimiter="/"))
    assert [(i.name, "prefix") for i in items if isinstance(i, BlobPrefix)] == [("objects/inputs/", "prefix")]
    blobs = {i.name: (i.size, i.metadata) for i in items if not isinstance(i, BlobPrefix)}
    assert blobs == {"objects/inputs": (0, {"azlake_environment": "bda000", "hdi_isfolder": "true"}),
                     "objects/scripts": (0, {"hdi_isfolder": "true"}), "objects/readme": (0, {"k": "v"})}


# --- model-based check ----------------------------------------------------------------------------------
DIRS = ("d0", "d1", "d2")
FILES = tuple(f"{d}/f{i}" for d in DIRS for i in range(3))
_names = st.sampled_from(FILES)
_data = st.binary(min_size=1, max_size=64)
OPS = st.one_of(
    st.tuples(st.just("put"), _names, _data), st.tuples(st.just("append"), _names, _data),
    st.tuples(st.just("flush"), _names), st.tuples(st.just("read"), _names),
    st.tuples(st.just("rename"), _names, _names), st.tuples(st.just("delete"), _names),
    st.tuples(st.just("rmdir"), st.sampled_from(DIRS)),
    st.tuples(st.just("mvdir"), st.sampled_from(DIRS), st.sampled_from(DIRS)))
_counter = itertools.count()


class Model:
    """What ADLS promises, in a few dicts: committed bytes, staged bytes, existing directories."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.staged: dict[str, bytes] = {}
        self.dirs: set[str] = set()

    def expect(self, op: tuple) -> str | None:
        """Apply `op`; return the error code Azure answers, or None."""
        kind, name = op[0], op[1]
        if kind == "put":
            self.files[name], self.staged[name] = op[2], b""
            self.dirs.add(name.split("/")[0])
        elif kind == "rmdir":
            if name not in self.dirs:
                return "PathNotFound"
            self.dirs.discard(name)
            for f in [f for f in self.files if f.startswith(name + "/")]:
                del self.files[f], self.staged[f]
        elif kind == "mvdir":
            return self._move_dir(name, op[2])
        elif name not in self.files:
            # reads go through the Blob endpoint, which names the error its own way
            return {"rename": "SourcePathNotFound", "read": "BlobNotFound"}.get(kind, "PathNotFound")
        elif kind == "append":
            self.staged[name] += op[2]
        elif kind == "flush":
            self.files[name], self.staged[name] = self.files[name] + self.staged[name], b""
        elif kind == "delete":
            del self.files[name], self.staged[name]
        elif kind == "rename" and op[2] != name:
            if op[2].split("/")[0] not in self.dirs:
                return "RenameDestinationParentPathNotFound"
            self.files[op[2]], self.staged[op[2]] = self.files.pop(name), self.staged.pop(name)
        return None

    def _move_dir(self, src: str, dst: str) -> str | None:
        if src not in self.dirs:
            return "SourcePathNotFound"
        if src == dst:
            return None
        if dst in self.dirs:
            return "PathAlreadyExists"
        self.dirs = (self.dirs - {src}) | {dst}
        for f in [f for f in self.files if f.startswith(src + "/")]:
            moved = dst + f[len(src):]
            self.files[moved], self.staged[moved] = self.files.pop(f), self.staged.pop(f)
        return None


def _apply(fs, end: int, op: tuple):
    """Make the SDK call of `op`; `end` is the file's committed + staged length before it."""
    kind, file = op[0], fs.get_file_client(op[1])
    if kind == "put":
        file.upload_data(op[2], overwrite=True)
    elif kind == "append":
        file.append_data(op[2], offset=end, length=len(op[2]))
    elif kind == "flush":
        file.flush_data(end)
    elif kind == "read":
        return file.download_file().readall()
    elif kind == "rename":
        file.rename_file(f"{fs.file_system_name}/{op[2]}")
    elif kind == "delete":
        file.delete_file()
    elif kind == "rmdir":
        fs.get_directory_client(op[1]).delete_directory()
    elif kind == "mvdir":
        fs.get_directory_client(op[1]).rename_directory(f"{fs.file_system_name}/{op[2]}")
    return None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, max_size=16))
def test_random_operations_agree_with_a_model(clients, ops):
    """In-process only: every operation here also runs over HTTPS in the tests above."""
    if not getattr(clients, "_lake_ready", False):  # hypothesis reuses the fixture across examples
        make_lake(clients)
        clients._lake_ready = True
    fs = clients.datalake(ACCOUNT).create_file_system(f"model{next(_counter)}")
    model = Model()
    for op in ops:
        end = len(model.files.get(op[1], b"")) + len(model.staged.get(op[1], b""))
        expected_error = model.expect(op)
        try:
            got = _apply(fs, end, op)
        except HttpResponseError as exc:
            assert exc.error_code == expected_error, (op, exc.error_code)
            continue
        assert expected_error is None, (op, "succeeded but Azure answers", expected_error)
        if op[0] == "read":
            assert got == model.files[op[1]]
    listed = {(p.name, p.is_directory, p.content_length) for p in fs.get_paths()}
    assert listed == ({(d, True, 0) for d in model.dirs} | {(f, False, len(b)) for f, b in model.files.items()})


def test_flat_account_blobs_have_no_directories(any_clients):
    make_lake(any_clients, hns=False)
    any_clients.datalake(ACCOUNT).create_file_system("flat")
    blob = blob_client(any_clients, ACCOUNT, "flat", "a/b.txt")
    blob.upload_blob(b"x")
    assert blob.download_blob().readall() == b"x"
    from azure.storage.blob import ContainerClient
    container = ContainerClient.from_container_url(blob.url.rsplit("/", 2)[0], credential=any_clients.credential,
                                                   **any_clients._data_kwargs())
    assert [b.name for b in container.list_blobs()] == ["a/b.txt"]


def test_transient_faults_on_the_data_plane_are_retried(clients, emulator):
    make_lake(clients)
    fs = clients.datalake(ACCOUNT).create_file_system("landing")
    emulator.add_fault(kind="status", status=503, count=1, method="PATCH", service="storage", retry_after=0)
    emulator.add_fault(kind="drop", count=1, method="GET", service="storage")
    since = emulator.store.last_request_seq()
    fs.get_file_client("f.txt").upload_data(b"payload", overwrite=True)
    assert fs.get_file_client("f.txt").download_file().readall() == b"payload"
    codes = [(r["method"], r["status"]) for r in emulator.request_log(since)]
    assert ("PATCH", 503) in codes and ("GET", 0) in codes


def test_blob_delete_works_on_both_kinds_of_account(any_clients):
    make_lake(any_clients, hns=False)
    any_clients.datalake(ACCOUNT).create_file_system("flat")
    blob = blob_client(any_clients, ACCOUNT, "flat", "a/b.txt")
    blob.upload_blob(b"x")
    blob.delete_blob()
    assert blob.exists() is False
    make_lake(any_clients, "sthns")
    fs = any_clients.datalake("sthns").create_file_system("lake")
    fs.get_file_client("d/f.txt").upload_data(b"1", overwrite=True)
    blob_client(any_clients, "sthns", "lake", "d/f.txt").delete_blob()
    assert [p.name for p in fs.get_paths()] == ["d"]


def test_copy_from_another_account_needs_source_authorization(any_clients, svc):
    svc.create_file_system("landing").get_file_client("f.bin").upload_data(b"abc", overwrite=True)
    make_lake(any_clients, "stother")
    any_clients.datalake("stother").create_file_system("dfs")
    source = blob_client(any_clients, ACCOUNT, "landing", "f.bin").url
    target = blob_client(any_clients, "stother", "dfs", "f.bin")
    with pytest.raises(HttpResponseError) as exc:
        target.upload_blob_from_url(source)
    assert exc.value.status_code == 403 and exc.value.error_code == "CannotVerifyCopySource"
    token = any_clients.credential.get_token("https://storage.azure.com/.default").token
    target.upload_blob_from_url(source, source_authorization=f"Bearer {token}")
    assert target.download_blob().readall() == b"abc"


def test_put_blob_on_a_hierarchical_account_keeps_the_namespace_whole(any_clients, svc):
    """What `lake put` relies on when a small file goes up with one Put Blob (sources in each comment)."""
    fs = svc.create_file_system("landing")
    blob_client(any_clients, ACCOUNT, "landing", "a/b/c.txt").upload_blob(b"hello")
    # Parents are real directories, made by the upload (azure-storage-fuse#866, a maintainer: on a hierarchical
    # account "all those intermediate directories will be added when uploading the file"); List Blobs shows
    # them as zero-length blobs marked hdi_isfolder=true (az CLI's recorded test_storage_adls_blob).
    container = any_clients.blob(ACCOUNT).get_container_client("landing")
    listed = {b.name: (b.size, dict(b.metadata or {})) for b in container.list_blobs(include=["metadata"])}
    assert listed == {"a": (0, {"hdi_isfolder": "true"}), "a/b": (0, {"hdi_isfolder": "true"}), "a/b/c.txt": (5, {})}
    assert [(p.name, p.is_directory) for p in fs.get_paths()] == [("a", True), ("a/b", True), ("a/b/c.txt", False)]
    # A file where a directory is, or under a file, is refused with 409 and leaves the namespace as it was
    # (Azure's message for it, seen in azure-storage-azcopy#798: "...exists and its resource type is invalid").
    for name in ("a/b", "a/b/c.txt/d"):
        with pytest.raises(HttpResponseError) as exc:
            blob_client(any_clients, ACCOUNT, "landing", name).upload_blob(b"x", overwrite=True)
        assert exc.value.status_code == 409 and "resource type is invalid" in exc.value.message
    assert [(p.name, p.is_directory) for p in fs.get_paths()] == [("a", True), ("a/b", True), ("a/b/c.txt", False)]
    # Either API may overwrite a file the other wrote (data-lake-storage-known-issues, "Blob storage APIs").
    fs.get_file_client("d/f.txt").upload_data(b"123456", overwrite=True)
    blob_client(any_clients, ACCOUNT, "landing", "d/f.txt").upload_blob(b"xy", overwrite=True)
    assert fs.get_file_client("d/f.txt").download_file().readall() == b"xy"
    # Delete Blob removes a directory only when it is empty (same page).
    with pytest.raises(HttpResponseError) as exc:
        blob_client(any_clients, ACCOUNT, "landing", "a").delete_blob()
    assert exc.value.status_code == 409
    fs.create_directory("e")
    blob_client(any_clients, ACCOUNT, "landing", "e").delete_blob()
    assert "e" not in [p.name for p in fs.get_paths()]
