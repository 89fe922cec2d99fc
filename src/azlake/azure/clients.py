"""The one place that knows whether azlake talks to Azure or to the local emulator.

Every SDK client is built here: the same classes, the same pipeline; for `--cloud local` the credential
is the emulator's and the transport is either in-process (default) or HTTPS to a served emulator
(`AZLAKE_EMULATOR_URL` + the CA in `<state-dir>/emulator-ca.pem`). SDK imports stay inside the methods so
that `azlake --help`, `validate` and `schema` never import them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from azlake.azure.token import object_id
from azlake.errors import AzlakeError

LOCAL_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
CLOUDS = ("azure", "local")
# What marks a project's root folder: the local cloud's state lives there, whatever the current folder.
PROJECT_MARKERS = ("environments", "pyproject.toml", ".git")
STATE_FOLDER = ".azlake"


def project_root(start: Path) -> Path:
    """The first folder at or above `start` holding environments/, pyproject.toml or .git (else `start`)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def default_state_dir(anchor: Path | None = None) -> Path:
    """`<project root>/.azlake`, the root found from the environment file (or folder) or the current folder."""
    start = Path(anchor) if anchor is not None else Path.cwd()
    if not start.is_dir():
        start = start.absolute().parent
    return project_root(start) / STATE_FOLDER


@dataclass
class Target:
    cloud: str                       # azure | local
    subscription: str
    state_dir: Path = field(default_factory=lambda: Path(os.environ.get("AZLAKE_STATE_DIR") or default_state_dir()))
    emulator_url: str | None = None  # served emulator; None = in-process

    @classmethod
    def from_env(cls, cloud: str | None, subscription: str | None, state_dir: str | Path | None = None,
                 anchor: Path | None = None) -> Target:
        """`state_dir`, else AZLAKE_STATE_DIR, else the project root's `.azlake` found from `anchor`."""
        cloud = (cloud or os.environ.get("AZLAKE_CLOUD") or "azure").lower()
        if cloud not in CLOUDS:
            raise AzlakeError(f"unknown cloud {cloud!r}",
                              hint="use --cloud azure or --cloud local (or set AZLAKE_CLOUD to one of them)")
        given = state_dir or os.environ.get("AZLAKE_STATE_DIR")
        sdir = Path(given).absolute() if given else default_state_dir(anchor)
        sub = subscription or (LOCAL_SUBSCRIPTION if cloud == "local" else "")
        return cls(cloud, sub, sdir, os.environ.get("AZLAKE_EMULATOR_URL") if cloud == "local" else None)


class Clients:
    """SDK clients for one target. Cheap to create; clients are built on first use and cached."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.empty_state = False  # a read-only command on a local cloud with no state yet

    def use_empty_cloud(self) -> None:
        """An empty emulator in a temporary folder: reading a local cloud that holds nothing yet must not
        create its state (a plan there is still the full plan of an empty cloud)."""
        import tempfile

        from azlake.emulator import Emulator
        self._empty_dir = tempfile.TemporaryDirectory(prefix="azlake-empty-")  # removed with this object
        self.__dict__["emulator"] = Emulator(Path(self._empty_dir.name))  # never cached per state dir
        self.empty_state = True

    @classmethod
    def for_emulator(cls, emulator: Any, served_url: str | None = None,
                     subscription: str = LOCAL_SUBSCRIPTION) -> Clients:
        """Clients on the local cloud bound to this Emulator instance (its clock and settings), reached
        in-process or, with `served_url`, over HTTPS (tests and benchmarks)."""
        clients = cls(Target("local", subscription, emulator.store.state_dir, served_url))
        clients.__dict__["emulator"] = emulator  # fills the cached_property
        return clients

    # --- plumbing --------------------------------------------------------------------------------
    @property
    def local(self) -> bool:
        return self.target.cloud == "local"

    @cached_property
    def emulator(self):
        from azlake.emulator import get_emulator
        return get_emulator(self.target.state_dir)

    @cached_property
    def credential(self) -> Any:
        if self.local:
            from azlake.emulator.core.auth import EmulatorCredential
            return EmulatorCredential()
        from azure.identity import DefaultAzureCredential
        return DefaultAzureCredential(exclude_interactive_browser_credential=True)

    def _kwargs(self) -> dict[str, Any]:
        """Transport options shared by every client."""
        if not self.local:
            return {}
        if self.target.emulator_url:
            ca = self.target.state_dir / "emulator-ca.pem"
            return {"connection_verify": str(ca), "polling_interval": 0.05, "retry_backoff_factor": 0.1}
        from azlake.emulator.core.transport import make_transport
        # Same pipeline as Azure; only the socket and the pacing differ (emulated time is scaled down).
        return {"transport": make_transport(self.emulator), "polling_interval": 0.05,
                "retry_backoff_factor": 0.1}

    def _mgmt(self, cls: type, **extra: Any) -> Any:
        from azlake.azure.throttle import ArmThrottlePolicy
        kwargs = self._kwargs()
        if self.local and self.target.emulator_url:
            kwargs["base_url"] = self.target.emulator_url
        throttle = ArmThrottlePolicy(self.target.subscription, self.scaled(1.0))
        return cls(self.credential, self.target.subscription, per_retry_policies=[throttle], **kwargs, **extra)

    @property
    def arm_endpoint(self) -> str:
        return self.target.emulator_url or "https://management.azure.com"

    def seconds_since(self, moment: float) -> float:
        """Azure seconds since `moment` (a Unix time such as a cluster's createdDate): the one clock of ages.

        On Azure, wall time. On the local cloud, the emulator's clock: real time divided by its time scale,
        the clock that already paces creations, deletions and role propagation there (at the default
        0.005, one real minute is 3h20m). Uptime, cost so far, `max_age` and run costs all use this.
        """
        import time
        if not self.local:
            return max(0.0, time.time() - moment)
        return max(0.0, self.emulator.clock.elapsed_nominal(moment))

    def clock_note(self) -> str | None:
        """How the local cloud's time relates to real time (None on Azure, where they are the same)."""
        if not self.local:
            return None
        scale = self.emulator.settings.time_scale
        return (f"local cloud time: 1 real second is {1 / scale:g} Azure seconds "
                f"(AZLAKE_EMULATOR_TIME_SCALE={scale:g}; 1 runs it in real time)") if scale else None

    def scaled(self, nominal_seconds: float) -> float:
        """Real seconds for a nominal Azure wait: the emulator's time scale on the local cloud."""
        if not self.local:
            return nominal_seconds
        return nominal_seconds * self.emulator.settings.time_scale

    # --- management plane ------------------------------------------------------------------------
    @cached_property
    def resources(self) -> Any:
        from azure.mgmt.resource.resources import ResourceManagementClient
        return self._mgmt(ResourceManagementClient)

    @cached_property
    def locks(self) -> Any:
        from azure.mgmt.resource.locks import ManagementLockClient
        return self._mgmt(ManagementLockClient)

    @cached_property
    def storage(self) -> Any:
        from azure.mgmt.storage import StorageManagementClient
        return self._mgmt(StorageManagementClient)

    @cached_property
    def msi(self) -> Any:
        from azure.mgmt.msi import ManagedServiceIdentityClient
        return self._mgmt(ManagedServiceIdentityClient)

    @cached_property
    def authorization(self) -> Any:
        from azure.mgmt.authorization import AuthorizationManagementClient
        return self._mgmt(AuthorizationManagementClient)

    @cached_property
    def hdinsight(self) -> Any:
        from azure.mgmt.hdinsight import HDInsightManagementClient
        return self._mgmt(HDInsightManagementClient)

    @cached_property
    def eventhub(self) -> Any:
        from azure.mgmt.eventhub import EventHubManagementClient
        return self._mgmt(EventHubManagementClient)

    @cached_property
    def keyvault(self) -> Any:
        from azure.mgmt.keyvault import KeyVaultManagementClient
        return self._mgmt(KeyVaultManagementClient)

    # --- data plane ------------------------------------------------------------------------------
    def vault_url(self, vault: str) -> str:
        if self.local and self.target.emulator_url:
            return f"{self.target.emulator_url}/_vault/{vault}"
        return f"https://{vault}.vault.azure.net"

    def secrets(self, vault: str) -> Any:
        """The secrets of a vault, read and written with the caller's identity (Key Vault's challenge auth)."""
        from azure.keyvault.secrets import SecretClient
        kwargs = self._kwargs()
        kwargs.pop("polling_interval", None)
        # a served emulator is reached on loopback, not on *.vault.azure.net, which the challenge check expects
        served = self.local and bool(self.target.emulator_url)
        return SecretClient(self.vault_url(vault), self.credential, verify_challenge_resource=not served, **kwargs)

    def dfs_url(self, account: str) -> str:
        if self.local and self.target.emulator_url:
            return f"{self.target.emulator_url}/{account}"
        return f"https://{account}.dfs.core.windows.net"

    def datalake(self, account: str) -> Any:
        from azure.storage.filedatalake import DataLakeServiceClient
        return DataLakeServiceClient(self.dfs_url(account), credential=self.credential, **self._data_kwargs())

    def blob_url(self, account: str) -> str:
        if self.local and self.target.emulator_url:
            return f"{self.target.emulator_url}/{account}"
        return f"https://{account}.blob.core.windows.net"

    def blob(self, account: str) -> Any:
        """The Blob API of an account (server-side copies with Copy Blob; ADLS Gen2 has no copy of its own)."""
        from azure.storage.blob import BlobServiceClient
        return BlobServiceClient(self.blob_url(account), credential=self.credential, **self._data_kwargs())

    def _data_kwargs(self) -> dict[str, Any]:
        kwargs = self._kwargs()
        kwargs.pop("polling_interval", None)
        if kwargs.pop("retry_backoff_factor", None) is not None:
            # storage's ExponentialRetry waits 15 s, then 3x; emulated time is scaled down
            kwargs.update(initial_backoff=0.2, increment_base=2)
        return kwargs

    def gateway_url(self, cluster: str) -> str:
        if self.local and self.target.emulator_url:
            return f"{self.target.emulator_url}/_gateway/{cluster}"
        return f"https://{cluster}.azurehdinsight.net"

    @property
    def retail_prices_url(self) -> str:
        """Azure's public Retail Prices API (no sign-in); the local cloud serves the same API."""
        if self.local and self.target.emulator_url:
            return f"{self.target.emulator_url}/_prices/api/retail/prices"
        return "https://prices.azure.com/api/retail/prices"

    def http_session(self) -> Any:
        """A requests session for plain HTTPS calls (Livy through the cluster gateway)."""
        import requests
        if self.local and not self.target.emulator_url:
            from azlake.emulator.core.transport import make_session
            return make_session(self.emulator)
        session = requests.Session()
        if self.local:
            session.verify = str(self.target.state_dir / "emulator-ca.pem")
            # requests lets REQUESTS_CA_BUNDLE override session.verify (psf/requests#3829); loopback needs no proxy
            session.trust_env = False
        return session

    @cached_property
    def principal_id(self) -> str:
        """The object id of the principal running azlake (read from its ARM token)."""
        token = self.credential.get_token("https://management.azure.com/.default").token
        oid = object_id(token)
        if not oid:
            raise AzlakeError("could not read the object id of the signed-in principal from its token",
                              hint="sign in with `az login` or set AZURE_CLIENT_ID/AZURE_TENANT_ID for workload identity")
        return oid
