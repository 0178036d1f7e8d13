"""The WSGI application (gunicorn): it runs the system checks first, as `manage.py` commands
do, so that a misconfigured production refuses to start with the checks' Russian messages."""

import os

from django.core.checks import ERROR, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profdev.settings")
application = get_wsgi_application()
errors = [message for message in run_checks() if message.level >= ERROR]
if errors:
    raise ImproperlyConfigured("\n".join(str(message) for message in errors))
