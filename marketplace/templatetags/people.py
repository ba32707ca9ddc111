"""How a person is named on staff pages (a builtin: no `{% load %}` needed)."""

from django import template

from marketplace.templatetags.persian import mobile

register = template.Library()


@register.filter
def person_name(user, missing: str = "—") -> str:
    """Her full name, else her username (her mobile, shown the Iranian way), else
    `missing` when there is no user (a nullable link whose user was deleted must
    not break the page)."""
    if user is None or not getattr(user, "pk", None):
        return missing
    return user.get_full_name() or mobile(user.username)
