"""Lake paths stay in their zone: every escape is refused before any request, with one rule everywhere."""

from __future__ import annotations

import os

import pytest
from e2e_support import lake

ESCAPES = ["landing/transaccion/../../universal/x", "landing/./x", "landing//x", "/landing/x",
           "landing\\transaccion\\x", "landing/..", "../landing/x", "landing/x/.."]




@pytest.fixture
def applied(cli, lake_clients):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    return str(cli.folder / "practice.yaml")


@pytest.mark.parametrize("escape", ESCAPES)
def test_lake_commands_refuse_paths_that_leave_their_zone(applied, lake_clients, tmp_path, escape):
    local = tmp_path / "x"
    local.write_bytes(b"payload")
    since = len(lake_clients.emulator.request_log())
    for args in (("put", applied, str(local), escape), ("get", applied, escape, str(tmp_path / "out")),
                 ("ls", applied, escape)):
        result = lake(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "lake path" in result.text or "path" in result.text
        assert "Traceback" not in result.text
    assert lake_clients.emulator.request_log(since) == []  # refused before any request
    universal = [p.name for p in lake_clients.datalake("storagebigdatauserbda000")
                 .get_file_system_client("universal").get_paths()]
    assert "x" not in universal


def test_the_path_of_the_issue_lands_nowhere(applied, lake_clients, tmp_path):
    local = tmp_path / "x"
    local.write_bytes(b"payload")
    result = lake("put", applied, str(local), "landing/transaccion/../../universal/x")
    assert result.exit_code == 1 and "never leaves its zone" in result.text, result.text


def test_plain_paths_still_work(applied, tmp_path):
    local = tmp_path / "ventas.csv"
    local.write_bytes(b"a,b\n")
    assert lake("put", applied, str(local), "landing/transaccion/").exit_code == 0
    assert lake("put", applied, str(local), "landing").exit_code == 0  # the zone's root
    listing = lake("ls", applied, "landing/", "-r")
    assert "landing/transaccion/ventas.csv" in listing.output and "landing/ventas.csv" in listing.output
    assert lake("get", applied, "landing/transaccion/ventas.csv", str(tmp_path / "back.csv")).exit_code == 0


@pytest.mark.parametrize("where, value, key", [
    ("directories", "    landing: [transaccion/../../universal]", "data_lake.directories.landing[0]"),
    ("directories", '    landing: ["transaccion\\\\x"]', "data_lake.directories.landing[0]"),
    ("directories", "    landing: [/transaccion]", "data_lake.directories.landing[0]"),
    ("inputs", "    inputs: {transaccion: universal/../landing/transaccion}", "jobs.reporte.inputs.transaccion"),
    ("outputs", "    outputs: {reporte: smart/./reporte}", "jobs.reporte.outputs.reporte"),
    ("outputs", "    outputs: {reporte: smart//reporte}", "jobs.reporte.outputs.reporte"),
])
def test_environment_file_paths_are_diagnostics_with_file_line_and_key(cli, where, value, key):
    practice = cli.folder / "practice.yaml"
    lines = practice.read_text().splitlines()
    prefix = {"directories": "    landing:", "inputs": "    inputs:", "outputs": "    outputs:"}[where]
    index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[index] = value
    practice.write_text("\n".join(lines) + "\n")
    result = cli("validate", "practice")
    assert result.exit_code == 1
    assert f"practice.yaml:{index + 1} {key}:" in result.output, result.output


def test_an_empty_file_replaces_an_older_one(applied, lake_clients, tmp_path):
    local = tmp_path / "ventas.csv"
    local.write_bytes(b"old content\n" * 100)
    assert lake("put", applied, str(local), "landing/transaccion/ventas.csv").exit_code == 0
    local.write_bytes(b"")
    result = lake("put", applied, str(local), "landing/transaccion/ventas.csv")
    assert result.exit_code == 0 and "(0 bytes)" in result.output, result.text
    back = tmp_path / "back.csv"
    assert lake("get", applied, "landing/transaccion/ventas.csv", str(back)).exit_code == 0
    assert back.read_bytes() == b""
    stored = lake_clients.datalake("storagebigdatauserbda000").get_file_system_client("landing") \
        .get_file_client("transaccion/ventas.csv").get_file_properties()
    assert stored.size == 0


def test_an_empty_file_is_created_where_there_was_none(applied, tmp_path):
    local = tmp_path / "vacio.csv"
    local.write_bytes(b"")
    assert lake("put", applied, str(local), "landing/transaccion/").exit_code == 0
    assert "landing/transaccion/vacio.csv" in lake("ls", applied, "landing/transaccion").output


def test_a_fifo_or_device_is_not_uploaded(applied, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for local in (str(fifo), "/dev/zero"):
        result = lake("put", applied, local, "landing/transaccion/x")
        assert result.exit_code == 1 and "not a regular file" in result.text, result.text
