"""`azlake validate` and `azlake schema` as a user runs them: exit codes, file:line output, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from spec_helpers import ENVIRONMENTS, REPO, strong_password

CASES = Path(__file__).parent / "cases"


def azlake(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if "PASSWORD" not in k and "SUBSCRIPTION" not in k and not k.startswith("AZLAKE_")}
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "azlake", *args], cwd=REPO, env=clean, capture_output=True,
                          text=True, timeout=60)


def test_validate_environments_passes_without_any_secret_or_subscription_variable():
    result = azlake("validate", "environments/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CLUSTER_PASSWORD is not set (needed by plan and apply)" in result.stdout
    for name in ("practice", "datalake", "ventas", "marketing"):
        assert f"ok   environments/{name}.yaml" in result.stdout
    assert "_company.yaml" not in result.stdout.replace("extends", "")


def test_require_values_turns_missing_variables_into_errors():
    result = azlake("validate", "--require-values", "environments/practice.yaml")
    assert result.returncode == 1
    assert "environments/practice.yaml:" in result.stdout and "CLUSTER_PASSWORD is not set" in result.stdout


def test_a_broken_file_exits_1_naming_file_line_and_key():
    result = azlake("validate", str(CASES / "zookeeper_count.yaml"), env={"CLUSTER_PASSWORD": strong_password()})
    assert result.returncode == 1
    assert "zookeeper_count.yaml:31 cluster.nodes.zookeeper.count: must be 3" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_every_file_of_a_folder_is_reported_even_after_failures():
    result = azlake("validate", str(CASES))
    assert result.returncode == 1
    cases = list(CASES.glob("*.yaml"))
    # without the test's password variables, the password-strength cases are only warnings here
    assert result.stdout.count("FAIL ") + result.stdout.count("ok   ") == len(cases)
    assert result.stdout.count("FAIL ") >= len(cases) - 3
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_path_is_an_error_not_a_traceback():
    result = azlake("validate", "environments/nope.yaml")
    assert result.returncode == 1 and "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_partial_given_directly_is_skipped():
    result = azlake("validate", "environments/_company.yaml")
    assert result.returncode == 0 and "partial" in result.stdout


def test_schema_prints_the_json_schema():
    result = azlake("schema")
    assert result.returncode == 0
    assert result.stdout == (REPO / "docs" / "environment.schema.json").read_text(encoding="utf-8")


PROBE = """
import sys
from azlake.cli.main import app
for argv in (["--help"], ["validate", "environments"], ["schema"]):
    try:
        app(argv, standalone_mode=False)
    except SystemExit:
        pass
print("AZURE-MODULES:", sorted(m for m in sys.modules if m == "azure" or m.startswith("azure.")))
print("MARKDOWN-MODULES:", sorted(m for m in sys.modules if m.startswith(("rich.markdown", "markdown_it"))))
"""


def test_help_validate_and_schema_do_not_import_the_azure_sdks():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "AZURE-MODULES: []" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
    assert "MARKDOWN-MODULES: []" in result.stdout, result.stdout[-2000:]


RUN_PROBE = """
import sys
sys.argv = ["azlake", *sys.argv[1:]]
from azlake.cli.main import COMMANDS, run
try:
    run()
except SystemExit:
    pass
print("OTHER-COMMANDS:", sorted(m for m in set(COMMANDS.values()) if f"azlake.cli.{m}" in sys.modules))
"""


def _names(app) -> set[str]:
    return {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}


def test_each_command_name_builds_the_module_that_defines_it_and_only_that():
    from azlake.cli.main import COMMANDS, build_app

    assert _names(build_app()) == set(COMMANDS)
    for name in COMMANDS:
        assert _names(build_app(name)) == {name}, name


def test_a_run_imports_only_its_own_command_module_and_help_lists_every_command():
    validate = subprocess.run([sys.executable, "-c", RUN_PROBE, "--debug", "validate", "environments/practice.yaml"],
                              cwd=REPO, capture_output=True, text=True, timeout=60)
    assert "ok   environments/practice.yaml" in validate.stdout, validate.stderr[-2000:]
    assert "OTHER-COMMANDS: ['validate']" in validate.stdout
    listing = azlake("--help").stdout
    from azlake.cli.main import COMMANDS
    assert all(f"  {name} " in listing for name in COMMANDS), listing
    typo = azlake("valdate", "environments/")
    assert typo.returncode == 1 and "Did you mean 'validate'?" in typo.stderr


def test_environment_files_reference_the_schema_for_editors():
    for path in ENVIRONMENTS.glob("*.yaml"):
        assert "# yaml-language-server: $schema=../docs/environment.schema.json" in path.read_text(), path


def test_json_format_lists_every_diagnostic_with_its_place():
    import json

    result = azlake("validate", "--format", "json", str(CASES / "zookeeper_count.yaml"), "environments/ventas.yaml")
    assert result.returncode == 1
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    broken, ventas = files["zookeeper_count.yaml"], files["ventas.yaml"]
    assert not broken["valid"] and ventas["valid"] and ventas["environment"] == "ventas"
    [error] = [d for d in broken["diagnostics"] if d["severity"] == "error"]
    assert (error["key_path"], error["line"]) == ("cluster.nodes.zookeeper.count", 31)


def test_an_unknown_key_in_one_section_hides_no_finding_of_the_others(tmp_path):
    """One round of fixes: the stray data_lake key, the ZooKeeper count and the reserved SSH user at once."""
    import shutil
    shutil.copy(ENVIRONMENTS / "_company.yaml", tmp_path)
    shutil.copytree(ENVIRONMENTS / "jobs", tmp_path / "jobs")
    text = (ENVIRONMENTS / "practice.yaml").read_text()
    for old, new in (("  performance: standard", "  performanse: standard"),
                     ("zookeeper: {size: Standard_A2_v2, count: 3}", "zookeeper: {size: Standard_A2_v2, count: 2}"),
                     ("username: adminssh", "username: root")):
        assert old in text
        text = text.replace(old, new)
    (tmp_path / "practice.yaml").write_text(text)
    result = azlake("validate", str(tmp_path / "practice.yaml"))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert any("data_lake.performanse: unknown key 'performanse'" in line for line in lines), result.stdout
    assert any("cluster.nodes.zookeeper.count: must be 3" in line for line in lines), result.stdout
    assert any("cluster.ssh.username:" in line and "'root'" in line for line in lines), result.stdout
    assert "3 error(s)" in result.stdout


def test_validate_refuses_the_job_run_would_refuse(tmp_path):
    """The capacity check of `azlake run` (spec/capacity.py) already runs in validate, for every job."""
    import shutil
    folder = tmp_path / "environments"
    shutil.copytree(ENVIRONMENTS, folder)
    path = folder / "practice.yaml"
    text = path.read_text()
    assert "executors: {count: 1, cores: 1, memory: 2g}" in text
    path.write_text(text.replace("executors: {count: 1, cores: 1, memory: 2g}",
                                 "executors: {count: 8, cores: 2, memory: 4g}"))
    result = azlake("validate", str(path))
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "jobs.reporte.executors" in x)
    assert line.startswith(f"error: {path}:") and "8 executor(s) × 2 core(s) = 16 cores" in line
    assert "1.6 usable cores" in line
    assert azlake("validate", "environments/practice.yaml").returncode == 0


def test_the_schema_azlake_prints_accepts_every_shipped_file_as_an_editor_sees_it():
    import json

    import jsonschema
    from ruamel.yaml import YAML
    result = azlake("schema")
    assert result.returncode == 0
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    files = sorted(ENVIRONMENTS.glob("*.yaml"))
    assert any(p.name.startswith("_") for p in files)  # the partials too
    for path in files:
        errors = [e.message for e in validator.iter_errors(YAML(typ="safe").load(path.read_text()))]
        assert not errors, (path.name, errors)


AFTER_ARROW = """
import sys
import pyarrow  # loaded, as `run --show` loads it to read parquet
sys.argv = ["azlake", *sys.argv[1:]]
from azlake.cli.main import run
run()
"""


def test_with_arrow_loaded_the_exit_code_and_the_whole_output_stay_the_commands():
    pytest.importorskip("pyarrow")
    schema = subprocess.run([sys.executable, "-c", AFTER_ARROW, "schema"], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert schema.returncode == 0, schema.stderr
    assert schema.stdout == (REPO / "docs" / "environment.schema.json").read_text(encoding="utf-8")
    missing = subprocess.run([sys.executable, "-c", AFTER_ARROW, "validate", "no-such-file.yaml"], cwd=REPO,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "no-such-file.yaml" in missing.stderr


def test_version_builds_no_command():
    probe = subprocess.run([sys.executable, "-c", RUN_PROBE, "--version"], cwd=REPO, capture_output=True, text=True,
                           timeout=60)
    assert probe.stdout.startswith("azlake ") and "OTHER-COMMANDS: []" in probe.stdout, probe.stdout + probe.stderr
