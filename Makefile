# Everything a fresh clone needs: `make demo` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: venv test lint typecheck unit demo browser postgres bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,spark,plan,serve,lsp,browser]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

venv: $(STAMP)

# Debian's Chromium for the browser tests of the rendered documents (root on CI and dev machines).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will fail in CI"; }

# Debian's PostgreSQL server binaries: tests/test_sql.py runs the printed postgres SQL on a throwaway
# cluster it starts itself (skipped, with a warning here, where they cannot be installed).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing postgresql for the SQL tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	  || echo "warning: could not install postgresql; the PostgreSQL SQL tests will be skipped"; }

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: venv
	$(BIN)/mypy

# two workers (pytest-xdist): the machine's two cores; PYTEST_ARGS="-n 0" runs in one process
unit: venv browser postgres
	$(BIN)/pytest -n 2 --durations=25 $(PYTEST_ARGS)

test: lint typecheck unit

demo: venv
	@echo "== lint the bundled rules"; $(BIN)/asnrules lint rules/
	@echo; echo "== run the drafters' examples"; $(BIN)/asnrules test rules/
	@echo; echo "== evaluate: admin unit in Jakarta during the ASEAN summit, 6 of 10 working from home"
	$(BIN)/asnrules eval rules/ --lang en --date 2023-08-30 --region DKI admin:WFH=6 admin:WFO=4 health:WFO=3
	@echo; echo "== the same in Indonesian, 5 of 10 at home (exactly 50%)"
	$(BIN)/asnrules eval rules/ --date 2023-08-30 --region Jakarta --lang id admin:WFH=5 admin:WFO=5
	@echo; echo "== after Idul Fitri 1445 H, nationwide: a hospital with one nurse at home"
	$(BIN)/asnrules eval rules/ --date 2024-04-16 --region Bali health:WFO=19 health:WFH=1
	@echo; echo "== render the policy documents into docs/circulars/ (Indonesian and English)"
	rm -rf docs/circulars/id docs/circulars/en
	$(BIN)/asnrules render rules/ --lang id -o docs/circulars/id
	$(BIN)/asnrules render rules/ --lang en -o docs/circulars/en
	@echo; echo "== the main job: audit 200,000 generated attendance records against rules/"
	@echo "   (the ASEAN Summit weeks of 2023, after Idul Fitri 2024, and BKN's weekly scheme from 21 April 2025)"
	$(BIN)/python -m asnrules.datagen --rows 200000 --out sample/attendance.parquet \
	  --period 2023-08-21:2023-09-15 --period 2024-04-15:2024-04-19 --period 2025-04-14:2025-05-16
	@echo "   (with each employee's weeks: Perpres 21/2023's 37.5 hours, BKN's 2 WFA + 3 WFO; LANGUAGE.md §12)"
	$(BIN)/asnrules audit rules/ sample/attendance.parquet --out sample/violations.csv --rejects sample/rejects.csv \
	  --windows sample/windows.csv
	@echo; echo "== the first employee-window violations (sample/windows.csv)"
	head -n 6 sample/windows.csv
	@echo; echo "== one employee from Python, RuleSet.check_employee (asnrules test above ran the employee examples)"
	$(BIN)/python docs/examples/check_employee.py
	@echo; echo "== the PPK's task: what is in force in Jakarta on 30 August 2023, and what a unit may do"
	$(BIN)/asnrules in-force rules/ --date 2023-08-30 --region DKI
	$(BIN)/asnrules capacity rules/ --date 2023-08-30 --region DKI admin=40 health=12
	@echo; echo "== a roster for a 20-person unit over the summit (generated staff: teams, leave, 3 who stay in the office)"
	$(BIN)/python -m asnrules.staffgen --staff 20 --seed 1 --from 2023-08-28 --to 2023-09-07 --out sample/staff.csv
	$(BIN)/asnrules plan rules/ sample/staff.csv --from 2023-08-28 --to 2023-09-07 --region DKI \
	  -o sample/roster.csv --html sample/roster.html --memo sample/memo.md
	@echo; echo "== the roster through the audit (--strict: any violation fails the demo)"
	$(BIN)/asnrules audit rules/ sample/roster.csv --strict

# The benchmarks print ratios against baselines measured in the same run (README: Benchmarks).
bench: venv
	$(BIN)/python -m pip install -q -e '.[bench]'
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .hypothesis sample
