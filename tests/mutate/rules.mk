# SPDX-License-Identifier: ISC
# tests/mutate/rules.mk - `make mutate`: mutation testing of the modules
# that change machines (scripts/mutate).  Not part of `make check`: a run
# takes about half an hour on two cores, so it runs niced.
#   make mutate                          every declared file, sampled
#   make mutate MUTATE_FILES=src/core/apply.c MUTATE_SEED=7 MUTATE_MAX=0
.PHONY: mutate
MUTATE_FILES ?=
mutate: deps-test
	@nice -n 10 scripts/mutate $(MUTATE_FILES)
