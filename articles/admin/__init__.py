"""The newsroom: the Django admin, made for editors and translators.

Roles (groups made by a migration): an *Editor* holds ``articles.publish_article`` and does
everything; a *Translator* drafts and edits their own pieces and submits them for review.
The admin hides what a role may not do, and `articles.services` refuses it again, so a
hand-made POST gets no further than the buttons would.

A module per model (articles, categories, authors, sources, tags, images, documents: the Files
library, site: the site identity and the static pages); what several share or what would make
ArticleAdmin long has its own (mixins, forms, filters, changelist, columns, actions, history).
Importing this package, as Django's admin autodiscovery does, registers them all.
"""

from . import articles, authors, categories, documents, images, site, sources, tags  # noqa: F401  (registers)

# The names `articles.admin` offered when it was one module, so imports of them keep working.
from .articles import ArticleAdmin, TranslationInline
from .authors import AuthorAdmin
from .categories import CategoryAdmin
from .changelist import ArticleChangeList, CappedCountPaginator
from .filters import TagFilter, TranslatedFilter
from .forms import (
    BODY_EDITOR_EXTENSIONS,
    ArticleAdminForm,
    MoveToCategoryForm,
    TagAutocompleteWidget,
    TagNamesField,
)
from .history import tags_relink_deleted
from .mixins import SummarisedDeleteMixin
from .site import NewsroomFlatPageAdmin, SiteIdentityAdmin, SiteLinkInline
from .sources import SourceAdmin
from .tags import TagAdmin

__all__ = [
    "BODY_EDITOR_EXTENSIONS",
    "ArticleAdmin",
    "ArticleAdminForm",
    "ArticleChangeList",
    "AuthorAdmin",
    "CappedCountPaginator",
    "CategoryAdmin",
    "MoveToCategoryForm",
    "NewsroomFlatPageAdmin",
    "SiteIdentityAdmin",
    "SiteLinkInline",
    "SourceAdmin",
    "SummarisedDeleteMixin",
    "TagAdmin",
    "TagAutocompleteWidget",
    "TagFilter",
    "TagNamesField",
    "TranslatedFilter",
    "TranslationInline",
    "tags_relink_deleted",
]
