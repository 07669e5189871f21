# statecraft.infra: build, test and try the collection.
# `make test` is the test command (CI runs it through .ci/run); see README.md.

PYTHON      ?= python3.11
VENV        ?= .venv
BIN         := $(VENV)/bin
BUILD       := build
COLL_ROOT   := $(BUILD)/collections
COLL        := $(COLL_ROOT)/ansible_collections/statecraft/infra
HARNESS     := $(PYTHON) tests/harness/nautobot_harness.py
PYTEST_ARGS ?=
# the release tools (requirements-release.txt), apart from the tests' virtualenv
RELEASE_VENV ?= .venv-release
RELEASE_BIN := $(RELEASE_VENV)/bin
# the version, from galaxy.yml alone
VERSION     := $(shell sed -n 's/^version: *//p' galaxy.yml)
TARBALL     := $(BUILD)/statecraft-infra-$(VERSION).tar.gz
# the Nautobot series the integration tests run against (each its own instance; see tests/harness/README.md)
NAUTOBOT_VERSIONS ?= 3.2 2.4

export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(COLL_ROOT)

.PHONY: help venv collection sanity units emulators integration test nautobot-up nautobot-down \
        nautobot-env air-sandbox cyclecloud-sandbox airbyte-sandbox cloudcix-sandbox example bench build changelog clean \
        release-venv lint galaxy-check docs docs-lint demo

help:
	@echo "make test           sanity + unit + integration tests (starts a local Nautobot)"
	@echo "make demo           the whole collection: a real Nautobot and the four sandboxes, each platform's"
	@echo "                    example run twice and in check mode, a summary (DEMO_ARGS=--only air,... --keep)"
	@echo "make example        run examples/nautobot_fabric.yml against a local Nautobot"
	@echo "make nautobot-up    start PostgreSQL, Redis, Nautobot and a Celery worker on loopback, for each"
	@echo "                    of NAUTOBOT_VERSIONS (default: 3.2 2.4; cached)"
	@echo "make nautobot-down  stop everything nautobot-up started (NAUTOBOT_VERSIONS)"
	@echo "make air-sandbox    serve the NVIDIA Air emulator on http://127.0.0.1:8280 (AIR_SANDBOX_PORT)"
	@echo "make cyclecloud-sandbox  serve the Azure CycleCloud emulator on http://127.0.0.1:8380 (CYCLECLOUD_SANDBOX_PORT)"
	@echo "make airbyte-sandbox  serve the Airbyte API emulator on http://127.0.0.1:8480 (AIRBYTE_SANDBOX_PORT)"
	@echo "make cloudcix-sandbox  serve the CloudCIX API emulator on http://127.0.0.1:8580 (CLOUDCIX_SANDBOX_PORT)"
	@echo "make bench          time 20/200/1,000 looped and bulk devices (module vs in-process) and the inventory of"
	@echo "                    1,000 devices (BENCH_PATHS=inventory: that alone); ANCHOR=<tarball> adds the anchor"
	@echo "make build          ansible-galaxy collection build into build/"

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@# nv-air-sdk ships the package air_sdk, as air-sdk does: apart, for tests/emulators/test_air_v3_sdk.py
	$(BIN)/pip install --quiet --no-deps --upgrade --target $(VENV)/nv-air-sdk $$(sed -n 's/^# apart: //p' requirements-dev.txt)
	touch $@

# ansible-test and ansible-playbook want the collection under ansible_collections/<ns>/<name>:
# copy the tracked (and new, not ignored) files there
collection:
	@rm -rf $(COLL) && mkdir -p $(COLL)
	@git ls-files -co --exclude-standard -z | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C $(COLL)
	@# ansible-test finds its targets with git
	@cd $(COLL) && git init -q && git add -A

# ansible-test fetches a pip bootstrap script from a host outside the package registries:
# give it a local stand-in (tests/sanity/get_pip_bootstrap.py) under the name it caches
sanity: venv collection
	@pip_version=$$($(BIN)/python -c "import re,ansible_test,os; p=os.path.join(os.path.dirname(ansible_test.__file__),'_internal','python_requirements.py'); print(re.search(r\"pip='([0-9.]+)'\", open(p).read()).group(1))") && \
	  mkdir -p $(HOME)/.ansible/test/cache && \
	  cp tests/sanity/get_pip_bootstrap.py $(HOME)/.ansible/test/cache/get_pip_$$(echo $$pip_version | tr . _).py
	cd $(COLL) && $(CURDIR)/$(BIN)/ansible-test sanity --python 3.11 --requirements --color no $(SANITY_ARGS)

# pytest runs from the repo root: pytest-ansible sees galaxy.yml and puts the collection
# on the import path (a git-ignored collections/ symlink tree)
units: venv
	$(BIN)/python -m pytest -q tests/unit $(PYTEST_ARGS)

# the emulators of the hosted platforms, checked with each vendor's own SDK
emulators: venv
	$(BIN)/python -m pytest -q tests/emulators $(PYTEST_ARGS)

AIR_SANDBOX_PORT ?= 8280
air-sandbox:
	$(PYTHON) tests/emulators/air_emulator.py --host 127.0.0.1 --port $(AIR_SANDBOX_PORT)

CYCLECLOUD_SANDBOX_PORT ?= 8380
cyclecloud-sandbox:
	$(PYTHON) tests/emulators/cyclecloud_emulator.py --host 127.0.0.1 --port $(CYCLECLOUD_SANDBOX_PORT)

AIRBYTE_SANDBOX_PORT ?= 8480
airbyte-sandbox: venv
	$(BIN)/python tests/emulators/airbyte_emulator.py --host 127.0.0.1 --port $(AIRBYTE_SANDBOX_PORT)

CLOUDCIX_SANDBOX_PORT ?= 8580
cloudcix-sandbox:
	$(PYTHON) tests/emulators/cloudcix_emulator.py --host 127.0.0.1 --port $(CLOUDCIX_SANDBOX_PORT)

nautobot-up:
	@set -e; for version in $(NAUTOBOT_VERSIONS); do $(HARNESS) up --nautobot $$version; done

nautobot-down:
	@set -e; for version in $(NAUTOBOT_VERSIONS); do $(HARNESS) down --nautobot $$version; done

# the exports of the default instance (3.2); `$(HARNESS) env --nautobot 2.4` for the other
nautobot-env:
	@$(HARNESS) env

# the tests of a series left out of NAUTOBOT_VERSIONS are skipped. Two xdist workers: the
# tests that reach Nautobot stay together in one, in order (tests/integration/conftest.py);
# the hosted platforms' tests run in the other (INTEGRATION_WORKERS=0: all in one process)
INTEGRATION_WORKERS ?= 2
integration: venv nautobot-up
	STATECRAFT_NAUTOBOT_VERSIONS="$(NAUTOBOT_VERSIONS)" $(BIN)/python -m pytest -q tests/integration \
	  -n $(INTEGRATION_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: sanity units changelog lint docs-lint galaxy-check emulators integration

# the whole collection at work (tests/demo/demo.py): starts a real Nautobot (unless one runs)
# and the NVIDIA Air, CycleCloud, Airbyte and CloudCIX sandboxes, runs each platform's example
# playbook twice (the second changes nothing) and in check mode, prints a summary, and stops
# what it started
DEMO_ARGS ?=
demo: venv collection
	$(BIN)/python tests/demo/demo.py $(DEMO_ARGS)

example: venv collection
	$(HARNESS) up
	eval "$$($(HARNESS) env)" && export NAUTOBOT_URL NAUTOBOT_TOKEN && \
	  ANSIBLE_CONFIG=tests/integration/ansible.cfg $(BIN)/ansible-playbook examples/nautobot_fabric.yml

# figures only, never part of `make test`; knobs: BENCH_SIZES, BENCH_PATHS (module, inprocess, bulk, inventory),
# BENCH_EMULATORS, ANCHOR=<tarball>
# (see tests/bench/bench.py)
bench: venv collection
	$(HARNESS) up
	ANCHOR="$(ANCHOR)" $(BIN)/python tests/bench/bench.py

build: collection
	cd $(BUILD) && ../$(BIN)/ansible-galaxy collection build --force ../$(COLL)
	@ls -l $(TARBALL)

release-venv: $(RELEASE_VENV)/.installed
$(RELEASE_VENV)/.installed: requirements-release.txt
	$(PYTHON) -m venv $(RELEASE_VENV)
	$(RELEASE_BIN)/pip install --quiet --upgrade pip
	$(RELEASE_BIN)/pip install --quiet -r requirements-release.txt
	touch $@

# ansible-lint at the production profile (.ansible-lint, offline) on what users run and copy
lint: release-venv collection
	PATH=$(CURDIR)/$(RELEASE_BIN):$$PATH $(RELEASE_BIN)/ansible-lint roles/ examples/ playbooks/ extensions/

# the documentation site: antsibull-docs writes the Sphinx project (every module, role and
# plugin page, and the guides of docs/docsite/), Sphinx builds it. Intersphinx reads a local
# inventory of the docs.ansible.com labels the pages use (no network here)
DOCS := $(BUILD)/docs
docs: release-venv collection
	rm -rf $(DOCS) && mkdir -p $(DOCS) && chmod 755 $(DOCS)
	PATH=$(CURDIR)/$(RELEASE_BIN):$$PATH $(RELEASE_BIN)/antsibull-docs sphinx-init --use-current --squash-hierarchy \
	  --lenient --fail-on-error --dest-dir $(DOCS) --project statecraft.infra --title statecraft.infra statecraft.infra
	$(RELEASE_BIN)/python tests/docsite/ansible_devel_inventory.py $(DOCS)/ansible_devel.inv
	echo "intersphinx_mapping = {'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', '$(CURDIR)/$(DOCS)/ansible_devel.inv')}" \
	  >> $(DOCS)/conf.py
	cd $(DOCS) && PATH=$(CURDIR)/$(RELEASE_BIN):$$PATH ./build.sh
	@echo "the site: $(DOCS)/build/html/index.html"

# the plugin, module and role docs and the guides, as antsibull-docs reads them
docs-lint: release-venv collection
	cd $(COLL) && PATH=$(CURDIR)/$(RELEASE_BIN):$$PATH $(CURDIR)/$(RELEASE_BIN)/antsibull-docs lint-collection-docs \
	  --plugin-docs --check-extra-docs-refs .

# Galaxy's importer on the built tarball, as Galaxy runs it (tests/galaxy-importer.cfg):
# any WARNING or ERROR in its log fails the target
galaxy-check: release-venv build
	@mkdir -p $(BUILD)/galaxy-check
	cd $(BUILD)/galaxy-check && GALAXY_IMPORTER_CONFIG=$(CURDIR)/tests/galaxy-importer.cfg \
	  PATH=$(CURDIR)/$(RELEASE_BIN):$$PATH $(CURDIR)/$(RELEASE_BIN)/python -m galaxy_importer.main \
	  $(CURDIR)/$(TARBALL) > importer.log 2>&1; status=$$?; cat importer.log; \
	  if [ $$status -ne 0 ] || grep -E "WARNING|ERROR" importer.log; then echo "galaxy-importer: not clean"; exit 1; fi

# the fragments the next release is generated from (changelogs/fragments/), checked as they land
changelog: venv
	$(BIN)/antsibull-changelog lint

clean:
	rm -rf $(BUILD) tests/output
