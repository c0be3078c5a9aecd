"""Import article fixtures safely: the one implementation behind `import_article` and the admin.

An article file is the JSON (or YAML) that `loaddata` reads, with natural keys (slugs) and no
ids: a list of records ``{"model": "timeline.event", "fields": {...}}``. Importing it

1. reads each file (size limit, UTF-8, JSON or YAML, a list of records),
2. checks every record's shape, model, fields and value types without touching the database,
3. then, in one transaction and in dependency order, matches every record by natural key,
   resolves every reference against the file and the database, validates the result with the
   model's own ``full_clean`` and saves only what changes,
4. and reports, per model, what was created, what was updated (field by field, old -> new)
   and what was unchanged.

Any problem anywhere rolls the whole transaction back and raises :class:`ImportFailed`, whose
problems each name the file, the record (position and natural key) and the field. A dry run
does the same work and rolls back at the end, so its report is exactly what an import would do.

Merging rules (documented in docs/article-format.md): each file's import is recorded as a batch
(timeline.batches); a field is merged three ways, against what that file's last import brought
and what the database holds now, so an admin's edit is never overwritten without a conflict
reported (writing); many-to-many links are added, never removed; an import never deletes
anything, and a batch can be undone (undoing).
"""

from .problems import ImportFailed, Location, PreviewOutdated, Problem
from .reading import (
    FORMATS,
    MAX_FILE_SIZE,
    ArticleFile,
    file_format,
    read_article,
    read_article_path,
)
from .records import (
    IMPORT_PERMISSIONS,
    MAX_PROBLEMS,
    MODELS,
    importable_fields,
    natural_key_fields,
)
from .report import Conflict, Report
from .writing import ImportOptions, import_articles, import_committed

__all__ = [
    "FORMATS",
    "IMPORT_PERMISSIONS",
    "MAX_FILE_SIZE",
    "MAX_PROBLEMS",
    "MODELS",
    "ArticleFile",
    "Conflict",
    "ImportFailed",
    "ImportOptions",
    "Location",
    "PreviewOutdated",
    "Problem",
    "Report",
    "file_format",
    "import_articles",
    "import_committed",
    "importable_fields",
    "natural_key_fields",
    "read_article",
    "read_article_path",
]
