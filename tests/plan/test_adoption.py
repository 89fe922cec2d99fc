"""Adoption cases: a resource without azlake's marks -> the marks it gains, what else adopting changes."""

from __future__ import annotations

import pytest
from test_diff import CLUSTER, ETAGS, STORAGE, TAGS, res, seen, with_

from azlake.plan.diff import adoption


def _bare(props: dict) -> dict:
    """What the portal made: the same settings, none of azlake's tags."""
    return {k: v for k, v in props.items() if not k.startswith("tags.")}


CASES = [
    ("portal account: tags only", res("storage", STORAGE), seen(_bare(STORAGE), owner=None),
     sorted(TAGS), None, "tags"),
    ("portal cluster: tags only", res("cluster", CLUSTER, "ephemeral"), seen(_bare(CLUSTER), owner=None),
     sorted(ETAGS), None, "tags"),
    ("public access on: adopting turns it off in place",
     res("storage", STORAGE), seen(with_(_bare(STORAGE), allow_blob_public_access=True), owner=None),
     sorted([*TAGS, "allow_blob_public_access"]), None, "also changes in place: allow_blob_public_access"),
    ("another region cannot be adopted as the file says", res("storage", STORAGE),
     seen(with_(_bare(STORAGE), location="eastus"), owner=None), sorted([*TAGS, "location"]), "location",
     "tags"),
    ("a cluster of other sizes would need a new one", res("cluster", CLUSTER, "ephemeral"),
     seen(with_(_bare(CLUSTER), nodes__worker__size="Standard_E4_v3"), owner=None),
     sorted([*ETAGS, "nodes.worker.size"]), "nodes.worker.size", "tags"),
    ("a filesystem gains its metadata", res("container", {"metadata.azlake_environment": "bda000"}),
     seen({}, owner=None), ["metadata.azlake_environment"], None, "metadata"),
    ("a role assignment has nothing to write", res("role", {"role": "Storage Blob Data Owner", "scope": "/s"}),
     seen({"role": "Storage Blob Data Owner", "scope": "/s"}, owner=None), [], None, "nothing to write"),
]


@pytest.mark.parametrize("desired,actual,paths,refused_for,reason", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_adoption(desired, actual, paths, refused_for, reason):
    action = adoption(desired, actual)
    assert action.verb == "adopt" and reason in action.reason
    assert sorted(c.path for c in action.changes) == paths
    if refused_for:
        assert action.refused and refused_for in action.refused and "azlake import" in action.refused
    else:
        assert action.refused is None
