.PHONY: run test lint bench i18n

run:  ## the demo database served on http://localhost:8069
	@bash scripts/run.sh

test:  ## every test in a throwaway database
	@bash scripts/test.sh

lint:  ## ruff and pylint-odoo
	@bash scripts/lint.sh

bench:  ## benchmarks in throwaway databases (BENCH_ARGS="--contracts 10000")
	@bash scripts/bench.sh $(BENCH_ARGS)

i18n:  ## translation templates exported again, each language's .po updated
	@bash scripts/i18n.sh
