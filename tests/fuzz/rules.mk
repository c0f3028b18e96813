# SPDX-License-Identifier: ISC
# tests/fuzz/rules.mk - libFuzzer targets, one per parser, built with clang
# under ASan+UBSan into build/fuzz/ from the library sources (LIB_SRC)
# compiled again.
#   make fuzz                 each target for FUZZ_SECONDS (default 60)
#   make fuzz-smoke           each for FUZZ_SMOKE_SECONDS (default 5); part
#                             of `make check`
#   make build/fuzz/fuzz_iis  one target; run it by hand on a corpus folder
# Seeds are the hand-written fixtures; the working corpus grows under
# build/fuzz/corpus/NAME, never in the source tree.  A crash leaves its
# input as build/fuzz/crash-* (reproduce: build/fuzz/fuzz_NAME FILE).
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FZ = $(B)/fuzz
# -Werror is gcc's job (the normal build); clang only has to compile.
FUZZ_CFLAGS = $(filter-out -Werror,$(CSTD)) -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	$(PKG_CFLAGS)

FUZZ_TARGETS = cmtrace legacy iis detect time
FUZZ_SEEDS_cmtrace = $(wildcard tests/data/diag/LocationServices*.log \
	tests/data/diag/CcmMessaging*.log tests/data/diag/truncated.log)
FUZZ_SEEDS_legacy = $(wildcard tests/data/diag/SMS_Cloud_ProxyConnector*)
FUZZ_SEEDS_iis = $(wildcard tests/data/diag/u_ex*.log \
	tests/data/diag/LogFiles/W3SVC1/*.log)
FUZZ_SEEDS_detect = $(wildcard tests/data/diag/*.log tests/data/diag/*.lo_)
FUZZ_SEEDS_time = $(wildcard tests/fuzz/seeds/time/*)
# The .reg and profile readers come from other branches: fuzz them once
# they are there.
ifneq ($(wildcard src/reg/regfile.c),)
FUZZ_TARGETS += regfile
FUZZ_SEEDS_regfile = $(wildcard tests/fuzz/seeds/regfile/* \
	tests/data/regfile/*.reg)
endif
ifneq ($(wildcard src/core/profile.c),)
FUZZ_TARGETS += profile
FUZZ_SEEDS_profile = $(wildcard tests/fuzz/seeds/profile/* \
	tests/data/profile/*.ini)
endif

FUZZ_TARGETS += simsvc report
FUZZ_SEEDS_report = $(wildcard tests/data/report/*.json \
	tests/fuzz/seeds/report/*)
FUZZ_SEEDS_simsvc = $(wildcard tests/data/sim/*/services.ini \
	tests/fuzz/seeds/simsvc/*)

FUZZ_OBJ = $(LIB_SRC:src/%.c=$(FZ)/obj/%.o)
FUZZ_BIN = $(FUZZ_TARGETS:%=$(FZ)/fuzz_%)

$(FZ)/obj/%.o: src/%.c $(SRC_H)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc -fsanitize=fuzzer-no-link \
	    -DCM_VERSION='"$(VERSION)"' -c -o $@ $<
# An archive, so that a target links only the objects it needs.
$(FZ)/libcmremedy.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^
$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FZ)/libcmremedy.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< \
	    $(FZ)/libcmremedy.a $(PKG_LIBS)

# fuzz-run-NAME: seed build/fuzz/corpus/NAME, then fuzz for FUZZ_TIME s.
FUZZ_TIME ?= $(FUZZ_SECONDS)
fuzz-run-%: $(FZ)/fuzz_%
	@mkdir -p $(FZ)/corpus/$*
	@cp $(FUZZ_SEEDS_$*) $(FZ)/corpus/$*/ 2>/dev/null || true
	@echo "fuzz: $* for $(FUZZ_TIME) s"
	@cd $(FZ) && ./fuzz_$* -max_total_time=$(FUZZ_TIME) -timeout=10 \
	    -rss_limit_mb=1024 -print_final_stats=0 corpus/$* 2>fuzz_$*.log \
	    || { tail -n 40 fuzz_$*.log; exit 1; }
	@grep -E '^(#[0-9]+ +DONE|Done)' $(FZ)/fuzz_$*.log | tail -n 1 || true

# For scripts/bench-fuzz: the targets, and one target's seed files.
.PHONY: fuzz fuzz-smoke fuzz-bin fuzz-list
fuzz-bin: $(FUZZ_BIN)
fuzz-list:
	@echo $(FUZZ_TARGETS)
fuzz-seeds-%:
	@echo $(FUZZ_SEEDS_$*)
fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	    $(MAKE) --no-print-directory fuzz-run-$$t \
	        FUZZ_TIME=$(FUZZ_SECONDS) || exit 1; done
fuzz-smoke: $(FUZZ_BIN)
	@p=0; f=0; for t in $(FUZZ_TARGETS); do \
	    if $(MAKE) --no-print-directory fuzz-run-$$t \
	        FUZZ_TIME=$(FUZZ_SMOKE_SECONDS); then p=$$((p + 1)); \
	    else f=$$((f + 1)); fi; done; \
	    echo "fuzz-smoke: $$p passed, $$f failed"; [ $$f -eq 0 ]

CHECK_TARGETS += fuzz-smoke
