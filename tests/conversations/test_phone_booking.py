"""Booking by phone: the child's own teacher's times first, in Dutch; siblings adjacent in one
step; cancelling asks first and says the family will be told."""

from django.core import mail
from django.urls import reverse

from conversations import services
from conversations.models import Booking, ConversationStatus


def test_the_childs_teacher_comes_first_with_dutch_day_names(setup, client):
    setup.slots(staff=setup.teacher6, hour=8, until=9)
    setup.slots(staff=setup.teacher, hour=9, until=10)
    client.force_login(setup.ib)
    page = client.get(
        reverse("conversations:conversation-book", args=[setup.conversation.pk])
    ).content.decode()
    own = page.index('label="Bij de eigen leerkracht"')
    others = page.index('label="Andere tijden"')
    teacher_time = page.index(f"maandag 31 augustus, 09:00 · {setup.teacher.get_full_name()}")
    other_time = page.index(f"maandag 31 augustus, 08:00 · {setup.teacher6.get_full_name()}")
    assert own < teacher_time < others < other_time
    assert "Mon" not in page and "August" not in page


def test_two_siblings_are_booked_adjacent_in_one_step(setup, client):
    setup.slots(staff=setup.teacher, hour=9, until=10)
    setup.slots(staff=setup.teacher6, hour=9, until=10)
    client.force_login(setup.ib)
    url = reverse("conversations:conversation-book", args=[setup.conversation.pk])
    form = client.get(url).context["form"]
    key, label = form.fields["together"].choices[0]
    assert label.startswith("Ilyas: maandag 31 augustus, 09:00")
    assert "Yasmina: maandag 31 augustus, 09:20" in label
    response = client.post(url, {"family": setup.family.pk, "together": key})
    assert response.status_code == 302
    bookings = Booking.objects.order_by("slot__starts_at")
    assert [b.conversation.pupil.first_name for b in bookings] == ["Ilyas", "Yasmina"]
    assert bookings[0].slot.ends_at == bookings[1].slot.starts_at
    assert {b.slot.staff for b in bookings} == {setup.teacher, setup.teacher6}
    assert all(b.by_staff for b in bookings)


def test_booking_without_a_time_says_so_and_books_nothing(setup, client):
    setup.slots()
    client.force_login(setup.ib)
    response = client.post(
        reverse("conversations:conversation-book", args=[setup.conversation.pk]),
        {"family": setup.family.pk},
    )
    assert "Kies een tijdstip." in response.content.decode()
    assert not Booking.objects.exists()


def test_cancelling_asks_first_and_says_the_family_will_be_told(setup, client):
    slot = setup.slots()[0]
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.ib
    )
    mail.outbox.clear()
    client.force_login(setup.ib)
    url = reverse("conversations:booking-cancel", args=[booking.pk])
    group = reverse("conversations:group-detail", args=[setup.round.pk, setup.group.pk])
    assert url in client.get(group).content.decode()
    page = client.get(url).content.decode()
    assert "Gezin Bouzid krijgt meteen bericht dat het gesprek niet doorgaat." in page
    assert "maandag 31 augustus, 08:00" in page
    assert Booking.objects.exists() and not mail.outbox  # asking changes nothing
    client.post(url)
    assert not Booking.objects.exists()
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
