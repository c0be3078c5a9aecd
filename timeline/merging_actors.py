"""Merging two actors that are one: the one implementation behind the admin's "Merge actors"
action and ``manage.py merge_actors``.

Everything that names the duplicate moves to the kept actor: its participations in events, the
measures it is responsible for, its statements, its roles, and the roles of which it is the
organisation. Nothing is dropped:

- a participation in an event the kept actor took part in as well is combined into the kept
  actor's one (both capacities kept, the duplicate's role if the kept one had none), and listed;
- a role that looks like one the kept actor has already (same title, overlapping term) moves all
  the same, and is listed for the editor to review.

The duplicate's slug (and every slug it had before) becomes a slug alias of the kept actor, so its
old URL redirects and article files naming it still resolve; its name and other names become
other names of the kept actor. The merge runs in one transaction, writes one history entry per
record it changes (the reason names the merge), and is kept as an :class:`ActorMerge` from which
:func:`undo_merge` puts everything back.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from . import history
from .aliases import SlugAlias
from .merges import ActorMerge
from .models import Actor, Event, Measure, Participation, Role, Statement

# The duplicate's own fields, kept so that an undo can give it back as it was.
ACTOR_FIELDS = ["slug", "name", "kind", "country", "description", "aliases"]


class MergeRefused(Exception):
    """The merge (or its undo) cannot be done; the message says why."""


@dataclass
class Move:
    """One record whose link to the duplicate moves to the kept actor."""

    model: str  # model name: participation, measure, statement, role
    pk: int
    field: str  # actor, responsible, speaker, organisation
    label: str  # the record, in words
    already: bool = False  # a measure the kept actor was responsible for too

    def as_json(self):
        return {
            "model": self.model,
            "pk": self.pk,
            "field": self.field,
            "label": self.label,
            "already": self.already,
        }


@dataclass
class Combined:
    """A participation of both actors in one event: the duplicate's is merged into the kept's."""

    duplicate_pk: int
    kept_pk: int
    event_id: int
    label: str
    capacity: str
    role_id: int | None
    kept_capacity: str
    kept_role_id: int | None
    new_capacity: str
    new_role_id: int | None

    def as_json(self):
        return dict(self.__dict__)


@dataclass
class MergePlan:
    keep: Actor
    duplicate: Actor
    moves: list = field(default_factory=list)
    combined: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # sentences for the editor

    @property
    def counts(self):
        counts = {}
        for move in self.moves:
            key = f"{move.model}.{move.field}"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def moves_of(self, model, field_name):
        return [m for m in self.moves if m.model == model and m.field == field_name]


def plan_merge(keep, duplicate):
    """What merging ``duplicate`` into ``keep`` would move, combine and list; writes nothing."""
    if keep.pk == duplicate.pk:
        raise MergeRefused("An actor cannot be merged into itself.")
    plan = MergePlan(keep, duplicate)
    kept_events = {p.event_id: p for p in keep.participations.all()}
    participations = duplicate.participations.select_related("event", "role").order_by("pk")
    for participation in participations:
        kept = kept_events.get(participation.event_id)
        if kept is None:
            plan.moves.append(
                Move("participation", participation.pk, "actor", str(participation.event))
            )
            continue
        capacities = [kept.capacity]
        if participation.capacity.casefold() != kept.capacity.casefold():
            capacities.append(participation.capacity)
        new_capacity = "; ".join(capacities)[:100]
        combined = Combined(
            duplicate_pk=participation.pk,
            kept_pk=kept.pk,
            event_id=participation.event_id,
            label=str(participation.event),
            capacity=participation.capacity,
            role_id=participation.role_id,
            kept_capacity=kept.capacity,
            kept_role_id=kept.role_id,
            new_capacity=new_capacity,
            new_role_id=kept.role_id or participation.role_id,
        )
        plan.combined.append(combined)
        plan.conflicts.append(
            f"Both took part in “{participation.event}”: {duplicate.name} as "
            f"“{participation.capacity}”, {keep.name} as “{kept.capacity}”; the two are "
            f"combined into one participation, “{new_capacity}”."
        )
    for measure in duplicate.measures.order_by("pk"):
        already = measure.responsible.filter(pk=keep.pk).exists()
        plan.moves.append(Move("measure", measure.pk, "responsible", str(measure), already))
    for statement in duplicate.statements.order_by("pk"):
        plan.moves.append(Move("statement", statement.pk, "speaker", str(statement)))
    kept_roles = list(keep.roles.all())
    for role in duplicate.roles.order_by("pk"):
        plan.moves.append(Move("role", role.pk, "actor", role.title))
        for other in kept_roles:
            if other.title.casefold() == role.title.casefold() and _overlap(role, other):
                plan.conflicts.append(
                    f"Both held “{role.title}” at overlapping times: roles `{other.slug}` and "
                    f"`{role.slug}`; both are kept, review them."
                )
    for role in duplicate.member_roles.select_related("actor").order_by("pk"):
        plan.moves.append(Move("role", role.pk, "organisation", str(role)))
    return plan


def _overlap(one, other):
    starts = [d for d in (one.start, other.start) if d]
    ends = [d for d in (one.end, other.end) if d]
    return not (starts and ends and max(starts) > min(ends))


def _actor_content_type():
    return ContentType.objects.get_for_model(Actor)


def merge_actors(keep, duplicate, *, user=None, run_by=""):
    """Merge ``duplicate`` into ``keep`` in one transaction; return the :class:`ActorMerge`."""
    with transaction.atomic():
        keep = Actor.objects.select_for_update().get(pk=keep.pk)
        duplicate = Actor.objects.select_for_update().get(pk=duplicate.pk)
        plan = plan_merge(keep, duplicate)
        who = _who(user, run_by)
        merge = ActorMerge.objects.create(
            kept=keep,
            kept_slug=keep.slug,
            duplicate_slug=duplicate.slug,
            duplicate_name=duplicate.name,
            duplicate={
                "pk": duplicate.pk,
                **{name: str(getattr(duplicate, name)) for name in ACTOR_FIELDS},
                "kept_aliases": keep.aliases,
            },
            moved=[move.as_json() for move in plan.moves],
            combined=[c.as_json() for c in plan.combined],
            conflicts=plan.conflicts,
            user=user if getattr(user, "is_authenticated", False) else None,
            merged_by=who,
        )
        reason = f"Merge {merge.pk}: {duplicate.slug} into {keep.slug}, by {who}"

        for combined in plan.combined:
            kept = Participation.objects.get(pk=combined.kept_pk)
            kept.capacity, kept.role_id = combined.new_capacity, combined.new_role_id
            _save(kept, reason, user)
            gone = Participation.objects.get(pk=combined.duplicate_pk)
            history.set_author(gone, reason, user)
            gone.delete()
        for move in plan.moves:
            _apply_move(move, duplicate, keep, reason, user)

        content_type = _actor_content_type()
        old_aliases = SlugAlias.objects.filter(content_type=content_type, object_id=duplicate.pk)
        merge.duplicate["slug_aliases"] = list(old_aliases.values_list("pk", flat=True))
        old_aliases.update(object_id=keep.pk)

        names = [duplicate.name, *duplicate.alias_list]
        known = {name.casefold() for name in [keep.name, *keep.alias_list]}
        added = [name for name in names if name.casefold() not in known]
        if added:
            keep.aliases = "\n".join([*keep.alias_list, *added])
            _save(keep, reason, user)

        history.set_author(duplicate, reason, user)
        duplicate_slug = duplicate.slug
        duplicate.delete()
        SlugAlias.objects.update_or_create(
            content_type=content_type, old_slug=duplicate_slug, defaults={"object_id": keep.pk}
        )
        merge.save(update_fields=["duplicate"])
    return merge


def _who(user, run_by):
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username()
    return run_by or "an unknown user"


def _save(instance, reason, user):
    history.set_author(instance, reason, user)
    instance.save()


def _apply_move(move, source, target, reason, user, undo=False):
    """Point one record's link from ``source`` to ``target``; False if the record is gone or no
    longer linked to ``source`` (an undo after later edits).

    A measure both actors were responsible for lost only the duplicate's link: its undo adds
    that link back and leaves the kept actor's."""
    if move.model == "measure":
        measure = Measure.objects.filter(pk=move.pk).first()
        if measure is None or not measure.responsible.filter(pk=source.pk).exists():
            return False
        history.set_author(measure, reason, user)
        measure.save()

        def relink():
            if not (undo and move.already):
                measure.responsible.remove(source)
            if undo or not move.already:
                measure.responsible.add(target)

        history.write_links_quietly(measure, relink)
        return True
    model = {"participation": Participation, "statement": Statement, "role": Role}[move.model]
    record = model.objects.filter(pk=move.pk, **{f"{move.field}_id": source.pk}).first()
    if record is None:
        return False
    setattr(record, move.field, target)
    _save(record, reason, user)
    return True


def undo_merge(merge, *, user=None, run_by=""):
    """Put back what ``merge`` moved: the duplicate as it was, with its links; return the list of
    things that could not be put back (records deleted or edited since), in words."""
    if merge.undone_at is not None:
        raise MergeRefused(f"Merge {merge.pk} was undone already.")
    if merge.kept is None:
        raise MergeRefused(
            f"The kept actor `{merge.kept_slug}` has been deleted since: nothing to undo from."
        )
    fields = merge.duplicate
    if Actor.objects.filter(slug=fields["slug"]).exists():
        raise MergeRefused(
            f"Another actor has the slug `{fields['slug']}` now; rename it first to undo."
        )
    not_restored = []
    with transaction.atomic():
        keep = Actor.objects.select_for_update().get(pk=merge.kept_id)
        who = _who(user, run_by)
        reason = f"Undo of merge {merge.pk} ({fields['slug']} out of {keep.slug}), by {who}"
        content_type = _actor_content_type()
        SlugAlias.objects.filter(content_type=content_type, old_slug=fields["slug"]).delete()
        duplicate = Actor(**{name: fields[name] for name in ACTOR_FIELDS})
        if not Actor.objects.filter(pk=fields["pk"]).exists():
            duplicate.pk = fields["pk"]
        _save(duplicate, reason, user)
        SlugAlias.objects.filter(pk__in=fields.get("slug_aliases", [])).update(
            object_id=duplicate.pk
        )
        if keep.aliases != fields["kept_aliases"]:
            keep.aliases = fields["kept_aliases"]
            _save(keep, reason, user)

        for move in merge.moved:
            if not _apply_move(Move(**move), keep, duplicate, reason, user, undo=True):
                not_restored.append(f"{move['model']} “{move['label']}”: changed or deleted since")
        for combined in merge.combined:
            kept = Participation.objects.filter(pk=combined["kept_pk"], actor=keep).first()
            if kept is not None:
                kept.capacity = combined["kept_capacity"]
                kept.role_id = combined["kept_role_id"]
                _save(kept, reason, user)
            role_id = combined["role_id"]
            if role_id and not Role.objects.filter(pk=role_id).exists():
                role_id = None
                not_restored.append(f"the role of the participation in “{combined['label']}”")
            participation = Participation(
                event_id=combined["event_id"],
                actor=duplicate,
                capacity=combined["capacity"],
                role_id=role_id,
            )
            if Event.objects.filter(pk=participation.event_id).exists():
                _save(participation, reason, user)
            else:
                not_restored.append(f"participation in “{combined['label']}”: event deleted")
        merge.undone_at = timezone.now()
        merge.undone_by = who
        merge.save(update_fields=["undone_at", "undone_by"])
    return not_restored
