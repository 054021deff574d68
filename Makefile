# Schouder: `make run` starts everything on one machine, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DEBUG ?= 1
# Links in e-mails point at the port `make run` serves (partnership/run_all.py sets it too).
export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: install run test lint format bench messages clean

# Creates .venv and installs; does nothing when requirements.txt has not changed.
install: $(VENV)/.installed locale/.compiled

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Translations are compiled from the .po files by the build (no GNU gettext needed).
locale/.compiled: $(VENV)/.installed $(shell find locale -name '*.po' 2>/dev/null)
	$(PY) manage.py compile_translations
	touch $@

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) -m partnership.run_all --port $(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy
	$(PY) -m pytest

lint:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Figures as ratios against a floor measured in the same run (bench/<topic>_bench.py).
bench: install
	$(PY) manage.py migrate --noinput
	$(PY) -m bench

# Extract the Dutch source texts for translators (needs GNU gettext).
messages:
	$(PY) manage.py makemessages -l en -l ar -l tr -l pl -l bg -l uk --no-obsolete -i '.venv/*'

clean:
	rm -rf var staticfiles .pytest_cache
