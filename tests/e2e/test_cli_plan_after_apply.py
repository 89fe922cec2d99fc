"""Every example environment, applied through the CLI, plans empty right after, with the local cloud
answering in Azure's own forms (HDInsight: lower-case VM sizes, region display names)."""

from __future__ import annotations

from e2e_support import changed, plan_json

from azlake.envfile.load import environment_files, load_environment


def in_apply_order(folder) -> list[str]:
    """Every environment file of the folder, a central lake before the departments that use it."""
    loaded = [load_environment(path) for path in environment_files(folder)]
    names = {env.spec.name: env.path.stem for env in loaded}
    order: list[str] = []

    def visit(env) -> None:
        lake = env.spec.data_lake
        if lake is not None and lake.use and names[lake.use] not in order:
            visit(next(e for e in loaded if e.spec.name == lake.use))
        if env.path.stem not in order:
            order.append(env.path.stem)

    for env in loaded:
        visit(env)
    return order


def test_every_example_environment_plans_empty_after_apply(cli, lake_clients):
    order = in_apply_order(cli.folder)
    assert {"datalake", "ventas", "marketing", "practice"} <= set(order)
    assert order.index("datalake") < min(order.index("ventas"), order.index("marketing"))
    for name in order:
        result = cli("apply", name, "--auto-approve")
        assert result.exit_code == 0, result.output + result.error
        assert changed(plan_json(cli, name)) == set(), f"{name} plans changes right after its apply"

    clusters = 0
    for name in order:
        spec = load_environment(cli.folder / f"{name}.yaml", require_values=False).spec
        if spec.cluster is None:
            continue
        clusters += 1
        answered = lake_clients.hdinsight.clusters.get(spec.resource_group.name, spec.cluster.name)
        sizes = {r.name: r.hardware_profile.vm_size for r in answered.properties.compute_profile.roles}
        asked = {"headnode": spec.cluster.nodes.head.size, "workernode": spec.cluster.nodes.worker.size,
                 "zookeepernode": spec.cluster.nodes.zookeeper.size}
        assert sizes == {role: size.lower() for role, size in asked.items()} != asked  # Azure's form, not ours
        assert answered.location == "Brazil South"
    assert clusters == 3

    # and still nothing to do for any of them once all exist (a department must not disturb the lake)
    for name in order:
        result = cli("plan", name, "--detailed-exitcode")
        assert result.exit_code == 0, result.output + result.error
