# SPDX-License-Identifier: ISC
# tests/safe/rules.mk - issue 8's promise under kill -9, concurrent runs and
# forged input (`make safe`, part of `make check`).  Included by the Makefile.
.PHONY: safe
safe: $(B)/cmremedy
	@tests/safe/run $(B)/cmremedy

CHECK_TARGETS += safe
