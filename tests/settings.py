"""Test settings: the production settings with test-only speedups."""

import os

os.environ.setdefault("PROFDEV_TESTING", "1")

from profdev.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
