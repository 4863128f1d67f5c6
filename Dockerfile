FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 STATIC_MANIFEST=1
WORKDIR /app

# Chromium prints the status reports to PDF (reports/pdf.py, run by the Celery worker); fonts with æ, ø, å.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium

COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --create-home app && mkdir -p /app/media && chown -R app /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "sundhedsaftale.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "60"]
