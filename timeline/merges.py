"""Actor merges: two actors found to be one, and what the merge moved, so that it can be undone.

The merge itself is timeline.merging_actors; this is its record. ``moved`` lists every link that
moved from the duplicate to the kept actor, ``combined`` the participations that both had (the
duplicate's merged into the kept one's), ``duplicate`` the duplicate's own fields as they were.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ActorMergeQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(undone_at__isnull=True)


class ActorMerge(models.Model):
    """One actor merged into another."""

    kept = models.ForeignKey(
        "timeline.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges",
        verbose_name="kept actor",
    )
    kept_slug = models.SlugField("kept actor's slug", max_length=120)
    duplicate_slug = models.SlugField("duplicate's slug", max_length=120)
    duplicate_name = models.CharField("duplicate's name", max_length=200)
    duplicate = models.JSONField("duplicate's fields", default=dict)
    moved = models.JSONField("links moved", default=list)
    combined = models.JSONField("participations combined", default=list)
    conflicts = models.JSONField("conflicts listed", default=list)
    merged_at = models.DateTimeField("merged at", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actor_merges",
    )
    merged_by = models.CharField("merged by", max_length=150, blank=True)
    undone_at = models.DateTimeField("undone at", null=True, blank=True)
    undone_by = models.CharField("undone by", max_length=150, blank=True)

    objects = ActorMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = "actor merge"
        verbose_name_plural = "actor merges"

    def __str__(self):
        return (
            f"Merge {self.pk}: {self.duplicate_name} ({self.duplicate_slug}) into {self.kept_slug}"
        )

    def get_absolute_url(self):
        return reverse("admin:timeline_actormerge_change", args=[self.pk])
