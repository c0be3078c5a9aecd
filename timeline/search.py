"""Text search over events, measures, statements, actors and sources.

``search(queryset, q)`` filters a queryset of one of those models to the records matching ``q``
and orders them best match first (``search_rank``, higher is better, then the model's ordering).

- PostgreSQL: full-text search with the English configuration (stemming: "deploy" finds
  "deployed"; stop words ignored), the user's words read as a web search (``websearch``: quoted
  phrases, ``or``, ``-word``), ranked with ts_rank over a title-weighted document. The document
  expression is the one a GIN index covers (migration 0002), so the match uses the index.
- SQLite: an FTS5 index per model (external content, kept in sync by triggers; porter stemming
  over unicode61 without diacritics, so "deploy" finds "deployed" there too and "medecins" finds
  "Médecins"), ranked with bm25 weighting the title as PostgreSQL does. Every word must match;
  quoted phrases are kept. If the SQLite library lacks FTS5, the fallback is a case-insensitive
  substring match of every word (correct, unranked, a full scan).

Why FTS5 rather than icontains on SQLite: at 100,000 events a LIKE over titles and summaries reads
every row for each search and for its count; the FTS5 index answers from its posting lists, and
it stems as PostgreSQL does. What makes it sound: the triggers are part of the schema, created by
migration 0002 with an initial rebuild; and because Django rebuilds an SQLite table (dropping its
triggers) whenever a later migration alters it, ``ensure_sqlite_search_indexes`` runs after every
``migrate`` and recreates missing triggers, rebuilding the index when it had to.
"""

import functools
import operator
import re
import sqlite3

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate

CONFIG = "english"

# The searchable text of each model, with its ts_rank / bm25 weight class (A counts most).
# Migration 0002 freezes a copy of this to build its indexes; change both together.
SEARCH_FIELDS = {
    "event": (("title", "A"), ("summary", "B")),
    "measure": (("title", "A"), ("description", "B")),
    "statement": (("text", "A"),),
    "actor": (("name", "A"), ("description", "B")),
    "source": (("title", "A"), ("publisher", "B")),
}
BM25_WEIGHTS = {"A": 10.0, "B": 1.0}
FTS5_TOKENIZER = "porter unicode61 remove_diacritics 2"

_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def search(queryset, q, also=None):
    """The records of ``queryset`` matching ``q``, best first; all of them for a blank ``q``.

    ``also`` (a Q) adds records that match otherwise (a statement by a speaker of that name);
    they rank below every text match. On SQLite with ``also``, results keep the model's order:
    FTS5 ranks only the rows of a join, and such an OR cannot be a join.
    """
    q = (q or "").strip()
    if not q:
        return queryset
    model_name = queryset.model._meta.model_name
    if model_name not in SEARCH_FIELDS:
        raise ValueError(f"{queryset.model.__name__} is not searchable.")
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql_search(queryset, model_name, q, also)
    if vendor == "sqlite" and sqlite_has_fts5():
        return _fts5_search(queryset, model_name, q, also)
    return _substring_search(queryset, model_name, q, also)


def matches(queryset, q):
    """The records of ``queryset`` matching ``q`` as ``search`` finds them, unranked: a plain
    filter, which another query can use as a subquery (``search`` joins the FTS5 table by its
    own name, which a subquery's table alias breaks)."""
    q = (q or "").strip()
    if not q:
        return queryset
    model_name = queryset.model._meta.model_name
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        document = search_document(model_name)
        return queryset.alias(search_document=document).filter(search_document=query)
    if vendor == "sqlite" and sqlite_has_fts5():
        match = fts5_query(q)
        if not match:
            return queryset.none()
        table = fts5_table(model_name)
        text_matches = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (match,))
        return queryset.filter(pk__in=text_matches)
    return _substring_search(queryset, model_name, q)


def _ordered(queryset, rank_order):
    return queryset.order_by(rank_order, *queryset.model._meta.ordering)


# PostgreSQL ------------------------------------------------------------------------------------


def search_document(model_name):
    """The weighted tsvector expression that the GIN index of migration 0002 covers."""
    vectors = [
        SearchVector(field, weight=weight, config=CONFIG)
        for field, weight in SEARCH_FIELDS[model_name]
    ]
    return functools.reduce(operator.add, vectors)


def _postgresql_search(queryset, model_name, q, also=None):
    query = SearchQuery(q, config=CONFIG, search_type="websearch")
    condition = Q(search_document=query)
    if also is not None:
        condition |= also
    matches = queryset.alias(search_document=search_document(model_name)).filter(condition)
    return _ordered(
        matches.annotate(search_rank=SearchRank(F("search_document"), query)), "-search_rank"
    )


# SQLite ----------------------------------------------------------------------------------------


@functools.cache
def sqlite_has_fts5():
    """Whether the SQLite library Python links against has FTS5 (the same for every database
    this process opens, so the migration and the searches agree)."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE fts5_probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def fts5_table(model_name):
    return f"timeline_{model_name}_search"


def words(q):
    """The words of ``q``, as every fallback and name match reads them."""
    return _WORD.findall(q or "")


def fts5_query(q):
    """``q`` as an FTS5 query that cannot be a syntax error: every word or quoted phrase must
    match; operators and punctuation are read as plain words or ignored."""
    parts = []
    for phrase, term in _QUERY_PART.findall(q):
        words = _WORD.findall(phrase or term)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts)


def _fts5_search(queryset, model_name, q, also=None):
    match = fts5_query(q)
    table = fts5_table(model_name)
    own_table = queryset.model._meta.db_table
    if also is not None:
        if not match:
            return queryset.filter(also)
        text_matches = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", (match,))
        return queryset.filter(Q(pk__in=text_matches) | also)
    if not match:
        return queryset.none()
    weights = ", ".join(str(BM25_WEIGHTS[weight]) for _, weight in SEARCH_FIELDS[model_name])
    # A join, so that FTS5 finds the matches once and ranks each as it goes. extra() is the
    # ORM's only way to join a table no model describes; a correlated subquery per row (RawSQL)
    # repeats the whole match for every row, which grows with the square of the table.
    matches = queryset.extra(
        tables=[table],
        where=[f"{table}.rowid = {own_table}.id", f"{table} MATCH %s"],
        params=[match],
        select={"search_rank": f"-bm25({table}, {weights})"},
    )
    return _ordered(matches, "-search_rank")


def _substring_search(queryset, model_name, q, also=None):
    fields = [field for field, _ in SEARCH_FIELDS[model_name]]
    every_word = Q()
    for word in _WORD.findall(q):
        every_word &= functools.reduce(
            operator.or_, (Q(**{f"{field}__icontains": word}) for field in fields)
        )
    return queryset.filter(every_word if also is None else every_word | also)


def sqlite_search_schema(model_name, db_table):
    """The FTS5 table and the triggers that keep it in step with ``db_table`` (idempotent)."""
    table = fts5_table(model_name)
    columns = [field for field, _ in SEARCH_FIELDS[model_name]]
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {table}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {table}({table}, rowid, {names}) VALUES ('delete', old.id, {old});"
    create_table = (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({names}, "
        f"content='{db_table}', content_rowid='id', tokenize='{FTS5_TOKENIZER}')"
    )
    triggers = {
        f"{table}_insert": f"AFTER INSERT ON {db_table} BEGIN {insert} END",
        f"{table}_delete": f"AFTER DELETE ON {db_table} BEGIN {delete} END",
        f"{table}_update": f"AFTER UPDATE OF {names} ON {db_table} BEGIN {delete} {insert} END",
    }
    return table, create_table, triggers


def ensure_sqlite_search_indexes(connection, models, create=True):
    """Create whatever FTS5 table or trigger is missing; rebuild an index that lacked any.

    ``models`` maps model names to their database tables. With ``create=False`` only indexes
    that exist are repaired (their triggers restored). Returns the names of the rebuilt indexes.
    """
    if connection.vendor != "sqlite" or not sqlite_has_fts5():
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {name for (name,) in cursor.fetchall()}
        for model_name, db_table in models.items():
            table, create_table, triggers = sqlite_search_schema(model_name, db_table)
            if db_table not in existing or (table not in existing and not create):
                continue
            if table in existing and existing.issuperset(triggers):
                continue
            cursor.execute(create_table)
            for name, body in triggers.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            rebuilt.append(table)
    return rebuilt


def drop_sqlite_search_indexes(connection, model_names):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model_name in model_names:
            table = fts5_table(model_name)
            for suffix in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _repair_after_migrate(sender, using="default", **kwargs):
    if sender.label != "timeline":
        return
    tables = {name: sender.get_model(name)._meta.db_table for name in SEARCH_FIELDS}
    ensure_sqlite_search_indexes(connections[using], tables, create=False)


def connect_index_maintenance():
    """Repair the SQLite search triggers after every migrate (from TimelineConfig.ready)."""
    post_migrate.connect(_repair_after_migrate, dispatch_uid="timeline-search-repair")
