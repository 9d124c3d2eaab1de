"""The news desk's own rows (issue 19): private autosaves, the soft editing lock, the images
inserted into article bodies and the files (documents) linked from them. None is on a public
page (a document's file is served by the web server, not by a page): none is registered with
the page cache (articles/caching.py), so saving one never drops a reader's cached page.
Imported by `articles.models`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ArticleAutosave(models.Model):
    """What someone typed into an article's form and has not saved: kept every ~30 s and when
    the tab closes, for them alone, and offered back when they open the article again. Not a
    revision (django-reversion keeps those, on saves)."""

    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
        help_text="Empty for an article not saved yet (the add form).",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_autosaves"
    )
    data = models.JSONField(default=dict, help_text="The form's text fields, by name.")
    opened_version = models.PositiveIntegerField(null=True, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = "autosave"
        verbose_name_plural = "autosaves"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_once_per_editor"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(article=None), name="autosave_one_new_per_editor"
            ),
        ]

    def __str__(self):
        return f"Autosave of {self.article or 'a new article'} by {self.user}"


class EditingLock(models.Model):
    """Who is editing an article now (a soft lock): taken on opening the form, kept by a
    heartbeat, released on leaving, and taken over explicitly by someone else."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="editing_lock"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editing_locks"
    )
    since = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-heartbeat_at"]
        verbose_name = "editing lock"
        verbose_name_plural = "editing locks"

    def __str__(self):
        return f"{self.user} editing {self.article}"

    @property
    def is_fresh(self):
        stale = timezone.timedelta(seconds=settings.DIGEST_PRESENCE_STALE_SECONDS)
        return self.heartbeat_at >= timezone.now() - stale


class Image(models.Model):
    """An image for article bodies, uploaded or picked from the body editor: checked like a
    featured image, with WebP renditions made once and alt text required."""

    file = models.ImageField(upload_to="images/%Y/%m/")
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        help_text="What the image shows, for readers who cannot see it, e.g. “Wind turbines "
        "on a hill above the Caspian”.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="e.g. “Photo: APA”.")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_images",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"

    def __str__(self):
        return self.alt_text

    def url(self, width=None):
        """The rendition closest to *width* (`DIGEST_BODY_IMAGE_WIDTH`, 800, by default; the
        largest without one), or the file's own URL."""
        from django.core.files.storage import default_storage

        width = width or settings.DIGEST_BODY_IMAGE_WIDTH
        if not self.renditions:
            return self.file.url if self.file else ""
        widths = sorted(int(w) for w in self.renditions)
        chosen = next((w for w in widths if w >= width), widths[-1])
        return default_storage.url(self.renditions[str(chosen)])


class Document(models.Model):
    """A file readers download or open from an article: a PDF report, a spreadsheet, an
    interview's audio. Checked by its content (`articles.documents`) and served with the type
    that content has; editors link to it from the body by pasting its address."""

    file = models.FileField(upload_to="files/%Y/%m/")
    title = models.CharField(
        max_length=300,
        help_text="What the file is, as a reader would call it, e.g. “Energy report, first "
        "quarter 2024”. Taken from the file's name when left empty.",
    )
    content_type = models.CharField(
        "kind",
        max_length=100,
        editable=False,
        help_text="The type its content has (e.g. application/pdf), whatever its name said.",
    )
    size = models.PositiveBigIntegerField(default=0, editable=False, help_text="In bytes.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_documents",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "file"
        verbose_name_plural = "files"

    def __str__(self):
        return self.title

    @property
    def url(self):
        """The file's public address (under MEDIA_URL), for a link in an article's body."""
        return self.file.url if self.file else ""
