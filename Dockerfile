FROM python:3.11-slim-bookworm

# WeasyPrint renders PDFs with pango/harfbuzz; DejaVu gives it fonts with Polish glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KAM_VAR_DIR=/var/lib/kam_crm
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py compile_catalogues \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input -v0 \
    && useradd --system --home-dir /var/lib/kam_crm --create-home kam \
    && mkdir -p /var/lib/kam_crm/media \
    && chown -R kam /var/lib/kam_crm
USER kam
EXPOSE 8000
CMD ["gunicorn", "kam_crm.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
