"""Slugs that move: renaming a record's slug keeps the old one as an alias.

A slug is both a URL and the natural key that article files use, so a rename must not break
either. Whenever a slugged record is saved with a new slug (in the admin, by an import, from the
shell), the slug it had is kept here; the old URL then answers 301 with the new one
(timeline.redirects) and an article file naming the old slug resolves to the renamed record
(timeline.importing). The receivers below are the one place this happens; a queryset's
``update(slug=...)`` bypasses them, as it bypasses every model signal.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save


class SlugAliasQuerySet(models.QuerySet):
    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def current_slugs(self, model, slugs):
        """{old slug: the record's current slug} for those of ``slugs`` that are aliases."""
        aliases = self.for_model(model).filter(old_slug__in=list(slugs))
        pks = {alias.old_slug: alias.object_id for alias in aliases}
        if not pks:
            return {}
        current = dict(model._base_manager.filter(pk__in=pks.values()).values_list("pk", "slug"))
        return {old: current[pk] for old, pk in pks.items() if pk in current}


class SlugAlias(models.Model):
    """A slug a record had before it was renamed, still answering for it."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name="kind of record"
    )
    object_id = models.PositiveBigIntegerField("record id")
    old_slug = models.SlugField("old slug", max_length=120)
    renamed_at = models.DateTimeField("renamed at", auto_now_add=True)

    objects = SlugAliasQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "old_slug"]
        verbose_name = "slug alias"
        verbose_name_plural = "slug aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "old_slug"], name="slug_alias_unique_per_model"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.old_slug}"

    def get_absolute_url(self):
        record = self.record
        return record.get_absolute_url() if record is not None else ""

    @property
    def record(self):
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first()


def _remember_slug(sender, instance, raw=False, **kwargs):
    instance._slug_before_save = None
    if instance.pk is not None and not raw:
        instance._slug_before_save = (
            sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


def _keep_old_slug(sender, instance, created, raw=False, **kwargs):
    old = getattr(instance, "_slug_before_save", None)
    renamed = bool(old) and old != instance.slug
    if not (created or renamed):
        return
    content_type = ContentType.objects.get_for_model(sender)
    aliases = SlugAlias.objects.filter(content_type=content_type)
    # A record's own slug always wins over another record's alias.
    aliases.filter(old_slug=instance.slug).delete()
    if renamed:
        SlugAlias.objects.update_or_create(
            content_type=content_type, old_slug=old, defaults={"object_id": instance.pk}
        )


def _forget_aliases(sender, instance, **kwargs):
    SlugAlias.objects.for_model(sender).filter(object_id=instance.pk).delete()


_models_with_aliases = set()


def keeps_aliases(model):
    """Whether renaming a record of ``model`` keeps its old slug (it was passed to connect)."""
    return model in _models_with_aliases


def connect(models_with_slugs):
    """Keep aliases for every model in ``models_with_slugs`` (called once, from apps.ready)."""
    for model in models_with_slugs:
        _models_with_aliases.add(model)
        uid = f"slug-aliases-{model._meta.label_lower}"
        pre_save.connect(_remember_slug, sender=model, dispatch_uid=uid)
        post_save.connect(_keep_old_slug, sender=model, dispatch_uid=uid)
        post_delete.connect(_forget_aliases, sender=model, dispatch_uid=uid)
