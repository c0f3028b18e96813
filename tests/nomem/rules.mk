# SPDX-License-Identifier: ISC
# tests/nomem/rules.mk - allocation failures: the built cmremedy with one
# allocation made to fail (an LD_PRELOAD library, glibc only), for every
# allocation on the way from the command line to the first change.
.PHONY: nomem
$(B)/failalloc.so: tests/nomem/failalloc.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O2 -shared -fPIC -o $@ $<
nomem: $(B)/cmremedy $(B)/failalloc.so
	@tests/nomem/run $(B)/cmremedy $(B)/failalloc.so

CHECK_TARGETS += nomem
CHECK_BUILD += $(B)/failalloc.so
