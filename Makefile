# gloss — `make` installs what is missing, builds build/gloss and generates
# output/ from content/; `make test` runs every test.

CC       ?= cc
PKGS     := libcmark libxml-2.0 yaml-0.1 libgit2 icu-uc libxxhash
# Debian packages the build needs, and those the tests add; tools/install-deps
# installs the missing ones (as root) or names the command to run. The
# browser checks (tests/browser/) add Java for the Nu Html Checker, Chromium,
# and Node.js with npm for the packages pinned in package-lock.json.
DEB_PKGS := pkg-config libcmark-dev libxml2-dev libyaml-dev libgit2-dev \
            libicu-dev libjemalloc-dev libxxhash-dev
TEST_PKGS := libcmocka-dev valgrind groff-base git clang libclang-rt-14-dev
BROWSER_PKGS := default-jre-headless chromium nodejs npm
# The benchmark (make bench) adds Hugo, to compare with, and GNU time.
BENCH_PKGS := hugo time
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-missing-field-initializers
DEFS     := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libgit2 is not linked but loaded when history is first read
# (generator/gitlib.h): by its soname, read from the library pkg-config
# finds.
LINKED_PKGS := $(filter-out libgit2,$(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(LINKED_PKGS) 2>/dev/null) -pthread
LIBGIT2_SONAME = $(shell objdump -p "$$(pkg-config --variable=libdir \
                   libgit2 2>/dev/null)/libgit2.so" 2>/dev/null | \
                   sed -n 's/^ *SONAME *//p')
# The release binary allocates through jemalloc: a build makes millions of
# small tree nodes on two threads, and glibc's malloc spent a quarter of
# the time on them. It asks jemalloc for huge pages (malloc_conf, in
# generator/main.c). Sanitizer and fuzz builds keep their own allocator.
MALLOC_LIBS = $(shell pkg-config --libs jemalloc 2>/dev/null)
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(WARN) $(DEFS) $(CFLAGS) $(PKG_CFLAGS)
# The sanitizers' build frees all it holds before it exits (main.c), so
# that every test through it checks who owns each allocation.
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all -DGLOSS_FREE_AT_EXIT=1

SRCS      := $(sort $(wildcard generator/*.c))
LIB_SRCS  := $(filter-out generator/main.c,$(SRCS))
OBJS      := $(SRCS:generator/%.c=build/obj/%.o)
LIB_OBJS  := $(LIB_SRCS:generator/%.c=build/obj/%.o)
SAN_OBJS  := $(SRCS:generator/%.c=build/san/%.o)
SAN_LIB   := $(LIB_SRCS:generator/%.c=build/san/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/tests/%)
E2E_SRCS  := $(sort $(wildcard tests/e2e/*.c))
E2E_BINS  := $(E2E_SRCS:tests/e2e/%.c=build/san/tests/e2e_%)

.PHONY: all deps test-deps output test clean golden-update format install fuzz \
        bench

all: deps build/gloss output

deps:
	@tools/install-deps $(DEB_PKGS)

# npm ci runs when node_modules is missing or older than the lock file
# (npm writes node_modules/.package-lock.json); --ignore-scripts, because
# vnu-jar's install script would download a Java runtime.
test-deps:
	@tools/install-deps $(DEB_PKGS) $(TEST_PKGS) $(BROWSER_PKGS)
	@if [ ! -e node_modules/.package-lock.json ] || \
	    [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		echo "npm ci --ignore-scripts"; \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	fi

# Incremental builds key each page on what it is made from, gloss included:
# inputs.c is told a hash of gloss's sources, so that a changed gloss
# renders every page anew (inputs.h).
GLOSS_SOURCE_HASH = $(shell cat Makefile generator/*.c generator/*.h | \
                      sha256sum | cut -c1-16)
build/obj/inputs.o build/san/inputs.o: $(SRCS) Makefile
build/obj/inputs.o build/san/inputs.o: \
  ALL_CFLAGS += -DGLOSS_SOURCE_HASH='"$(GLOSS_SOURCE_HASH)"'

build/obj/gitlib.o build/san/gitlib.o: \
  ALL_CFLAGS += -DGLOSS_LIBGIT2='"$(LIBGIT2_SONAME)"'
build/fuzz/gitlib.o: FUZZ_CFLAGS += -DGLOSS_LIBGIT2='"$(LIBGIT2_SONAME)"'

build/obj/%.o: generator/%.c $(wildcard generator/*.h) | build/obj
	$(CC) $(ALL_CFLAGS) -c $< -o $@

build/san/%.o: generator/%.c $(wildcard generator/*.h) | build/san/tests
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

build/gloss: $(OBJS)
	$(CC) $(CFLAGS) $(OBJS) $(PKG_LIBS) $(MALLOC_LIBS) -o $@

build/san/gloss: $(SAN_OBJS)
	$(CC) $(CFLAGS) $(SAN) $(SAN_OBJS) $(PKG_LIBS) -o $@

build/san/tests/test_%: tests/unit/test_%.c $(SAN_LIB) $(wildcard tests/unit/*.h) | build/san/tests
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Igenerator $< $(SAN_LIB) \
	  $(PKG_LIBS) $$(pkg-config --cflags --libs cmocka) -o $@

build/san/tests/e2e_%: tests/e2e/%.c $(wildcard tests/e2e/*.h) | build/san/tests
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Igenerator $< \
	  $(PKG_LIBS) $$(pkg-config --cflags --libs cmocka) -o $@

build/obj build/san/tests:
	mkdir -p $@

# Generates the site; gloss rewrites only what changed, so always run it.
# Without history: output/ is committed, and no build can show the commit
# that will hold it (README.md, "History from git").
output: build/gloss
	build/gloss build -C content -o output

# Installs gloss, its man page and its themes under PREFIX (DESTDIR for
# staging); the installed gloss finds its themes in ../share/gloss/themes.
PREFIX ?= /usr/local
install: build/gloss
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/gloss/themes
	install -m 755 build/gloss $(DESTDIR)$(PREFIX)/bin/gloss
	install -m 644 man/gloss.1 $(DESTDIR)$(PREFIX)/share/man/man1/gloss.1
	cp -R themes/. $(DESTDIR)$(PREFIX)/share/gloss/themes/

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang under ASan and
# UBSan against the generator's objects in build/fuzz/. `make fuzz` runs
# each for FUZZ_SECONDS after replaying its seeds and regressions; `make
# test` does the same (FUZZ_SECONDS=0 replays only).
FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 1
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(WARN) $(DEFS) -O1 -g $(PKG_CFLAGS) $(FUZZ_SAN)
FUZZ_LIB     := $(LIB_SRCS:generator/%.c=build/fuzz/%.o)
FUZZ_SRCS    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS    := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

$(FUZZ_LIB): build/fuzz/%.o: generator/%.c $(wildcard generator/*.h) | build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BINS): build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB) | build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Igenerator \
	  -DFUZZ_THEME_DIR='"$(CURDIR)/themes/default"' $< $(FUZZ_LIB) \
	  $(PKG_LIBS) -o $@

build/fuzz:
	mkdir -p $@

fuzz: test-deps $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) tests/fuzz/run.sh

# The benchmark (bench/README.md): a synthetic archive of each size in
# BENCH_SIZES, built by gloss, Hugo and the floor program in tmpfs; prints
# one table and writes it to build/bench/results.md. Not part of make test,
# which only checks that bench/synth writes an archive gloss accepts.
BENCH_SIZES ?= 1000 10000 100000

build/bench/synth: bench/synth.c | build/bench
	$(CC) $(WARN) $(DEFS) $(CFLAGS) -DHUGO_SITE_DIR='"$(CURDIR)/bench/hugo"' $< -o $@

build/bench/floor: bench/floor.c | build/bench
	$(CC) $(WARN) $(DEFS) $(CFLAGS) $$(pkg-config --cflags libcmark) $< \
	  $$(pkg-config --libs libcmark) -o $@

build/bench:
	mkdir -p $@

bench: deps build/gloss build/bench/synth build/bench/floor
	@tools/install-deps $(BENCH_PKGS)
	@BENCH_SIZES="$(BENCH_SIZES)" bench/run.sh

test: test-deps build/gloss build/san/gloss build/bench/synth $(UNIT_BINS) $(E2E_BINS) $(FUZZ_BINS)
	@tests/run.sh

# Rewrites the expected output of every golden test from a fresh build.
golden-update: build/gloss
	@tests/golden-update.sh

format:
	clang-format -i generator/*.[ch] tests/unit/*.[ch] tests/e2e/*.[ch]

clean:
	rm -rf build
