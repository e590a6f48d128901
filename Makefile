# gloss — `make` installs what is missing, builds build/gloss and generates
# output/ from content/; `make test` runs every test.

CC       ?= cc
PKGS     := libcmark libxml-2.0 yaml-0.1
# Debian packages the build and the tests need, and the pkg-config name or
# command each provides (checked before anything is built).
DEB_PKGS := pkg-config libcmark-dev libxml2-dev libyaml-dev libcmocka-dev
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-missing-field-initializers
DEFS     := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   ?= -O2 -g
ALL_CFLAGS = $(WARN) $(DEFS) $(CFLAGS) $(PKG_CFLAGS)
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all

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

.PHONY: all deps output test check-output clean golden-update format

all: deps build/gloss output

# Installs the missing Debian packages when root, otherwise says the one
# command to run and stops.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "missing packages; run:  sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

build/obj/%.o: generator/%.c $(wildcard generator/*.h) | build/obj
	$(CC) $(ALL_CFLAGS) -c $< -o $@

build/san/%.o: generator/%.c $(wildcard generator/*.h) | build/san/tests
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

build/gloss: $(OBJS)
	$(CC) $(CFLAGS) $(OBJS) $(PKG_LIBS) -o $@

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
output: build/gloss
	build/gloss build -C content -o output

test: deps build/gloss build/san/gloss $(UNIT_BINS) $(E2E_BINS)
	@tests/run.sh

# Rewrites the expected output of every golden test from a fresh build.
golden-update: build/gloss
	@tests/golden-update.sh

format:
	clang-format -i generator/*.[ch] tests/unit/*.[ch] tests/e2e/*.[ch]

clean:
	rm -rf build
