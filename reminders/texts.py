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
