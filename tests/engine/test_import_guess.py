"""Company, department and name guessed for imported files: tags first, CAF group names, then the name."""

from __future__ import annotations

import pytest

from azlake.importer.guess import guess

CASES = [
    ("the lecture's portal names", "grbigdatauserbda000", [{}], ("bda", "bda000", "bda000")),
    ("a CAF group name", "rg-bda-ventas", [{}], ("bda", "ventas", "ventas")),
    ("a CAF group name with the environment", "rg-bda-platform-datalake", [{}], ("bda", "platform", "datalake")),
    ("tags win over names", "MyGroup", [{"Company": "Contoso", "team": "Sales Ops"}], ("contoso", "salesops",
                                                                                       "mygroup")),
    ("an azlake environment tag names it", "rg-x", [{}, {"azlake-environment": "ventas"}],
     ("company", "ventas", "ventas")),
    ("nothing to go by still validates", "1234", [{}], ("company", "company", "1234")),
]


@pytest.mark.parametrize("group,tags,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_guess(group, tags, expected):
    g = guess(group, tags)
    assert (g["company"], g["department"], g["name"]) == expected
    assert set(g["how"]) == {"company", "department", "name"} and all(g["how"].values())
