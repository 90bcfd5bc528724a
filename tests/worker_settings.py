"""Settings for a real Celery worker started by a test that must see the e-mails it sends:
each one is appended to the file named by KAM_TEST_MAIL_LOG, and one to an address with
"bounce" in it fails as an SMTP server would refuse it. Tasks the worker queues itself go to
the test's own queue (KAM_TEST_QUEUE), so this worker and no other runs them."""

import os

from kam_crm.settings_test import *  # noqa: F403

EMAIL_BACKEND = "tests.mail_backends.FileOrBounceBackend"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("KAM_TEST_QUEUE", "celery")
