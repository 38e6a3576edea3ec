# muster — plain Makefile. `make` builds ./muster; see README.md for the rest.
#
# Every .c under src/ except src/main.c goes into build/libmuster.a; the binary
# and every test link against that archive, so a test pulls in only the
# objects it uses. New modules need no Makefile change.

CC       ?= cc
CLANG    ?= clang
OPT      ?= -O2 -g
WARN     ?= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS   += -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) -Isrc -MMD -MP
LDLIBS   := -lsqlite3 -lsodium -ljansson -lmicrohttpd -lglpk -lhpdf -lpq -lm -lpthread
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC      := $(sort $(shell find src -name '*.c' ! -path src/main.c))
OBJ      := $(SRC:%.c=build/obj/%.o)
AOBJ     := $(SRC:%.c=build/asan/obj/%.o)
FOBJ     := $(SRC:%.c=build/fuzz/obj/%.o)
UNIT     := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT:tests/unit/%.c=build/tests/%)
UNIT_ASAN:= $(UNIT:tests/unit/%.c=build/asan/tests/%)
FUZZ     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ:tests/fuzz/%.c=build/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: all demo check unit unit-asan integration fuzz fuzz-build fuzz-smoke bench asan \
        format format-check clean deps

all: muster

deps:
	@scripts/deps

muster: build/obj/src/main.o build/libmuster.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/libmuster.a: $(OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# --- AddressSanitizer + UndefinedBehaviorSanitizer build ---------------------
asan: build/asan/muster $(UNIT_ASAN)

build/asan/muster: build/asan/obj/src/main.o build/asan/libmuster.a
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(LDLIBS)

build/asan/libmuster.a: $(AOBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

build/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -c $< -o $@

# --- unit tests (cmocka), plain and sanitized ---------------------------------
build/tests/%: tests/unit/%.c build/libmuster.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/libmuster.a -lcmocka $(LDLIBS)

build/asan/tests/%: tests/unit/%.c build/asan/libmuster.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $< build/asan/libmuster.a -lcmocka $(LDLIBS)

unit: $(UNIT_BIN)
	@tests/run-unit plain $(UNIT_BIN)

unit-asan: $(UNIT_ASAN)
	@tests/run-unit asan $(UNIT_ASAN)

integration: muster build/asan/muster
	@tests/run-integration

# --- fuzzing (libFuzzer, clang) ----------------------------------------------
FUZZFLAGS := -std=c17 -D_GNU_SOURCE -O1 -g -Isrc -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=all

build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZFLAGS) -c $< -o $@

build/fuzz/libmuster.a: $(FOBJ)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

build/fuzz/%: tests/fuzz/%.c build/fuzz/libmuster.a
	$(CLANG) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libmuster.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: deps fuzz-build
	@tests/run-fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

fuzz-smoke: fuzz-build
	@tests/run-fuzz 10 $(FUZZ_BIN)

# --- the README's two commands -------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	./muster demo

check: deps
	@rm -f build/test-results.txt
	@$(MAKE) --no-print-directory all asan
	@$(MAKE) --no-print-directory unit unit-asan integration fuzz-smoke
	@tests/summary

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run

format:
	clang-format -i $$(find src tests bench -name '*.[ch]')

format-check:
	clang-format --dry-run --Werror $$(find src tests bench -name '*.[ch]')

clean:
	rm -rf build muster

-include $(OBJ:.o=.d) $(AOBJ:.o=.d) $(FOBJ:.o=.d) build/obj/src/main.d build/asan/obj/src/main.d
