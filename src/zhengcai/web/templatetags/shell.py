"""Template tags for the shell."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Parser, Token
from django.template.context import Context
from django.template.exceptions import TemplateDoesNotExist
from django.utils.safestring import SafeString

register = template.Library()


class OptionalIncludeNode(template.Node):
    """``{% include %}`` that renders nothing when the template does not exist.

    The header includes fragments owned by other apps (the notification bell, the
    organisation switcher); a page must not break while one of them is missing.
    """

    def __init__(self, name: FilterExpression) -> None:
        self.name = name

    def render(self, context: Context) -> SafeString:
        name = self.name.resolve(context)
        assert context.template is not None
        try:
            included = context.template.engine.get_template(name)
        except TemplateDoesNotExist:
            return SafeString("")
        with context.push():
            return included.render(context)


@register.tag("include_optional")
def include_optional(parser: Parser, token: Token) -> OptionalIncludeNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes exactly one argument: the template name")
    return OptionalIncludeNode(parser.compile_filter(bits[1]))
