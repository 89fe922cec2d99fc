"""The reference practice file loads, with derived values and the lecture's names."""

import pytest
from spec_helpers import ENVIRONMENTS, strong_password

from azlake.envfile.load import load_environment
from azlake.errors import SpecError


def test_practice_loads_with_lecture_names():
    password = strong_password()
    loaded = load_environment(ENVIRONMENTS / "practice.yaml", env={"CLUSTER_PASSWORD": password})
    spec = loaded.spec
    assert spec.resource_group.name == "grbigdatauserbda000"
    assert spec.data_lake.account == "storagebigdatauserbda000"
    assert spec.cluster.name == "clusterbigdata001"
    assert spec.cluster.nodes.zookeeper.count == 3
    assert spec.cluster.ssh.password.get_secret_value() == password
    assert spec.subscription == "00000000-0000-0000-0000-000000000000"
    assert spec.company == "bda" and spec.location == "brazilsouth"


def test_missing_password_is_an_error_naming_the_variable_when_values_are_required():
    with pytest.raises(SpecError) as caught:
        load_environment(ENVIRONMENTS / "practice.yaml", env={})
    assert "CLUSTER_PASSWORD" in caught.value.detail
    assert "practice.yaml:" in caught.value.detail
