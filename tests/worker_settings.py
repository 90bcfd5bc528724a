"""Settings for a real Celery worker started by a test that must see the e-mails it sends:
each one is appended to the file named by KAM_TEST_MAIL_LOG, and one to an address with
"bounce" in it fails as an SMTP server would refuse it."""

from kam_crm.settings_test import *  # noqa: F403

EMAIL_BACKEND = "tests.mail_backends.FileOrBounceBackend"
