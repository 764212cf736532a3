"""Is the e-conomic record now at a bound number still the record that was bound?

e-conomic gives a new record the highest number + 1, so a deleted customer's number can come
back on another customer. e-conomic keeps no creation stamp or identifier besides the number, so
the record is recognised by what identifies it: its name and its identity keys (VAT/CVR, e-mail,
phone) as they were after the last sync (the base) against the record now.
"""

__all__ = ["is_other_record", "same_name"]


def _norm(value):
    if value in (None, False, ""):
        return None
    return " ".join(str(value).split()).casefold() or None


def same_name(one, other):
    """Whether two names are the same name (spacing and case aside)."""
    return _norm(one) == _norm(other)


def is_other_record(base, remote, keys, name="name", deleted=False):
    """Whether ``remote`` is another record than the one whose last synced values are ``base``.

    - The same name, or any identity key with the same value on both sides: the same record
      (a rename keeps its CVR; a new e-mail keeps its name).
    - Otherwise, if the number was seen deleted (``deleted``): another record.
    - Otherwise another record only on contrary evidence: the name changed and every key that
      both sides have differs (a mere rename of a record without keys stays the same record).
    - Nothing known (no base): the same record.
    """
    if not base:
        return False
    if same_name(base.get(name), remote.get(name)):
        return False
    shared = [
        (_norm(base.get(key)), _norm(remote.get(key)))
        for key in keys
        if _norm(base.get(key)) and _norm(remote.get(key))
    ]
    if any(old == new for old, new in shared):
        return False
    return bool(deleted or shared)
