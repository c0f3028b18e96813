# SPDX-License-Identifier: ISC
# tests/cert/rules.mk - end-to-end tests of `cmremedy certcheck` on
# certificates Debian's openssl makes at test time (tests/cert/mkcerts),
# driven through the ASan+UBSan build.
.PHONY: cert-e2e
cert-e2e: $(BA)/cmremedy
	@tests/cert/run $(BA)/cmremedy

CHECK_TARGETS += cert-e2e
