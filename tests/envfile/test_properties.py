"""Property tests: random YAML and random mutations of valid files give Diagnostics, never a traceback."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spec_helpers import ENVIRONMENTS, strong_password

from azlake.envfile.diagnostics import Collector, Locations
from azlake.envfile.load import LoadedEnvironment, load_environment
from azlake.envfile.source import load_merged
from azlake.errors import SpecError

PASSWORD = strong_password()
ENV = {"CLUSTER_PASSWORD": PASSWORD, "AZURE_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000000"}
SETTINGS = settings(max_examples=int(os.environ.get("SPEC_HYPOTHESIS_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _practice() -> dict:
    path = ENVIRONMENTS / "practice.yaml"
    data = load_merged(path, Collector(Locations(root_file=path)))
    data.pop("extends", None)
    data.pop("jobs", None)  # its script lives next to environments/, not next to the temporary copy
    return data


PRACTICE = _practice()
PRACTICE_TEXT = json.dumps(PRACTICE, indent=1)  # JSON is YAML, and one key per line keeps lines meaningful

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["${CLUSTER_PASSWORD}", "${UNSET_VAR}", "${A:-b}", "${", "$$", "same-as-login",
                                     "Standard_E2_v3", "5.1", "LRS", "premium", "8h", "dfs", "-1", "~"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


def check(text: str, require_values: bool, siblings: tuple[str, ...] = ()) -> None:
    """The loader's whole contract: a LoadedEnvironment or a SpecError with diagnostics, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        for name in siblings:  # e.g. the central lake a department file uses
            (Path(folder) / name).write_text((ENVIRONMENTS / name).read_text(encoding="utf-8"), encoding="utf-8")
        path = Path(folder) / "env.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            loaded = load_environment(path, env=ENV, require_values=require_values)
        except SpecError as err:
            assert err.diagnostics and any(d.is_error for d in err.diagnostics)
            rendered = err.render() + "\n".join(d.render() for d in err.diagnostics)
        else:
            assert isinstance(loaded, LoadedEnvironment)
            rendered = "\n".join(d.render() for d in loaded.diagnostics) + repr(loaded)
        assert PASSWORD not in rendered


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


ALL_PATHS = [p for p in _paths(PRACTICE) if p]


def _mutate(data, path, op, value, new_key):
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = value
    elif op == "rename" and isinstance(parent, dict):
        parent[new_key] = parent.pop(last)
    elif op == "insert" and isinstance(parent, dict):
        parent[new_key] = value
    return data


@SETTINGS
@given(text=st.text(max_size=300), require_values=st.booleans())
def test_random_text_never_raises_anything_but_spec_error(text, require_values):
    check(text, require_values)


@SETTINGS
@given(data=values, require_values=st.booleans())
def test_random_yaml_structures_give_diagnostics(data, require_values):
    check(json.dumps(data), require_values)


@SETTINGS
@given(mutations=st.lists(st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "rename",
                                                                               "insert"]),
                                    values, st.text(max_size=15)), min_size=1, max_size=3),
       require_values=st.booleans())
def test_random_mutations_of_the_practice_file_give_diagnostics(mutations, require_values):
    data = json.loads(PRACTICE_TEXT)
    for path, op, value, new_key in mutations:
        try:
            data = _mutate(data, path, op, value, new_key)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    check(json.dumps(data, indent=1), require_values)


@SETTINGS
@given(position=st.integers(0, len(PRACTICE_TEXT)), cut=st.integers(0, 20),
       insert=st.text(alphabet=" :-{}[]#&*!|>'\"%@`\n\t,?$", max_size=5))
def test_random_text_edits_of_the_practice_file_give_diagnostics(position, cut, insert):
    check(PRACTICE_TEXT[:position] + insert + PRACTICE_TEXT[position + cut:], True)


def test_the_unmutated_practice_copy_is_valid():
    check(PRACTICE_TEXT, True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "env.yaml"
        path.write_text(PRACTICE_TEXT, encoding="utf-8")
        assert load_environment(path, env=ENV).spec.cluster.name == "clusterbigdata001"


VENTAS_TEXT = (ENVIRONMENTS / "ventas.yaml").read_text(encoding="utf-8")
LAKE_FILES = ("datalake.yaml", "_company.yaml")


@SETTINGS
@given(position=st.integers(0, len(VENTAS_TEXT)), cut=st.integers(0, 20),
       insert=st.text(alphabet=" :-{}[]#&*!|>'\"%@`\n\t,?$abdeklsu", max_size=6), require_values=st.booleans())
def test_random_text_edits_of_a_department_on_the_central_lake_give_diagnostics(position, cut, insert,
                                                                                 require_values):
    check(VENTAS_TEXT[:position] + insert + VENTAS_TEXT[position + cut:], require_values, LAKE_FILES)
