"""Guardians as schools' files write them: phone numbers in every Dutch spelling, a cell with two
e-mail addresses, and the address that tells two households apart."""

import re

import phonenumbers
from django.utils.translation import gettext as _

REGION = "NL"
# The common spellings that need no parsing: 0612345678 and +31612345678.
_NATIONAL = re.compile(r"^0[1-9]\d{8}$")
_E164_NL = re.compile(r"^\+31[1-9]\d{8}$")
# Excel reads 0612345678 as the number 612345678: nine digits, the 0 gone.
_LOST_ZERO = re.compile(r"^[1-9]\d{8}$")


class NotAPhoneNumber(ValueError):
    pass


def parse_phone(text):
    """``text`` in E.164 ("+31612345678") and a warning (or ""): "06-12345678", "+31 6 1234 5678",
    "0031 6 …", "+31 (0)6 …" are all one number. Raises NotAPhoneNumber for anything else."""
    compact = re.sub(r"[\s().-]", "", text)
    if _E164_NL.match(compact):
        return compact, ""
    if _NATIONAL.match(compact):
        return "+31" + compact[1:], ""
    warning = ""
    if _LOST_ZERO.match(compact):
        compact = "0" + compact
        warning = _("'%(v)s' mist de 0 aan het begin (Excel haalt die weg); gelezen als %(n)s") % {
            "v": text,
            "n": compact,
        }
    try:
        number = phonenumbers.parse(text if not warning else compact, REGION)
    except phonenumbers.NumberParseException as error:
        raise NotAPhoneNumber(text) from error
    if not phonenumbers.is_valid_number(number):
        raise NotAPhoneNumber(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), warning


def stored_phone_key(value):
    """The E.164 form of a number already stored (typed by hand, perhaps), or the value itself."""
    try:
        return parse_phone(value)[0]
    except NotAPhoneNumber:
        return value


def first_email(text):
    """The first address of a cell, and whether there were more."""
    addresses = [a for a in re.split(r"[;,\s]+", text.strip()) if a]
    return (addresses[0] if addresses else ""), len(addresses) > 1


def address_key(street, house_number, postcode):
    """One key per address ("2512AB|12a"), "" when the row gives none."""
    postcode = re.sub(r"\s", "", postcode).upper()
    number = re.sub(r"\s", "", house_number).lower()
    place = postcode or re.sub(r"\s+", " ", street).strip().lower()
    return f"{place}|{number}" if place else ""
