"""The engine API that the CLI, `azlake run` and the demo use: plan, apply, destroy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azlake.azure import datalake, locks
from azlake.azure.kind import Resource
from azlake.azure.observed import Observed
from azlake.azure.registry import kind_of
from azlake.azure.roles import principal_facts
from azlake.errors import AzlakeError
from azlake.execute.executor import ApplyFailed, ApplyResult, Executor
from azlake.execute.progress import Display, NullDisplay
from azlake.plan.diff import Action, refusal_hint
from azlake.plan.graph import Graph
from azlake.plan.planner import Mode, Plan, estimate_cost, plan_environment, price_book, read_live
from azlake.plan.resources import desired_resources
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment

__all__ = ["plan_environment", "apply_plan", "destroy_environment", "plan_destroy", "ApplyResult",
           "ApplyFailed", "Plan"]


def _facts(plan: Plan, clients: Clients) -> dict[str, Any]:
    facts: dict[str, Any] = {"environment": plan.environment,
                             **principal_facts([a.resource for a in plan.actions], clients)}
    for a in plan.actions:
        if a.observed is not None and a.observed.exists:
            facts.update(kind_of(a.resource).facts(clients, a.observed.outputs))
    return facts


def apply_plan(plan: Plan, clients: Clients, display: Display | None = None) -> ApplyResult:
    """Make Azure match the plan; raises ApplyFailed (with the result) when an action failed."""
    if plan.refusals:
        raise AzlakeError("the plan contains changes azlake will not make:\n  " + "\n  ".join(plan.refusals),
                          hint=refusal_hint(plan.actions, plan.refusals))
    display = display or NullDisplay()
    if not plan.adopt:  # adoption is opt-in: without --adopt what exists unmarked is used as it is
        for a in plan.actions:
            if a.verb is Verb.ADOPT:
                a.verb, a.changes, a.reason = Verb.NOOP, [], "exists without azlake's marks: used as it is"
    graph = _delete_graph(plan) if plan.mode.deletes else plan.graph
    try:
        result = Executor(clients, display, _facts(plan, clients)).run(plan.actions, graph)
    finally:
        display.close()
    if not result.ok:
        raise ApplyFailed(result)
    return result


def _delete_graph(plan: Plan) -> Graph:
    """Dependents go first; our own locks go before anything else (they block deletes under their scope)."""
    rev = plan.graph.reversed()
    lifted = [a.address for a in plan.actions if a.verb is Verb.DELETE and kind_of(a.resource).is_lock]
    return Graph({a: [*rev.deps[a], *(lk for lk in lifted if lk != a)] for a in rev.nodes})


def plan_destroy(loaded: LoadedEnvironment, clients: Clients, all: bool = False, discard_outputs: bool = False) -> Plan:
    """Delete actions for the ephemeral part (or, with all, everything this environment owns)."""
    env = loaded.spec.name
    resources = desired_resources(loaded, clients.target.subscription)
    graph = Graph({r.address: r.depends_on for r in resources})
    observed, _ = read_live(resources, graph, clients, env)
    deleting = {r.address for r in resources if _targeted(r, observed[r.address], env, all)}
    actions = []
    for r in resources:
        obs = observed[r.address]
        if r.address in deleting and not _goes_with_parent(r, deleting):
            reason = "ephemeral: removed by destroy" if r.lifecycle == "ephemeral" and not all \
                else "owned by this environment: removed by destroy --all"
            actions.append(Action(r, Verb.DELETE, reason, observed=obs))
        else:
            actions.append(Action(r, Verb.NOOP, _kept_reason(r, obs, env, all, r.address in deleting), observed=obs))
    plan = Plan(env, clients.target.cloud, clients.target.subscription, actions, graph,
                mode=Mode.DESTROY_ALL if all else Mode.DESTROY, source=str(loaded.path), loaded=loaded,
                cost=estimate_cost(loaded.spec, price_book(clients, loaded.spec.location),
                                   cluster=next((a for a in actions if a.address == "cluster"), None)))
    _keep_locked_assignments(plan, clients, loaded)
    _guard_outputs(plan, clients, discard_outputs)
    _guard_shared_lake(plan, clients, env)
    _deletion_notes(plan)
    return plan


def _deletion_notes(plan: Plan) -> None:
    """What a kind says when it is deleted (a vault is soft-deleted: how to get it back)."""
    for a in plan.actions:
        said = kind_of(a.resource).deletion(a.resource, plan.source) if a.verb is Verb.DELETE else None
        if said is not None:
            a.reason = said[0]
            plan.warnings.append(said[1])


def _keep_locked_assignments(plan: Plan, clients: Clients, loaded: LoadedEnvironment) -> None:
    """A role assignment under a lock this destroy does not remove (a department's on the central lake) is
    not deleted: Azure would answer 409 ScopeLocked. The plan says so, and who can remove it and how."""
    from azure.core.exceptions import HttpResponseError

    removed = {str(a.resource.id).lower() for a in plan.actions
               if a.verb is Verb.DELETE and kind_of(a.resource).is_lock}
    for a in plan.actions:
        scope = a.resource.context.get("scope", "")
        if a.verb is not Verb.DELETE or not kind_of(a.resource).kept_under_foreign_lock or "/resourceGroups/" not in scope:
            continue
        group = scope.split("/resourceGroups/", 1)[1].split("/", 1)[0]
        try:
            held = [lk for lk in locks.covering(clients, group, scope) if str(lk.id).lower() not in removed]
        except HttpResponseError as exc:
            plan.warnings.append(f"could not read the locks on {scope} ({exc.status_code}): deleting {a.address} "
                                 "is attempted and Azure may refuse it")
            continue
        if held:
            _keep(plan, a, held[0], loaded)


def _keep(plan: Plan, a: Action, lock: Any, loaded: LoadedEnvironment) -> None:
    r = a.resource
    account = r.context["scope"].rstrip("/").rsplit("/", 1)[-1]
    notes = lock.notes or ""
    owner = notes.rsplit("environment ", 1)[-1] if notes.startswith("managed by azlake") else None
    a.verb, a.kept = Verb.NOOP, True
    a.reason = (f"kept: {account} carries the {lock.level} lock {lock.name} of "
                f"{f'environment {owner!r}' if owner else 'someone else'}, under which Azure refuses deletes "
                "(409 ScopeLocked): destroy does not ask")
    identity_goes = any(x.address == "identity" and x.verb is Verb.DELETE for x in plan.actions)
    effect = ("It grants nothing once this environment's identity is deleted (Azure then lists it as "
              "'Identity not found')" if identity_goes else f"It keeps granting {r.name} until it is removed")
    by_hand = f"az lock delete --ids {lock.id}; az role assignment delete --ids {r.id}"
    lake = getattr(loaded, "lake", None)
    if owner and lake is not None and lake.spec.name == owner:
        how = (f"the owner of environment {owner!r} unlocks the lake and deletes it ({by_hand}), then locks the "
               f"lake again with azlake apply {lake.path}; or destroys that environment (azlake destroy "
               f"{lake.path} --all)")
    else:
        how = f"whoever manages the lock {lock.name} unlocks the lake and deletes it ({by_hand}), then locks it again"
    plan.warnings.append(f"{r.address} ({r.name}) on {account} stays. {effect}. To remove it, {how}.")


def _targeted(r: Resource, obs: Observed, env: str, all: bool) -> bool:
    if not r.managed or not obs.exists or obs.owner != env:
        return False
    return all or r.lifecycle == "ephemeral"


def _goes_with_parent(r: Resource, deleting: set[str]) -> bool:
    """Directories go with their filesystem, filesystems with their account, hubs with their namespace..."""
    return kind_of(r).goes_with(r, deleting)


def _kept_reason(r: Resource, obs: Observed, env: str, all: bool, goes: bool) -> str:
    if goes:
        return "removed together with what contains it"
    if not r.managed:
        return f"owned by environment {r.context.get('used_from')!r}: never deleted from here"
    if not obs.exists:
        return "does not exist"
    if obs.owner != env:
        return "not owned by this environment: never deleted"
    return "persistent: kept (destroy --all removes it)"


def _guard_outputs(plan: Plan, clients: Clients, discard_outputs: bool) -> None:
    """A working filesystem with outputs not yet published to the lake is not deleted without consent."""
    for a in plan.actions:
        r = a.resource
        if a.verb is not Verb.DELETE or r.address != "cluster.filesystem":
            continue
        files = datalake.unpublished_outputs(clients, r.context["account"], r.context["container"])
        if files and not discard_outputs:
            shown = ", ".join(files[:10]) + (f" and {len(files) - 10} more" if len(files) > 10 else "")
            plan.refusals.append(f"{r.name} holds outputs not published to the lake: {shown} (publish them with "
                                 "azlake run, copy them, or pass --discard-outputs)")
        elif files:
            plan.warnings.append(f"discarding {len(files)} unpublished output file(s) in {r.name}")


def _guard_shared_lake(plan: Plan, clients: Clients, env: str) -> None:
    """Deleting a central lake would delete the filesystems other environments work in: refuse, naming them."""
    from azure.core.exceptions import HttpResponseError
    account = next((a.resource.name for a in plan.actions
                    if a.verb is Verb.DELETE and a.resource.address == "data_lake.account"), None)
    if account is None:
        return
    try:
        systems = list(clients.datalake(account).list_file_systems(include_metadata=True))
    except HttpResponseError as exc:
        plan.warnings.append(f"could not check which environments use the lake {account} "
                             f"({getattr(exc, 'error_code', None) or exc.status_code})")
        return
    others = sorted(f"{fs.name} ({owner})" for fs in systems
                    if (owner := (fs.metadata or {}).get("azlake_environment")) and owner != env)
    if others:
        plan.refusals.append(f"the lake {account} holds filesystems of other environments: {', '.join(others)}; "
                             "deleting the lake would delete them (destroy those environments with --all first)")


def destroy_environment(loaded: LoadedEnvironment, clients: Clients, display: Display | None = None, all: bool = False,
                        discard_outputs: bool = False) -> ApplyResult:
    """Plan and run a destroy in one go (what `azlake run` uses to tear the cluster down)."""
    return apply_plan(plan_destroy(loaded, clients, all=all, discard_outputs=discard_outputs), clients, display)
