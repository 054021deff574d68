"""Staff are addressed as "u" on allauth's pages too, as everywhere else."""

from django.urls import reverse


def test_reauthentication_asks_for_your_password_with_u(world, client_for):
    page = client_for("director").get(reverse("account_reauthenticate")).content.decode()
    assert "Vul uw wachtwoord in:" in page
    assert "je wachtwoord" not in page
