"""Reminders to guardians that read the parents app's tables.

Document 000, "herhaal, herhaal, herhaal": a first message at the start of the year, then a short
reminder a week later. Each guardian with a child at the school gets their own message (separated
parents each their own, never a copy to the other), in their own language.
"""

import datetime

from parents.models import InformationRight, PupilGuardian
from reminders import queries
from reminders.registry import Item, Rule, Verdict
from schools.reminder_rules import AMSTERDAM, responsible_emails, start_of_year_moment

VISIBLE_RIGHTS = (InformationRight.FULL, InformationRight.GRANTED)
REPEAT_AFTER = datetime.timedelta(days=7)

# One text per language, short and at B1 level: the school's name and the one action.
WELCOME = {
    "nl": (
        "Welkom op {school}",
        "Beste {name},\n\nWelkom op {school}! Wij werken dit jaar graag samen met u. U kent uw "
        "kind het best, wij zien uw kind op school. Samen weten we meer.\n\n"
        "Wat wij vragen: antwoord op dit bericht en vertel hoe en wanneer wij u het best kunnen "
        "bereiken.\n\nMet vriendelijke groet,\n{school}",
    ),
    "en": (
        "Welcome to {school}",
        "Dear {name},\n\nWelcome to {school}! This year we want to work together with you. You "
        "know your child best, we see your child at school. Together we know more.\n\n"
        "What we ask: reply to this message and tell us how and when we can best reach you."
        "\n\nKind regards,\n{school}",
    ),
    "ar": (
        "مرحبًا بكم في {school}",
        "عزيزي/عزيزتي {name}،\n\nمرحبًا بكم في {school}! نريد أن نعمل معكم هذا العام. أنتم تعرفون "
        "طفلكم أفضل من أي أحد، ونحن نرى طفلكم في المدرسة. معًا نعرف أكثر.\n\n"
        "ما نطلبه: ردّوا على هذه الرسالة وأخبرونا كيف ومتى يمكننا التواصل معكم.\n\n"
        "مع التحية،\n{school}",
    ),
    "tr": (
        "{school} okuluna hoş geldiniz",
        "Sayın {name},\n\n{school} okuluna hoş geldiniz! Bu yıl sizinle birlikte çalışmak "
        "istiyoruz. Çocuğunuzu en iyi siz tanırsınız, biz de onu okulda görürüz. Birlikte daha "
        "çok şey biliriz.\n\nRicamız: bu mesajı yanıtlayın ve size nasıl ve ne zaman en iyi "
        "ulaşabileceğimizi yazın.\n\nSaygılarımızla,\n{school}",
    ),
    "pl": (
        "Witamy w {school}",
        "Szanowni Państwo, {name},\n\nWitamy w {school}! W tym roku chcemy z Państwem "
        "współpracować. Państwo najlepiej znają swoje dziecko, my widzimy je w szkole. Razem "
        "wiemy więcej.\n\nNasza prośba: proszę odpowiedzieć na tę wiadomość i napisać, jak i kiedy "
        "najlepiej się z Państwem skontaktować.\n\nZ pozdrowieniami,\n{school}",
    ),
    "bg": (
        "Добре дошли в {school}",
        "Уважаеми/а {name},\n\nДобре дошли в {school}! Тази година искаме да работим заедно с "
        "вас. Вие познавате детето си най-добре, ние го виждаме в училище. Заедно знаем повече."
        "\n\nМолим ви: отговорете на това съобщение и ни кажете как и кога е най-добре да се "
        "свържем с вас.\n\nС уважение,\n{school}",
    ),
    "uk": (
        "Ласкаво просимо до {school}",
        "Шановний/а {name},\n\nЛаскаво просимо до {school}! Цього року ми хочемо працювати разом "
        "з вами. Ви знаєте свою дитину найкраще, ми бачимо її в школі. Разом ми знаємо більше."
        "\n\nНаше прохання: дайте відповідь на це повідомлення і напишіть, як і коли з вами "
        "найкраще зв'язатися.\n\nЗ повагою,\n{school}",
    ),
}
WELCOME_REPEAT = {
    "nl": (
        "Nog even: hoe bereiken wij u?",
        "Beste {name},\n\nVorige week stuurden wij u een welkom van {school}. Wij horen graag "
        "hoe en wanneer wij u het best kunnen bereiken. Antwoord op dit bericht, of spreek de "
        "leerkracht aan op het schoolplein.\n\n{school}",
    ),
    "en": (
        "A quick reminder: how can we reach you?",
        "Dear {name},\n\nLast week {school} sent you a welcome. We would like to know how and "
        "when we can best reach you. Reply to this message, or talk to the teacher in the "
        "schoolyard.\n\n{school}",
    ),
    "ar": (
        "تذكير: كيف يمكننا التواصل معكم؟",
        "عزيزي/عزيزتي {name}،\n\nفي الأسبوع الماضي أرسلت لكم {school} رسالة ترحيب. نريد أن نعرف "
        "كيف ومتى يمكننا التواصل معكم. ردّوا على هذه الرسالة، أو تحدثوا مع المعلم في ساحة "
        "المدرسة.\n\n{school}",
    ),
    "tr": (
        "Kısa bir hatırlatma: size nasıl ulaşabiliriz?",
        "Sayın {name},\n\nGeçen hafta {school} size bir hoş geldiniz mesajı gönderdi. Size nasıl "
        "ve ne zaman ulaşabileceğimizi bilmek istiyoruz. Bu mesajı yanıtlayın veya okul "
        "bahçesinde öğretmenle konuşun.\n\n{school}",
    ),
    "pl": (
        "Przypomnienie: jak możemy się z Państwem skontaktować?",
        "Szanowni Państwo, {name},\n\nW zeszłym tygodniu {school} wysłała Państwu powitanie. "
        "Chcemy wiedzieć, jak i kiedy najlepiej się z Państwem skontaktować. Proszę odpowiedzieć "
        "na tę wiadomość albo porozmawiać z nauczycielem na szkolnym podwórku.\n\n{school}",
    ),
    "bg": (
        "Напомняне: как да се свържем с вас?",
        "Уважаеми/а {name},\n\nМиналата седмица {school} ви изпрати поздрав. Искаме да знаем как "
        "и кога е най-добре да се свържем с вас. Отговорете на това съобщение или говорете с "
        "учителя в училищния двор.\n\n{school}",
    ),
    "uk": (
        "Нагадування: як з вами зв'язатися?",
        "Шановний/а {name},\n\nМинулого тижня {school} надіслала вам привітання. Ми хочемо знати, "
        "як і коли з вами найкраще зв'язатися. Дайте відповідь на це повідомлення або поговоріть "
        "з учителем на шкільному подвір'ї.\n\n{school}",
    ),
}


def _eligible(year, guardian_ids=None):
    """(school, guardian) pairs: a guardian who may receive information about a child enrolled
    at the school this year. Blocked access or no information right means no message."""
    links = PupilGuardian.objects.filter(
        pupil__enrolments__school_year=year,
        pupil__left_on__isnull=True,
        access_blocked_reason="",
        information_right__in=VISIBLE_RIGHTS,
    )
    if guardian_ids is not None:
        links = links.filter(guardian_id__in=guardian_ids)
    return links.values_list(
        "pupil__school_id",
        "pupil__school__name",
        "pupil__school__holiday_region",
        "guardian_id",
        "guardian__first_name",
        "guardian__infix",
        "guardian__last_name",
        "guardian__email",
        "guardian__phone",
        "guardian__language",
    ).distinct()


def _address(email, phone):
    if email:
        return "email", email
    if phone:
        return "sms", phone
    return "email", ""


class WelcomeRule(Rule):
    name = "parents.welcome"
    label = "Welkom aan het begin van het schooljaar"
    audience = "parents"
    texts = WELCOME

    def _year(self, now):
        from schools.models import SchoolYear

        return SchoolYear.for_date(now.astimezone(AMSTERDAM).date())

    def due_at(self, *, region, year, now, school_id, guardian_id, sent):
        return start_of_year_moment(region, year, now)

    def sent_before(self, year):
        return {}

    def due(self, now):
        year = self._year(now)
        rows = list(_eligible(year))
        reply_to = responsible_emails({r[0] for r in rows}, ["ouder_coordinator", "director"])
        sent = self.sent_before(year)
        for school_id, school, region, guardian_id, first, infix, last, email, phone, lang in rows:
            due_at = self.due_at(
                region=region,
                year=year,
                now=now,
                school_id=school_id,
                guardian_id=guardian_id,
                sent=sent,
            )
            if due_at is None or due_at > now:
                continue
            language = lang if lang in self.texts else "nl"
            subject, body = self.texts[language]
            name = " ".join(part for part in (first, infix, last) if part)
            channel, address = _address(email, phone)
            yield Item(
                object_ref=f"schools.school:{school_id}",
                recipient_key=f"parents.guardian:{guardian_id}",
                occurrence=year.label,
                school_id=school_id,
                recipient_name=name,
                address=address,
                channel=channel,
                language=language,
                subject=subject.format(school=school, name=name),
                body=body.format(school=school, name=name),
                due_at=due_at,
                sender_name=school,
                reply_to=reply_to.get(school_id, ""),
            )

    def recheck(self, reminders):
        """Still a guardian with information rights at this school? Same address?"""
        from schools.models import SchoolYear

        current = {}
        for year in SchoolYear.objects.filter(label__in={r.occurrence for r in reminders}):
            guardian_ids = {
                int(r.recipient_key.split(":")[1]) for r in reminders if r.occurrence == year.label
            }
            for row in _eligible(year, guardian_ids):
                key = (year.label, f"schools.school:{row[0]}", f"parents.guardian:{row[3]}")
                current[key] = _address(row[7], row[8])
        verdicts = {}
        for reminder in reminders:
            found = current.get((reminder.occurrence, reminder.object_ref, reminder.recipient_key))
            if found is None:
                verdicts[reminder.pk] = Verdict.cancel(
                    "Geen kind meer op school, of geen recht op informatie."
                )
            elif not found[1]:
                verdicts[reminder.pk] = Verdict.cancel("Geen e-mailadres of telefoonnummer meer.")
            elif found != (reminder.channel, reminder.address):
                verdicts[reminder.pk] = Verdict.send_to(found[1], channel=found[0])
        return verdicts


class WelcomeRepeatRule(WelcomeRule):
    """A week after the welcome went out, a short reminder of the one question."""

    name = "parents.welcome_repeat"
    label = "Herhaling van het welkom, een week later"
    texts = WELCOME_REPEAT

    def sent_before(self, year):
        return queries.sent_at(WelcomeRule.name, year.label)

    def due_at(self, *, region, year, now, school_id, guardian_id, sent):
        sent_at = sent.get((f"schools.school:{school_id}", f"parents.guardian:{guardian_id}"))
        return sent_at + REPEAT_AFTER if sent_at else None
