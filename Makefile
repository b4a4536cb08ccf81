.PHONY: run test lint bench docs i18n

run:  ## the demo database served on http://localhost:8069
	@bash scripts/run.sh

test:  ## every test in a throwaway database
	@bash scripts/test.sh

lint:  ## OCA's pre-commit checks (ruff, pylint-odoo, prettier, manifests, READMEs)
	@bash scripts/lint.sh

bench:  ## benchmarks in throwaway databases (BENCH_ARGS="--contracts 10000")
	@bash scripts/bench.sh $(BENCH_ARGS)

docs:  ## the screenshots of docs/user-guide.md, from the demo database
	@bash scripts/docs.sh

i18n:  ## translation templates exported again, each language's .po updated
	@bash scripts/i18n.sh
