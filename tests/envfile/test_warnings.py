"""Warnings: advice and unconfirmed facts are reported with their key and line, and never fail the file."""

from __future__ import annotations

import pytest
from spec_helpers import MINIMAL

from azlake.envfile.load import load_environment

LAKE = "data_lake: {zones: [raw], redundancy: GRS}\n"
CLUSTER = """cluster:
  login: {password: "${PW}"}
"""

WARNINGS = [
    ("lrs", "data_lake: {zones: [raw], redundancy: LRS}\n", "data_lake.redundancy", "fine to practise"),
    ("soft_delete_off", "data_lake: {zones: [raw], redundancy: GRS, protection: {soft_delete_days: null}}\n",
     "data_lake.protection.soft_delete_days", "cannot be recovered"),
    ("premium_without_streaming", "data_lake: {zones: [raw], performance: premium, redundancy: ZRS}\n",
     "data_lake.performance", "real-time"),
    ("standard_with_streaming", LAKE + "streaming: {hubs: {h1: {}}}\n", "data_lake.performance", "premium"),
    ("hns_off_without_cluster", "data_lake: {zones: [raw], redundancy: GRS, hierarchical_namespace: false}\n",
     "data_lake.hierarchical_namespace", "not a Data Lake Storage Gen2 lake"),
    ("persistent_cluster", LAKE + CLUSTER + "  lifecycle: persistent\n", "cluster.lifecycle", "every hour"),
    ("max_age_on_persistent", LAKE + CLUSTER + "  lifecycle: persistent\n  max_age: 2h\n", "cluster.max_age",
     "ignored"),
    ("autoscale_below_three", LAKE + CLUSTER + "  autoscale: {min: 1, max: 4}\n", "cluster.autoscale.min",
     "safe mode"),
    ("workers_outside_autoscale", LAKE + CLUSTER + "  autoscale: {min: 3, max: 4}\n"
     "  nodes: {worker: {size: Standard_E4_v3, count: 6}}\n", "cluster.nodes.worker.count", "outside autoscale"),
    ("many_throughput_units", LAKE + "streaming: {capacity: 30, hubs: {h1: {}}}\n", "streaming.capacity",
     "at most 20"),
    ("no_hubs", LAKE + "streaming: {sku: standard}\n", "streaming.hubs", "no event hubs"),
]


@pytest.mark.parametrize("name, text, key, words", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warning_is_reported_and_does_not_fail(write, password, name, text, key, words):
    path = write(f"{name}.yaml", MINIMAL + text)
    loaded = load_environment(path, env={"PW": password})
    found = [d for d in loaded.warnings if d.key_path == key and words in f"{d.summary} {d.detail}"]
    assert found, [d.render() for d in loaded.diagnostics]
    assert found[0].line is not None and found[0].file == path


def test_a_clean_grs_lake_has_no_warning(write, password):
    loaded = load_environment(write("clean.yaml", MINIMAL + LAKE + CLUSTER + "  autoscale: {min: 3, max: 5}\n"),
                              env={"PW": password})
    assert loaded.diagnostics == []
