from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja2_include(context, template_name, **values):
    """Render the Jinja2 template ``template_name`` (timeline.templating) with ``values``."""
    jinja2_template = engines["jinja2"].get_template(template_name)
    # Jinja2 escapes every value it writes (autoescape is on): the result is safe HTML.
    return mark_safe(jinja2_template.render(values, request=context.get("request")))
