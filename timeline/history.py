"""The history an editor reads: one entry per record per write, with who did it and why.

django-simple-history writes an entry on every ``save()`` and another on every many-to-many
change, so a record created with its sources gets two ("Created", then "Changed sources"). The
writers that save a record and then its links (the importer, the actor merge) save the record
once with its reason and user, add the links without history, and then give that one entry the
links it now has (:func:`write_links_quietly`).
"""

import re

from simple_history.utils import get_m2m_field_name

# History keeps at most this many characters of a reason.
MAX_REASON = 100


def reason(text):
    return text[:MAX_REASON]


def set_author(instance, text, user=None):
    """Have the next history entry of ``instance`` say ``text`` as its reason, by ``user``."""
    instance._change_reason = reason(text)
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    elif hasattr(instance, "_history_user"):
        del instance._history_user


def latest_entry(instance):
    return instance.history.order_by("-history_date", "-history_id").first()


def write_links_quietly(instance, write):
    """Run ``write()`` (many-to-many additions or removals on ``instance``) without history
    entries of their own, then make ``instance``'s latest entry hold the links as they are."""
    instance.skip_history_when_saving = True
    try:
        write()
    finally:
        del instance.skip_history_when_saving
    refresh_links(instance, latest_entry(instance))


def refresh_links(instance, entry):
    """Give the history ``entry`` the many-to-many links ``instance`` has now, as
    django-simple-history would have written them with the entry."""
    if entry is None:
        return
    history_model = type(entry)
    for field in getattr(history_model, "_history_m2m_fields", ()):
        m2m_history = getattr(history_model, field.name).model
        through = field.remote_field.through
        names = [f.name for f in through._meta.fields]
        m2m_history.objects.filter(history=entry).delete()
        rows = through.objects.filter(**{get_m2m_field_name(field): instance})
        m2m_history.objects.bulk_create(
            m2m_history(history=entry, **{name: getattr(row, name) for name in names})
            for row in rows
        )


_BY = re.compile(r"\bby (?P<name>[^,;()]+?)(?:[,;(]|$)")


def author_of(entry):
    """Who made a history entry, in words: the user's name, or the name the reason gives (an
    import from the command line has no account, but a system user), never "None"."""
    user = entry.history_user
    if user is not None:
        full = user.get_full_name() if hasattr(user, "get_full_name") else ""
        return full or user.get_username()
    found = _BY.search(entry.history_change_reason or "")
    if found:
        return found.group("name").strip()
    return "not recorded"


def reason_of(entry):
    """An entry's reason in words: what was written with it, or what its kind says."""
    if entry.history_change_reason:
        return entry.history_change_reason
    return {
        "+": "created (no reason recorded)",
        "~": "changed (no reason recorded)",
        "-": "deleted (no reason recorded)",
    }.get(entry.history_type, "no reason recorded")
