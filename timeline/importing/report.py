"""What an import did or would do, per model: created, updated field by field, unchanged."""

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
    """What the import does to one record. For a created record, ``changes`` lists its values."""

    model: type
    key: tuple
    action: str
    changes: tuple
    location: Location

    @property
    def label(self):
        return " / ".join(self.key)


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
    outcomes: list

    @property
    def models(self):
        reports = {}
        for outcome in self.outcomes:
            report = reports.setdefault(outcome.model, ModelReport(outcome.model))
            getattr(report, outcome.action).append(outcome)
        return [reports[model] for model in MODELS if model in reports]

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
        files = ", ".join(self.files)
        if self.dry_run:
            return f"Dry run of {files}: {counts}. Nothing was written."
        return f"Imported {files}: {counts}."

    def lines(self, verbosity=1):
        """The report as text lines: what the command prints."""
        lines = [self.headline]
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
        return lines

    @property
    def fingerprint(self):
        """A digest of what the import does, to check a confirmation against its preview."""
        content = [
            [o.model._meta.label_lower, list(o.key), o.action, [str(c) for c in o.changes]]
            for o in self.outcomes
        ]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
