"""Where a job reads, works and writes: zones to abfss:// URIs, on its own lake or on a central one."""

from __future__ import annotations

import pytest
from jobs_helpers import ENVIRONMENTS
from passwords import generated_password

from azlake.envfile.load import load_environment
from azlake.jobs.layout import layout

PASSWORD = generated_password()

JOB = ("\njobs:\n  reporte:\n    script: jobs/reporte.py\n"
       "    inputs: {transaccion: universal/transaccion, personas: landing/personas}\n"
       "    outputs: {reporte: smart/reporte}\n")


def load(folder, name, extra="", **env):
    path = folder / f"{name}.yaml"
    path.write_text(path.read_text() + extra)
    return load_environment(path, env={"CLUSTER_PASSWORD": PASSWORD, "VENTAS_CLUSTER_PASSWORD":
                                       PASSWORD, **env})


@pytest.fixture
def folder(tmp_path):
    import shutil
    shutil.copytree(ENVIRONMENTS, tmp_path / "environments")
    return tmp_path / "environments"


def test_practice_job_arguments_are_staged_inputs_then_outputs(folder):
    lay = layout(load(folder, "practice"), "reporte")
    base = "abfss://dfs@storagebigdatauserbda000.dfs.core.windows.net"
    assert lay.arguments() == [f"{base}/objects/inputs/transaccion", f"{base}/objects/outputs/reporte"]
    assert lay.script_location.abfss == f"{base}/objects/scripts/reporte/reporte.py"
    assert str(lay.inputs["transaccion"]) == "universal/transaccion"


def test_department_on_the_central_lake_works_in_its_own_filesystem_there(folder):
    loaded = load(folder, "ventas", JOB)
    central = loaded.lake.spec.data_lake.account
    lay = layout(loaded, "reporte")
    assert lay.account == central and lay.filesystem == loaded.spec.cluster.storage.filesystem
    assert lay.filesystem != "dfs"
    assert lay.arguments()[0] == (f"abfss://{lay.filesystem}@{central}.dfs.core.windows.net/"
                                  "objects/inputs/transaccion")
    assert [str(loc) for loc in lay.inputs.values()] == ["universal/transaccion", "landing/personas"]


def test_a_job_without_a_cluster_is_refused_by_name(folder):
    from dataclasses import replace

    from azlake.errors import AzlakeError

    loaded = load(folder, "practice")
    bare = replace(loaded, spec=loaded.spec.model_copy(update={"cluster": None}))
    with pytest.raises(AzlakeError) as exc:
        layout(bare, "reporte")
    assert exc.value.summary.endswith("environment 'bda000' has no cluster to run job 'reporte' on")
    assert exc.value.hint == "add a cluster: section"


def test_a_spec_that_skipped_the_loader_names_the_missing_derived_name(folder):
    """cluster.name is Optional in the model and filled by the loader: a spec built otherwise fails in words."""
    from dataclasses import replace

    from azlake.errors import AzlakeError

    loaded = load(folder, "practice")
    cluster = loaded.spec.cluster.model_copy(update={"name": None})
    unnamed = replace(loaded, spec=loaded.spec.model_copy(update={"cluster": cluster}))
    with pytest.raises(AzlakeError) as exc:
        layout(unnamed, "reporte")
    assert exc.value.summary == "cluster.name has no value: azlake derives it when it loads the environment file"
