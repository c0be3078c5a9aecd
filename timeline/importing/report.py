"""What an import did or would do, per model: created, updated field by field, unchanged; and
the conflicts, the changes to records shared with other articles, the renamed slugs followed."""

import hashlib
import json
from dataclasses import dataclass, field

from .problems import Location
from .records import MODELS

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class FieldChange:
    """One field of one record: its value before (None when the record is new) and after."""

    field: str
    old: str | None
    new: str

    def __str__(self):
        if self.old is None:
            return f"{self.field}: {self.new}"
        return f"{self.field}: {self.old} → {self.new}"


@dataclass(frozen=True)
class Outcome:
    """What the import does to one record. For a created record, ``changes`` lists its values.

    ``shared_with`` names the article whose import created the record, when it is another's.
    """

    model: type
    key: tuple
    action: str
    changes: tuple
    location: Location
    shared_with: str | None = None

    @property
    def label(self):
        return " / ".join(self.key)

    @property
    def kind(self):
        return str(self.model._meta.verbose_name)


@dataclass(frozen=True)
class Conflict:
    """A field changed in the file since its last import and in the database too.

    The database's value is kept unless the editor chose the file's (``taken``).
    ``last_imported`` is None when the file never gave this field of this record before.
    """

    model: type
    key: tuple
    field: str
    last_imported: str | None
    in_file: str
    in_database: str
    taken: bool
    location: Location

    @property
    def label(self):
        return " / ".join(self.key)

    @property
    def kind(self):
        return str(self.model._meta.verbose_name)

    @property
    def take_name(self):
        """How --take-file (and the admin's preview) names this conflict's field."""
        return f"{self.model._meta.model_name}.{self.field}"

    def lines(self):
        kept = "the file's value taken" if self.taken else "the database's value kept"
        return [
            f"  {self.kind} {self.label}, field “{self.field}” ({kept})",
            "      last imported:       "
            + (self.last_imported if self.last_imported is not None else "(never)"),
            f"      now in the file:     {self.in_file}",
            f"      now in the database: {self.in_database}",
        ]


@dataclass(frozen=True)
class Renamed:
    """The file names a record by a slug it had before it was renamed."""

    model: type
    old: str
    new: str

    def __str__(self):
        return (
            f"{self.model._meta.verbose_name} “{self.old}” was renamed “{self.new}”: "
            "the file's slug resolved to the renamed record"
        )


@dataclass(frozen=True)
class Skipped:
    """A file left out because it is byte for byte the file of an earlier batch."""

    file: str
    batch: int

    def __str__(self):
        return f"Skipped {self.file}: unchanged since its import in batch {self.batch}."


@dataclass
class ModelReport:
    model: type
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def name(self):
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


@dataclass
class Report:
    """Everything an import did (or, in a dry run, would do), per model in dependency order."""

    files: list
    dry_run: bool
    outcomes: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    renamed: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    batches: list = field(default_factory=list)  # the ImportBatch of each file imported
    warnings: list = field(default_factory=list)  # Problems that strict would refuse

    @property
    def models(self):
        """Per model, the outcomes but the changes to records shared with other articles."""
        reports, shared = {}, {id(outcome) for outcome in self.shared}
        for outcome in self.outcomes:
            report = reports.setdefault(outcome.model, ModelReport(outcome.model))
            if id(outcome) in shared:
                continue
            getattr(report, outcome.action).append(outcome)
        return [reports[model] for model in MODELS if model in reports]

    @property
    def shared(self):
        """Changes to records that another article's import created, listed apart."""
        return [o for o in self.outcomes if o.shared_with and o.action == UPDATED]

    @property
    def conflicts_kept(self):
        """The conflicts where the database's value stayed: what the exit status reports."""
        return [conflict for conflict in self.conflicts if not conflict.taken]

    def count(self, action):
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def changes_anything(self):
        return any(outcome.action != UNCHANGED for outcome in self.outcomes)

    @property
    def headline(self):
        counts = (
            f"{self.count(CREATED)} created, {self.count(UPDATED)} updated, "
            f"{self.count(UNCHANGED)} unchanged"
        )
        if self.conflicts_kept:
            n = len(self.conflicts_kept)
            counts += f", {n} conflict{'s' if n != 1 else ''}"
        skipped = {each.file for each in self.skipped}
        files = ", ".join(name for name in self.files if name not in skipped) or "nothing"
        if self.dry_run:
            return f"Dry run of {files}: {counts}. Nothing was written."
        return f"Imported {files}: {counts}."

    def lines(self, verbosity=1):
        """The report as text lines: what the command prints."""
        lines = [self.headline]
        lines.extend(str(skipped) for skipped in self.skipped)
        lines.extend(f"Renamed: {renamed}." for renamed in self.renamed)
        if self.warnings:
            n = len(self.warnings)
            lines.append(f"Warnings: {n} (errors with --strict):")
            lines.extend(f"  {warning}" for warning in self.warnings)
        for model_report in self.models:
            lines.append(f"{model_report.name}: {model_report.summary}")
            for outcome in model_report.created:
                lines.append(f"  created {outcome.label}")
                if verbosity >= 2:
                    lines.extend(f"      {change}" for change in outcome.changes)
            for outcome in model_report.updated:
                lines.append(f"  updated {outcome.label}")
                lines.extend(f"      {change}" for change in outcome.changes)
            if verbosity >= 2:
                lines.extend(f"  unchanged {outcome.label}" for outcome in model_report.unchanged)
        if self.shared:
            lines.append("Changes to records shared with other articles:")
            for outcome in self.shared:
                lines.append(
                    f"  updated {outcome.kind} {outcome.label} (created by {outcome.shared_with})"
                )
                lines.extend(f"      {change}" for change in outcome.changes)
        if self.conflicts:
            n = len(self.conflicts)
            lines.append(
                f"Conflicts: {n} field{'s' if n != 1 else ''} changed in the file since its last "
                "import and in the database too:"
            )
            for conflict in self.conflicts:
                lines.extend(conflict.lines())
        return lines

    @property
    def fingerprint(self):
        """A digest of what the import does, to check a confirmation against its preview."""
        content = [
            [
                o.model._meta.label_lower,
                list(o.key),
                o.action,
                o.shared_with,
                [str(c) for c in o.changes],
            ]
            for o in self.outcomes
        ]
        content.append(
            [
                [c.model._meta.label_lower, list(c.key), c.field, c.in_file, c.in_database, c.taken]
                for c in self.conflicts
            ]
        )
        content.append([str(skipped) for skipped in self.skipped])
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
