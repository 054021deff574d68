"""The ways a reminder leaves the building: e-mail through Django's mail backends, SMS through a
small backend interface (a console backend, and an adapter for the CM.com HTTP gateway).

Every error a channel raises is sorted into transient (try again later: SMTP 4xx, a dropped or
refused connection, a gateway that is down) or permanent (SMTP 5xx, an address the gateway refuses).
"""

import json
import smtplib
import sys
import urllib.error
import urllib.request
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    def __init__(self, message, *, transient):
        super().__init__(message)
        self.transient = transient


def classify(exc):
    """A DeliveryError for any exception raised while sending."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        code = max(codes) if codes else 550
        return DeliveryError(f"SMTP {code}: adres geweigerd", transient=400 <= code < 500)
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return DeliveryError(
            f"SMTP {exc.smtp_code}: {message}"[:300], transient=400 <= exc.smtp_code < 500
        )
    if isinstance(exc, ValueError | UnicodeError):  # an address the mail library cannot parse
        return DeliveryError(f"Ongeldig adres: {exc}"[:300], transient=False)
    if isinstance(exc, OSError):  # includes SMTPServerDisconnected and refused connections
        return DeliveryError(f"Verbinding mislukt: {type(exc).__name__}", transient=True)
    return DeliveryError(f"Onverwachte fout: {type(exc).__name__}", transient=True)


def is_connection_error(exc):
    return isinstance(exc, OSError) and not isinstance(
        exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused
    )


def is_outage(exc):
    """The mail server, not one address, is failing: a lost or refused connection, 421 (service
    not available) anywhere, or a 4xx to the message as a whole. A 4xx for one recipient
    (greylisting, a full mailbox) is about that address only."""
    if is_connection_error(exc):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return False


def build_email(*, reminder_id, address, subject, body, html_body, sender_name, reply_to):
    """The message for one outbox row. Its Message-ID is the row's, so a receiving server or a
    mail provider can recognise a resend after a crash as the same message."""
    from_name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = from_address.rpartition("@")[2] or "schouder.local"
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=formataddr((sender_name or from_name, from_address)),
        to=[address],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "Message-ID": f"<reminder-{reminder_id}@{domain}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message


# --- SMS ------------------------------------------------------------------------------------------


class ConsoleSmsBackend:
    """Writes each text message to the console: for development and the demo."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to, body, reference):
        self.stream.write(f"SMS to {to} [{reference}]: {body}\n")


class OutboxSmsBackend:
    """Keeps each text message in ``OutboxSmsBackend.outbox``, like Django's locmem mail
    backend: for tests that read what was sent."""

    outbox = []

    def send(self, *, to, body, reference):
        self.outbox.append({"to": to, "body": body, "reference": reference})


class CmSmsBackend:
    """CM.com's business messaging gateway (JSON over HTTPS, one product token).

    Settings: ``SMS_GATEWAY_URL`` (default CM's endpoint), ``SMS_PRODUCT_TOKEN``, ``SMS_SENDER``.
    The reference is the outbox row id, so the gateway's delivery reports can be traced back.
    """

    default_url = "https://gw.messaging.cm.com/v1.0/message"

    def __init__(self, url=None, token=None, sender=None, timeout=10):
        self.url = url or getattr(settings, "SMS_GATEWAY_URL", "") or self.default_url
        self.token = token or getattr(settings, "SMS_PRODUCT_TOKEN", "")
        self.sender = sender or getattr(settings, "SMS_SENDER", "School")
        self.timeout = timeout

    def send(self, *, to, body, reference):
        payload = {
            "messages": {
                "authentication": {"producttoken": self.token},
                "msg": [
                    {
                        "from": self.sender[:11],
                        "to": [{"number": to}],
                        "body": {"type": "auto", "content": body},
                        "reference": reference,
                        "minimumNumberOfMessageParts": 1,
                        "maximumNumberOfMessageParts": 4,
                    }
                ],
            }
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            # 4xx from the gateway: the request (number, token) is wrong and stays wrong.
            detail = exc.read()[:200].decode(errors="replace")
            raise DeliveryError(
                f"SMS-gateway {exc.code}: {detail}", transient=exc.code >= 500 or exc.code == 429
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"SMS-gateway niet bereikbaar: {exc}", transient=True) from exc


def sendable_channels():
    """The channels Schouder can send reminders by: what a guardian may choose in the portal.
    E-mail always; text messages when an SMS backend is configured."""
    return ("email", "sms") if getattr(settings, "SMS_BACKEND", "") else ("email",)


def sms_backend():
    path = getattr(settings, "SMS_BACKEND", "reminders.channels.ConsoleSmsBackend")
    return import_string(path)()
