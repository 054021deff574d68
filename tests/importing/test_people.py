"""People and households: phone numbers in every Dutch spelling are one number (E.164), one parent
is one guardian, two addresses in a row are two households."""

import re

import pytest
from django.urls import reverse

from parents.importing.apply import import_table
from parents.importing.mapping import resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from parents.models import Guardian, PupilGuardian
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = (
    "leerlingnummer;roepnaam;achternaam;geboortedatum;groep;"
    "voornaam ouder 1;e-mail ouder 1;telefoon ouder 1;straat ouder 1;huisnummer ouder 1;"
    "postcode ouder 1;voornaam ouder 2;e-mail ouder 2;telefoon ouder 2;straat ouder 2;"
    "huisnummer ouder 2;postcode ouder 2"
)


def data(*lines):
    return ("\r\n".join((HEADER, *lines)) + "\r\n").encode()


def run(school, *lines):
    table = read_table(data(*lines), "export.csv")
    return import_table(school=school, table=table, columns=resolve(table.headers))


def plan_for(school, *lines):
    table = read_table(data(*lines), "export.csv")
    return make_plan(school=school, table=table, columns=resolve(table.headers))


def test_one_parent_with_two_phone_spellings_is_one_guardian(school):
    run(
        school,
        "2001;Sem;Bos;01-05-2017;5;Anna;;06-12340017;;;;;;;;;",
        "2002;Noor;Bos;01-05-2019;3;Anna;;+31 6 1234 0017;;;;;;;;;",
        "2003;Ties;Bos;01-05-2015;5;Anna;;0031 6 12340017;;;;;;;;;",
    )
    guardian = Guardian.objects.get()
    assert guardian.phone == "+31612340017"
    assert PupilGuardian.objects.filter(guardian=guardian).count() == 3


def test_a_parent_is_found_by_phone_in_one_row_and_by_e_mail_in_another(school):
    run(
        school,
        "2001;Sem;Bos;01-05-2017;5;Anna;anna@example.test;06 1234 0018;;;;;;;;;",
        "2002;Noor;Bos;01-05-2019;3;Anna;;+31612340018;;;;;;;;;",
        "2003;Ties;Bos;01-05-2015;5;Anna;ANNA@example.test;;;;;;;;;;",
    )
    assert Guardian.objects.count() == 1


def test_a_number_typed_by_hand_before_is_the_same_parent(school):
    family = f.FamilyFactory(board=school.board)
    known = f.GuardianFactory(family=family, email="", phone="06 12 34 00 19")
    run(school, "2001;Sem;Bos;01-05-2017;5;Anna;;+31 (0)6 1234 0019;;;;;;;;;")
    assert Guardian.objects.get() == known
    known.refresh_from_db()
    assert known.phone == "+31612340019"


def test_excel_lost_the_leading_zero_and_the_preview_says_so(school):
    plan = plan_for(school, "2001;Sem;Bos;01-05-2017;5;Anna;;612340020;;;;;;;;;")
    assert not plan.errors
    assert plan.warnings == [
        "rij 2, telefoon ouder 1: '612340020' mist de 0 aan het begin (Excel haalt die weg); "
        "gelezen als 0612340020"
    ]
    assert plan.new_guardians[("phone", "+31612340020")].data.phone == "+31612340020"


def test_what_is_no_phone_number_is_an_error_of_the_row(school):
    plan = plan_for(school, "2001;Sem;Bos;01-05-2017;5;Anna;;12-34;;;;;;;;;")
    assert [str(e) for e in plan.errors] == [
        "rij 2, telefoon ouder 1: '12-34' is geen telefoonnummer"
    ]


def test_two_e_mail_addresses_in_a_cell_take_the_first_with_a_warning(school):
    plan = plan_for(
        school, "2001;Sem;Bos;01-05-2017;5;Anna;anna@example.test, piet@example.test;;;;;;;;;;"
    )
    assert not plan.errors
    assert plan.warnings == [
        "rij 2, e-mail ouder 1: er staan twee e-mailadressen in; het eerste "
        "(anna@example.test) is gebruikt"
    ]
    assert list(plan.new_guardians) == [("email", "anna@example.test")]


def test_separated_parents_with_two_addresses_are_two_households(school):
    run(
        school,
        "2001;Sem;Bos;01-05-2017;5;Anna;anna@example.test;;Laan 1;12;2512 AB;"
        "Piet;piet@example.test;;Dorpsstraat;3a;3011CD",
        "2002;Lot;Smit;01-05-2017;5;Eva;eva@example.test;;Laan 1;8;2512AB;"
        "Jan;jan@example.test;;Laan 1;8;2512 ab",
        "2003;Bo;Jong;01-05-2017;5;Mia;mia@example.test;;;;;Kees;kees@example.test;;;;",
    )
    families = {g.email: g.family_id for g in Guardian.objects.all()}
    assert families["anna@example.test"] != families["piet@example.test"]
    assert families["eva@example.test"] == families["jan@example.test"]
    assert families["mia@example.test"] == families["kees@example.test"]
    # Sem belongs to both households: both parents are informed.
    assert PupilGuardian.objects.filter(pupil__pupil_number="2001").count() == 2


@pytest.fixture
def sms_outbox(settings):
    from reminders.channels import OutboxSmsBackend

    settings.SMS_BACKEND = "reminders.channels.OutboxSmsBackend"
    OutboxSmsBackend.outbox.clear()
    return OutboxSmsBackend.outbox


def test_an_imported_plus_31_zero_six_number_logs_in_by_text_message(school, client, sms_outbox):
    run(school, "2001;Sem;Bos;01-05-2017;5;Anna;;+31 (0)6 1234 0003;;;;;;;;;")
    response = client.post(reverse("account_request_login_code"), {"phone": "06 1234 0003"})
    assert response.status_code == 302
    (sms,) = sms_outbox
    assert sms["to"] == "+31612340003"
    code = re.search(r"code voor Schouder: (\S+)\.", sms["body"]).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert client.session["_auth_user_id"] == str(Guardian.objects.get().user_id)
