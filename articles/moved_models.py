"""Rows of a site moved into Digest (issue 17: WordPress): what each imported item became,
and the old addresses that answer a permanent redirect to it. Neither is shown on a page by
itself (an old address only redirects), so neither is registered with the page cache.
Imported by `articles.models`."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ImportedItem(models.Model):
    """One item of another system (a WordPress post, page, attachment, category, tag or
    author) and the Digest row it became: how a re-run finds it again instead of
    duplicating it.

    *source_hash* is a hash of the item as the export gave it (a re-run with the same hash is
    "unchanged"); *saved_hash* a hash of the Digest row as the import saved it, so a re-run can
    tell whether an editor changed it since (then it is kept, unless ``--on-existing update``).
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        CATEGORY = "category", "Category"
        TAG = "tag", "Tag"
        AUTHOR = "author", "Author"

    site_url = models.CharField(
        max_length=200, help_text="The exporting site, e.g. https://old.example.com."
    )
    kind = models.CharField(max_length=20, choices=Kind)
    source_id = models.CharField(
        max_length=200, help_text="The post ID, or a term's or author's slug, on that site."
    )
    guid = models.CharField(max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="imported_items"
    )
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    source_hash = models.CharField(max_length=64, blank=True)
    saved_hash = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site_url", "kind", "source_id"]
        verbose_name = "imported item"
        verbose_name_plural = "imported items"
        constraints = [
            models.UniqueConstraint(
                fields=["site_url", "kind", "source_id"], name="imported_item_once"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="imported_item_target_idx")
        ]

    def __str__(self):
        return f"{self.site_url} {self.kind} {self.source_id}"


class OldAddress(models.Model):
    """An address of the old site (``/2024/01/02/slug/``, ``/?p=123``) that answers a
    permanent redirect to its object's *current* address, looked up only when a request
    finds nothing else (`articles.moved.OldAddressFallbackMiddleware`). With *view* "feed"
    it is the object's feed; with no object, *new_path* is the target."""

    path = models.CharField(max_length=500, unique=True, help_text="e.g. /2024/01/02/slug/")
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    view = models.CharField(max_length=10, default="page", blank=True)
    new_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="old_address_target_idx")
        ]

    def __str__(self):
        return self.path
