"""What every resource kind declares: its reads and single writes, its field rules, naming and containment.

One subclass per kind lives in the kind's own service module (azure/<service>.py) and one line in
azure/registry.py maps the kind's name to it. The planner, the diff, the executor and the engine ask the
kind; none of them names a kind. docs/architecture.md has the rules and the checklist for adding one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from azlake.azure.observed import Observed

if TYPE_CHECKING:
    from azure.core.polling import LROPoller

    from azlake.azure.clients import Clients


@dataclass
class Resource:
    """One thing azlake manages (or, with managed=False, only uses)."""

    address: str                     # stable name in the file: `cluster`, `data_lake.zone[landing]`, ...
    kind: str                        # the resource kind (azure/registry.py): resource_group, identity, role, ...
    type: str                        # Azure resource type
    name: str
    id: str | None                   # None while it depends on something not created yet
    lifecycle: str                   # ephemeral | persistent
    properties: dict[str, Any]       # desired values, flat dotted keys, compared by plan/diff.py
    depends_on: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)  # call parameters not compared (group, account...)
    secrets: dict[str, Any] = field(default_factory=dict)  # SecretStr values: never serialised
    managed: bool = True             # False: owned by another environment (a central lake), read only


class Effect(StrEnum):
    """What a changed field asks of Azure, mildest first."""

    UPDATE = "update"     # in place
    REPLACE = "replace"   # a new resource (ephemeral ones only: a persistent one is refused)
    REFUSE = "refuse"     # Azure cannot do it: the plan says what to do instead


@dataclass(frozen=True)
class Rule:
    effect: Effect
    why: str = ""         # for a refusal: why Azure cannot, and what to do instead

    @classmethod
    def refuse(cls, why: str) -> Rule:
        return cls(Effect.REFUSE, why)


UPDATE, REPLACE = Rule(Effect.UPDATE), Rule(Effect.REPLACE)
REFUSE_MOVE = Rule.refuse("a resource cannot move to another region; create a new environment and migrate the data")


@dataclass(frozen=True)
class Outcome:
    """What one write returned: a long-running operation to wait for, further operations to start one after
    another once it is done (HDInsight refuses a second one while one runs), facts for later steps, or why
    Azure keeps what was to be deleted."""

    poller: LROPoller[Any] | None = None
    then: tuple[Callable[[], LROPoller[Any]], ...] = ()
    outputs: Mapping[str, Any] = field(default_factory=dict)
    kept: str | None = None


DONE = Outcome()  # frozen: one instance serves every write that returns nothing


class Kind:
    """One Azure resource kind. Reads and writes are one SDK call each; waiting is the executor's."""

    name: ClassVar[str]
    # How each compared field may change (fields not listed change in place: tags, metadata...).
    rules: ClassVar[Mapping[str, Rule]] = {}
    # The name is global in Azure (a storage account, a cluster, a vault): read even while its resource
    # group is still to be created, so that a name someone else holds shows in the plan.
    global_name: ClassVar[bool] = False
    # A Failed resource is deleted and created again (else its creation request is sent again).
    replace_when_failed: ClassVar[bool] = False
    # What the plan calls it when another environment owns it ("the lake ... does not exist yet").
    used_noun: ClassVar[str] = "resource"
    # A data-plane write: its creation waits, bounded, while the deployer's new data role propagates.
    data_plane: ClassVar[bool] = False
    # Error codes a creation fails with while the identity's new storage role is not effective yet (HDInsight
    # fails opaquely): the failed resource is deleted and created again, bounded. Empty: no such wait.
    role_not_effective_codes: ClassVar[frozenset[str]] = frozenset()
    # A role assignment: the executor notes when it was made (later steps give it time to take effect).
    grants_role: ClassVar[bool] = False
    # A management lock: a destroy that deletes it lifts it first.
    is_lock: ClassVar[bool] = False
    # Its deletion is refused under a lock this destroy does not remove (409 ScopeLocked): the plan keeps it.
    kept_under_foreign_lock: ClassVar[bool] = False
    # Kinds whose creation must have happened before Azure can validate this one's (see preflight).
    preflight_after: ClassVar[frozenset[str]] = frozenset()

    def rule(self, path: str, before: Any, after: Any) -> Rule:
        """How a change of `path` from `before` (Azure) to `after` (the file) can be made."""
        return self.rules.get(path, UPDATE)

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        raise NotImplementedError

    def listing_key(self, res: Resource) -> tuple[str, ...] | None:
        """What one list Azure offers answers `res` with its peers (a scope's role assignments, an account's
        filesystems, a folder's directories); None: read one by one. A plan lists a key once, and only
        when at least two of its resources share it (one read each costs no more otherwise)."""
        return None

    def listing(self, clients: Clients, key: tuple[str, ...], facts: dict[str, Any]) -> Any:
        """The listing of `key`, which `read` then consults (see azure/listings.py); None when Azure will not
        list it for us (then each resource is read on its own, as without a listing)."""
        return None

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        raise NotImplementedError

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        """Make the changed `paths` as the file says; most kinds send their whole creation request again."""
        return self.create(clients, res, facts, observed)

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        raise NotImplementedError

    def status(self, clients: Clients, res: Resource) -> str | None:
        """The state to show while a long-running write runs (None: nothing more to say than waiting)."""
        return None

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        """True when deleting one of `deleting` (addresses) removes `res` too: it is not deleted on its own."""
        return False

    def facts(self, clients: Clients, outputs: Mapping[str, Any]) -> dict[str, str]:
        """Facts this resource gives later reads and writes once it exists (an identity's principal id)."""
        return {}

    def preflight(self, clients: Clients, res: Resource) -> list[str] | None:
        """Azure's own validation of a creation, asked without creating (None: the kind has none)."""
        return None

    def update_warnings(self, res: Resource, paths: set[str]) -> list[str]:
        """What a plan should say about an in-place update of `paths` that Azure cannot fully make."""
        return []

    def deletion(self, res: Resource, source: str | None) -> tuple[str, str] | None:
        """(reason, warning) a destroy plan shows when it deletes `res` (None: the plain words do)."""
        return None
