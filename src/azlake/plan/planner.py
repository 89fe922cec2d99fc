"""Reads the live state of an environment concurrently (no writes; kinds may list many at once) and builds the Plan."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azlake.azure.errors import cloud_error
from azlake.azure.kind import Resource
from azlake.azure.listings import Listings
from azlake.azure.observed import UNKNOWN, Observed
from azlake.azure.pricebook import catalog_book
from azlake.azure.prices import price_book as read
from azlake.azure.registry import kind_of
from azlake.azure.retry import with_retries
from azlake.azure.roles import principal_facts
from azlake.errors import AzlakeError
from azlake.plan.cost import ROLES, estimate, nodes_cost
from azlake.plan.diff import Action, adoption, diff
from azlake.plan.graph import Graph, walk
from azlake.plan.offered import check_offered_sizes
from azlake.plan.orphans import find_orphans
from azlake.plan.resources import desired_resources
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment

FORMAT_VERSION = 1
# Parents whose ownership their children share: never write inside a lake or namespace that is not ours.
_OWNING_PARENTS = {"data_lake.account", "streaming.namespace"}


class Mode(StrEnum):
    """What a plan is for: apply the file, or destroy (the ephemeral part, or everything the file owns)."""

    APPLY = "apply"
    DESTROY = "destroy"
    DESTROY_ALL = "destroy-all"

    @property
    def deletes(self) -> bool:
        return self is not Mode.APPLY


@dataclass
class Plan:
    environment: str
    cloud: str
    subscription: str
    actions: list[Action]
    graph: Graph
    warnings: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    cost: dict[str, Any] = field(default_factory=dict)
    mode: Mode = Mode.APPLY
    source: str | None = None        # the environment file
    loaded: LoadedEnvironment | None = None               # the LoadedEnvironment (holds the secrets: never serialised)
    skip_ephemeral: bool = False     # apply --no-ephemeral: the persistent part only
    adopt: bool = False              # apply --adopt: `adopt` actions are made (else they stay proposals)

    def by_address(self) -> dict[str, Action]:
        return {a.address: a for a in self.actions}

    def summary(self) -> dict[str, int]:
        """Actions per kind, each action once under its kind (refused ones included: see to_json)."""
        counts = {v.value: 0 for v in Verb}
        for a in self.actions:
            counts[a.verb] += 1
        return counts

    def secret_values(self) -> list[str]:
        """The secrets this plan's resources carry: never shown, even inside a value that contains one."""
        found = []
        for a in self.actions:
            for v in a.resource.secrets.values():
                if getattr(v, "known", True) is False:
                    continue  # a vault's secret not read (yet): it cannot be anywhere in this plan
                value = v.get_secret_value() if hasattr(v, "get_secret_value") else v
                if isinstance(value, str) and value:
                    found.append(value)
        return found

    @property
    def has_changes(self) -> bool:
        """Something apply would do: an `adopt` only counts when adopting (it is a proposal otherwise)."""
        return any(a.verb is not Verb.NOOP and (a.verb is not Verb.ADOPT or self.adopt) for a in self.actions)

    def fingerprints(self) -> dict[str, str]:
        return {a.address: a.observed.fingerprint() if a.observed else "" for a in self.actions}

    def to_json(self) -> dict[str, Any]:
        """The JSON plan of docs/plan-format.md (format_version 1). Holds no secret."""
        secrets = self.secret_values()
        return {
            "format_version": FORMAT_VERSION, "environment": self.environment, "cloud": self.cloud,
            "subscription": self.subscription,
            "actions": [_action_json(a, secrets) for a in self.actions],
            # `refused` counts actions apply will not make; they stay counted under their kind too
            "summary": {**self.summary(), "refused": sum(1 for a in self.actions if a.refused)},
            "cost": self.cost, "warnings": self.warnings + self.refusals,
        }

    def save(self, path: Path) -> None:
        doc = {**self.to_json(), "mode": self.mode, "source": self.source, "fingerprints": self.fingerprints(),
               "skip_ephemeral": self.skip_ephemeral, "adopt": self.adopt}
        Path(path).write_text(json.dumps(doc, indent=2) + "\n")


def _action_json(a: Action, secrets: list[str]) -> dict[str, Any]:
    r = a.resource
    return {"address": r.address, "type": r.type, "name": r.name, "id": r.id, "action": a.verb.value,
            "lifecycle": r.lifecycle, "changes": [c.to_json(secrets) for c in a.changes], "reason": a.reason,
            "refused": a.refused, "depends_on": list(r.depends_on)}


def load_plan_file(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise AzlakeError(f"cannot read plan file {path}: {exc}",
                          hint="write one with azlake plan --out FILE") from exc
    actions = doc.get("actions") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("format_version") != FORMAT_VERSION or "source" not in doc or \
            not isinstance(actions, list) or not all(isinstance(a, dict) and "address" in a for a in actions):
        raise AzlakeError(f"{path} is not an azlake plan file (format_version {FORMAT_VERSION})",
                          hint="write one with azlake plan ENV.yaml --out FILE")
    return doc


def check_plan_file(doc: dict[str, Any], fresh: Plan) -> None:
    """Refuse a saved plan when the live state (or the file) moved since it was written."""
    moved = []
    old_actions = {a["address"]: a["action"] for a in doc.get("actions", [])}
    new_actions = {a.address: a.verb.value for a in fresh.actions}
    if old_actions != new_actions:
        moved += sorted(k for k in set(old_actions) | set(new_actions) if old_actions.get(k) != new_actions.get(k))
    old_fp, new_fp = doc.get("fingerprints", {}), fresh.fingerprints()
    moved += sorted(k for k in new_fp if k in old_fp and old_fp[k] != new_fp[k] and k not in moved)
    if doc.get("environment") != fresh.environment or doc.get("subscription") != fresh.subscription:
        moved.append("environment/subscription")
    if moved:
        more = f" and {len(moved) - 8} more" if len(moved) > 8 else ""
        raise AzlakeError("this plan no longer matches what apply would do now: " + ", ".join(moved[:8]) + more,
                          detail="The live state, the environment file or the plan file itself changed since "
                                 "the plan was saved; nothing was applied.",
                          hint="run azlake plan --out FILE again, review it, then apply the new file")


def read_live(resources: list[Resource], graph: Graph, clients: Clients, environment: str,
              max_workers: int = 16) -> tuple[dict[str, Observed], dict[str, Action]]:
    """Read each resource once, parents before children; a child of a missing parent is missing unread.

    Resources a kind can list together (Kind.listing_key) are answered by one list, made by the first of
    them whose parents are read."""
    res_by = {r.address: r for r in resources}
    facts: dict[str, Any] = {"environment": environment, "notify": _once_to_stderr(),
                             "listings": Listings((kind_of(r), r) for r in resources),
                             **principal_facts(resources, clients)}
    observed: dict[str, Observed] = {}
    actions: dict[str, Action] = {}

    def start(address: str) -> Callable[[], Observed] | None:
        res = res_by[address]
        if res.managed and _parent_absent(res, actions):
            settle(address, Observed.missing())
            return None
        return partial(_read, res, clients, facts)

    def settle(address: str, obs: Observed) -> None:
        observed[address] = obs
        facts.setdefault("owners", {})[address] = obs.owner if obs.exists else None
        if obs.exists:
            facts.update(kind_of(res_by[address]).facts(clients, obs.outputs))
        actions[address] = diff(res_by[address], obs, environment)

    walk({a: set(graph.deps[a]) for a in graph.nodes}, start, settle, max_workers)
    return observed, actions


def _once_to_stderr() -> Any:
    """A note a read makes while it waits (stderr: stdout may be a JSON plan), said once per plan."""
    said: set[str] = set()
    lock = threading.Lock()

    def notify(text: str) -> None:
        with lock:
            if text not in said:
                said.add(text)
                print(text, file=sys.stderr, flush=True)
    return notify


def _read(res: Resource, clients: Clients, facts: dict[str, Any]) -> Observed:
    """One read with bounded retries; an Azure error becomes a message naming the resource."""
    from azure.core.exceptions import AzureError

    try:
        observed: Observed = with_retries(lambda: kind_of(res).read(clients, res, facts), clients)
        return observed
    except AzureError as exc:
        raise cloud_error(exc, f"reading {res.address} ({res.name})") from exc


def _parent_absent(res: Resource, actions: dict[str, Action]) -> bool:
    """True when a dependency will be created: nothing below it can exist (and Azure could not answer).

    Globally named resources (storage accounts, clusters, vaults) are read anyway: the read checks the name.
    """
    if kind_of(res).global_name:
        return False
    for dep in res.depends_on:
        a = actions.get(dep)
        if a and a.verb is Verb.CREATE and not a.resume and dep != "resource_group":
            return True
        if dep == "resource_group" and a and a.verb is Verb.CREATE:
            return True
    return False


def plan_environment(loaded: LoadedEnvironment, clients: Clients, skip_ephemeral: bool = False, adopt: bool = False) -> Plan:
    """What apply would do for this environment, with a reason for every resource.

    `skip_ephemeral` leaves the ephemeral part (clusters and their working filesystem) as it is: CI applies
    the persistent part on every merge and `azlake run` creates a cluster when a job needs it. `adopt` makes
    the `adopt` actions (taking ownership of what exists without azlake's marks) part of what apply does.
    """
    env = loaded.spec.name
    resources = desired_resources(loaded, clients.target.subscription)
    graph = Graph({r.address: r.depends_on for r in resources})
    _, by_address = read_live(resources, graph, clients, env)
    actions = [by_address[r.address] for r in resources]
    _propose_adoption(actions, by_address)
    _inherit_ownership(actions, by_address, env, adopt)
    if skip_ephemeral:
        _skip_ephemeral(actions)
    plan = Plan(env, clients.target.cloud, clients.target.subscription, actions, graph,
                source=str(loaded.path), loaded=loaded,
                cost=estimate_cost(loaded.spec, price_book(clients, loaded.spec.location), cluster=by_address.get("cluster")),
                skip_ephemeral=skip_ephemeral, adopt=adopt)
    _unadopted_refusals(plan)
    plan.warnings += [f"{d.summary} ({d.key_path})" for d in getattr(loaded, "diagnostics", [])
                      if getattr(d, "severity", "") == "warning"]
    _collect_notes(plan)
    _adoption_note(plan)
    check_offered_sizes(plan, clients)
    if not plan.refusals:
        _preflight(plan, clients)
    group = by_address["resource_group"].observed
    if group is not None and group.exists:
        plan.warnings += find_orphans(clients, loaded, resources)
    return plan


def _preflight(plan: Plan, clients: Clients) -> None:
    """Ask Azure to validate a creation now (a cluster's quota and sizes) rather than twenty minutes into it."""
    from azure.core.exceptions import AzureError

    by_address = plan.by_address()
    for a in plan.actions:
        kind = kind_of(a.resource)
        if a.verb is not Verb.CREATE or a.resume or a.refused:  # replace: the name is in use
            continue
        needed = [by_address[d] for d in plan.graph.ancestors(a.address) if d in by_address]
        if any(n.verb is Verb.CREATE and n.resource.kind in kind.preflight_after for n in needed):
            continue  # Azure validates against what exists: the identity and the lake must be there first
        try:
            problems = with_retries(partial(kind.preflight, clients, a.resource), clients)
        except AzlakeError as exc:  # e.g. the password in the vault cannot be read by you
            plan.warnings.append(f"could not pre-validate the {a.address} creation: {exc.summary}")
            continue
        except AzureError as exc:  # validation is advice: the creation itself reports the same problems
            plan.warnings.append(f"could not pre-validate the {a.address} creation: {str(exc).splitlines()[0][:200]}")
            continue
        found = [f"{a.address} ({a.resource.name}): Azure would refuse the creation: {p}" for p in problems or []]
        plan.refusals += found
        a.refused = a.refused or (found[0] if found else None)


def _skip_ephemeral(actions: list[Action]) -> None:
    for a in actions:
        if a.resource.lifecycle != "ephemeral" or a.verb is Verb.NOOP:
            continue
        what = "left as it is" if a.observed is not None and a.observed.exists else "not created"
        a.verb, a.changes, a.resume, a.rewrite, a.refused = Verb.NOOP, [], False, False, None
        a.reason = f"ephemeral: {what} (--no-ephemeral); `azlake run` creates the cluster when a job needs it"


def _propose_adoption(actions: list[Action], by_address: dict[str, Action]) -> None:
    """What exists without azlake's marks becomes an `adopt` action (a proposal until `apply --adopt`)."""
    for i, a in enumerate(actions):
        obs = a.observed
        if a.verb is Verb.NOOP and a.resource.managed and obs is not None and obs.exists and obs.owner is None:
            actions[i] = by_address[a.address] = adoption(a.resource, obs)


def _unadopted_refusals(plan: Plan) -> None:
    """Without --adopt, an adoption azlake could not make is no reason to refuse the plan: say it only."""
    if plan.adopt:
        return
    for a in plan.actions:
        if a.verb is Verb.ADOPT and a.refused:
            plan.warnings.append(f"cannot be adopted as the file says: {a.refused}")
            a.refused = None


def _inherit_ownership(actions: list[Action], by_address: dict[str, Action], env: str, adopt: bool = False) -> None:
    for a in actions:
        parent = next((by_address[d] for d in a.resource.depends_on if d in _OWNING_PARENTS and d in by_address), None)
        if parent is None or not parent.resource.managed or a.verb is Verb.NOOP:
            continue
        obs = parent.observed
        if parent.verb is Verb.ADOPT and (adopt or a.verb is Verb.ADOPT):
            continue  # the parent becomes ours first (the graph orders it): its children follow
        if obs and obs.exists and obs.owner != env:
            a.verb, a.changes, a.resume = Verb.NOOP, [], False
            a.reason = f"inside {parent.resource.name}, which this environment does not own: left untouched"


def _collect_notes(plan: Plan) -> None:
    for a in plan.actions:
        obs = a.observed
        if a.verb is Verb.CREATE and obs is not None and obs.detail and not obs.exists and not a.refused:
            a.refused = f"{a.address} ({a.resource.name}): {obs.detail}"  # e.g. the name is taken
        if a.refused:
            plan.refusals.append(a.refused)
        if a.verb is Verb.UPDATE:
            plan.warnings += kind_of(a.resource).update_warnings(a.resource, {c.path for c in a.changes})


def _adoption_note(plan: Plan) -> None:
    unmarked = [f"{a.address} ({a.resource.name})" for a in plan.actions if a.verb is Verb.ADOPT]
    if unmarked and not plan.adopt:
        shown = ", ".join(unmarked[:6]) + (f" and {len(unmarked) - 6} more" if len(unmarked) > 6 else "")
        plan.warnings.append(f"{shown} exist without azlake's tags: used as they are, never changed or deleted by "
                             "azlake; `azlake apply --adopt` takes ownership (adds the tags only)")


def estimate_cost(spec: Any, book: Any = None, unresolved: dict[str, str] | None = None,
                  cluster: Action | None = None) -> dict[str, Any]:
    """What the environment bills per hour while it exists (cluster and Event Hubs), with its source.

    `before` is the cluster's price as read from Azure (zero when there is none), so a plan can show what a
    change does to the bill; it is left out when nothing was read.
    """
    book = book or catalog_book(spec.location)
    doc = estimate(spec, book, unresolved)
    before = observed_cost(cluster.observed, book) if cluster is not None and cluster.observed is not None else None
    if before is not None:
        doc["before"] = before
    return doc


def observed_cost(observed: Any, book: Any) -> dict[str, Any] | None:
    """The price of a cluster as Azure reports it (its own sizes and counts: autoscale moves them)."""
    props = observed.properties
    if not observed.exists:
        return {"hourly": 0.0, "vcpus": 0, "ram_gib": 0.0, "complete": True}
    if any(not isinstance(props.get(f"nodes.{r}.size"), str) or props.get(f"nodes.{r}.count") in (None, UNKNOWN)
           for r in ROLES):
        return None  # it bills, but we could not read what: better no figure than a wrong one
    cost = nodes_cost({r: (props[f"nodes.{r}.size"], int(props.get(f"nodes.{r}.count") or 0)) for r in ROLES}, book)
    return {"hourly": cost.hourly, "vcpus": cost.vcpus, "ram_gib": cost.ram_gib, "complete": cost.complete}


def price_book(clients: Clients, region: str) -> Any:
    """The region's prices: the Retail Prices API (cached) on any cloud; the packaged catalog otherwise."""
    return read(clients, region)
