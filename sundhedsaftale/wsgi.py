import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")
application = get_wsgi_application()

# Without DEBUG, no start without a secret key and a mail server (gunicorn reports the reason and exits).
from sundhedsaftale.production import production_check  # noqa: E402

production_check()
