"""The few words ``reminders`` adds to every message itself, in each parent language (B1)."""

STOP = {
    "nl": "Wilt u dit soort berichten niet meer krijgen? Klik hier",
    "en": "Don't want these messages any more? Click here",
    "ar": "لا تريد هذه الرسائل بعد الآن؟ اضغط هنا",
    "tr": "Bu mesajları artık almak istemiyor musunuz? Buraya tıklayın",
    "pl": "Nie chcesz już tych wiadomości? Kliknij tutaj",
    "bg": "Не искате повече такива съобщения? Натиснете тук",
    "uk": "Не хочете більше отримувати такі повідомлення? Натисніть тут",
}
DIGEST_SUBJECT = {
    "nl": "Uw herinneringen van vandaag ({count})",
    "en": "Your reminders for today ({count})",
}


def text(table, language):
    return table.get(language) or table["nl"]


# The page behind the stop link: (question, button, done), in the language of the message.
STOP_PAGE = {
    "nl": (
        "Wilt u dit soort berichten van de school niet meer krijgen?",
        "Ja, stop deze berichten",
        "Gelukt. U krijgt dit soort berichten niet meer.",
    ),
    "en": (
        "Do you no longer want this kind of message from the school?",
        "Yes, stop these messages",
        "Done. You will not get this kind of message any more.",
    ),
    "ar": (
        "هل لا تريد هذا النوع من رسائل المدرسة بعد الآن؟",
        "نعم، أوقف هذه الرسائل",
        "تم. لن تصلك هذه الرسائل بعد الآن.",
    ),
    "tr": (
        "Okuldan bu tür mesajları artık almak istemiyor musunuz?",
        "Evet, bu mesajları durdur",
        "Tamam. Bu tür mesajları artık almayacaksınız.",
    ),
    "pl": (
        "Nie chcesz już dostawać takich wiadomości ze szkoły?",
        "Tak, zatrzymaj te wiadomości",
        "Gotowe. Nie dostaniesz już takich wiadomości.",
    ),
    "bg": (
        "Не искате ли повече такива съобщения от училището?",
        "Да, спрете тези съобщения",
        "Готово. Няма да получавате повече такива съобщения.",
    ),
    "uk": (
        "Ви більше не хочете отримувати такі повідомлення від школи?",
        "Так, зупинити ці повідомлення",
        "Готово. Ви більше не отримуватимете таких повідомлень.",
    ),
}
