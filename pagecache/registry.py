"""What readers see: the models whose changes replace the content version, and the times
content changes on its own.

A project registers its rules once, from an ``AppConfig.ready()``::

    from pagecache import registry

    registry.watch_app("flatpages", structure=True)     # every save or delete matters
    registry.watch(Article, unseen=article_unseen, before=remember_status)
    registry.watch_m2m(Article.tags.through, unseen=links_unseen)
    registry.watch(Category, structure=True)            # the menu: in every page's header
    registry.schedule(next_scheduled_publication)
    registry.vary_on("shop:list", "page")               # the only parameter these pages read

*unseen* says when a change is invisible to readers (a draft saved, say), so the stored pages
are kept: ``unseen(instance, created=..., deleted=...) -> bool`` for rows and
``unseen(instance, reverse=...) -> bool`` for many-to-many changes. *before* runs just before a
save or delete (to read what the row was). A model registered twice keeps the last rule.
"""

from collections.abc import Callable

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from . import keys, state

_rules: dict[type, dict] = {}
_m2m_rules: dict[type, Callable[..., bool] | None] = {}
_structure_links: set[type] = set()


def _changed(structure=False):
    state.content_changed(structure=structure)


def _on_save(sender, instance, created=False, raw=False, **kwargs):
    unseen = _rules[sender]["unseen"]
    if unseen is None or not unseen(instance, created=created, deleted=False):
        _changed(_rules[sender]["structure"])


def _on_delete(sender, instance, **kwargs):
    unseen = _rules[sender]["unseen"]
    if unseen is None or not unseen(instance, created=False, deleted=True):
        _changed(_rules[sender]["structure"])


def _before(sender, instance, **kwargs):
    _rules[sender]["before"](instance)


def _on_m2m(sender, instance, action, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    unseen = _m2m_rules[sender]
    if unseen is None or not unseen(instance, reverse=reverse):
        _changed(sender in _structure_links)


def watch(model, *, unseen=None, before=None, structure=False):
    """Replace the content version whenever a row of *model* is saved or deleted, unless
    *unseen* says readers cannot see the change. *structure*: its rows are the site's
    structure (the menu, the site's identity: `pagecache.fragments.structural`), so the
    structure version is replaced too."""
    _rules[model] = {"unseen": unseen, "before": before, "structure": structure}
    uid = f"pagecache:{model._meta.label}"
    post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}:save")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}:delete")
    if before is not None:
        pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}:before-save")
        pre_delete.connect(_before, sender=model, dispatch_uid=f"{uid}:before-delete")


def watch_app(label, *, unseen=None, structure=False):
    """`watch()` every model of the installed app *label* (its many-to-many links too)."""
    for model in apps.get_app_config(label).get_models():
        watch(model, unseen=unseen, structure=structure)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through not in _m2m_rules:
                watch_m2m(through, structure=structure)


def watch_m2m(through, *, unseen=None, structure=False):
    """Replace the content version when links of the many-to-many *through* model change
    (added, removed, cleared), unless *unseen* says readers cannot see it; the structure
    version too when *structure*."""
    _m2m_rules[through] = unseen
    if structure:
        _structure_links.add(through)
    else:
        _structure_links.discard(through)
    m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"pagecache:{through._meta.label}")


def schedule(next_change):
    """*next_change()* returns the next time content changes on its own (an aware datetime),
    or None: stored pages live no longer than that."""
    if next_change not in state.schedules:
        state.schedules.append(next_change)


def is_watched(model):
    return model in _rules


def unwatch(model):
    """Stop watching *model* and its many-to-many links (tests that register their own)."""
    uid = f"pagecache:{model._meta.label}"
    post_save.disconnect(sender=model, dispatch_uid=f"{uid}:save")
    post_delete.disconnect(sender=model, dispatch_uid=f"{uid}:delete")
    pre_save.disconnect(sender=model, dispatch_uid=f"{uid}:before-save")
    pre_delete.disconnect(sender=model, dispatch_uid=f"{uid}:before-delete")
    _rules.pop(model, None)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        _m2m_rules.pop(through, None)
        m2m_changed.disconnect(sender=through, dispatch_uid=f"pagecache:{through._meta.label}")


def unschedule(next_change):
    if next_change in state.schedules:
        state.schedules.remove(next_change)


def vary_on(url_name, *parameters):
    """The pages of the URL pattern *url_name* (``"app:name"``) depend on these query
    parameters; any other is left out of their cache key (`pagecache.keys`). A view that
    reads a query parameter must declare it here, or every request shares one stored page."""
    keys.vary_on(url_name, *parameters)
