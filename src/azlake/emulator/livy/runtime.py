"""Which local Spark, Python and Java run a Livy batch: the Spark line of the cluster's HDInsight version.

A job that passes locally must not fail on the cluster because the local Spark is another line (Spark 4
turns ANSI SQL mode on and removed APIs that 3.3 has). So the batch runs with the pyspark of the
cluster's line (installed by the `spark` extra), and its Python side runs on an interpreter that line
supports: Spark 3.3's bundled cloudpickle cannot pickle functions of Python 3.11 or later, so Python UDFs
and RDD lambdas fail there, although a DataFrame-only job would pass. azlake itself stays on its own
Python; the job's interpreter is found on the machine. Whatever cannot run locally is refused with what
to install, never run on a Spark the cluster does not have.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from importlib import metadata, util
from pathlib import Path


@dataclass(frozen=True)
class SparkLine:
    """What running one Spark line locally takes."""

    spark: str                      # "3.3"
    pyspark: str                    # the pin of the `spark` extra
    pythons: tuple[str, ...]        # minor versions the line runs Python jobs on, preferred first
    javas: tuple[int, ...]          # Java majors the line supports


# Only lines of HDInsight versions that can still be created: 5.0 (Spark 3.1) and older are retired, so
# no cluster of the emulator runs them, and their Spark does not support Java 17.
LINES = {"3.3": SparkLine("3.3", "3.3.4", ("3.10", "3.9", "3.8"), (8, 11, 17))}
PYTHON_OVERRIDE = "AZLAKE_SPARK_PYTHON"


class RuntimeUnavailable(Exception):
    """This machine cannot run the cluster's Spark line; the message says why and what to install."""


@dataclass(frozen=True)
class Runtime:
    line: SparkLine
    spark_home: Path
    python: str
    python_version: str
    java: str
    java_major: int

    @property
    def spark_submit(self) -> str:
        return str(self.spark_home / "bin" / "spark-submit")

    def describe(self, hdinsight: str) -> str:
        return (f"azlake emulator: HDInsight {hdinsight} runs Spark {self.line.spark}: local Spark is pyspark "
                f"{self.line.pyspark} on Python {self.python_version} ({self.python}) and Java "
                f"{self.java_major} ({self.java})")


def resolve(spark: str | None, hdinsight: str, env: dict[str, str] | None = None) -> Runtime:
    """The local runtime for a cluster of HDInsight `hdinsight` running Spark `spark`, or RuntimeUnavailable."""
    env = dict(os.environ) if env is None else env
    if not spark:
        raise RuntimeUnavailable(f"azlake emulator: the cluster (HDInsight {hdinsight}) runs no Spark, so it "
                                 "has no Spark to run a Livy batch with.")
    line = LINES.get(spark)
    if line is None:
        runs = " and ".join(f"Spark {s}" for s in LINES)
        raise RuntimeUnavailable(f"azlake emulator: the cluster (HDInsight {hdinsight}) runs Spark {spark}, "
                                 f"which the local cloud does not run: it runs {runs}, the Spark of the HDInsight "
                                 "versions that can still be created (5.1). Use cluster.version \"5.1\".")
    spark_home = _spark_home(line, hdinsight)
    python, python_version = find_python(line, env)
    java, java_major = find_java(line, env)
    return Runtime(line, spark_home, python, python_version, java, java_major)


def _spark_home(line: SparkLine, hdinsight: str) -> Path:
    """The pyspark package installed next to azlake (the `spark` extra), if it is the cluster's line."""
    spec = util.find_spec("pyspark")  # not imported: azlake's Python need not run pyspark
    install = f"`pip install 'azlake[spark]'` (or `pip install 'pyspark=={line.pyspark}'`)"
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeUnavailable(f"azlake emulator: no local Spark to run the batch with. Install it with "
                                 f"{install}; it also needs Java {_or(line.javas)} and Python {_or(line.pythons)}.")
    installed = metadata.version("pyspark")
    if ".".join(installed.split(".")[:2]) != line.spark:
        raise RuntimeUnavailable(f"azlake emulator: HDInsight {hdinsight} runs Spark {line.spark}, but the local "
                                 f"pyspark is {installed}: a job could pass here and fail on the cluster (or the "
                                 f"reverse). Install the cluster's line: {install}.")
    return Path(spec.submodule_search_locations[0])


def find_python(line: SparkLine, env: dict[str, str]) -> tuple[str, str]:
    """A Python the line runs jobs on: $AZLAKE_SPARK_PYTHON, else pythonX.Y or python3 on PATH, else pyenv's."""
    override = env.get(PYTHON_OVERRIDE)
    if override:
        found = probe_python(shutil.which(override, path=env.get("PATH")) or override)
        if found and found[1] in line.pythons:
            return found[0], found[2]
        what = f"is Python {found[1]}" if found else "does not run"
        raise RuntimeUnavailable(f"azlake emulator: {PYTHON_OVERRIDE}={override} {what}; Spark {line.spark} "
                                 f"runs Python jobs on Python {_or(line.pythons)}.")
    for candidate in _python_candidates(line, env):
        found = probe_python(candidate)
        if found and found[1] in line.pythons:
            return found[0], found[2]
    raise RuntimeUnavailable(
        f"azlake emulator: Spark {line.spark} runs Python jobs on Python {_or(line.pythons)} (its cloudpickle "
        "cannot pickle the functions of newer Pythons: UDFs and RDD lambdas fail), and none was found: looked "
        f"for {', '.join('python' + v for v in line.pythons)} and python3 on PATH and in {_pyenv_versions(env)}. "
        f"Install one (e.g. `pyenv install {line.pythons[0]}`, or your system's python{line.pythons[0]} "
        f"package), or set {PYTHON_OVERRIDE} to its path.")


def _python_candidates(line: SparkLine, env: dict[str, str]) -> list[str]:
    path = env.get("PATH")
    found = [shutil.which(f"python{minor}", path=path) for minor in line.pythons]
    found.append(shutil.which("python3", path=path))
    for minor in line.pythons:
        installed = sorted(_pyenv_versions(env).glob(f"{minor}.*/bin/python{minor}"), key=_patch_level,
                           reverse=True)
        found += [str(p) for p in installed]
    return [c for c in found if c]


def _pyenv_versions(env: dict[str, str]) -> Path:
    root = env.get("PYENV_ROOT") or str(Path(env.get("HOME") or "~").expanduser() / ".pyenv")
    return Path(root) / "versions"


def _patch_level(python: Path) -> tuple[int, ...]:
    """3.10.13 sorts after 3.10.9 (the directory name is the version)."""
    return tuple(int(part) for part in re.findall(r"\d+", python.parent.parent.name))


@cache
def probe_python(executable: str) -> tuple[str, str, str] | None:
    """(the interpreter's real path, "3.10", "3.10.13"), or None when it does not run.

    sys.executable, not the path we were given: a pyenv shim needs pyenv's variables, which the job's
    scrubbed environment does not carry."""
    try:
        code = "import sys, platform; print(sys.executable); print(platform.python_version())"
        done = subprocess.run([executable, "-c", code], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.split()
    if done.returncode != 0 or len(lines) != 2:
        return None
    real, version = lines
    return real, ".".join(version.split(".")[:2]), version


def find_java(line: SparkLine, env: dict[str, str]) -> tuple[str, int]:
    """$JAVA_HOME/bin/java when JAVA_HOME is set (spark-class uses it then), else `java` on PATH."""
    home = env.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java", path=env.get("PATH"))
    install = ("Install Java 17 (e.g. `apt-get install openjdk-17-jre-headless`) and put it on PATH or set "
               "JAVA_HOME to it.")
    if java is None:
        raise RuntimeUnavailable(f"azlake emulator: Spark {line.spark} needs Java {_or(line.javas)}, and there is "
                                 f"no `java` on PATH (JAVA_HOME is not set). {install}")
    major = probe_java(java)
    if major is None:
        where = f"JAVA_HOME={home}: {java}" if home else java
        raise RuntimeUnavailable(f"azlake emulator: Spark {line.spark} needs Java {_or(line.javas)}, and {where} "
                                 f"does not run. {install}")
    if major not in line.javas:
        raise RuntimeUnavailable(f"azlake emulator: Spark {line.spark} runs on Java {_or(line.javas)}, and {java} "
                                 f"is Java {major}. {install}")
    return java, major


@cache
def probe_java(java: str) -> int | None:
    """The major version `java -version` reports ("1.8.0_402" is 8, "17.0.15" is 17), None if it does not run."""
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if done.returncode != 0 or m is None:
        return None
    first = int(m.group(1))
    return int(m.group(2) or 0) if first == 1 else first


def _or(items: tuple) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
