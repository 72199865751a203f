# The two commands of the README: `make run` and `make test`. Plus `make worker`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST_ARGS ?=

.PHONY: run test worker migrate messages bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed-runtime

messages: $(VENV)/.installed-runtime
	$(PY) manage.py compile_translations

migrate: messages
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py createcachetable
	@echo "Database ready."

# The site with demo content on the embedded defaults (SQLite, jobs in-process, console email).
run: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole test suite. Uses DATABASE_URL and REDIS_URL when set (CI sets both).
test: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=participatie.settings.test $(PY) manage.py compile_translations
	$(PY) -m pytest $(PYTEST_ARGS)

# Background jobs: an RQ worker, and the scheduler that enqueues the apps' periodic jobs.
worker: migrate
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker" && exit 1)
	$(PY) manage.py participatie_scheduler & $(PY) manage.py rqworker default mail --with-scheduler

clean:
	rm -rf $(VENV) db.sqlite3 media static_collected
