"""Languages by their name in the language of the page: "Arabisch, Turks" on a Dutch page,
never the codes "ar, tr". Django knows the names of most languages in every language it
speaks; a language it does not know keeps the name it calls itself (Language's label)."""

from django import template
from django.utils.translation import get_language_info

from parents.models import Language

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return str(dict(Language.choices).get(code, code))


@register.filter
def language_names(codes) -> str:
    return ", ".join(language_name(code) for code in codes or ())
