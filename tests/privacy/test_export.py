"""RELIABILITY E3: the family's data export covers every model with personal data."""

import json

import pytest
from django.apps import apps
from django.urls import reverse

from partnership import privacy
from schools.models import AuditEvent
from tests import factories as f
from tests.world import CANARY

pytestmark = pytest.mark.django_db


def test_no_model_that_points_at_personal_data_falls_outside_the_export(monkeypatch):
    assert privacy.unreached_models() == []
    # The check can fail: with paths of one hop, the contact moments (moment -> agreement ->
    # plan -> family) would silently drop out of the export.
    monkeypatch.setattr(privacy, "MAX_DEPTH", 1)
    assert "parents.contactmoment" in privacy.unreached_models()


def test_every_model_with_a_path_to_a_person_is_exported_or_excluded_with_a_reason():
    personal = privacy.personal_models()
    for label in (
        "schools.pupil",
        "schools.enrolment",
        "parents.guardian",
        "parents.family",
        "parents.pupilguardian",
        "schools.auditevent",
    ):
        assert label in personal
    for label, reason in privacy.EXPORT_EXCLUDED.items():
        assert label in personal, f"{label} is excluded but has no personal data"
        assert len(reason) > 20


def test_a_new_model_with_a_path_to_a_pupil_is_discovered():
    # Models added later by other apps are found through their relations, without a list.
    paths = privacy.person_paths(apps.get_model("schools", "Enrolment"))
    assert paths == {"schools.pupil": ["pupil"]}
    link_paths = privacy.person_paths(apps.get_model("parents", "PupilGuardian"))
    assert set(link_paths) == {"schools.pupil", "parents.guardian"}


def test_export_holds_the_family_and_nothing_foreign(world):
    export = privacy.export_family(world.s1.family)
    data = privacy.export_as_json(export)["data"]
    assert [p["first_name"] for p in data["schools.pupil"]] == ["Sem"]
    assert {g["email"] for g in data["parents.guardian"]} == {
        g.email for g in world.s1.family.guardians.all()
    }
    assert CANARY not in json.dumps(data)
    assert "Zusje" not in json.dumps(data)


def test_staff_export_page_and_json_download(world, client_for):
    client = client_for("director")
    url = reverse("privacy:family-export", kwargs={"pk": world.s1.family.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert world.s1.guardian.email in page.content.decode()
    download = client.get(url + "?format=json")
    assert download["Content-Disposition"].startswith(
        f'attachment; filename="gezin-{world.s1.family.pk}-'
    )
    assert json.loads(download.content)["family"] == world.s1.family.pk
    assert (
        AuditEvent.objects.filter(action="export_family", family_id=world.s1.family.pk).count() == 2
    )


def test_guardian_gets_own_data_in_a_click(world, client_for):
    page = client_for("guardian").get(reverse("privacy:my-data"))
    assert page.status_code == 200
    assert "Sem" in page.content.decode()


def test_blocked_guardian_export_holds_no_child_and_no_other_adult(world, client_for):
    page = client_for("blocked_guardian").get(reverse("privacy:my-data") + "?format=json")
    data = json.loads(page.content)["data"]
    assert "schools.pupil" not in data
    assert "S1kind" not in page.content.decode()
    # The blocked guardian shares the household with the other parent: not their details.
    assert [g["id"] for g in data["parents.guardian"]] == [
        world.users["blocked_guardian"].guardian.pk
    ]
    assert world.s1.guardian.email not in page.content.decode()


def test_separated_parent_export_does_not_show_the_other_parents_contact_details(world):
    other_family = f.FamilyFactory(board=world.b1)
    other = f.GuardianFactory(
        family=other_family, email="andere.ouder@example.test", phone="0699999999"
    )
    f.PupilGuardianFactory(pupil=world.s1.pupil, guardian=other, relation="father")
    text = json.dumps(privacy.export_as_json(privacy.export_family(world.s1.family)))
    assert "andere.ouder@example.test" not in text
    assert "0699999999" not in text
