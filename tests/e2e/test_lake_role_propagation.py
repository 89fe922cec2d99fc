"""`azlake lake ls|put|get` right after apply gave the deployer a data role: wait while it propagates, as
plan does; without one, say what gives one."""

from __future__ import annotations

import pytest
from e2e_support import lake, reassign_deployer_role


@pytest.fixture
def practice(cli, tmp_path):
    """practice applied (without its account lock: the tests re-make the role assignment under it), one file
    in landing, and a local file to upload."""
    path = cli.folder / "practice.yaml"
    path.write_text(path.read_text().replace("lock: true", "lock: false"))
    assert cli("apply", "practice", "--auto-approve", "--no-ephemeral").exit_code == 0
    (tmp_path / "ventas.csv").write_bytes(b"1,2\n")
    assert lake("put", str(path), str(tmp_path / "ventas.csv"), "landing/transaccion/").exit_code == 0
    return str(path)


COMMANDS = {"ls": lambda env, tmp: ("ls", env, "landing/transaccion"),
            "put": lambda env, tmp: ("put", env, str(tmp / "ventas.csv"), "landing/transaccion/otra.csv"),
            "get": lambda env, tmp: ("get", env, "landing/transaccion/ventas.csv", str(tmp / "back.csv"))}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_lake_command_waits_for_a_data_role_that_is_still_propagating(practice, lake_clients, tmp_path,
                                                                         monkeypatch, command):
    reassign_deployer_role(lake_clients, 300)  # well within the 600 nominal seconds the command waits
    monkeypatch.setenv("AZLAKE_EMULATOR_TIME_SCALE", "0.005")  # 300 nominal seconds are 1.5 s for the CLI too
    result = lake(*COMMANDS[command](practice, tmp_path))
    assert result.exit_code == 0, result.text
    assert "waiting for your data role on the lake storagebigdatauserbda000 to become effective" in result.stderr
    assert "warning: not locked" not in result.stderr  # put took its lock once the role worked
    done = {"ls": "landing/transaccion/ventas.csv", "put": "-> landing/transaccion/otra.csv",
            "get": "downloaded landing/transaccion/ventas.csv"}
    assert done[command] in result.stdout


def test_a_role_that_does_not_become_effective_is_named_with_when_to_try_again(practice, lake_clients, tmp_path,
                                                                                 monkeypatch):
    reassign_deployer_role(lake_clients, 10**7)
    for command in sorted(COMMANDS):
        result = lake(*COMMANDS[command](practice, tmp_path))
        assert result.exit_code == 1
        assert "still waiting for your data role" in result.stderr and "of up to 600s" in result.stderr
        assert "your data role on the lake storagebigdatauserbda000 (data_lake.deployer_access, Storage Blob Data " \
               "Contributor) exists but is not effective yet" in result.text, result.text
        assert "run the same command again in a few minutes" in result.text
        assert "deployer_access: true" not in result.text  # it is set: asking to set it would send the user astray
        assert "Traceback" not in result.text


def test_a_file_without_deployer_access_says_what_gives_a_data_role(cli, tmp_path):
    path = cli.folder / "practice.yaml"
    path.write_text(path.read_text().replace("deployer_access: true", "deployer_access: false"))
    assert cli("apply", "practice", "--auto-approve", "--no-ephemeral").exit_code == 1  # its directories: no role
    (tmp_path / "ventas.csv").write_bytes(b"1,2\n")
    for command in sorted(COMMANDS):
        result = lake(*COMMANDS[command](str(path), tmp_path))
        assert result.exit_code == 1
        assert "waiting" not in result.stderr  # no role to wait for
        assert "you have no data role on the lake storagebigdatauserbda000" in result.text, result.text
        assert f"set data_lake.deployer_access: true in {path} and run azlake apply {path}" in result.text
        assert "Storage Blob Data Contributor" in result.text and "Traceback" not in result.text


def test_deployer_access_without_its_assignment_asks_for_apply(practice, lake_clients, tmp_path):
    from e2e_support import ACCOUNT_SCOPE

    from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID
    assignments = lake_clients.authorization.role_assignments
    for a in assignments.list_for_scope(ACCOUNT_SCOPE):
        if a.principal_id == LOCAL_DEPLOYER_OBJECT_ID and a.scope.lower() == ACCOUNT_SCOPE.lower():
            assignments.delete_by_id(a.id)  # removed by hand in the portal, say
    result = lake("ls", practice, "landing")
    assert result.exit_code == 1 and "waiting" not in result.stderr
    assert "gives you one (data_lake.deployer_access: true) but it is not assigned" in result.text, result.text
    assert f"run azlake apply {practice}" in result.text


def test_a_role_that_only_reads_lets_ls_work_and_says_why_put_cannot(cli, lake_clients, tmp_path):
    import uuid

    from e2e_support import ACCOUNT_SCOPE

    from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID
    path = cli.folder / "practice.yaml"
    path.write_text(path.read_text().replace("deployer_access: true", "deployer_access: false"))
    assert cli("apply", "practice", "--auto-approve", "--no-ephemeral").exit_code == 1  # its directories: no role
    reader = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/" \
             "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"  # Storage Blob Data Reader, given by an admin
    lake_clients.authorization.role_assignments.create(ACCOUNT_SCOPE, str(uuid.uuid4()), {"properties": {
        "roleDefinitionId": reader, "principalId": LOCAL_DEPLOYER_OBJECT_ID, "principalType": "User"}})
    assert lake("ls", str(path), "landing").exit_code == 0
    (tmp_path / "ventas.csv").write_bytes(b"1,2\n")
    result = lake("put", str(path), str(tmp_path / "ventas.csv"), "landing/")
    assert result.exit_code == 1
    assert "your data role on the lake lets you read but not write" in result.text, result.text
    assert "Storage Blob Data Contributor" in result.text and "Traceback" not in result.text
    assert "no data role that may write on the lake" in result.stderr  # the lock could not be taken either


def test_a_department_waits_for_the_role_its_central_lake_gives(cli, monkeypatch):
    """ventas uses the central datalake: the central lake's file gives the deployer its data role there."""
    monkeypatch.setenv("AZLAKE_EMULATOR_ROLE_PROPAGATION", str(10**7))
    assert cli("apply", "datalake", "--auto-approve", "--no-ephemeral").exit_code == 1  # directories: no role yet
    result = lake("ls", str(cli.folder / "ventas.yaml"), "landing")
    assert result.exit_code == 1 and "waiting for your data role on the lake stbdaplatformdatalake" in result.stderr
    assert "exists but is not effective yet" in result.text, result.text
    central = cli.folder / "datalake.yaml"
    central.write_text(central.read_text().replace("deployer_access: true", "deployer_access: false"))
    result = lake("ls", str(cli.folder / "ventas.yaml"), "landing")
    assert result.exit_code == 1 and "waiting" not in result.stderr
    assert f"set data_lake.deployer_access: true in {central}" in result.text, result.text
