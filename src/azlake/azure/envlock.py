"""The per-environment lock every writing command holds: a blob lease in the lake account, like Terraform's.

The lock is the blob `azlake-locks/<environment>.lock` in the storage account of the environment's lake
(a department's lock lives in the central lake's account, one blob per environment). Holding it is holding
a 60-second lease on that blob, renewed every 15 s by a background thread; the blob's content says who
holds it. A holder that dies stops renewing, so its lease expires within 60 s and the next command takes
it; `azlake force-unlock` breaks it at once. Lease ids are the lock ids.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from azlake.envfile.load import derived
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment

CONTAINER = "azlake-locks"
LEASE_SECONDS = 60
RENEW_SECONDS = 15
FIRST_APPLY = ("no lock: the lake account {account} does not exist yet (first apply). Until it exists, nothing "
               "locks this environment; two first applies converge (deterministic names, whole-resource writes), "
               "but start the first apply from one place only")
Say = Callable[[str], None]


class LockBusy(AzlakeError):
    """Another command holds the environment's lock."""


@dataclass
class Holder:
    id: str
    environment: str
    command: str
    who: str
    host: str
    pid: int
    since: str                        # ISO 8601, UTC

    def describe(self) -> str:
        try:
            started = datetime.fromisoformat(self.since)
            age = int((datetime.now(UTC) - started).total_seconds())
            ago = f"{age // 3600}h{age % 3600 // 60:02d}m" if age >= 3600 else f"{age // 60}m{age % 60:02d}s"
            since = f"{started.strftime('%Y-%m-%d %H:%M:%S UTC')} ({ago} ago)"
        except ValueError:
            since = self.since
        return (f"`azlake {self.command}` by {self.who} on host {self.host} (pid {self.pid}) since {since}; "
                f"lock id {self.id}")


def who_runs() -> str:
    """The user, or the CI pipeline and its run, that holds a lock (what a waiting colleague needs to know)."""
    env = os.environ
    if env.get("GITHUB_ACTIONS") == "true":
        return (f"GitHub Actions {env.get('GITHUB_REPOSITORY', '?')} workflow {env.get('GITHUB_WORKFLOW', '?')!r} "
                f"run {env.get('GITHUB_RUN_ID', '?')} (actor {env.get('GITHUB_ACTOR', '?')})")
    if env.get("TF_BUILD", "").lower() == "true":
        return (f"Azure Pipelines {env.get('BUILD_DEFINITIONNAME', '?')} build {env.get('BUILD_BUILDID', '?')} "
                f"(for {env.get('BUILD_REQUESTEDFOR', '?')})")
    if env.get("GITLAB_CI") == "true":
        return f"GitLab {env.get('CI_PROJECT_PATH', '?')} pipeline {env.get('CI_PIPELINE_ID', '?')}"
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}"
    return f"user {user}"


def parse_timeout(text: str | None) -> float:
    """`--lock-timeout`: 0 (refuse at once), seconds, or 30s / 5m / 1h."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text or "0")
    if not m:
        raise AzlakeError(f"--lock-timeout {text!r} is not a duration",
                          detail="the value comes from --lock-timeout, or from AZLAKE_LOCK_TIMEOUT when the "
                                 "option is not given",
                          hint="use e.g. 0, 30s, 5m or 1h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def lake_of(loaded: LoadedEnvironment) -> tuple[str, str] | None:
    """(resource group, account) that holds the environment's lock: its lake, or the central lake it uses."""
    lake = loaded.spec.data_lake
    if lake is None:
        return None
    owner = loaded.lake if lake.use and loaded.lake is not None else loaded
    return derived(owner.spec.resource_group.name, "resource_group.name"), loaded.lake_account()


def blob_name(environment: str) -> str:
    return f"{environment}.lock"


@dataclass
class Unlocked:
    """No lock could be held (no lake yet, no data role): `note` says why, for the command to print."""
    note: str | None = None
    id: str | None = None
    lost: bool = False

    def release(self) -> None:
        pass


class Lock:
    """A held lock: its lease, renewed in the background until `release`."""

    note = None

    def __init__(self, blob: Any, lease: Any, holder: Holder, say: Say) -> None:
        self.blob, self.lease, self.holder, self.say = blob, lease, holder, say
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, name="azlake-lock-renewal", daemon=True)
        self._thread.start()

    @property
    def id(self) -> str:
        return self.holder.id

    def _renew(self) -> None:
        from azure.core.exceptions import ResourceNotFoundError, ServiceRequestError
        while not self._stop.wait(RENEW_SECONDS):
            try:
                self.lease.renew()
            except (ResourceNotFoundError, ServiceRequestError):
                return  # the account is gone (destroy --all deleted the lake): nothing is left to lock
            except Exception as exc:  # the command goes on; a later renewal may still succeed
                if not self.lost:
                    self.lost = True
                    code = getattr(exc, "error_code", None) or type(exc).__name__
                    self.say(f"warning: could not renew the lock of environment {self.holder.environment} "
                             f"({code}); another command may take it once it expires")

    def release(self) -> None:
        from azure.core.exceptions import AzureError
        self._stop.set()
        self._thread.join(timeout=5)
        try:
            # no retries: after destroy --all the account (and its host name) is gone, and a lease left by a
            # failed release expires by itself within LEASE_SECONDS
            self.blob.upload_blob(b"", overwrite=True, lease=self.lease, retry_total=0)  # no stale holder
            self.lease.release(retry_total=0)
        except AzureError:
            pass  # already broken (force-unlock), expired, or the account was deleted: nothing to free


def read_holder(blob: Any) -> Holder | None:
    from azure.core.exceptions import AzureError
    try:
        doc = json.loads(blob.download_blob().readall() or b"{}")
        return Holder(**{k: doc[k] for k in Holder.__dataclass_fields__})
    except (AzureError, ValueError, KeyError, TypeError):
        return None


def lock_blob(clients: Clients, account: str, environment: str) -> Any:
    return clients.blob(account).get_blob_client(CONTAINER, blob_name(environment))


def _account_exists(clients: Clients, group: str, account: str) -> bool:
    from azure.core.exceptions import ResourceNotFoundError
    try:
        clients.storage.storage_accounts.get_properties(group, account)
    except ResourceNotFoundError:
        return False
    return True


def _ensure_blob(clients: Clients, account: str, blob: Any) -> None:
    """The container and the (empty) lock blob, made on first use; a concurrent maker is fine."""
    from azure.core.exceptions import HttpResponseError, ResourceExistsError
    try:
        clients.blob(account).create_container(CONTAINER)
    except ResourceExistsError:
        pass
    try:
        blob.upload_blob(b"", overwrite=False)
    except (ResourceExistsError, HttpResponseError):
        pass  # exists (maybe leased): acquiring is what decides


def _try_acquire(clients: Clients, account: str, blob: Any, lock_id: str) -> Any | None:
    """The lease, or None while another holder has it."""
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
    from azure.storage.blob import BlobLeaseClient
    lease = BlobLeaseClient(blob, lease_id=lock_id)
    for attempt in range(2):
        try:
            lease.acquire(lease_duration=LEASE_SECONDS)
            return lease
        except ResourceNotFoundError:
            if attempt:
                raise
            _ensure_blob(clients, account, blob)
        except HttpResponseError as exc:
            if getattr(exc, "error_code", None) in ("LeaseAlreadyPresent", "LeaseIsBreakingAndCannotBeAcquired"):
                return None
            raise
    return None


def busy(environment: str, holder: Holder | None, path: Any, waited: float) -> LockBusy:
    who = holder.describe() if holder else "another command (it has not written who it is yet)"
    lock_id = holder.id if holder else "<LOCK_ID>"
    waited_text = f" after waiting {int(waited)}s" if waited >= 1 else ""
    return LockBusy(f"environment {environment} is locked{waited_text}: {who}",
                    hint=f"wait for that command to end, or wait for it with --lock-timeout 10m; a holder that died "
                         f"frees the lock within {LEASE_SECONDS}s by itself; if you are sure it is not running: "
                         f"azlake force-unlock {path} {lock_id}")


def acquire(loaded: LoadedEnvironment, clients: Clients, command: str, timeout: float, say: Say) -> Lock | Unlocked:
    """Take the environment's lock, waiting up to `timeout` seconds; Unlocked when there is nothing to lock."""
    from azure.core.exceptions import HttpResponseError
    env, where = loaded.spec.name, lake_of(loaded)
    if where is None:
        return Unlocked(f"lock: environment {env} has no data lake to hold its lock: not locked")
    group, account = where
    if not _account_exists(clients, group, account):
        # other commands find nothing to change, or say the lake is missing
        return Unlocked("lock: " + FIRST_APPLY.format(account=account) if command.startswith("apply") else None)
    blob, lock_id = lock_blob(clients, account, env), str(uuid.uuid4())
    started, told = time.monotonic(), False
    poll = 0.25 if clients.local else 2.0
    while True:
        try:
            lease = _try_acquire(clients, account, blob, lock_id)
        except HttpResponseError as exc:
            if exc.status_code != 403:
                raise
            return Unlocked(f"warning: not locked: no data role that may write on the lake {account} to hold the lock of {env} "
                            f"({getattr(exc, 'error_code', None)}); set data_lake.deployer_access: true (or grant Storage Blob Data "
                            "Contributor) so that concurrent commands are refused")
        if lease is not None:
            break
        waited = time.monotonic() - started
        holder = read_holder(blob)
        if waited >= timeout:
            raise busy(env, holder, loaded.path, waited)
        if not told:
            say(f"lock: waiting up to {int(timeout)}s for environment {env}: held by "
                + (holder.describe() if holder else "another command"))
            told = True
        time.sleep(min(poll, max(0.0, timeout - waited)))
    holder = Holder(lock_id, env, command, who_runs(), socket.gethostname(), os.getpid(),
                    datetime.now(UTC).isoformat(timespec="seconds"))
    blob.upload_blob(json.dumps(asdict(holder)).encode(), overwrite=True, lease=lease)
    return Lock(blob, lease, holder, say)


@contextmanager
def held(loaded: LoadedEnvironment, clients: Clients, command: str, timeout: float, say: Say) -> Iterator[Lock | Unlocked]:
    """The lock for the whole of a command; released at its end, also on errors and Ctrl-C."""
    lock = acquire(loaded, clients, command, timeout, say)
    try:
        yield lock
    finally:
        lock.release()


def current(loaded: LoadedEnvironment, clients: Clients) -> tuple[str, Holder | None]:
    """(lease state, holder) of the environment's lock, for status and reap; ('none', None) without one,
    ('unknown', None) when it cannot be read (no data role, say)."""
    from azure.core.exceptions import AzureError, ResourceNotFoundError
    where = lake_of(loaded)
    if where is None:
        return "none", None
    blob = lock_blob(clients, where[1], loaded.spec.name)
    try:
        props = blob.get_blob_properties()
    except ResourceNotFoundError:
        return "none", None
    except AzureError:
        return "unknown", None
    state = props.lease.state or "available"
    return state, read_holder(blob) if state in ("leased", "breaking") else None


def force_unlock(loaded: LoadedEnvironment, clients: Clients, lock_id: str) -> Holder | None:
    """Break the lease of the lock `lock_id` at once; refuse when the lock is free or has another id."""
    from azure.storage.blob import BlobLeaseClient
    env = loaded.spec.name
    state, holder = current(loaded, clients)
    where = lake_of(loaded)
    if state not in ("leased", "breaking") or where is None:
        raise AzlakeError(f"environment {env} is not locked (lock state: {state})", hint="nothing to unlock")
    if holder is not None and holder.id.lower() != lock_id.strip().lower():
        raise AzlakeError(f"environment {env} is locked with another id: {holder.describe()}",
                          hint=f"check who holds it; to break that lock: azlake force-unlock {loaded.path} {holder.id}")
    blob = lock_blob(clients, where[1], env)
    BlobLeaseClient(blob).break_lease(lease_break_period=0)
    blob.upload_blob(b"", overwrite=True)  # a broken lease no longer guards writes
    return holder
