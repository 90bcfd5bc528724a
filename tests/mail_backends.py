"""An e-mail backend for tests run across processes (a real Celery worker)."""

import json
import os
import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class FileOrBounceBackend(BaseEmailBackend):
    """Appends each message as a JSON line to $KAM_TEST_MAIL_LOG; a message to an address
    containing "bounce" raises SMTPRecipientsRefused, as a real server refusing it would."""

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            if any("bounce" in address for address in message.recipients()):
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.recipients()))
            with open(os.environ["KAM_TEST_MAIL_LOG"], "a", encoding="utf-8") as log:
                log.write(json.dumps({"to": message.to, "subject": message.subject}) + "\n")
            sent += 1
        return sent
