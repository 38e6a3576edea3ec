# muster — plain Makefile. `make` builds ./muster; see README.md for the rest.
#
# Every .c under src/ except src/main.c goes into $(B)/libmuster.a; the binary
# and every test link against that archive, so a test pulls in only the
# objects it uses. New modules need no Makefile change.

B        ?= build
BIN      ?= muster
CC       ?= cc
CLANG    ?= clang
OPT      ?= -O2 -g
WARN     ?= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   += -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) -Isrc -MMD -MP
LDLIBS   := -lsqlite3 -lsodium -ljansson -lmicrohttpd -lglpk -lhpdf -lpq -lm -lpthread
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC      := $(sort $(shell find src -name '*.c' ! -path src/main.c))
OBJ      := $(SRC:%.c=$(B)/obj/%.o)
AOBJ     := $(SRC:%.c=$(B)/asan/obj/%.o)
FOBJ     := $(SRC:%.c=$(B)/fuzz/obj/%.o)
UNIT     := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT:tests/unit/%.c=$(B)/tests/%)
UNIT_ASAN:= $(UNIT:tests/unit/%.c=$(B)/asan/tests/%)
FUZZ     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ:tests/fuzz/%.c=$(B)/fuzz/%)
FUZZ_SECONDS ?= 60
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
export B BIN

.PHONY: all demo check unit unit-asan integration pg browser web fuzz fuzz-build fuzz-smoke \
        bench asan format format-check clean deps

all: $(BIN)

deps:
	@scripts/deps

$(BIN): $(B)/obj/src/main.o $(B)/libmuster.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libmuster.a: $(OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# --- AddressSanitizer + UndefinedBehaviorSanitizer build ---------------------
asan: $(B)/asan/muster $(UNIT_ASAN)

$(B)/asan/muster: $(B)/asan/obj/src/main.o $(B)/asan/libmuster.a
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(LDLIBS)

$(B)/asan/libmuster.a: $(AOBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(B)/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -c $< -o $@

# --- unit tests (cmocka), plain and sanitized ---------------------------------
$(B)/tests/%: tests/unit/%.c $(B)/libmuster.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libmuster.a -lcmocka $(LDLIBS)

$(B)/asan/tests/%: tests/unit/%.c $(B)/asan/libmuster.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $< $(B)/asan/libmuster.a -lcmocka $(LDLIBS)

unit: $(UNIT_BIN)
	@tests/run-unit plain $(UNIT_BIN)

unit-asan: $(UNIT_ASAN)
	@tests/run-unit asan $(UNIT_ASAN)

integration: $(BIN) $(B)/asan/muster
	@tests/run-integration

# the store, integration and browser tests again on a throwaway PostgreSQL 15
# server (MUSTER_PG_BROWSER=0 leaves the browser tests out)
pg: $(BIN) $(B)/asan/muster $(UNIT_BIN) $(UNIT_ASAN) web
	@tests/run-pg

# the web UI's assets (npm ci from web/package-lock.json) into $(B)/web
web:
	@scripts/build-web

# playwright-core driving Debian's chromium against a demo server
browser: $(BIN) web
	@tests/run-browser

# --- fuzzing (libFuzzer, clang) ----------------------------------------------
FUZZFLAGS := -std=c17 -D_GNU_SOURCE -O1 -g -Isrc -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=all

$(B)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZFLAGS) -c $< -o $@

$(B)/fuzz/libmuster.a: $(FOBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(B)/fuzz/%: tests/fuzz/%.c $(B)/fuzz/libmuster.a
	$(CLANG) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< $(B)/fuzz/libmuster.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: deps fuzz-build
	@tests/run-fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-smoke: fuzz-build
	@tests/run-fuzz 10 $(FUZZ_BIN)

# --- the README's two commands -------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all web
	./muster demo

# A failed format-check or build is counted in the totals (as "check ... 0 1"
# lines) and makes the exit status non-zero, but the totals are printed all
# the same; a badly formatted tree is still tested, a tree that does not
# build is not.
check: deps
	@rm -f $(B)/test-results.txt; mkdir -p $(B); s=0; \
	if ! $(MAKE) --no-print-directory format-check; then \
	  echo "check format-check 0 1" >> $(B)/test-results.txt; s=1; fi; \
	if $(MAKE) --no-print-directory -j$(JOBS) all asan $(UNIT_BIN) $(UNIT_ASAN) $(FUZZ_BIN); then \
	  $(MAKE) --no-print-directory -k unit unit-asan integration pg browser fuzz-smoke || s=1; \
	else echo "check build 0 1" >> $(B)/test-results.txt; s=1; echo "FAIL build"; fi; \
	tests/summary || s=1; exit $$s

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@bench/run

SOURCES = $$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]' 2>/dev/null || find src tests bench -name '*.[ch]')

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run --Werror $(SOURCES) && echo "ok   format-check"

clean:
	rm -rf build muster

-include $(OBJ:.o=.d) $(AOBJ:.o=.d) $(FOBJ:.o=.d) $(B)/obj/src/main.d $(B)/asan/obj/src/main.d
