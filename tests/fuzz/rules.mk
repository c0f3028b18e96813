# SPDX-License-Identifier: ISC
# tests/fuzz/rules.mk - libFuzzer targets, one per input cmremedy reads,
# built with clang under ASan+UBSan into build/fuzz/ from the library
# sources (LIB_SRC) compiled again.
#   make fuzz                 each target for FUZZ_SECONDS (default 60),
#                             two at a time
#   make fuzz-replay          every seed and kept input through its target
#                             once; part of `make check`
#   make fuzz-smoke           each for FUZZ_SMOKE_SECONDS (default 4); part
#                             of `make check`
#   make fuzz-corpus-NAME     fold what build/fuzz/corpus/NAME found into
#                             the kept corpus, minimised
#   make build/fuzz/fuzz_iis  one target; run it by hand on a corpus folder
#   scripts/bench-fuzz        executions a second, or a campaign (RUNS=N)
# Seeds are the hand-written fixtures.  The kept corpus,
# tests/fuzz/corpus/NAME, is what fuzzing found that reaches code the seeds
# do not, minimised by libFuzzer's -merge: make check replays it, so what
# fuzzing found stays found.  The working corpus grows under
# build/fuzz/corpus/NAME, never in the source tree.  A crash leaves its
# input as build/fuzz/crash-* (reproduce: build/fuzz/fuzz_NAME FILE); it
# goes into the kept corpus with its fix, named crash-*, which no
# re-minimisation drops.  "jansson allocated ... never freed" is a leak
# the JSON arena (fuzz_jsonmem.h) found: FUZZ_JSON_ASAN=1 on the same
# command shows where it was allocated.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 4
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
FUZZ_TARGETS += regfile profile
FUZZ_SEEDS_regfile = $(wildcard tests/fuzz/seeds/regfile/* \
	tests/data/regfile/*.reg)
FUZZ_SEEDS_profile = $(wildcard tests/fuzz/seeds/profile/* \
	tests/data/profile/*.ini)
FUZZ_TARGETS += simsvc report
FUZZ_SEEDS_report = $(wildcard tests/data/report/*.json \
	tests/fuzz/seeds/report/*)
FUZZ_SEEDS_simsvc = $(wildcard tests/data/sim/*/services.ini \
	tests/fuzz/seeds/simsvc/*)
FUZZ_TARGETS += policy journal cert
FUZZ_SEEDS_policy = $(wildcard tests/fuzz/seeds/policy/*)
FUZZ_SEEDS_journal = $(wildcard tests/fuzz/seeds/journal/*)
# Each cert seed is a flag byte (see fuzz_cert.c) and an openssl-made file
# without private keys (no key is ever committed, nor is a kept input that
# carries one: FUZZ_KEEP_cert below).  Campaigns (make fuzz,
# scripts/bench-fuzz) also start from what tests/cert/mkcerts makes, keys
# and PKCS#12 files with keys included, made afresh in build/fuzz/gen/cert
# (the password-protected ones behind flag 4, the roots behind flag 1).
FUZZ_SEEDS_cert = $(wildcard tests/fuzz/seeds/cert/*)
$(FZ)/gen/cert/.made: tests/cert/mkcerts
	@rm -rf $(FZ)/mkcerts $(@D) && mkdir -p $(@D)
	@tests/cert/mkcerts $(FZ)/mkcerts >/dev/null 2>&1
	@cd $(FZ)/mkcerts && for f in *.pem *.pfx *.der; do \
	    case $$f in secret.pfx|enckey.pem) b='\004' ;; \
	    *root*) b='\001' ;; *) b='\000' ;; esac; \
	    { printf "$$b"; cat "$$f"; } > ../gen/cert/"$$f"; done
	@touch $@
# Not for fuzz-smoke: make check keeps to the committed inputs and does
# not wait for mkcerts (cert-e2e runs it).
fuzz fuzz-seeds-cert: $(FZ)/gen/cert/.made

# Every input a target starts from, and replays in make check.
FUZZ_KEPT = tests/fuzz/corpus
fuzz_inputs = $(FUZZ_SEEDS_$(1)) $(wildcard $(FUZZ_KEPT)/$(1)/*)

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
# The report target runs revert's checks on the unit tests' in-memory
# machine.
FUZZ_MOCK = tests/unit/support/mock_backend.c
$(FZ)/fuzz_report: tests/fuzz/fuzz_report.c $(FUZZ_MOCK) \
    $(wildcard tests/fuzz/*.h) $(FZ)/libcmremedy.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -Itests/unit -o $@ \
	    $< $(FUZZ_MOCK) $(FZ)/libcmremedy.a $(PKG_LIBS)

# fuzz-run-NAME: seed build/fuzz/corpus/NAME, then fuzz for FUZZ_TIME s.
FUZZ_TIME ?= $(FUZZ_SECONDS)
fuzz-run-%: $(FZ)/fuzz_%
	@mkdir -p $(FZ)/corpus/$*
	@cp $(call fuzz_inputs,$*) $(wildcard $(FZ)/gen/$*/*) \
	    $(FZ)/corpus/$*/ 2>/dev/null || true
	@echo "fuzz: $* for $(FUZZ_TIME) s"
	@cd $(FZ) && ./fuzz_$* -max_total_time=$(FUZZ_TIME) -timeout=10 \
	    -rss_limit_mb=1024 -print_final_stats=0 corpus/$* 2>fuzz_$*.log \
	    || { tail -n 40 fuzz_$*.log; exit 1; }
	@grep -E '^(#[0-9]+ +DONE|Done)' $(FZ)/fuzz_$*.log | tail -n 1 || true

# fuzz-replay-NAME: each seed and kept input once, as a regression test.
fuzz-replay-%: $(FZ)/fuzz_%
	@set -- $(call fuzz_inputs,$*); \
	    if $(FZ)/fuzz_$* -rss_limit_mb=1024 -timeout=10 "$$@" \
	        >$(FZ)/replay_$*.log 2>&1; then \
	        echo "ok   $*: $$# inputs"; \
	    else tail -n 40 $(FZ)/replay_$*.log; echo "FAIL $*"; exit 1; fi

# fuzz-corpus-NAME: the kept corpus again, from itself and the working
# corpus, minimised; the seeds are taken as covered already, so that no
# input the seeds cover is kept twice.  Edges only (-use_counters=0): an
# input per new edge, not per new hit count, keeps the corpus a few
# hundred KB in all.  The crash-* inputs stay as they are (a crash fixed
# is a regression test, whatever else covers its code).  FUZZ_KEEP_NAME,
# where set, is a command that prints which of the files it is given may
# be kept at all.
FUZZ_KEEP_cert = scripts/fuzz-keyless $(FZ)/gen/cert
fuzz-corpus-cert: $(FZ)/gen/cert/.made
fuzz-corpus-%: $(FZ)/fuzz_%
	@rm -rf $(FZ)/merge/$* $(FZ)/cand/$* && mkdir -p $(FZ)/merge/$* \
	    $(FZ)/cand/$* $(FZ)/corpus/$* $(FUZZ_KEPT)/$*
	@for f in $(FUZZ_SEEDS_$*) $(wildcard $(FUZZ_KEPT)/$*/crash-*); do \
	    cp "$$f" $(FZ)/merge/$*/seed-"$$(basename "$$f")"; done
	@find $(FUZZ_KEPT)/$* $(FZ)/corpus/$* -type f ! -name 'crash-*' | \
	    awk -F/ '!s[$$NF]++' | \
	    $(if $(FUZZ_KEEP_$*),xargs -r $(FUZZ_KEEP_$*),cat) | \
	    xargs -r cp -t $(FZ)/cand/$*
	@$(FZ)/fuzz_$* -merge=1 -use_counters=0 -rss_limit_mb=1024 -timeout=10 \
	    $(FZ)/merge/$* $(FZ)/cand/$* \
	    >$(FZ)/merge_$*.log 2>&1 || { tail -n 20 $(FZ)/merge_$*.log; exit 1; }
	@rm -f $(FZ)/merge/$*/seed-*
	@find $(FUZZ_KEPT)/$* -type f ! -name 'crash-*' -delete
	@cp $(FZ)/merge/$*/* $(FUZZ_KEPT)/$*/ 2>/dev/null || true
	@echo "$*: $$(ls $(FUZZ_KEPT)/$* | wc -l) inputs kept," \
	    "$$(cat $(FUZZ_KEPT)/$*/* 2>/dev/null | wc -c) bytes"

# For scripts/bench-fuzz: the targets, and one target's inputs.
.PHONY: fuzz fuzz-smoke fuzz-replay fuzz-bin fuzz-list
fuzz-bin: $(FUZZ_BIN)
fuzz-list:
	@echo $(FUZZ_TARGETS)
fuzz-seeds-%:
	@echo $(call fuzz_inputs,$*) $(wildcard $(FZ)/gen/$*/*)
fuzz-replay: $(FUZZ_BIN)
	@p=0; f=0; for t in $(FUZZ_TARGETS); do \
	    if $(MAKE) --no-print-directory fuzz-replay-$$t; then \
	        p=$$((p + 1)); else f=$$((f + 1)); fi; done; \
	    echo "fuzz-replay: $$p passed, $$f failed"; [ $$f -eq 0 ]
# make fuzz and fuzz-smoke: every target, two at a time (one a core), each
# target's lines printed together when it ends.  A target passes when its
# run ends well, so that one that cannot even be built counts as failed;
# the others go on.
fuzz: FUZZ_EACH = $(FUZZ_SECONDS)
fuzz-smoke: FUZZ_EACH = $(FUZZ_SMOKE_SECONDS)
fuzz fuzz-smoke: $(FUZZ_BIN)
	@rm -f $(FZ)/$@-passed && touch $(FZ)/$@-passed
	@$(MAKE) --no-print-directory -k -j2 -Otarget FUZZ_TIME=$(FUZZ_EACH) \
	    FUZZ_PASSED=$(FZ)/$@-passed $(FUZZ_TARGETS:%=fuzz-each-%) || true
	@p=$$(sort -u $(FZ)/$@-passed | wc -l); \
	    f=$$(( $(words $(FUZZ_TARGETS)) - p )); \
	    echo "$@: $$p passed, $$f failed"; [ $$f -eq 0 ]
fuzz-each-%: $(FZ)/fuzz_%
	@$(MAKE) --no-print-directory fuzz-run-$* && echo $* >> $(FUZZ_PASSED)

CHECK_TARGETS += fuzz-replay fuzz-smoke
CHECK_BUILD += $(FUZZ_BIN)
