"""Lake uploads vouch for their size with their own requests, and notice local files written to meanwhile."""

from __future__ import annotations

import pytest
from emulator.datalake_env import RG, make_lake

from azlake.azure import datalake, lake_folders
from azlake.errors import CloudError

ACCOUNT = "stuploads"


@pytest.fixture
def lake(clients):
    make_lake(clients, ACCOUNT)
    clients.storage.blob_containers.create(RG, ACCOUNT, "landing", {})
    return clients


def _tree(root, files: dict[str, bytes]):
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _blobs(lake):
    return lake.blob(ACCOUNT).get_container_client("landing")


def _sizes(lake, prefix: str) -> dict[str, int]:
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")
    return {p.name: p.content_length for p in fs.get_paths(path=prefix, recursive=True) if not p.is_directory}


def test_a_folder_put_is_one_listing_and_the_uploads_themselves(lake, tmp_path):
    big = bytes(range(256)) * (lake_folders.WHOLE // 256) + b"!"  # one byte over: the Data Lake API's upload
    local = _tree(tmp_path / "batch", {"a.csv": b"1,2\n", "sub/b.csv": b"3,4\n" * 100, "empty.txt": b"",
                                       "big.bin": big})
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")
    before = lake.emulator.store.last_request_seq()
    done = lake_folders.put_folder(fs, _blobs(lake), local, "lote", parallel=1)
    requests = [(r["method"], r["service"], r["url"].split("?")[0].rsplit("/landing/", 1)[-1])
                for r in lake.emulator.request_log(before)]
    assert done.sent == ["a.csv", "big.bin", "empty.txt", "sub/b.csv"] and done.bytes == 404 + len(big)
    # the listing that finds what is there already; then one Put Blob per small file (an empty one too) and
    # create+append+flush for the large one; no status request per file and no listing afterwards
    assert requests[0][0] == "GET" and len(requests) == 7, requests
    assert [(m, p) for m, _, p in requests[1:]] == [
        ("PUT", "lote/a.csv"), ("PUT", "lote/big.bin"), ("PATCH", "lote/big.bin"), ("PATCH", "lote/big.bin"),
        ("PUT", "lote/empty.txt"), ("PUT", "lote/sub/b.csv")]
    assert _sizes(lake, "lote") == {"lote/a.csv": 4, "lote/big.bin": len(big), "lote/empty.txt": 0,
                                    "lote/sub/b.csv": 400}
    assert fs.get_file_client("lote/sub/b.csv").download_file().readall() == b"3,4\n" * 100
    assert fs.get_directory_client("lote/sub").get_directory_properties().metadata.get("hdi_isfolder") == "true"


def test_a_small_file_replaces_what_was_there_even_when_empty(lake, tmp_path):
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")
    fs.get_file_client("lote/a.csv").upload_data(b"an older, longer content", overwrite=True)
    local = _tree(tmp_path / "batch", {"a.csv": b""})
    assert lake_folders.put_folder(fs, _blobs(lake), local, "lote", parallel=1).sent == ["a.csv"]
    assert fs.get_file_client("lote/a.csv").download_file().readall() == b""


def test_a_file_written_to_after_it_went_up_is_reported_and_sent_again_next_time(lake, tmp_path):
    local = _tree(tmp_path / "batch", {"a.csv": b"first", "b.csv": b"second"})
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")

    def append_to_the_first(done: int, total: int) -> None:
        if done == 1:  # a.csv is in the lake; someone keeps writing to it
            with open(local / "a.csv", "ab") as fh:
                fh.write(b" and more")

    with pytest.raises(CloudError) as exc:
        lake_folders.put_folder(fs, _blobs(lake), local, "lote", progress=append_to_the_first, parallel=1)
    assert exc.value.summary == "1 file(s) changed while they were uploaded: lote/a.csv"
    assert "run the same command again" in exc.value.hint
    again = lake_folders.put_folder(fs, _blobs(lake), local, "lote", parallel=1)
    assert again.sent == ["a.csv"] and again.skipped == ["b.csv"]
    assert fs.get_file_client("lote/a.csv").download_file().readall() == b"first and more"


def test_a_file_cut_short_before_its_upload_is_reported_as_changed(lake, tmp_path):
    local = _tree(tmp_path / "batch", {"a.csv": b"first", "b.csv": b"second, longer"})
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")

    def truncate_the_next(done: int, total: int) -> None:
        if done == 1:  # b.csv was listed with 14 bytes and has 2 when its upload reads it
            (local / "b.csv").write_bytes(b"se")

    with pytest.raises(CloudError) as exc:
        lake_folders.put_folder(fs, _blobs(lake), local, "lote", progress=truncate_the_next, parallel=1)
    assert exc.value.summary == "1 file(s) changed while they were uploaded: lote/b.csv"


def _requests(lake, before) -> list[tuple[str, str]]:
    """(method, API) of each request since `before`: the Blob API's host or the Data Lake API's."""
    return [(r["method"], r["url"].split("://", 1)[-1].split(".")[1]) for r in lake.emulator.request_log(before)]


def test_one_small_file_put_is_one_put_blob_and_notices_a_local_change(lake, tmp_path):
    source = tmp_path / "t.data"
    source.write_bytes(b"1;2;3\n")
    before = lake.emulator.store.last_request_seq()
    assert datalake.put(lake, ACCOUNT, "landing", "transaccion/t.data", source, metadata={"origin": "test"},
                        checksum=True) == 6
    assert _requests(lake, before) == [("PUT", "blob")]  # no create, append, flush or HEAD
    assert _sizes(lake, "transaccion") == {"transaccion/t.data": 6}
    props = lake.datalake(ACCOUNT).get_file_system_client("landing").get_file_client(
        "transaccion/t.data").get_file_properties()
    assert props.metadata == {"origin": "test"}
    assert bytes(props.content_settings.content_md5) == lake_folders.md5_of(source)

    def write_more(current: int, total: int | None) -> None:
        with open(source, "ab") as fh:
            fh.write(b"4;5;6\n")

    with pytest.raises(CloudError) as exc:
        datalake.put(lake, ACCOUNT, "landing", "transaccion/t.data", source, progress_hook=write_more)
    assert exc.value.summary == f"{source} changed while it was uploaded to landing/transaccion/t.data"


def test_one_empty_file_put_replaces_what_was_there(lake, tmp_path):
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")
    fs.get_file_client("transaccion/t.data").upload_data(b"an older, longer content", overwrite=True)
    (tmp_path / "t.data").write_bytes(b"")
    before = lake.emulator.store.last_request_seq()
    assert datalake.put(lake, ACCOUNT, "landing", "transaccion/t.data", tmp_path / "t.data") == 0
    assert _requests(lake, before) == [("PUT", "blob")]
    assert fs.get_file_client("transaccion/t.data").download_file().readall() == b""


def test_one_large_file_put_keeps_the_data_lake_flush(lake, tmp_path):
    source = tmp_path / "big.bin"
    source.write_bytes(bytes(range(256)) * (lake_folders.WHOLE // 256) + b"!")
    before = lake.emulator.store.last_request_seq()
    assert datalake.put(lake, ACCOUNT, "landing", "transaccion/big.bin", source, checksum=True) == \
        lake_folders.WHOLE + 1
    assert [m for m, _ in _requests(lake, before)] == ["PUT", "PATCH", "PATCH"]  # create, append, flush
    props = lake.datalake(ACCOUNT).get_file_system_client("landing").get_file_client(
        "transaccion/big.bin").get_file_properties()
    assert props.size == lake_folders.WHOLE + 1
    assert bytes(props.content_settings.content_md5) == lake_folders.md5_of(source)


def test_checksum_keeps_each_files_md5_so_the_next_checksum_put_skips_what_is_the_same(lake, tmp_path):
    big = bytes(range(256)) * (lake_folders.WHOLE // 256) + b"!"
    local = _tree(tmp_path / "batch", {"a.csv": b"aaaa", "b.csv": b"bbbb", "big.bin": big})
    fs = lake.datalake(ACCOUNT).get_file_system_client("landing")
    first = lake_folders.put_folder(fs, _blobs(lake), local, "lote", checksum=True, parallel=1)
    assert first.sent == ["a.csv", "b.csv", "big.bin"]
    for rel in first.sent:  # kept as each file's Content-MD5, by Put Blob and by the Data Lake flush alike
        stored = fs.get_file_client(f"lote/{rel}").get_file_properties().content_settings.content_md5
        assert bytes(stored) == lake_folders.md5_of(local / rel), rel
    (local / "b.csv").write_bytes(b"BBBB")  # the same size, other bytes
    again = lake_folders.put_folder(fs, _blobs(lake), local, "lote", checksum=True, parallel=1)
    assert again.sent == ["b.csv"] and again.skipped == ["a.csv", "big.bin"]
    assert fs.get_file_client("lote/b.csv").download_file().readall() == b"BBBB"
