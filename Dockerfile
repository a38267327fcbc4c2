# Production image for compose.yaml (web, worker and beat share it).
FROM python:3.13.9-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DJANGO_SETTINGS_MODULE=kubaeum.settings python manage.py collectstatic --noinput \
    && useradd --uid 10001 --create-home kubaeum
USER kubaeum
EXPOSE 8000
CMD ["gunicorn", "kubaeum.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]
