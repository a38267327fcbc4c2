from django import template

from labs.explain import explain

register = template.Library()


@register.simple_tag
def explain_error(text):
    """{% explain_error message as e %}: a Korean Explanation, or None."""
    return explain(str(text or ""))
