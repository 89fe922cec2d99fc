"""The capacity check: executors against the workers' usable capacity, refusals with numbers and fixes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from passwords import generated_password

from azlake.envfile.capacity import (
    CapacityError,
    Executors,
    Workers,
    check,
    executors_per_node,
    memory_mib,
    require_fit,
)
from azlake.errors import AzlakeError

PASSWORD = generated_password()


@dataclass(frozen=True)
class Size:
    name: str
    vcpus: int
    ram_gib: float
    hourly_usd: float


E2 = Size("Standard_E2_v3", 2, 16, 0.126)
E4 = Size("Standard_E4_v3", 4, 32, 0.252)
E8 = Size("Standard_E8_v3", 8, 64, 0.504)
D13 = Size("Standard_D13_v2", 8, 56, 0.741)
CANDIDATES = [E8, E2, D13, E4]


@pytest.mark.parametrize("text,mib", [("2g", 2048), ("512m", 512), ("1.5g", 1536), ("1536mb", 1536),
                                      ("1t", 1024 * 1024), (2048, 2048), ("4096", 4096)])
def test_memory_notation(text, mib):
    assert memory_mib(text) == mib


def test_unreadable_memory_says_how_to_write_it():
    with pytest.raises(Exception) as exc:
        memory_mib("two gigs")
    assert "512m, 2g" in exc.value.hint


def test_lecture_job_fits_one_e2_worker():
    report = require_fit("reporte", Executors(1, 1, 2048), Workers(E2, 1))
    assert report.fits and report.guaranteed and report.nodes_needed == 1
    assert report.suggestions == []


def test_overhead_counts_against_memory():
    # 12 GiB heap + 1.2 GiB overhead does not fit the 12.8 GiB YARN gets on an E2_v3; 11 GiB does
    assert executors_per_node(Executors(1, 1, 12 * 1024), E2) == 0
    assert executors_per_node(Executors(1, 1, 11 * 1024), E2) == 1


def test_pseudo_parallelism_is_refused_with_the_numbers_and_the_fix():
    with pytest.raises(CapacityError) as exc:
        require_fit("reporte", Executors(8, 1, 2048), Workers(E2, 1), CANDIDATES)
    err = exc.value
    assert "pseudo-parallelism" in err.summary
    # the numbers: what was asked and what the single E2 worker offers (80% of 2 vCPU / 16 GiB)
    assert "8 executor(s) × 1 core(s) = 8 cores" in err.detail
    assert "1.6 usable cores, 12.8 GiB usable memory" in err.detail
    # an E2 worker holds one 1-core executor, so eight need eight workers
    assert "cluster.nodes.worker.count: 8" in err.detail
    assert "cluster.autoscale: {min: 1, max: 8}" in err.detail
    # eight 1-core executors need 8 / 0.8 = 10 vCPU on one node: no candidate fits at count 1
    assert "worker.size" not in err.detail


def test_larger_size_is_suggested_when_it_fits_the_same_count():
    with pytest.raises(CapacityError) as exc:
        require_fit("big", Executors(2, 2, 4096), Workers(E2, 1), CANDIDATES)
    detail = exc.value.detail
    # two 2-core executors need 4 / 0.8 = 5 vCPU on one node: E8_v3 or D13_v2 (8 vCPU); E8 costs less
    assert "cluster.nodes.worker.size: Standard_E8_v3" in detail
    # an E2 worker (1.6 usable cores) cannot hold even one 2-core executor
    assert "is larger than what a Standard_E2_v3 worker leaves to YARN" in detail
    assert "worker.count" not in detail


def test_autoscale_max_decides_fit_and_min_the_guarantee():
    report = check(Executors(3, 1, 2048), Workers(E2, 1, autoscale_max=4))
    assert report.fits and not report.guaranteed and report.nodes_needed == 3
    assert "set autoscale.min to 3" in report.warnings[0]


def test_autoscale_max_too_small_is_refused_with_new_bounds():
    with pytest.raises(CapacityError) as exc:
        require_fit("wide", Executors(6, 1, 2048), Workers(E2, 2, autoscale_max=4), CANDIDATES)
    assert "cluster.autoscale: {min: 2, max: 6}" in exc.value.detail
    assert "4 × Standard_E2_v3" in exc.value.detail


def test_suggested_catalog_size_fits_and_nothing_cheaper_does(tmp_path):
    """With the real catalog: the size suggested for the practice cluster is the cheapest one that fits."""
    import re
    from pathlib import Path

    from azlake.catalog import vm_size, vm_sizes
    from azlake.envfile.capacity import check_job, for_job
    from azlake.envfile.load import load_environment
    from azlake.envfile.models import Executors as JobExecutors

    # validate refuses such a file (it runs this same check), so widen the job of the loaded practice file
    loaded = load_environment(Path(__file__).resolve().parents[2] / "environments" / "practice.yaml",
                              env={"CLUSTER_PASSWORD": PASSWORD})
    job = loaded.spec.jobs["reporte"].model_copy(update={"executors": JobExecutors(count=2, cores=2, memory="4g")})
    spec = loaded.spec.model_copy(update={"jobs": {"reporte": job}})
    with pytest.raises(CapacityError) as exc:
        check_job(spec, "reporte")
    name = re.search(r"worker\.size: (\S+)", exc.value.detail).group(1)
    executors, workers, candidates = for_job(spec, "reporte")
    suggested = vm_size(name)
    assert check(executors, Workers(suggested, workers.count)).fits
    cheaper = [s for s in vm_sizes() if "worker" in s.roles and s.hourly_usd < suggested.hourly_usd]
    assert cheaper and not any(check(executors, Workers(s, workers.count)).fits for s in cheaper)


def test_a_job_without_a_cluster_is_refused_in_words():
    """validate refuses jobs without a cluster; the capacity check, reached another way, says so too."""
    from pathlib import Path

    from azlake.envfile.capacity import check_job
    from azlake.envfile.load import load_environment

    loaded = load_environment(Path(__file__).resolve().parents[2] / "environments" / "practice.yaml",
                              env={"CLUSTER_PASSWORD": PASSWORD})
    spec = loaded.spec.model_copy(update={"cluster": None})
    with pytest.raises(AzlakeError) as exc:
        check_job(spec, "reporte")
    assert exc.value.summary == "job 'reporte' needs a cluster to run on"
    assert exc.value.location == "cluster" and "cluster:" in exc.value.hint
