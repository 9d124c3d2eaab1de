"""Revision history (django-reversion) for writes outside the admin: the importer's batches.

The admin keeps a revision per save through reversion's own context manager. The importer
writes a hundred articles per transaction; a revision per article made that way costs half a
dozen queries each, so here the same rows are written for the whole batch at once.
"""

import json
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, router
from django.utils import timezone
from django.utils.encoding import force_str
from reversion.models import Revision, Version

# reversion has no public API for writing many revisions; these two read its registrations
# (which fields are kept, what is followed) so the rows are exactly what the admin would write.
from reversion.revisions import _follow_relations_recursive, _get_options


def revisions_create_many(entries, *, user=None, members=None):
    """One revision per ``(obj, comment)`` in *entries*, holding *obj* and whatever its
    registration follows (for an article: its provenance and tag links), by *user* if given.

    The objects' relations should be loaded already (select_related / prefetch_related):
    following them then costs no query, and everything is written in two inserts. Or
    *members(obj)* gives the rows a revision of *obj* holds (None: follow the registration),
    for objects just written with their relations in hand.
    """
    entries = list(entries)
    if not entries:
        return []
    now = timezone.now()
    revisions = [Revision(date_created=now, user=user, comment=comment) for _, comment in entries]
    if connection.features.can_return_rows_from_bulk_insert:
        Revision.objects.bulk_create(revisions)
    else:  # pragma: no cover - PostgreSQL and SQLite both return the new keys
        for revision in revisions:
            revision.save()
    versions = []
    for revision, (obj, _) in zip(revisions, entries, strict=True):
        held = members(obj) if members is not None else None
        for member in _follow_relations_recursive(obj) if held is None else held:
            options = _get_options(type(member))
            versions.append(
                Version(
                    revision=revision,
                    content_type=ContentType.objects.get_for_model(
                        member, for_concrete_model=options.for_concrete_model
                    ),
                    object_id=force_str(getattr(member, options.object_id_field)),
                    db=router.db_for_write(type(member), instance=member),
                    format=options.format,
                    object_repr=force_str(member),
                )
            )
            versions[-1].member = member
    _serialize(versions)
    Version.objects.bulk_create(versions)
    return revisions


def _serialize(versions):
    """Fill each version's ``serialized_data`` as ``serializers.serialize(format, [obj])``
    would, one serializer run per model (a run per object is most of the cost)."""
    by_model = defaultdict(list)
    for version in versions:
        by_model[type(version.member)].append(version)
    for model, group in by_model.items():
        options = _get_options(model)
        members = [version.member for version in group]
        kwargs = {
            "fields": options.fields,
            "use_natural_foreign_keys": options.use_natural_foreign_keys,
        }
        many = _prefetched_many_to_many(model, members, options)
        if options.format == "json" and many is not None:
            # Django's JSON serializer writes "[" + json.dump(the python form) + "]\n", with
            # many-to-many ids last; read here from the prefetched rows (Django's serializer
            # builds a queryset per object and field even when they are prefetched).
            fields = [name for name in options.fields if name not in many]
            rows = serializers.serialize("python", members, **{**kwargs, "fields": fields})
            for version, row in zip(group, rows, strict=True):
                for name in many:
                    row["fields"][name] = [
                        related.pk for related in getattr(version.member, name).all()
                    ]
                text = json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
                version.serialized_data = f"[{text}]\n"
        else:  # pragma: no cover - every registration here uses JSON
            for version in group:
                version.serialized_data = serializers.serialize(
                    options.format, [version.member], **kwargs
                )


def _prefetched_many_to_many(model, members, options):
    """The names of the many-to-many fields Django's serializer would write (in its order)
    if every member has them prefetched and they are written as plain ids; else None."""
    if options.use_natural_foreign_keys:
        return None
    names = [
        field.name
        for field in model._meta.concrete_model._meta.local_many_to_many
        if field.serialize
        and field.remote_field.through._meta.auto_created
        and field.name in options.fields
    ]
    for member in members:
        cache = getattr(member, "_prefetched_objects_cache", {})
        if any(name not in cache for name in names):
            return None
    return names
