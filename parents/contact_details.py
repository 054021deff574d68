"""Parents keep their own contact details right: phone, e-mail and home address.

A change in the portal is stored at once (the phone in E.164, as the import stores it), kept as a
``ContactChange`` (what it was, what it is, when, by whom) for the family page, and written to
the audit log. The pupil administration's file carries no dates, so the import cannot tell
whether its value is older or newer: a parent's change counts as newer until an import brings
the same value (the administration caught up) or staff choose the administration's value in the
import's preview (``parent_values``).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.importing.people import NotAPhoneNumber, parse_phone, stored_phone_key
from parents.models import ContactChange, ContactField, Guardian
from schools import audit

ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")


class ContactDetailsError(Exception):
    """The new details cannot be stored; the message is for the guardian."""


def clean_phone(text: str) -> str:
    """A Dutch or international number in E.164 ("+31612345678"), "" for an empty one."""
    text = text.strip()
    if not text:
        return ""
    try:
        return parse_phone(text)[0]
    except NotAPhoneNumber as error:
        raise ContactDetailsError(
            _("'%(v)s' is geen telefoonnummer. Schrijf het zo: 06 12345678.") % {"v": text}
        ) from error


def clean_email(text: str) -> str:
    text = text.strip()
    if text:
        try:
            validate_email(text)
        except ValidationError as error:
            raise ContactDetailsError(
                _("'%(v)s' is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl.") % {"v": text}
            ) from error
    return text


def _address_text(values: dict) -> str:
    return Guardian(**values).address


@transaction.atomic
def change_contact_details(
    *, guardian: Guardian, by, phone: str, email: str, address: dict
) -> list[ContactChange]:
    """Store the guardian's own phone, e-mail and address (``address``: street, house_number,
    postcode, city). Returns the changes made (none when nothing differs)."""
    guardian = Guardian.objects.select_for_update().get(pk=guardian.pk)
    phone, email = clean_phone(phone), clean_email(email)
    if not phone and not email:
        raise ContactDetailsError(
            _("Vul een telefoonnummer of een e-mailadres in. Anders kan de school u niet bereiken.")
        )
    address = {name: (address.get(name) or "").strip() for name in ADDRESS_FIELDS}
    before_address = {name: getattr(guardian, name) for name in ADDRESS_FIELDS}
    changes = []
    if stored_phone_key(guardian.phone) != phone:
        changes.append(ContactChange(field=ContactField.PHONE, old_value=guardian.phone))
        guardian.phone = phone
        changes[-1].new_value = phone
    if guardian.email.lower() != email.lower():
        changes.append(
            ContactChange(field=ContactField.EMAIL, old_value=guardian.email, new_value=email)
        )
        guardian.email = email
    if before_address != address:
        changes.append(
            ContactChange(
                field=ContactField.ADDRESS,
                old_value=_address_text(before_address),
                new_value=_address_text(address),
            )
        )
        for name, value in address.items():
            setattr(guardian, name, value)
    if not changes:
        return []
    guardian.save(update_fields=["phone", "email", *ADDRESS_FIELDS])
    user = getattr(by, "user", by)
    now = timezone.now()
    for change in changes:
        change.guardian = guardian
        change.changed_at = now
        change.changed_by = user if getattr(user, "is_authenticated", False) else None
    ContactChange.objects.bulk_create(changes)
    for school_id in _schools_of(guardian):
        audit.record(
            by,
            audit.AuditAction.CHANGE_CONTACT,
            family=guardian.family_id,
            school=school_id,
            what=f"guardian:{guardian.pk}",
        )
    return changes


def _schools_of(guardian: Guardian) -> list:
    """The schools of the guardian's present children: each one's director sees the change in
    its log (none: one event without a school)."""
    schools = sorted(
        set(
            guardian.pupil_links.filter(pupil__left_on__isnull=True).values_list(
                "pupil__school_id", flat=True
            )
        )
    )
    return schools or [None]


# --- what the import asks -------------------------------------------------------------------------


def open_changes(guardians: QuerySet[Guardian]) -> dict[int, dict[str, ContactChange]]:
    """{guardian id: {field: the latest change}} of the parents' changes the administration
    does not have yet (``settled_at`` empty), for ``guardians``: one query."""
    found = defaultdict(dict)
    rows = ContactChange.objects.filter(guardian__in=guardians, settled_at__isnull=True).order_by(
        "guardian_id", "field", "-changed_at", "-pk"
    )
    for change in rows:
        found[change.guardian_id].setdefault(change.field, change)
    return dict(found)


def settle_changes(ids) -> list[int]:
    """Mark changes as known to the administration; returns the ids that were still open."""
    ids = list(
        ContactChange.objects.filter(pk__in=list(ids), settled_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    ContactChange.objects.filter(pk__in=ids).update(settled_at=timezone.now())
    return ids


def reopen_changes(ids) -> None:
    """Undo of an import: its settled changes count as the parent's newer values again."""
    ContactChange.objects.filter(pk__in=list(ids)).update(settled_at=None)
