"""ADLS Gen2 through the real DataLakeServiceClient: filesystems, directories, files, listing, rename, errors."""

from __future__ import annotations

import pytest
from azure.core import MatchConditions
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.storage.filedatalake import ContentSettings
from datalake_env import ACCOUNT, make_lake


@pytest.fixture
def svc(any_clients):
    make_lake(any_clients)
    return any_clients.datalake(ACCOUNT)


@pytest.fixture
def fs(svc):
    return svc.create_file_system("landing")


def test_filesystem_lifecycle(svc):
    fs = svc.create_file_system("landing", metadata={"azlake_environment": "ventas"})
    assert fs.exists() is True
    props = fs.get_file_system_properties()
    assert props.name == "landing" and props.metadata == {"azlake_environment": "ventas"}
    assert props.etag and props.last_modified
    fs.set_file_system_metadata({"owner": "data"})
    assert fs.get_file_system_properties().metadata == {"owner": "data"}
    svc.create_file_system("smart")
    listed = list(svc.list_file_systems(include_metadata=True))
    assert [(f.name, f.metadata) for f in listed] == [("landing", {"owner": "data"}), ("smart", {})]
    assert [f.name for f in svc.list_file_systems(name_starts_with="sm")] == ["smart"]
    svc.delete_file_system("landing")
    assert fs.exists() is False
    assert [f.name for f in svc.list_file_systems()] == ["smart"]


def test_list_file_systems_pages(svc):
    for i in range(5):
        svc.create_file_system(f"zone{i}")
    pages = list(svc.list_file_systems(results_per_page=2).by_page())
    assert [[f.name for f in page] for page in pages] == [["zone0", "zone1"], ["zone2", "zone3"], ["zone4"]]


def test_filesystem_errors(svc, fs):
    with pytest.raises(ResourceExistsError) as exc:
        svc.create_file_system("landing")
    assert exc.value.error_code == "ContainerAlreadyExists"
    with pytest.raises(ResourceNotFoundError) as exc:
        svc.get_file_system_client("missing").get_file_system_properties()
    assert exc.value.error_code == "ContainerNotFound"
    with pytest.raises(ResourceNotFoundError) as exc:
        list(svc.get_file_system_client("missing").get_paths())
    assert exc.value.error_code == "FilesystemNotFound"
    with pytest.raises(HttpResponseError) as exc:
        svc.create_file_system("Bad_Name")
    assert exc.value.error_code == "InvalidResourceName"
    assert "The specifed resource name contains invalid characters." in exc.value.message
    with pytest.raises(HttpResponseError) as exc:
        svc.create_file_system("ab")
    assert exc.value.error_code == "OutOfRangeInput"


def test_directories_files_and_properties(fs):
    directory = fs.create_directory("transaccion/2026", metadata={"azlake_environment": "ventas"})
    assert fs.get_directory_client("transaccion").exists()  # parents are created implicitly
    props = directory.get_directory_properties()
    assert props.metadata["azlake_environment"] == "ventas"
    assert props.owner and props.permissions == "rwxr-x---"
    file = directory.create_file("data.csv", content_settings=ContentSettings(content_type="text/csv"))
    file.append_data(b"a,b\n", offset=0, length=4)
    file.append_data(b"1,2\n", offset=4, length=4)
    assert file.get_file_properties().size == 0  # appended data is staged until flushed
    file.flush_data(8)
    fp = file.get_file_properties()
    assert (fp.size, fp.content_settings.content_type) == (8, "text/csv")
    file.set_metadata({"rows": "1"})
    file.set_http_headers(ContentSettings(content_type="application/csv", cache_control="no-cache"))
    fp = file.get_file_properties()
    assert fp.metadata == {"rows": "1"}
    assert (fp.content_settings.content_type, fp.content_settings.cache_control) == ("application/csv", "no-cache")
    assert file.download_file().readall() == b"a,b\n1,2\n"
    directory.set_metadata({"k": "v"})
    # as in Azure, the Blob view of an HNS directory carries the hdi_isfolder marker in its metadata
    assert directory.get_directory_properties().metadata == {"k": "v", "hdi_isfolder": "true"}


def test_exists_and_etags(fs):
    file = fs.get_file_client("a.txt")
    assert file.exists() is False
    file.upload_data(b"one", overwrite=True)
    assert file.exists() is True
    first = file.get_file_properties().etag
    file.upload_data(b"two", overwrite=True)
    assert file.get_file_properties().etag != first
    with pytest.raises(ResourceModifiedError):
        file.delete_file(etag=first, match_condition=MatchConditions.IfNotModified)
    assert file.download_file().readall() == b"two"


def test_upload_without_overwrite_follows_azure(fs):
    """As in Azure: upload_data(overwrite=False) appends to an existing file only (SDK issue 16166)."""
    file = fs.get_file_client("new.txt")
    with pytest.raises(ResourceNotFoundError) as exc:
        file.upload_data(b"x")
    assert exc.value.error_code == "PathNotFound"
    file.create_file()
    with pytest.raises(ResourceModifiedError) as exc:
        file.upload_data(b"x")
    assert exc.value.error_code == "ConditionNotMet"


def test_ranged_reads(fs):
    file = fs.get_file_client("r.bin")
    data = bytes(range(256)) * 10
    file.upload_data(data, overwrite=True)
    assert file.download_file(offset=100, length=50).readall() == data[100:150]
    assert file.download_file(offset=2500).readall() == data[2500:]
    assert file.download_file(offset=2550, length=100).readall() == data[2550:]
    with pytest.raises(HttpResponseError) as exc:
        file.download_file(offset=5000, length=1).readall()
    assert exc.value.status_code == 416 and exc.value.error_code == "InvalidRange"
    empty = fs.get_file_client("empty.bin")
    empty.create_file()
    assert empty.download_file().readall() == b""


def test_a_content_md5_sent_is_stored_and_answered_unchecked(fs, any_clients):
    import hashlib

    from azure.storage.blob import ContentSettings as BlobContentSettings

    data = b"1;2;3\n" * 50
    md5 = bytearray(hashlib.md5(data).digest())
    file = fs.get_file_client("dfs.csv")  # Data Lake: sent on create and flush as x-ms-content-md5
    file.upload_data(data, overwrite=True, content_settings=ContentSettings(content_md5=md5))
    assert file.get_file_properties().content_settings.content_md5 == md5
    # a ranged read names the whole file's hash apart (x-ms-blob-content-md5); the SDK reads it from there
    assert file.download_file(offset=0, length=10).properties.content_settings.content_md5 == md5
    # the Blob API of the same filesystem: Put Blob with x-ms-blob-content-md5, not checked against the bytes
    put = any_clients.blob(ACCOUNT).get_container_client("landing").get_blob_client("put.csv")
    wrong = bytearray(16)
    put.upload_blob(data, overwrite=True, content_settings=BlobContentSettings(content_md5=wrong))
    assert fs.get_file_client("put.csv").get_file_properties().content_settings.content_md5 == wrong
    put.upload_blob(data, overwrite=True)  # replaced without one: none kept
    assert fs.get_file_client("put.csv").get_file_properties().content_settings.content_md5 is None


def test_list_paths_recursive_flat_and_paged(fs):
    for path in ("b/x.txt", "a/y/z.txt", "a-1.txt", "a/w.txt"):
        fs.get_file_client(path).upload_data(b"1", overwrite=True)
    recursive = [p.name for p in fs.get_paths()]
    assert recursive == ["a", "a/w.txt", "a/y", "a/y/z.txt", "a-1.txt", "b", "b/x.txt"]
    top = [(p.name, p.is_directory) for p in fs.get_paths(recursive=False)]
    assert top == [("a", True), ("a-1.txt", False), ("b", True)]
    assert [p.name for p in fs.get_paths(path="a", recursive=False)] == ["a/w.txt", "a/y"]
    pages = list(fs.get_paths(max_results=3).by_page())
    assert [[p.name for p in page] for page in pages] == [recursive[:3], recursive[3:6], recursive[6:]]
    assert [p.name for p in fs.get_paths(path="a/w.txt")] == ["a/w.txt"]
    with pytest.raises(ResourceNotFoundError) as exc:
        list(fs.get_paths(path="nope"))
    assert exc.value.error_code == "PathNotFound"


def test_rename_within_and_across_filesystems(svc, fs):
    fs.get_file_client("in/one.txt").upload_data(b"1", overwrite=True)
    fs.get_file_client("in/sub/two.txt").upload_data(b"22", overwrite=True)
    fs.create_directory("out")
    moved = fs.get_directory_client("in").rename_directory("landing/out/in")
    assert moved.path_name == "out/in"
    assert [p.name for p in fs.get_paths()] == ["out", "out/in", "out/in/one.txt", "out/in/sub", "out/in/sub/two.txt"]
    other = svc.create_file_system("smart")
    f = fs.get_file_client("out/in/sub/two.txt").rename_file("smart/two.txt")
    assert f.download_file().readall() == b"22"
    assert [p.name for p in other.get_paths()] == ["two.txt"]
    assert not fs.get_file_client("out/in/sub/two.txt").exists()


def test_rename_errors(fs):
    with pytest.raises(ResourceNotFoundError) as exc:
        fs.get_file_client("missing.txt").rename_file("landing/x.txt")
    assert exc.value.error_code == "SourcePathNotFound"
    fs.get_file_client("a.txt").upload_data(b"1", overwrite=True)
    with pytest.raises(ResourceNotFoundError) as exc:
        fs.get_file_client("a.txt").rename_file("landing/no/such/dir/a.txt")
    assert exc.value.error_code == "RenameDestinationParentPathNotFound"
    fs.create_directory("d/e")
    with pytest.raises(HttpResponseError) as exc:
        fs.get_directory_client("d").rename_directory("landing/d/e/d")
    assert exc.value.error_code == "InvalidDestinationPath"


def test_delete_directory_and_errors(fs):
    fs.get_file_client("d/f.txt").upload_data(b"1", overwrite=True)
    with pytest.raises(ResourceExistsError) as exc:  # the SDK maps 409 to ResourceExistsError
        fs.get_directory_client("d")._delete(recursive=False)
    assert exc.value.error_code == "DirectoryNotEmpty"
    fs.delete_directory("d")
    assert list(fs.get_paths()) == []
    with pytest.raises(ResourceNotFoundError) as exc:
        fs.delete_file("d/f.txt")
    assert exc.value.error_code == "PathNotFound"


def test_create_conflicts(fs):
    fs.create_directory("d")
    with pytest.raises(ResourceExistsError) as exc:
        fs.get_directory_client("d").create_directory(match_condition=MatchConditions.IfMissing)
    assert exc.value.error_code == "PathAlreadyExists"
    fs.get_file_client("f").upload_data(b"1", overwrite=True)
    with pytest.raises(HttpResponseError) as exc:
        fs.get_file_client("f/child.txt").create_file()
    assert exc.value.error_code == "PathConflict"


def test_flush_must_cover_staged_data(fs):
    file = fs.create_file("f.bin")
    file.append_data(b"abc", offset=0, length=3)
    with pytest.raises(HttpResponseError) as exc:
        file.flush_data(5)
    assert exc.value.error_code == "InvalidFlushPosition"
    file.append_data(b"de", offset=3, length=2)
    file.flush_data(5)
    assert file.download_file().readall() == b"abcde"


def test_access_control_defaults_and_updates(fs):
    file = fs.get_file_client("secret.txt")
    file.upload_data(b"1", overwrite=True)
    acl = file.get_access_control()
    assert acl["permissions"] == "rw-r-----"
    assert acl["acl"] == "user::rw-,group::r--,other::---"
    file.set_access_control(permissions="rwx------")
    assert file.get_access_control()["permissions"] == "rwx------"


@pytest.mark.parametrize("name", ["with space/ñandú #1+2.csv", "año=2026/mes=01/part-0000.snappy.parquet"])
def test_names_with_special_characters(fs, name):
    fs.get_file_client(name).upload_data(b"x", overwrite=True)
    assert [p.name for p in fs.get_paths()][-1] == name
    assert fs.get_file_client(name).download_file().readall() == b"x"
    fs.get_file_client(name).rename_file(f"landing/{name}.bak")
    assert fs.get_file_client(name + ".bak").exists()


def test_error_bodies_follow_the_endpoint(clients):
    """Blob answers XML, DFS answers JSON, HEAD answers no body; `x-ms-error-code` always (raw HTTP)."""
    make_lake(clients)
    fs = clients.datalake(ACCOUNT).create_file_system("landing")
    token = clients.credential.get_token("https://storage.azure.com/.default").token
    session = clients.http_session()
    auth = {"Authorization": f"Bearer {token}", "x-ms-version": "2025-11-05"}
    blob = session.get(f"https://{ACCOUNT}.blob.core.windows.net/landing/missing", headers=auth)
    assert blob.status_code == 404 and blob.headers["x-ms-error-code"] == "BlobNotFound"
    assert blob.text.startswith("<?xml") and "<Code>BlobNotFound</Code>" in blob.text
    dfs = session.patch(f"https://{ACCOUNT}.dfs.core.windows.net/landing/missing?action=append&position=x",
                        headers=auth, data=b"1")
    assert dfs.status_code == 400 and dfs.json()["error"]["code"] == "InvalidQueryParameterValue"
    head = session.head(f"https://{ACCOUNT}.blob.core.windows.net/landing/missing", headers=auth)
    assert head.status_code == 404 and head.content == b"" and head.headers["x-ms-error-code"] == "BlobNotFound"
    fs.get_file_client("f").upload_data(b"123", overwrite=True)
    bad = session.get(f"https://{ACCOUNT}.blob.core.windows.net/landing/f", headers={**auth, "x-ms-range": "bytes=x-"})
    assert bad.status_code == 400 and bad.headers["x-ms-error-code"] == "InvalidHeaderValue"
    anonymous = session.get(f"https://{ACCOUNT}.blob.core.windows.net/landing/f")
    assert anonymous.status_code == 401 and anonymous.headers["x-ms-error-code"] == "NoAuthenticationInformation"
