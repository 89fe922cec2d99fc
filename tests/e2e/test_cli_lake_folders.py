"""`azlake lake put|get` of whole folders: one process, parallel, resumable, zone rules kept."""

from __future__ import annotations

from typer.testing import CliRunner

from azlake.cli.main import app

runner = CliRunner()


def _tree(root, files: dict[str, bytes]):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


FILES = {"a.csv": b"1,2\n", "sub/b.csv": b"3,4\n" * 100, "sub/deeper/c.json": b"{}", "empty.txt": b""}


def _practice(cli) -> str:
    assert cli("apply", "practice", "--auto-approve", "--no-ephemeral").exit_code == 0
    return str(cli.folder / "practice.yaml")


def test_a_folder_goes_up_whole_and_comes_back_the_same(cli, tmp_path):
    practice = _practice(cli)
    local = _tree(tmp_path / "batch", FILES)
    put = runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote/"])
    assert put.exit_code == 0, put.output
    assert "4 file(s)" in put.output and "0 already there" in put.output

    listing = runner.invoke(app, ["lake", "ls", practice, "landingtmp/lote", "-r"]).output
    for rel, data in FILES.items():
        assert f"{len(data)}  landingtmp/lote/{rel}" in listing

    back = tmp_path / "back"
    got = runner.invoke(app, ["lake", "get", practice, "landingtmp/lote", str(back)])
    assert got.exit_code == 0, got.output
    assert {p.relative_to(back).as_posix(): p.read_bytes() for p in back.rglob("*") if p.is_file()} == FILES


def test_a_second_put_sends_only_what_changed(cli, tmp_path):
    practice = _practice(cli)
    local = _tree(tmp_path / "batch", FILES)
    assert runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote"]).exit_code == 0
    (local / "a.csv").write_bytes(b"1,2,3\n")      # another size: sent again
    (local / "new.csv").write_bytes(b"5\n")         # new: sent
    again = runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote"])
    assert again.exit_code == 0, again.output
    assert "2 file(s)" in again.output and "3 already there (same size)" in again.output


def test_checksum_sends_a_file_of_the_same_size_and_other_content(cli, tmp_path):
    practice = _practice(cli)
    local = _tree(tmp_path / "batch", {"x.csv": b"aaaa"})
    assert runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote", "--checksum"]).exit_code == 0
    (local / "x.csv").write_bytes(b"bbbb")
    by_size = runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote"])
    assert "0 file(s)" in by_size.output  # same size: skipped without --checksum
    by_md5 = runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote", "--checksum"])
    assert by_md5.exit_code == 0, by_md5.output
    assert "1 file(s)" in by_md5.output
    got = runner.invoke(app, ["lake", "get", practice, "landingtmp/lote/x.csv", str(tmp_path / "x.csv")])
    assert got.exit_code == 0 and (tmp_path / "x.csv").read_bytes() == b"bbbb"


def test_a_folder_put_keeps_the_zone_rules(cli, tmp_path):
    practice = _practice(cli)
    local = _tree(tmp_path / "batch", FILES)
    escaped = runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/../universal/x"])
    assert escaped.exit_code != 0
    listing = runner.invoke(app, ["lake", "ls", practice, "universal", "-r"]).output
    assert "a.csv" not in listing


def test_one_file_goes_up_in_one_put_blob_and_its_checksum_counts_for_a_folder_put(cli, lake_clients, tmp_path):
    practice = _practice(cli)
    local = _tree(tmp_path / "batch", {"x.csv": b"aaaa"})
    since = len(lake_clients.emulator.request_log())
    one = runner.invoke(app, ["lake", "put", practice, str(local / "x.csv"), "landingtmp/lote/", "--checksum"])
    assert one.exit_code == 0 and "-> landingtmp/lote/x.csv (4 bytes)" in one.output, one.output
    upload = [(r["method"], r["url"].split("://", 1)[1].split(".")[1]) for r in lake_clients.emulator.request_log(since)
              if r["url"].split("?")[0].endswith("/landingtmp/lote/x.csv")]
    assert upload == [("PUT", "blob")]  # one Put Blob: no create, append and flush
    folder = runner.invoke(app, ["lake", "put", practice, str(local), "landingtmp/lote", "--checksum"])
    assert folder.exit_code == 0 and "0 file(s)" in folder.output and "1 already there (same MD5)" in folder.output
