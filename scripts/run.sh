#!/usr/bin/env bash
# `make run`: migrate, load demo data into an empty database, then serve the app on
# http://127.0.0.1:8000 (or $RUN_ADDR) with a Celery worker and beat beside it. Without REDIS_URL the worker
# uses kombu's filesystem transport under var/broker, so no extra server is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
PY=.venv/bin/python
mkdir -p var

$PY manage.py compile_catalogues  # Polish .mo from the .po, with polib (no gettext needed)
$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo --if-empty

# The schedule file only remembers when each periodic task last ran; a worker killed while
# writing it leaves a file beat cannot read (and beat then dies quietly), so start afresh.
rm -f var/celerybeat-schedule var/celerybeat-schedule.*
.venv/bin/celery -A kam_crm worker --beat --pool=solo --loglevel=INFO \
  --schedule=var/celerybeat-schedule --pidfile= >var/celery.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true; wait $WORKER 2>/dev/null || true' EXIT INT TERM

echo "Background jobs: Celery worker + beat (pid $WORKER, log var/celery.log)."
RUN_ADDR="${RUN_ADDR:-127.0.0.1:8000}"
echo "Open http://${RUN_ADDR} (demo logins in README.md, password: demo)."
$PY manage.py runserver "$RUN_ADDR"
