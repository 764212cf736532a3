"""The three-way merge of one bound record, field by field (docs/SYNC.md §3).

``merge(specs, base, local, remote, pull=..., push=..., strategy=...)`` compares, for every synced
field, the Odoo value L, the e-conomic value R and the base B (the value both sides held after the
last pass, §1) and decides what to write where.  No I/O: the caller reads both sides, calls
``merge``, writes ``to_local`` into Odoo and ``to_remote`` to e-conomic (as a complete record,
§3: the legacy PUT clears omitted fields), then stores ``new_base(local_written, remote_written)``.

Rules (docs/SYNC.md §3, numbered as there):

1. L = B and R = B: nothing to do.
2. Only R changed: written into Odoo (``to_local``) if ``pull``; otherwise held, base kept.
3. Only L changed: sent to e-conomic (``to_remote``) if ``push``; otherwise L is kept and the base
   too.  A pull never overwrites a field changed locally since the base: this is what protects a
   local edit from a stale remote snapshot.
4. Both changed, different fields: rules 2 and 3 apply field by field (a merge).
5. Both changed the same field: to the same value, no conflict and the base moves to it; to
   different values, a ``Conflict`` decided by the strategy:
   ``economic_wins`` → R; ``local_wins`` → L; ``read_only`` → R (and nothing is ever pushed for a
   ``read_only`` entity, even with push on); ``newer_wins`` → the side changed last (see
   ``decide_newer``); ``None`` (no strategy chosen) → ``undecided``: nothing written on either
   side, base kept, so the conflict is found again until a user decides.  A decision is applied
   only within pull/push: a local winner with push off, or a remote winner with pull off, writes
   nothing and keeps the base.  ``overrides`` (field → ``'local'``/``'remote'``, a user's choice
   reversing a decision) decide a conflicting field before the strategy.
6. The base after the pass (``MergeResult.new_base``) is the value both sides now hold; a field
   that could not be written (push off, pull off, undecided, or a failed write reported through
   the flags) keeps its old base, so the difference is found again next pass.

``push`` is the *effective* push: the entity's push setting AND the connection's write-back (§2).

**No base (initial bind).**  A field with no base value (``base`` empty/``None``, or a field added
to the synced set since the last pass) is compared across the sides only: equal values are in
agreement and become the base; different values are a conflict (``initial=True``) decided by the
strategy as in rule 5.  With no strategy chosen and push off, R is written into Odoo if pull is on
(decision ``'remote'``), and L is kept otherwise (decision ``'local'``, nothing sent): a first pull
mirrors e-conomic, which is what the two-way entities' default (pull on, push off, §2) promises.
With no strategy and push on (which §2 forbids the screen to allow) the conflict is
``undecided``: no hidden default ever sends a local value over a remote one.

``overrides`` only decide fields that are in conflict this pass; a field whose sides agree, or where
only one side changed, follows rules 1–4 (a stale override never reverts a newer change).  To
reverse a decision that was already applied (both sides now hold the winner), the caller restores
the losing value, recorded in the ``Conflict``, on its side: the next pass then sees a one-sided
change.
"""

from collections import namedtuple

from .canonical import canonical, parse_datetime

__all__ = ["STRATEGIES", "Change", "Conflict", "MergeResult", "decide_newer", "merge"]

STRATEGIES = ("economic_wins", "local_wins", "newer_wins", "read_only")

LOCAL = "local"
REMOTE = "remote"
UNDECIDED = "undecided"

Change = namedtuple("Change", ["field", "side", "old", "new"])
Change.__doc__ = """A value about to be written: ``side`` is where (``'local'`` = Odoo,
``'remote'`` = e-conomic), ``old`` the value there now, ``new`` the value written (for
the sync log, §7)."""

_Conflict = namedtuple(
    "Conflict",
    [
        "field",
        "base",
        "local",
        "remote",
        "decision",
        "strategy",
        "applied",
        "overridden",
        "initial",
    ],
)


class Conflict(_Conflict):
    """Both sides changed ``field`` to different values (§3.5), or differ at the initial bind.

    ``decision`` is ``'local'``, ``'remote'`` or ``'undecided'``; ``strategy`` the entity's
    strategy (``None`` when not chosen); ``applied`` whether the decision is written this pass
    (False when pull/push does not allow it, or undecided); ``overridden`` whether a user's override
    decided it; ``initial`` whether the field had no base (first bind).
    """

    __slots__ = ()


class MergeResult:
    """What ``merge`` decided for one record.

    - ``to_local``: field → canonical value to write into Odoo.
    - ``to_remote``: field → canonical value to send to e-conomic.
    - ``conflicts``: list of ``Conflict``.
    - ``changes``: list of ``Change``, one per entry of ``to_local``/``to_remote`` (sync log).
    - ``held``: field → side whose change could not be applied this pass (``'local'``: a local
      change waiting for push; ``'remote'``: a remote change waiting for pull), the record's
      "pending" state (§7).
    - ``unchanged``: nothing to write, no conflict and no base to update.
    """

    __slots__ = ("base", "to_local", "to_remote", "conflicts", "changes", "held", "_moves")

    def __init__(self, base):
        self.base = dict(base or {})
        self.to_local = {}
        self.to_remote = {}
        self.conflicts = []
        self.changes = []
        self.held = {}
        # field -> (side whose write must succeed, or None, value the base becomes)
        self._moves = {}

    @property
    def unchanged(self):
        return not (
            self.to_local
            or self.to_remote
            or self.conflicts
            or any(side is None for side, _value in self._moves.values())
        )

    def new_base(self, local_written=True, remote_written=True):
        """The base after this pass (§3.6).

        A field's base becomes the value both sides now hold: at once where they already agree,
        after the Odoo write (``local_written``) for ``to_local`` fields, after the e-conomic write
        (``remote_written``) for ``to_remote`` fields.  Every other field keeps its old base (or
        stays without one).  Fields of the old base outside ``specs`` are kept as they were.
        """
        base = dict(self.base)
        for field, (side, value) in self._moves.items():
            if (
                side is None
                or (side == LOCAL and local_written)
                or (side == REMOTE and remote_written)
            ):
                base[field] = value
        return base

    def __repr__(self):
        return "MergeResult(to_local=%r, to_remote=%r, conflicts=%r, held=%r)" % (
            self.to_local,
            self.to_remote,
            self.conflicts,
            self.held,
        )


def _stamp(value, field):
    if isinstance(value, dict):
        value = value.get(field)
    if value is None or value is False:
        return None
    stamp = parse_datetime(value)
    if not hasattr(stamp, "hour"):  # a bare date: start of that day, UTC
        stamp = parse_datetime(stamp.isoformat() + "T00:00:00Z")
    # e-conomic stamps whole seconds, Odoo microseconds: compared at e-conomic's precision, so
    # an Odoo edit within the same second as e-conomic's is a tie (e-conomic wins), not newer
    return stamp.replace(microsecond=0)


def decide_newer(local_changed_at, remote_changed_at):
    """``'local'`` or ``'remote'`` for ``newer_wins`` (§3.5).

    Timestamps are datetimes (aware, or naive = UTC) or ISO strings.  The later one wins; a tie
    goes to e-conomic.  A missing timestamp counts as older than any known one (the side with a
    timestamp wins), and with both missing e-conomic wins, as on a tie.  The caller passes Odoo's
    write date and e-conomic's ``lastUpdated`` or, where e-conomic keeps no stamp, the time the
    change was first seen, so a missing stamp should not happen in practice.
    """
    if local_changed_at is None:
        return REMOTE
    if remote_changed_at is None:
        return LOCAL
    return LOCAL if local_changed_at > remote_changed_at else REMOTE


def merge(
    specs,
    base,
    local,
    remote,
    *,
    pull,
    push,
    strategy,
    local_changed_at=None,
    remote_changed_at=None,
    overrides=None,
):
    """Three-way merge of one record (§3); see the module docstring for the rules.

    - ``specs``: the synced fields (``FieldSpec``).
    - ``base``: the stored base (``{}``/``None`` if never synced).
    - ``local``/``remote``: the current values, canonical (canonicalised again here, harmless).
    - ``pull``/``push``: the effective booleans (push = entity push AND write-back).
    - ``strategy``: one of ``STRATEGIES`` or ``None`` (not chosen).
    - ``local_changed_at``/``remote_changed_at``: for ``newer_wins``, a datetime or ISO string for
      the record, or a dict field → stamp.
    - ``overrides``: field → ``'local'``/``'remote'``, a user's decision for a conflicting field.
    """
    if strategy is not None and strategy not in STRATEGIES:
        raise ValueError(
            "unknown conflict strategy %r (one of %s)" % (strategy, ", ".join(STRATEGIES))
        )
    overrides = overrides or {}
    for field, side in overrides.items():
        if side not in (LOCAL, REMOTE):
            raise ValueError("override for %r must be 'local' or 'remote', got %r" % (field, side))
    pull = bool(pull)
    push = bool(push) and strategy != "read_only"
    base = base or {}
    local = local or {}
    remote = remote or {}
    result = MergeResult(base)

    def write_local(field, old, new):
        result.to_local[field] = new
        result.changes.append(Change(field, LOCAL, old, new))
        result._moves[field] = (LOCAL, new)

    def write_remote(field, old, new):
        result.to_remote[field] = new
        result.changes.append(Change(field, REMOTE, old, new))
        result._moves[field] = (REMOTE, new)

    for spec in specs:
        field = spec.name
        lv = canonical(spec, local.get(field))
        rv = canonical(spec, remote.get(field))
        has_base = field in base
        bv = canonical(spec, base[field]) if has_base else None

        if lv == rv:
            # Rule 1 (nothing changed), rule 5 with the same value, or agreement at the first bind:
            # both sides hold the same value, which is (or becomes) the base.
            if not has_base or bv != lv:
                result._moves[field] = (None, lv)
            continue

        if has_base and lv == bv:  # rule 2: only e-conomic changed
            if pull:
                write_local(field, lv, rv)
            else:
                result.held[field] = REMOTE
            continue
        if has_base and rv == bv:  # rule 3: only Odoo changed; a pull never overwrites it
            if push:
                write_remote(field, rv, lv)
            else:
                result.held[field] = LOCAL
            continue

        # Rule 5 (both changed, to different values) or a difference at the first bind.
        overridden = field in overrides
        if overridden:
            decision = overrides[field]
        elif strategy in ("economic_wins", "read_only"):
            decision = REMOTE
        elif strategy == "local_wins":
            decision = LOCAL
        elif strategy == "newer_wins":
            decision = decide_newer(
                _stamp(local_changed_at, field), _stamp(remote_changed_at, field)
            )
        elif not has_base and not push:
            decision = REMOTE if pull else LOCAL
        else:
            decision = UNDECIDED

        applied = False
        if decision == REMOTE and pull:
            write_local(field, lv, rv)
            applied = True
        elif decision == LOCAL and push:
            write_remote(field, rv, lv)
            applied = True
        elif decision != UNDECIDED:
            result.held[field] = decision
        result.conflicts.append(
            Conflict(field, bv, lv, rv, decision, strategy, applied, overridden, not has_base)
        )
    return result
