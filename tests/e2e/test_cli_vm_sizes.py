"""VM sizes: a typo is an error at validate; a size the region does not offer for the role stops plan and
apply before anything is created, even while the resource group does not exist yet."""

from __future__ import annotations


def _practice_with(cli, old: str, new: str) -> None:
    path = cli.folder / "practice.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_size_typo_names_key_line_and_the_size_it_means(cli):
    _practice_with(cli, "worker: {size: Standard_E2_v3, count: 1}", "worker: {size: Standard_E2v3, count: 1}")
    result = cli("validate", "practice")
    assert result.exit_code == 1
    assert "practice.yaml:37 cluster.nodes.worker.size: 'Standard_E2v3' is not an HDInsight VM size " \
           "(did you mean 'Standard_E2_v3'?)" in result.output


def test_a_size_the_region_does_not_offer_for_the_role_is_refused_before_anything_exists(cli, lake_clients):
    _practice_with(cli, "zookeeper: {size: Standard_A2_v2, count: 3}", "zookeeper: {size: Standard_E8_v3, count: 3}")
    assert cli("validate", "practice").exit_code == 0  # the catalog knows E8_v3; the region says no
    plan = cli("plan", "practice")
    assert plan.exit_code == 1
    refusal = next(line for line in plan.output.splitlines() if line.startswith("refused:"))
    assert "practice.yaml:36 cluster.nodes.zookeeper.size: Standard_E8_v3 is not a VM size HDInsight offers for " \
           "zookeeper nodes in brazilsouth" in refusal
    assert "Standard_A2_v2" in refusal  # what it offers instead
    applied = cli("apply", "practice", "--auto-approve")
    assert applied.exit_code == 1
    assert not lake_clients.resources.resource_groups.check_existence("grbigdatauserbda000")
