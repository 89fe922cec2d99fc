"""Running a Livy batch for real: a local Spark (`spark-submit --master local[N]`) over the emulator's files.

The simplification (documented in docs/jobs.md): HDInsight runs the script on YARN and the job reads
and writes `abfss://` URIs directly. Here the runner
1. downloads every `abfss://` argument that exists in the emulator's storage (and the script itself)
   into a scratch directory, through the emulator's own ADLS Gen2 API and AS THE CLUSTER'S MANAGED
   IDENTITY (so a missing role assignment fails the job with 403, as on Azure);
2. runs spark-submit of the cluster's Spark line (see runtime.py: HDInsight 5.1 -> Spark 3.3, on a Python
   that line supports) with those arguments rewritten to local paths (arguments that did not exist are
   outputs: they get a local path too);
3. uploads what the job wrote under each output path back to the corresponding `abfss://` path, also
   when the job failed (a failed Spark job leaves its partial output behind on Azure too).
The subprocess gets a scrubbed environment: nothing of the caller's (secrets included) leaks into it.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from azlake.emulator.livy import models, runtime
from azlake.emulator.livy.dfs import DfsAsIdentity, LivyStorageError

ABFSS = re.compile(r"^abfss://(?P<fs>[^@/]+)@(?P<account>[a-z0-9]+)\.dfs\.core\.windows\.net(?:/(?P<path>.*))?$")
_ENV_KEEP = ("PATH", "HOME", "JAVA_HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER")

_processes: dict[tuple[str, int], subprocess.Popen] = {}
_processes_lock = threading.Lock()


@dataclass
class BatchRun:
    """Everything the runner needs, resolved when the batch was accepted."""

    cluster: str
    batch_id: int
    script: str
    args: list[str]
    conf: dict[str, str]
    cores: int
    principal_id: str
    hdinsight: str                # the cluster's version ("5.1") and the Spark line it runs ("3.3")
    spark: str | None
    name: str | None = None
    outputs: dict[str, Path] = field(default_factory=dict)  # abfss URI -> local directory
    local: runtime.Runtime | None = None  # what runs it here, resolved when the batch starts


def local_cores(num_executors: int | None, executor_cores: int | None) -> int:
    """local[N]: the cores the batch asked for, bounded by this machine."""
    asked = (num_executors or 1) * (executor_cores or 1)
    return max(1, min(asked, os.cpu_count() or 1))


def spark_line(doc: dict) -> tuple[str, str | None]:
    """(HDInsight version "5.1", its Spark line "3.3" or None) from the cluster's ARM document."""
    props = doc.get("properties") or {}
    version = ".".join(str(props.get("clusterVersion") or "").split(".")[:2])
    components = (props.get("clusterDefinition") or {}).get("componentVersion") or {}
    spark = next((v for k, v in components.items() if k.lower() == "spark"), None)
    return version, ".".join(str(spark).split(".")[:2]) if spark else None


def start(app, run: BatchRun) -> threading.Thread:
    """Run the batch in a background thread; its state moves in the store as it goes."""
    thread = threading.Thread(target=_run, args=(app, run), name=f"livy-{run.cluster}-{run.batch_id}",
                              daemon=True)
    thread.start()
    return thread


def kill(cluster: str, batch_id: int) -> None:
    with _processes_lock:
        proc = _processes.pop((cluster.lower(), batch_id), None)
    if proc:
        _terminate(proc)


def _terminate(proc: subprocess.Popen) -> None:
    """End spark-submit and what it started (the JVM starts the job's Python): its whole process group."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass


@atexit.register
def _kill_all() -> None:
    """A batch does not outlive the process that runs it (its state then reads `dead`)."""
    with _processes_lock:
        running = list(_processes.values())
        _processes.clear()
    for proc in running:
        _terminate(proc)


def _run(app, run: BatchRun) -> None:
    log = _Logger(app, run)
    scratch = Path(tempfile.mkdtemp(prefix="azlake-livy-"))
    log.scratch = scratch
    try:
        dfs = DfsAsIdentity(app, run.principal_id)
        command = _prepare(dfs, run, scratch, log)
        if command is None:
            return _finish(app, run, models.DEAD)
        code = _spark(app, run, command, scratch, log)
        if code is None:
            return  # deleted (killed) meanwhile
        _ingest(dfs, run, log)
        _finish(app, run, models.SUCCESS if code == 0 else models.DEAD)
    except Exception as exc:  # the runner must never leave a batch `running` forever
        log.write([f"azlake emulator: the batch runner failed: {type(exc).__name__}: {exc}"])
        _finish(app, run, models.DEAD)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _prepare(dfs: DfsAsIdentity, run: BatchRun, scratch: Path, log: _Logger) -> list[str] | None:
    """Download the script and the input arguments; return the spark-submit command (None: give up)."""
    try:
        run.local = runtime.resolve(run.spark, run.hdinsight)
    except runtime.RuntimeUnavailable as refused:
        log.write([str(refused)])
        return None
    log.write([run.local.describe(run.hdinsight)])
    try:
        script = _materialise(dfs, run.script, scratch / "app", log, required=True)
        if script is None:
            return None
        args = []
        for arg in run.args:
            local = _materialise(dfs, arg, scratch / "data", log, required=False) if ABFSS.match(arg) else None
            if ABFSS.match(arg) and local is None:  # not there yet: an output the job will write
                local = scratch / "data" / _relative(arg)
                local.parent.mkdir(parents=True, exist_ok=True)
                run.outputs[arg] = local
            args.append(str(local) if local is not None else arg)
    except LivyStorageError as err:
        log.write([f"Exception in thread \"main\" {err}"])
        return None
    conf = {"spark.ui.enabled": "false", **run.conf}
    command = [run.local.spark_submit, "--master", f"local[{run.cores}]",
               "--name", run.name or f"livy-batch-{run.batch_id}"]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    return command + [str(script), *args]


def _materialise(dfs: DfsAsIdentity, uri: str, root: Path, log: _Logger, required: bool) -> Path | None:
    m = ABFSS.match(uri)
    if not m:
        if required:
            log.write([f"java.io.FileNotFoundException: {uri} (the emulator runs scripts from abfss:// only)"])
        return None
    local = root / _relative(uri)
    kind = dfs.download(m.group("account"), m.group("fs"), m.group("path") or "", local)
    if kind is None and required:
        log.write([f"java.io.FileNotFoundException: File {uri} does not exist."])
    return local if kind else None


def _relative(uri: str) -> Path:
    m = ABFSS.match(uri)
    assert m
    return Path(m.group("account")) / m.group("fs") / (m.group("path") or "").strip("/")


def _spark(app, run: BatchRun, command: list[str], scratch: Path, log: _Logger) -> int | None:
    assert run.local is not None
    env = {k: os.environ[k] for k in _ENV_KEEP if k in os.environ}
    # SPARK_HOME pins the line: without it spark-submit asks whichever python3 comes first where Spark is
    env.update(SPARK_HOME=str(run.local.spark_home), PYSPARK_PYTHON=run.local.python,
               PYSPARK_DRIVER_PYTHON=run.local.python, SPARK_LOCAL_IP="127.0.0.1",
               SPARK_LOCAL_DIRS=str(scratch / "spark-local"), SPARK_CONF_DIR=str(_conf_dir(scratch)))
    # the watchdog ends the batch's processes if this process dies, or the batch or its cluster is deleted
    watched = [sys.executable, "-m", "azlake.emulator.livy.watchdog", str(os.getpid()),
               str(models.log_path(app.store, run.cluster, run.batch_id)), "--", *command]
    proc = subprocess.Popen(watched, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=scratch, env=env, errors="replace", start_new_session=True)
    with _processes_lock:
        _processes[(run.cluster, run.batch_id)] = proc
    app_id = f"application_{int(time.time() * 1000)}_{run.batch_id + 1:04d}"
    with app.store.tx() as tx:
        if models.update(tx, run.cluster, run.batch_id, state=models.RUNNING, appId=app_id,
                         process_group=proc.pid) is None:
            _terminate(proc)
            return None
    assert proc.stdout is not None
    for line in proc.stdout:
        log.write([line])
    code = proc.wait()
    with _processes_lock:
        _processes.pop((run.cluster, run.batch_id), None)
    with app.store.tx(write=False) as tx:
        if tx.get(models.BATCHES, models._key(run.cluster, run.batch_id)) is None:
            return None
    log.write([f"azlake emulator: spark-submit exited with code {code}"])
    return code


def _conf_dir(scratch: Path) -> Path:
    """Spark's log at WARN: Spark 3.3 has no `spark.log.level`, only log4j2's configuration file."""
    conf = scratch / "conf"
    conf.mkdir(exist_ok=True)
    (conf / "log4j2.properties").write_text(
        "rootLogger.level = warn\n"
        "rootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\n"
        "appender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex\n")
    return conf


def _ingest(dfs: DfsAsIdentity, run: BatchRun, log: _Logger) -> None:
    for uri, local in run.outputs.items():
        if not local.exists():
            continue
        m = ABFSS.match(uri)
        assert m
        _drop_checksums(local)
        count = dfs.upload(m.group("account"), m.group("fs"), (m.group("path") or "").strip("/"), local)
        log.write([f"azlake emulator: {count} file(s) written to {uri}"])


def _drop_checksums(local: Path) -> None:
    """Hadoop's local filesystem writes `.<name>.crc` beside each file; ABFS does not: leave them out."""
    for crc in local.rglob(".*.crc"):
        crc.unlink()


def _finish(app, run: BatchRun, state: str) -> None:
    with app.store.tx() as tx:
        models.update(tx, run.cluster, run.batch_id, state=state, finished=time.time())


class _Logger:
    """Appends to the batch's log, showing the job's abfss:// URIs where Spark printed scratch paths."""

    def __init__(self, app, run: BatchRun) -> None:
        self.store, self.cluster, self.batch_id = app.store, run.cluster, run.batch_id
        self.scratch: Path | None = None

    def write(self, lines: list[str]) -> None:
        if self.scratch is not None:
            lines = [_unscratch(line, self.scratch) for line in lines]
        models.append_log(self.store, self.cluster, self.batch_id, lines)


def _unscratch(line: str, scratch: Path) -> str:
    def uri(m: re.Match) -> str:
        account, fs, rest = m.group(1), m.group(2), m.group(3) or ""
        return f"abfss://{fs}@{account}.dfs.core.windows.net{rest}"
    pattern = re.escape(str(scratch)) + r"/(?:data|app)/([a-z0-9]+)/([^/\s]+)(/[^\s]*)?"
    return re.sub(pattern, uri, line)
