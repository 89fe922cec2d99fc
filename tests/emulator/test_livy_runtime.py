"""Which Spark, Python and Java run a Livy batch locally, and the refusals when this machine cannot."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from azlake.emulator.livy import runtime
from azlake.emulator.livy.spark import spark_line

LINE = runtime.LINES["3.3"]


def _bin_with(tmp_path: Path, name: str, target: str) -> Path:
    """A PATH directory holding only `name`, a link to `target`."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    (folder / name).symlink_to(target)
    return folder


def _fake_java(tmp_path: Path, banner: str) -> Path:
    """A JAVA_HOME whose `java -version` prints `banner` on stderr, as the JDK does."""
    home = tmp_path / f"jdk-{abs(hash(banner))}"
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho '{banner}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return home


def test_the_spark_line_comes_from_the_clusters_document():
    doc = {"properties": {"clusterVersion": "5.1.3000.0",
                          "clusterDefinition": {"kind": "SPARK", "componentVersion": {"Spark": "3.3"}}}}
    assert spark_line(doc) == ("5.1", "3.3")
    hadoop = {"properties": {"clusterVersion": "5.1.3000.0",
                             "clusterDefinition": {"kind": "HADOOP", "componentVersion": {"Hadoop": "3.3"}}}}
    assert spark_line(hadoop) == ("5.1", None)


@pytest.mark.parametrize("spark,hdinsight", [("3.1", "5.0"), ("2.4", "4.0"), ("2.3", "3.6")])
def test_a_spark_line_the_local_cloud_cannot_run_is_refused(spark, hdinsight):
    with pytest.raises(runtime.RuntimeUnavailable) as refused:
        runtime.resolve(spark, hdinsight)
    message = str(refused.value)
    assert f"HDInsight {hdinsight}) runs Spark {spark}" in message
    assert "runs Spark 3.3" in message and 'cluster.version "5.1"' in message


def test_a_cluster_without_spark_is_refused():
    with pytest.raises(runtime.RuntimeUnavailable, match="runs no Spark"):
        runtime.resolve(None, "5.1")


def test_no_python_that_spark_33_supports_is_refused_with_what_to_install(tmp_path):
    only_311 = _bin_with(tmp_path, "python3", sys.executable)  # azlake's own Python (3.11+)
    env = {"PATH": str(only_311), "HOME": str(tmp_path)}
    with pytest.raises(runtime.RuntimeUnavailable) as refused:
        runtime.find_python(LINE, env)
    message = str(refused.value)
    assert "Python 3.10, 3.9 or 3.8" in message and "UDFs and RDD lambdas fail" in message
    assert str(tmp_path / ".pyenv" / "versions") in message
    assert "pyenv install 3.10" in message and runtime.PYTHON_OVERRIDE in message


def test_an_override_python_of_another_version_is_refused(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), runtime.PYTHON_OVERRIDE: sys.executable}
    with pytest.raises(runtime.RuntimeUnavailable) as refused:
        runtime.find_python(LINE, env)
    assert f"is Python {sys.version_info.major}.{sys.version_info.minor}" in str(refused.value)


def test_pyenv_versions_are_found_newest_patch_first(tmp_path):
    """A pyenv Python is used through its real path: the job's scrubbed environment has no pyenv shims."""
    try:
        real, version = runtime.find_python(LINE, dict(os.environ))
    except runtime.RuntimeUnavailable:
        pytest.skip("no Python 3.8-3.10 on this machine")
    minor = ".".join(version.split(".")[:2])
    for patch in ("9", "13"):
        folder = tmp_path / ".pyenv" / "versions" / f"{minor}.{patch}" / "bin"
        folder.mkdir(parents=True)
        (folder / f"python{minor}").symlink_to(real)
    env = {"PATH": str(tmp_path / "empty"), "HOME": str(tmp_path)}
    python, version = runtime.find_python(LINE, env)
    assert Path(python).resolve() == Path(real).resolve()
    assert f"/{minor}.13/" in python  # 3.x.13 before 3.x.9
    assert version.startswith(minor + ".")


@pytest.mark.parametrize("banner,major", [('openjdk version "17.0.15" 2025-04-15', 17),
                                          ('java version "1.8.0_402"', 8),
                                          ('openjdk version "11.0.22" 2024-01-16', 11)])
def test_java_8_11_and_17_run_spark_33(tmp_path, banner, major):
    home = _fake_java(tmp_path, banner)
    java, found = runtime.find_java(LINE, {"JAVA_HOME": str(home), "PATH": ""})
    assert (java, found) == (str(home / "bin" / "java"), major)


def test_another_java_is_refused_with_what_to_install(tmp_path):
    home = _fake_java(tmp_path, 'openjdk version "21.0.2" 2024-01-16')
    with pytest.raises(runtime.RuntimeUnavailable) as refused:
        runtime.find_java(LINE, {"JAVA_HOME": str(home), "PATH": ""})
    message = str(refused.value)
    assert "Java 8, 11 or 17" in message and "is Java 21" in message and "JAVA_HOME" in message


def test_no_java_is_refused(tmp_path):
    with pytest.raises(runtime.RuntimeUnavailable, match="no `java` on PATH"):
        runtime.find_java(LINE, {"PATH": str(tmp_path)})
    with pytest.raises(runtime.RuntimeUnavailable, match="does not run"):
        runtime.find_java(LINE, {"JAVA_HOME": str(tmp_path / "nothing"), "PATH": ""})
