"""Server-side copies between lake zones and the working filesystem, verification and the published mark."""

from __future__ import annotations

import pytest
from emulator.datalake_env import RG, make_lake

from azlake.jobs.layout import Location
from azlake.jobs.transfer import JOB_META, PUBLISHED_META, copy_tree, mark_published, remove_stale, unpublished, verify

ACCOUNT = "sttransfer"


@pytest.fixture
def lake(clients):
    make_lake(clients, ACCOUNT)
    for fs in ("smart", "dfs"):
        clients.storage.blob_containers.create(RG, ACCOUNT, fs, {})
    return clients


def put(clients, fs, path, data):
    clients.datalake(ACCOUNT).get_file_system_client(fs).get_file_client(path).upload_data(data, overwrite=True)


def read(clients, fs, path):
    return clients.datalake(ACCOUNT).get_file_system_client(fs).get_file_client(path).download_file().readall()


def test_a_tree_is_copied_verified_and_marked_without_downloading(lake):
    source, target = Location(ACCOUNT, "dfs", "objects/outputs/r"), Location(ACCOUNT, "smart", "reporte")
    files = {f"objects/outputs/r/{'sub/' if i % 3 == 0 else ''}part-{i:03d}": f"data {i}".encode() * i
             for i in range(1, 21)}
    for path, data in files.items():
        put(lake, "dfs", path, data)
    put(lake, "smart", "reporte/part-old", b"an earlier run")
    before = lake.emulator.store.last_request_seq()
    copied = copy_tree(lake, source, target)
    copy_requests = [r for r in lake.emulator.request_log(before) if r["method"] == "PUT"]
    reads = [r for r in lake.emulator.request_log(before) if r["method"] == "GET" and "part-" in r["url"]]
    assert len(copy_requests) == 20 and reads == []  # one Copy Blob per file, no byte read by the client
    verify(lake, target, copied)
    assert unpublished(lake, source) == sorted(files)
    mark_published(lake, source, copied, target)
    assert unpublished(lake, source) == []
    props = lake.datalake(ACCOUNT).get_file_system_client("dfs").get_file_client(
        "objects/outputs/r/sub/part-003").get_file_properties()
    assert props.metadata[PUBLISHED_META] == "smart/reporte/sub/part-003"
    # a file the user put there is never deleted: it is only reported
    assert remove_stale(lake, target, copied, "bda000/reporte") == ([], ["reporte/part-old"])
    assert read(lake, "smart", "reporte/part-old") == b"an earlier run"
    for path, data in files.items():
        assert read(lake, "smart", "reporte/" + path.removeprefix("objects/outputs/r/")) == data


def test_only_parts_the_same_job_published_before_are_replaced(lake):
    target = Location(ACCOUNT, "smart", "reporte")
    put(lake, "dfs", "objects/outputs/r/part-1", b"first run, part 1")
    put(lake, "dfs", "objects/outputs/r/part-2", b"first run, part 2")
    first = copy_tree(lake, Location(ACCOUNT, "dfs", "objects/outputs/r"), target,
                      metadata={JOB_META: "bda000/reporte"})
    assert remove_stale(lake, target, first, "bda000/reporte") == ([], [])
    put(lake, "smart", "reporte/notes.txt", b"written by a person")
    lake.datalake(ACCOUNT).get_file_system_client("dfs").get_directory_client("objects/outputs/r").delete_directory()
    put(lake, "dfs", "objects/outputs/r/part-1", b"second run, one part")
    second = copy_tree(lake, Location(ACCOUNT, "dfs", "objects/outputs/r"), target,
                       metadata={JOB_META: "bda000/reporte"})
    removed, foreign = remove_stale(lake, target, second, "bda000/reporte")
    assert removed == ["reporte/part-2"] and foreign == ["reporte/notes.txt"]
    assert read(lake, "smart", "reporte/part-1") == b"second run, one part"
    assert read(lake, "smart", "reporte/notes.txt") == b"written by a person"


def test_verify_notices_a_file_that_did_not_land(lake):
    from azlake.errors import CloudError
    from azlake.jobs.transfer import Copied
    put(lake, "smart", "reporte/a", b"12345")
    with pytest.raises(CloudError) as exc:
        verify(lake, Location(ACCOUNT, "smart", "reporte"), [Copied("x/a", "reporte/a", 6),
                                                              Copied("x/b", "reporte/b", 1)])
    assert "smart/reporte/a did not land in the lake as copied (5 bytes, expected 6)" in exc.value.summary
