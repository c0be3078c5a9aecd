"""Import batches: what each import of an article file wrote, so the next one can merge and an
undo can put things back.

A batch is one real import of one file (a dry run records nothing). For every field of every
record the file gave that the import wrote, found already in place, or left alone because it
conflicted with an edit, it keeps an :class:`ImportedField` row: the value in the file, and the
database's value before and after. The merge (timeline.importing.writing) reads a file's last
imported values from these rows; the undo (timeline.importing.undoing) restores their "before".
Values are stored as an article file writes them (JSON: "text", 12, true, null, ["slug"]).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone


class BatchVia(models.TextChoices):
    COMMAND = "command", "the import_article command"
    ADMIN = "admin", "the admin's import page"


class ImportBatchQuerySet(models.QuerySet):
    def in_force(self):
        """Batches that have not been undone: their values are the merge's reference."""
        return self.filter(undone_at__isnull=True)

    def of_article(self, article):
        return self.filter(article=article)

    def newest_first(self):
        return self.order_by("-started_at", "-pk")


class ImportBatch(models.Model):
    """One import of one article file."""

    Via = BatchVia

    file_name = models.CharField("file", max_length=500, help_text="As it was given.")
    article = models.CharField(
        "article",
        max_length=255,
        db_index=True,
        help_text="The file's name without its folder: what identifies the article file "
        "from one import to the next.",
    )
    sha256 = models.CharField("SHA-256", max_length=64)
    sources = models.JSONField("sources", default=list, help_text="The slugs of its sources.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_batches",
    )
    run_by = models.CharField("run by", max_length=150, blank=True)
    via = models.CharField("through", max_length=10, choices=Via.choices)
    started_at = models.DateTimeField("imported at", default=timezone.now, db_index=True)
    created_count = models.PositiveIntegerField("created", default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0)
    conflict_count = models.PositiveIntegerField("conflicts", default=0)
    undone_at = models.DateTimeField("undone at", null=True, blank=True)
    undone_by = models.CharField("undone by", max_length=150, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "import batch"
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Batch {self.pk}: {self.file_name}"

    def get_absolute_url(self):
        return reverse("admin:timeline_importbatch_change", args=[self.pk])

    @property
    def counts_display(self):
        text = (
            f"{self.created_count} created, {self.updated_count} updated, "
            f"{self.unchanged_count} unchanged"
        )
        if self.conflict_count:
            text += f", {self.conflict_count} conflict{'s' if self.conflict_count != 1 else ''}"
        return text


class FieldAction(models.TextChoices):
    CREATED = "created", "written in a new record"
    UPDATED = "updated", "written over the old value"
    AGREED = "agreed", "already held the file's value"
    CONFLICT = "conflict", "conflict: the database's value kept"
    TAKEN = "taken", "conflict: the file's value taken"


# The actions that wrote to the database, which an undo reverts.
WRITTEN = (FieldAction.CREATED, FieldAction.UPDATED, FieldAction.TAKEN)


class ImportedFieldQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(batch__undone_at__isnull=True)

    def of_record(self, instance):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
        )

    def written(self):
        return self.filter(action__in=WRITTEN)


class ImportedField(models.Model):
    """One field of one record, as one batch found, left or wrote it."""

    Action = FieldAction

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="fields")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name="kind of record"
    )
    object_id = models.PositiveBigIntegerField("record id")
    record_key = models.CharField(
        "record", max_length=300, help_text="Its natural key at the time, as the file wrote it."
    )
    field = models.CharField("field", max_length=100)
    action = models.CharField("action", max_length=10, choices=Action.choices)
    in_file = models.TextField("in the file")
    before = models.TextField("before", blank=True, help_text="Empty for a new record.")
    after = models.TextField("after")
    last_imported = models.TextField(
        "last imported",
        blank=True,
        help_text="For a conflict: what the file's previous import brought, if anything.",
    )

    objects = ImportedFieldQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = "imported field"
        verbose_name_plural = "imported fields"
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "field"], name="imported_field_record"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.record_key} {self.field}: {self.action}"

    def get_absolute_url(self):
        return self.batch.get_absolute_url()

    @property
    def model(self):
        return self.content_type.model_class()
