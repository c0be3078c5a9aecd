"""The actors and sources a list shows inside each row or timeline entry, read as plain rows.

A page of fifty events shows a hundred actors and eighty sources or so. Read as model instances
through prefetch_related they would cost more than the rest of the page; read as rows, with
what a link shows and nothing else, they are cheap (docs/performance.md).

``attach_links(records_by_kind)`` gives records of every kind (events, measures and statements,
as in the timeline) the URL of their own page, ``record.url`` (made from one reverse() a kind,
not a ``get_absolute_url()`` call a record), and two lists, in two queries whatever their number
and kinds:

- ``record.actor_links``: an event's participants with their capacity, by name; a measure's
  responsible actors, by name; a joint statement's other speakers, by name (its speaker is a
  relation of its own);
- ``record.source_links``: the sources it cites, oldest first.

Pages and downloads read lists through it; a record's own page (``with_details()``) still reads
its relations as model instances, which it shows in full.

The two queries are written in SQL (table and column names from the models' meta): built by the
ORM, a UNION of annotated parts took longer to build and compile than to run.
"""

import datetime
from typing import NamedTuple

from django.db import connection

from timeline.dates import MONTH_NAMES
from timeline.models import (
    DATED_MODELS,
    Actor,
    Measure,
    Participation,
    Source,
    Statement,
    url_maker,
)


class ActorLink(NamedTuple):
    url: str
    slug: str
    name: str
    capacity: str = ""


class SourceLink(NamedTuple):
    url: str
    slug: str
    title: str
    publisher: str
    published_on: datetime.date

    @property
    def citation(self):
        """How an entry cites it: "AFP, 19 Aug 2015"."""
        day = self.published_on
        publisher = self.publisher or "publisher unknown"
        return f"{publisher}, {day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def _name(model, field=None):
    """The quoted name of ``model``'s table, or of the column of its ``field``."""
    meta = model._meta
    name = meta.db_table if field is None else meta.get_field(field).column
    return connection.ops.quote_name(name)


def _rows(selects, order_by):
    """The rows of these (SQL, params) selects, UNION ALL, in this order."""
    sql = " UNION ALL ".join(select for select, _ in selects) + f" ORDER BY {order_by}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _, params in selects for param in params])
        return cursor.fetchall()


def _select_actors(kind, links, record_field, pks, capacity=None):
    """(kind, record pk, slug, name, capacity) of the actors ``links`` ties to these records."""
    capacity = f"l.{_name(links, capacity)}" if capacity else "''"
    sql = (
        f"SELECT '{kind}', l.{_name(links, record_field)}, a.{_name(Actor, 'slug')}, "
        f"a.{_name(Actor, 'name')}, {capacity} "
        f"FROM {_name(links)} l JOIN {_name(Actor)} a ON a.{_name(Actor, 'id')} = "
        f"l.{_name(links, 'actor')} "
        f"WHERE l.{_name(links, record_field)} IN ({', '.join(['%s'] * len(pks))})"
    )
    return sql, list(pks)


def _select_sources(kind, pks):
    """(kind, record pk, slug, title, publisher, published_on) of the sources these cite."""
    links = DATED_MODELS[kind].sources.through
    columns = ", ".join(f"s.{_name(Source, f)}" for f in ("slug", "title", "publisher"))
    sql = (
        f"SELECT '{kind}', l.{_name(links, kind)}, {columns}, "
        f"s.{_name(Source, 'published_on')} "
        f"FROM {_name(links)} l JOIN {_name(Source)} s ON s.{_name(Source, 'id')} = "
        f"l.{_name(links, 'source')} "
        f"WHERE l.{_name(links, kind)} IN ({', '.join(['%s'] * len(pks))})"
    )
    return sql, list(pks)


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def attach_links(records_by_kind):
    """Give each record its ``url``, ``actor_links`` and ``source_links`` (module docstring).

    ``records_by_kind``: {"event": events, "statement": statements, ...}, model instances or
    timeline rows (timeline.records). Other kinds (actors, sources: a table of them) have no
    such links and are left alone.
    """
    by_kind = {}
    for kind, records in records_by_kind.items():
        if kind not in DATED_MODELS:
            continue
        record_url = url_maker(f"timeline:{kind}-detail")
        for record in records:
            record.url = record_url(record.slug)
            record.actor_links, record.source_links = [], []
            by_kind.setdefault(kind, {})[record.pk] = record
    actor_selects = []
    if "event" in by_kind:
        actor_selects.append(
            _select_actors("event", Participation, "event", by_kind["event"], "capacity")
        )
    if "measure" in by_kind:
        through = Measure.responsible.through
        actor_selects.append(_select_actors("measure", through, "measure", by_kind["measure"]))
    if "statement" in by_kind:
        through = Statement.joint_speakers.through
        actor_selects.append(
            _select_actors("statement", through, "statement", by_kind["statement"])
        )
    if actor_selects:
        actor_url = url_maker("timeline:actor-detail")
        for kind, pk, slug, name, capacity in _rows(actor_selects, "4, 3"):
            link = ActorLink(actor_url(slug), slug, name, capacity)
            by_kind[kind][pk].actor_links.append(link)
    if by_kind:
        source_url = url_maker("timeline:source-detail")
        source_selects = [_select_sources(kind, pks) for kind, pks in by_kind.items()]
        for kind, pk, slug, title, publisher, published_on in _rows(source_selects, "6, 4, 3"):
            link = SourceLink(source_url(slug), slug, title, publisher, _date(published_on))
            by_kind[kind][pk].source_links.append(link)
