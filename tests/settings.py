"""Test settings: the production settings with test-only speedups."""

import os

os.environ.setdefault("PROFDEV_TESTING", "1")

from profdev.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False

# Jobs run at once, inside the test (tests of the worker itself start `db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
