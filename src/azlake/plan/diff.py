"""Pure comparison of a desired Resource with what was read: one Action with a reason, always."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azlake.azure.kind import Effect, Resource, Rule
from azlake.azure.observed import SECRET_DIFFERS, SECRET_MATCHES, UNKNOWN, Observed
from azlake.azure.registry import kind_of
from azlake.plan.verb import Verb

# Changes of a secret: plans say that it differs, never what it is (the markers come from the read).
SECRET_CHANGES = {"login.password": "gateway credential: update (the password differs)"}
_DESCRIBE = {"login.password": "gateway credential (the password differs)",
             "login.username": "gateway credential (the user name differs)"}

_BUSY = {"InProgress", "Creating", "Accepted", "Updating", "ResolvingDNS", "Activating", "Provisioning"}
_FAILED = {"Failed", "Canceled"}


@dataclass
class Change:
    path: str
    before: Any
    after: Any

    def to_json(self, secrets: list[str] | None = None) -> dict[str, Any]:
        """The change for people and files; a value that is or holds a secret is shown as MASK."""
        before = None if self.before is UNKNOWN else self.before
        return {"path": self.path, "before": masked(self.path, before, secrets or []),
                "after": masked(self.path, self.after, secrets or [])}


MASK = "(secret)"
_SECRET_KEY = re.compile(r"(?:^|[_-])(?:password|secret|token|key|sas|connection_string)$", re.I)


def masked(path: str, value: Any, secrets: list[str]) -> Any:
    """MASK for a secret: by its key's name, or because the value contains a known secret value."""
    if value is None or value in (SECRET_MATCHES, SECRET_DIFFERS):  # markers that say only same/different
        return value
    if _SECRET_KEY.search(path.rsplit(".", 1)[-1]):
        return MASK
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return MASK if any(s and s in text for s in secrets) else value


@dataclass
class Action:
    resource: Resource
    verb: Verb
    reason: str
    changes: list[Change] = field(default_factory=list)
    refused: str | None = None                      # the change Azure cannot make, and what to do
    resume: bool = False                            # an earlier write is still running: only wait
    rewrite: bool = False                           # Failed: send the whole creation request again
    observed: Observed | None = None
    kept: bool = False                              # a delete not sent because Azure would refuse it

    @property
    def address(self) -> str:
        return self.resource.address


def diff(res: Resource, actual: Observed, environment: str) -> Action:
    """Decide what apply must do to make `actual` match `res`."""
    if not res.managed:
        return _used(res, actual)
    if not actual.exists:
        reason = ("soft-deleted (an earlier destroy --all): apply recovers it, with its secrets"
                  if actual.outputs.get("recover") else "does not exist")
        return Action(res, Verb.CREATE, reason, _all_changes(res), observed=actual)
    if actual.owner is None:
        return Action(res, Verb.NOOP, "exists and is not managed by azlake: left untouched", observed=actual)
    if actual.owner != environment:
        return Action(res, Verb.NOOP, f"belongs to environment {actual.owner!r}: left untouched",
                      observed=actual, refused=f"{res.address} ({res.name}) is owned by environment "
                      f"{actual.owner!r}; choose another name in this file")
    if actual.state == "Deleting":
        return Action(res, Verb.CREATE, "is being deleted (an earlier destroy): apply waits until it is gone, then "
                      "creates it", _all_changes(res), observed=actual)
    if actual.state in _BUSY:
        return Action(res, Verb.CREATE if actual.state != "Updating" else Verb.UPDATE,
                      f"still {actual.state} from an earlier apply: apply waits for it", observed=actual,
                      resume=True)
    if actual.state in _FAILED:
        return _failed(res, actual)
    changes = _changes(res, actual)
    if not changes:
        return Action(res, Verb.NOOP, "matches the file", observed=actual)
    return _classify(res, actual, changes)


def _used(res: Resource, actual: Observed) -> Action:
    owner = res.context.get("used_from")
    if not actual.exists:
        return Action(res, Verb.NOOP, f"used from environment {owner!r}, which has not created it",
                      observed=actual, refused=f"the {kind_of(res).used_noun} {res.name} of "
                      f"environment {owner!r} does not exist yet; apply it first: "
                      f"azlake apply {res.context.get('used_file') or owner}")
    return Action(res, Verb.NOOP, f"used from environment {owner!r}: never changed by this one", observed=actual)


def refusal_hint(actions: list[Action], refusals: list[str]) -> str:
    """What to do about a plan's refusals: apply the central lake first when that is all, else fix the file."""
    lakes = [a.resource.context.get("used_file") for a in actions
             if a.refused and not a.resource.managed and not (a.observed and a.observed.exists)]
    if lakes and len(lakes) == len(refusals):
        what = "the central lake" if all(kind_of(a.resource).used_noun == "lake" for a in actions
                                          if a.refused and not a.resource.managed) else "the environment it uses"
        return f"apply {what} first (azlake apply {lakes[0]}), then run this command again"
    return "change the file as the refused: lines say, then plan again"


def _failed(res: Resource, actual: Observed) -> Action:
    reason = f"is in state {actual.state} after an earlier apply"
    if res.lifecycle == "ephemeral" or kind_of(res).replace_when_failed:
        # A failed cluster is unusable and bills nothing useful: deleting it first is what Azure support
        # advises; a persistent cluster in Failed never held data of its own (the lake holds it).
        return Action(res, Verb.REPLACE, reason + ": delete it and create it again", _changes(res, actual),
                      observed=actual)
    # A PATCH changes settings but leaves provisioningState Failed for ever; the full creation request
    # (a PUT, what redeploying a template sends) makes Azure provision the resource again.
    return Action(res, Verb.UPDATE, reason + ": its creation request is sent again", _changes(res, actual),
                  observed=actual, rewrite=True)


def _all_changes(res: Resource) -> list[Change]:
    return [Change(k, None, v) for k, v in res.properties.items()]


def _changes(res: Resource, actual: Observed) -> list[Change]:
    out = []
    for key, want in res.properties.items():
        have = _read_value(actual.properties, key)
        if have is UNKNOWN:
            continue  # masked or unreadable (a password): never a reason to change
        if key == "nodes.worker.count" and res.properties.get("autoscale"):
            continue  # with autoscale on, Azure moves the worker count itself
        if not same(key, want, have):
            out.append(Change(key, have, want))
    return out


def _read_value(properties: dict[str, Any], key: str) -> Any:
    """The value read for `key`; tag and metadata names match in any case (ARM treats tag names
    case-insensitively, and metadata names travel as HTTP headers)."""
    if key in properties or not key.startswith(("tags.", "metadata.")):
        return properties.get(key)
    folded = key.lower()
    return next((v for k, v in properties.items() if k.lower() == folded), None)


# Values Azure writes back in its own form while they mean what was asked: compare both sides through
# these. HDInsight answers VM sizes in lower case (`standard_e4_v3`) and regions by display name
# ("Brazil South"); enum values come back in the service's case; `5.1` comes back as the build
# `5.1.3000.0`. terraform-provider-azurerm ignores the same differences (HDInsight vm_size and tier case,
# cluster version major.minor, normalised locations, resource ids case-insensitively).
def _region(value: str) -> str:
    return value.replace(" ", "").lower()


def _caseless(value: str) -> str:
    return value.lower()


def _major_minor(value: str) -> str:
    return ".".join(value.split(".")[:2])


_NORMALISE: dict[str, Callable[[str], str]] = {
    "location": _region, "version": _major_minor,
    "kind": _caseless, "performance": _caseless, "redundancy": _caseless, "sku": _caseless,
    "minimum_tls_version": _caseless, "level": _caseless, "storage.account": _caseless,
    "nodes.head.size": _caseless, "nodes.worker.size": _caseless, "nodes.zookeeper.size": _caseless,
}


def same(key: str, want: Any, have: Any) -> bool:
    """True when what Azure answered (`have`) is what the file asks for (`want`), as Azure compares."""
    if not (isinstance(want, str) and isinstance(have, str)):
        return bool(want == have)
    if want.startswith("/subscriptions/") and have.startswith("/subscriptions/"):
        return want.lower() == have.lower()  # ARM resource ids are case-insensitive
    normalise = _NORMALISE.get(key)
    return normalise(want) == normalise(have) if normalise else want == have


def _rule(res: Resource, change: Change) -> Rule:
    return kind_of(res).rule(change.path, change.before, change.after)


def _classify(res: Resource, actual: Observed, changes: list[Change]) -> Action:
    rules = {c.path: _rule(res, c) for c in changes}
    refusals = [f"{path}: {rule.why}" for path, rule in rules.items() if rule.effect is Effect.REFUSE]
    replaces = [path for path, rule in rules.items() if rule.effect is Effect.REPLACE]
    if refusals:
        return Action(res, Verb.UPDATE, "cannot change in place: " + "; ".join(refusals), changes,
                      refused=f"{res.address} ({res.name}): " + "; ".join(refusals), observed=actual)
    if replaces:
        what = ", ".join(replaces)
        if res.lifecycle != "ephemeral":
            return Action(res, Verb.REPLACE, f"{what} changed, which needs a new resource", changes, observed=actual,
                          refused=f"{res.address} ({res.name}) is persistent and {what} cannot change in place; "
                                  "azlake never replaces a persistent resource: destroy it yourself first, or "
                                  "make it `lifecycle: ephemeral`")
        return Action(res, Verb.REPLACE, f"{what} cannot change in place: the ephemeral resource is recreated",
                      changes, observed=actual)
    described = dict.fromkeys(_DESCRIBE.get(c.path, c.path) for c in changes)  # one mention per credential
    return Action(res, Verb.UPDATE, "changed in place: " + ", ".join(described), changes, observed=actual)


# What adoption writes: azlake's marks and the file's tags, never a setting of the resource itself.
_MARKS = ("tags.", "metadata.", "user_metadata", "notes")


def adoption(res: Resource, actual: Observed) -> Action:
    """Taking ownership of `res`, which exists without azlake's marks: the marks it gains and, when the
    resource differs from the file, what adopting would also change (refused when that is not in place)."""
    changes = _changes(res, actual)
    marks = [c for c in changes if c.path.startswith(_MARKS)]
    others = [c for c in changes if not c.path.startswith(_MARKS)]
    what = (", ".join(dict.fromkeys(c.path.split(".", 1)[0] if c.path.startswith("tags.") else c.path
                                    for c in marks)) or "nothing to write")
    reason = f"exists without azlake's marks: `apply --adopt` takes ownership ({what}); without it, used as it is"
    if not others:
        return Action(res, Verb.ADOPT, reason, changes, observed=actual)
    judged = _classify(res, actual, others)
    if judged.verb is not Verb.UPDATE or judged.refused:
        return Action(res, Verb.ADOPT, reason, changes, observed=actual, refused=(
            f"{res.address} ({res.name}) differs from the file where Azure cannot change it in place "
            f"({', '.join(c.path for c in others)}): adopting it would need a new resource; write the file as "
            "Azure has it (azlake import does) or leave it unadopted"))
    return Action(res, Verb.ADOPT, reason + "; adopting also changes in place: " + ", ".join(c.path for c in others),
                  changes, observed=actual)
