# tests/diag/rules.mk - the diagnose driver (a stand-in for the wired-in
# `cmremedy diagnose`) and its end-to-end tests.
DIAG_DRIVER      = $(B)/diag/diagnose
DIAG_DRIVER_ASAN = $(BA)/diag/diagnose

$(DIAG_DRIVER): tests/diag/driver.c $(B)/libcmremedy.a src/diagnose.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< \
	    $(B)/libcmremedy.a $(PKG_LIBS)
$(DIAG_DRIVER_ASAN): tests/diag/driver.c $(BA)/libcmremedy.a src/diagnose.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) -O1 -g $(SAN) $(PKG_CFLAGS) -Isrc -o $@ $< \
	    $(BA)/libcmremedy.a $(PKG_LIBS)

.PHONY: diag-e2e
diag-e2e: $(DIAG_DRIVER_ASAN)
	@tests/diag/run $(DIAG_DRIVER_ASAN)

CHECK_TARGETS += diag-e2e
