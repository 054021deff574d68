"""Parents keep their own contact details right (issue 19, item 6): a change in the portal is
stored the way the import stores it, the school sees who changed what and when, and the next
import keeps the parent's newer value and says so in its preview."""

import html

import pytest
from django.urls import reverse

from parents.contact_details import change_contact_details
from parents.importing.apply import confirm_import
from parents.importing.mapping import resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from parents.models import ContactChange, ContactField, Guardian
from schools.models import AuditAction, AuditEvent, ImportBatch
from tests import factories as f
from tests.importing.conftest import csv_bytes


@pytest.fixture
def parent(home):
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    return home.guardian


def _details(guardian, **changes):
    data = {
        "phone": guardian.phone,
        "email": guardian.email,
        "street": guardian.street,
        "house_number": guardian.house_number,
        "postcode": guardian.postcode,
        "city": guardian.city,
    }
    return {**data, **changes}


def test_parent_changes_phone_and_address_and_the_school_sees_it(home, parent, client):
    client.force_login(parent.user)
    url = reverse("parents:portal-contact-details")
    response = client.post(
        url,
        _details(
            parent,
            phone="06-98 76 54 32",
            street="Laan van Meerdervoort",
            house_number="12a",
            postcode="2517 AB",
            city="Den Haag",
        ),
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.phone == "+31698765432"  # E.164, as the import stores it
    assert parent.address == "Laan van Meerdervoort 12a, 2517 AB Den Haag"
    changes = {c.field: c for c in ContactChange.objects.filter(guardian=parent)}
    assert set(changes) == {ContactField.PHONE, ContactField.ADDRESS}
    assert changes["phone"].old_value == "0612345678"
    assert changes["phone"].changed_by == parent.user
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_CONTACT)
    assert (event.school_id, event.family_id, event.what) == (
        home.school.pk,
        home.family.pk,
        f"guardian:{parent.pk}",
    )
    # The family page shows the new number, and who changed it when.
    client.force_login(home.teacher)
    page = client.get(reverse("parents:family-detail", args=[home.family.pk])).content.decode()
    assert "+31698765432" in page and "Laan van Meerdervoort 12a" in page
    assert "telefoon gewijzigd op 15-9-2026 12:00" in page  # 10:00 UTC, Amsterdam time
    assert "de ouder zelf (ouderportaal)" in page
    assert "was: 0612345678" in page


def test_a_wrong_phone_number_is_refused_in_dutch_and_nothing_changes(home, parent, client):
    client.force_login(parent.user)
    response = client.post(
        reverse("parents:portal-contact-details"),
        _details(parent, phone="12", email="nieuw@example.test"),
    )
    assert response.status_code == 200
    assert "'12' is geen telefoonnummer" in html.unescape(response.content.decode())
    parent.refresh_from_db()
    assert (parent.phone, parent.email) == ("0612345678", "ouder@example.test")
    assert not ContactChange.objects.exists()


def test_a_parent_cannot_remove_every_way_to_reach_them(home, parent):
    from parents.contact_details import ContactDetailsError

    with pytest.raises(ContactDetailsError, match="telefoonnummer of een e-mailadres"):
        change_contact_details(guardian=parent, by=parent.user, phone="", email="", address={})


def test_the_same_number_in_another_spelling_is_no_change(home, parent):
    changes = change_contact_details(
        guardian=parent,
        by=parent.user,
        phone="+31 6 1234 5678",
        email="OUDER@example.test",
        address={},
    )
    assert changes == []


# --- the next import -----------------------------------------------------------------------------


def _file(phone, email="ouder@example.test"):
    return csv_bytes(f"{PUPIL_NUMBER};Yasmina;;Bouzid;01-05-2017;5;{email};{phone};")


PUPIL_NUMBER = "4711"


@pytest.fixture
def imported(home):
    home.pupil.pupil_number = PUPIL_NUMBER
    home.pupil.last_name = "Bouzid"
    home.pupil.save()
    return home


def _plan(school, data):
    table = read_table(data, "leerlingen.csv")
    return lambda: make_plan(school=school, table=table, columns=resolve(table.headers, {}))


def test_the_import_keeps_the_phone_the_parent_changed_and_the_preview_names_it(
    imported, parent, client
):
    change_contact_details(
        guardian=parent, by=parent.user, phone="0698765432", email=parent.email, address={}
    )
    director = f.StaffMembershipFactory(school=imported.school, role="director").user
    batch = ImportBatch.objects.create(
        school=imported.school,
        uploaded_by=director,
        filename="leerlingen.csv",
        content=_file("06-12345678"),  # the administration still has the old number
    )
    client.force_login(director)
    url = reverse("parents:import-preview", args=[imported.school.pk, batch.pk])
    preview = client.get(url).content.decode()
    assert 'data-parent-value="phone"' in preview
    assert "+31698765432" in preview and "+31612345678" in preview
    assert "Door ouders zelf gewijzigd" in preview
    client.post(url, {})
    parent.refresh_from_db()
    assert parent.phone == "+31698765432"
    # Still newer than the administration's: the next import keeps it too.
    assert ContactChange.objects.get(guardian=parent).settled_at is None
    assert Guardian.objects.count() == 1


def test_staff_can_choose_the_administrations_value(imported, parent):
    change_contact_details(
        guardian=parent, by=parent.user, phone="0698765432", email=parent.email, address={}
    )
    confirm_import(make=_plan(imported.school, _file("0611112222")), keep_parent_values=False)
    parent.refresh_from_db()
    assert parent.phone == "+31611112222"
    assert ContactChange.objects.get(guardian=parent).settled_at is not None


def test_once_the_administration_has_the_parents_value_the_file_counts_again(imported, parent):
    change_contact_details(
        guardian=parent, by=parent.user, phone="0698765432", email=parent.email, address={}
    )
    plan = _plan(imported.school, _file("0698765432"))()
    assert plan.parent_values == []
    confirm_import(make=_plan(imported.school, _file("0698765432")))
    assert ContactChange.objects.get(guardian=parent).settled_at is not None
    # A later change in the administration is taken over as before.
    confirm_import(make=_plan(imported.school, _file("0633334444")))
    parent.refresh_from_db()
    assert parent.phone == "+31633334444"


def test_a_parent_who_changed_both_phone_and_email_is_still_recognised(imported, parent):
    """The administration still has both old details: the import finds the parent by them
    instead of adding a second guardian."""
    change_contact_details(
        guardian=parent,
        by=parent.user,
        phone="0698765432",
        email="nieuw@example.test",
        address={},
    )
    plan = _plan(imported.school, _file("0612345678", email="ouder@example.test"))()
    assert plan.new_guardians == {}
    assert {p.field for p in plan.parent_values} == {"phone", "email"}
    confirm_import(make=_plan(imported.school, _file("0612345678")))
    parent.refresh_from_db()
    assert (parent.phone, parent.email) == ("+31698765432", "nieuw@example.test")
    assert Guardian.objects.count() == 1


def test_undoing_the_import_gives_the_parents_value_back_its_place(imported, parent):
    from parents.importing.models import ImportRun
    from parents.importing.undo import undo_import

    change_contact_details(
        guardian=parent, by=parent.user, phone="0698765432", email=parent.email, address={}
    )
    director = f.StaffMembershipFactory(school=imported.school, role="director").user
    result = confirm_import(
        make=_plan(imported.school, _file("0611112222")), by=director, keep_parent_values=False
    )
    undo_import(run=ImportRun.objects.get(pk=result.run_id), by=director)
    parent.refresh_from_db()
    assert parent.phone == "+31698765432"
    assert ContactChange.objects.get(guardian=parent).settled_at is None
