"""Data-driven diff cases: desired resource + what was read -> action kind, reason and changed paths."""

from __future__ import annotations

import pytest

from azlake.azure.observed import UNKNOWN, Observed, flat_tags, ownership_tags
from azlake.plan.diff import diff
from azlake.plan.resources import Resource

ENV = "bda000"
TAGS = flat_tags(ownership_tags(ENV, "persistent"))
ETAGS = flat_tags(ownership_tags(ENV, "ephemeral"))

STORAGE = {"location": "brazilsouth", "performance": "standard", "redundancy": "LRS",
           "hierarchical_namespace": True, "https_only": True, "minimum_tls_version": "TLS1_2",
           "allow_blob_public_access": False, **TAGS}
CLUSTER = {"location": "brazilsouth", "kind": "spark", "version": "5.1", "nodes.head.size": "Standard_E2_v3",
           "nodes.head.count": 2, "nodes.worker.size": "Standard_E2_v3", "nodes.worker.count": 1,
           "autoscale": None, "login.username": "admin", **ETAGS}


def res(kind: str, props: dict, lifecycle: str = "persistent", managed: bool = True) -> Resource:
    return Resource(kind, kind, "T", "n", "/id", lifecycle, dict(props), managed=managed,
                    context={"used_from": "datalake"})


def seen(props: dict, owner: str | None = ENV, state: str | None = "Succeeded") -> Observed:
    return Observed(True, dict(props), owner=owner, state=state)


def with_(props: dict, **changes) -> dict:
    out = dict(props)
    out.update({k.replace("__", "."): v for k, v in changes.items()})
    return out


# (id, desired, actual, expected kind, reason fragment, changed paths, refused?)
CASES = [
    ("missing is created", res("storage", STORAGE), Observed.missing(), "create", "does not exist", None, False),
    ("same is noop", res("storage", STORAGE), seen(STORAGE), "noop", "matches the file", [], False),
    ("extra tags on azure are tolerated", res("storage", STORAGE), seen({**STORAGE, "tags.policy": "x"}),
     "noop", "matches", [], False),
    ("tag change updates", res("storage", with_(STORAGE, tags__owner="dp")), seen(STORAGE), "update",
     "in place", ["tags.owner"], False),
    ("LRS to GRS in place", res("storage", with_(STORAGE, redundancy="GRS")), seen(STORAGE), "update",
     "in place", ["redundancy"], False),
    ("LRS to ZRS refused", res("storage", with_(STORAGE, redundancy="ZRS")), seen(STORAGE), "update",
     "conversion", ["redundancy"], True),
    ("premium refused", res("storage", with_(STORAGE, performance="premium")), seen(STORAGE), "update",
     "copy the data", ["performance"], True),
    ("hns on refused", res("storage", STORAGE), seen(with_(STORAGE, hierarchical_namespace=False)), "update",
     "migration", ["hierarchical_namespace"], True),
    ("tls in place", res("storage", STORAGE), seen(with_(STORAGE, minimum_tls_version="TLS1_0")), "update",
     "in place", ["minimum_tls_version"], False),
    ("location case and spaces", res("resource_group", {"location": "brazilsouth"}),
     seen({"location": "Brazil South"}), "noop", "matches", [], False),
    ("not ours is never touched", res("storage", with_(STORAGE, redundancy="GRS")), seen(STORAGE, owner=None),
     "noop", "not managed by azlake", [], False),
    ("another environment's is refused", res("storage", STORAGE), seen(STORAGE, owner="other"), "noop",
     "belongs to environment", [], True),
    ("worker count resizes", res("cluster", with_(CLUSTER, nodes__worker__count=3), "ephemeral"), seen(CLUSTER),
     "update", "in place", ["nodes.worker.count"], False),
    ("autoscale in place", res("cluster", with_(CLUSTER, autoscale={"min": 1, "max": 4}), "ephemeral"),
     seen(CLUSTER), "update", "in place", ["autoscale"], False),
    ("worker count moved by autoscale is ignored",
     res("cluster", with_(CLUSTER, autoscale={"min": 1, "max": 4}), "ephemeral"),
     seen(with_(CLUSTER, autoscale={"min": 1, "max": 4}, nodes__worker__count=3)), "noop", "matches", [], False),
    ("worker size replaces ephemeral", res("cluster", with_(CLUSTER, nodes__worker__size="Standard_E4_v3"),
                                           "ephemeral"), seen(CLUSTER), "replace", "recreated",
     ["nodes.worker.size"], False),
    ("version replaces ephemeral", res("cluster", with_(CLUSTER, version="5.0"), "ephemeral"), seen(CLUSTER),
     "replace", "recreated", ["version"], False),
    ("persistent cluster is never replaced", res("cluster", with_(CLUSTER, version="5.0")), seen(CLUSTER),
     "replace", "changed", ["version"], True),
    ("unreadable login is no change", res("cluster", CLUSTER, "ephemeral"),
     seen(with_(CLUSTER, login__username=UNKNOWN)), "noop", "matches", [], False),
    ("failed cluster is replaced", res("cluster", CLUSTER, "ephemeral"), seen(CLUSTER, state="Failed"),
     "replace", "Failed", None, False),
    ("cluster still creating is awaited", res("cluster", CLUSTER, "ephemeral"), seen(CLUSTER, state="InProgress"),
     "create", "waits", [], False),
    ("cluster being deleted is awaited, then created", res("cluster", CLUSTER, "ephemeral"),
     seen(CLUSTER, state="Deleting"), "create", "being deleted", None, False),
    ("used lake is never changed", res("storage", {}, managed=False), seen({}, owner="datalake"), "noop",
     "used from environment", [], False),
    ("used lake missing is refused", res("storage", {}, managed=False), Observed.missing(), "noop",
     "has not created it", [], True),
    ("event hubs tier refused", res("eh_namespace", {"sku": "premium", "capacity": 1}),
     seen({"sku": "standard", "capacity": 1}), "update", "tier", ["sku"], True),
    ("event hubs capacity in place", res("eh_namespace", {"sku": "standard", "capacity": 2}),
     seen({"sku": "Standard", "capacity": 1}), "update", "in place", ["capacity"], False),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_diff(case):
    _, desired, actual, kind, reason, paths, refused = case
    action = diff(desired, actual, ENV)
    assert action.verb == kind
    assert reason in action.reason
    if paths is not None:
        assert [c.path for c in action.changes] == paths
    assert bool(action.refused) == refused


def test_every_action_has_a_reason():
    for case in CASES:
        assert diff(case[1], case[2], ENV).reason
