from django import template

from ..models import Issue

register = template.Library()


@register.simple_tag
def issue_of_day(day):
    """The e-mailed issue of *day* if readers may read it, else None (one query)."""
    return Issue.objects.public().filter(date=day).only("date").first()
