# courselint - see README.md. `make run` and `make test` install what is
# missing (Debian packages), build, and run.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
WERROR  ?= -Werror
# -fno-plt: calls into libcmark and libc (millions per course) go through
# the GOT directly instead of a PLT stub; about 2% of a run.
OPT     ?= -O2 -g -fno-plt
PKGS     = libcmark libpcre2-8 yaml-0.1 jansson
# The oldest versions courselint builds with (README, Building): libcmark
# 0.30 (the parse pool needs getters that do not allocate), PCRE2 10.34
# (PCRE2_MATCH_INVALID_UTF), libyaml 0.2, jansson 2.13. src/courselint.pc.in
# names those the library links.
PKG_MIN  = libcmark:0.30.0 libpcre2-8:10.34 yaml-0.1:0.2.0 jansson:2.13
DEB_PKGS = libcmark-dev libpcre2-dev libyaml-dev libjansson-dev libcmocka-dev \
           pkg-config

WARN = -std=c11 -Wall -Wextra $(WERROR) -Wpedantic -Wstrict-prototypes \
       -Wmissing-prototypes -Wshadow -Wwrite-strings -Wvla -fno-common
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Iinclude -Isrc -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700
ALL_CFLAGS = $(WARN) $(OPT) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lpthread

# The editor server (src/lsp/) is part of the command, not of the
# library: it is a client of include/courselint.h like src/cli/main.c,
# and borrows only the pure helpers of src/util/ (UTF-8, paths) so that
# the project keeps one of each.
LIB_SRC  := $(filter-out src/cli/% src/lsp/%,$(wildcard src/*.c src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/default_rules.o
CLI_SRC  := $(wildcard src/cli/*.c)
LSP_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(wildcard src/lsp/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o) $(LSP_OBJ)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_HARNESSES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_HARNESSES:%=$(BUILD)/replay/%)
FUZZ_DEPS := tests/fuzz/util.c tests/fuzz/fuzz.h

.PHONY: all deps versions run test check asan check-asan tsan clean \
        update-golden bench bench-lsp format install uninstall fuzz \
        fuzz-build fuzz-bins

all: $(BUILD)/courselint

# Stop before compiling when a library is missing or too old.
versions:
	@for m in $(PKG_MIN); do p=$${m%%:*}; v=$${m#*:}; \
	  if ! pkg-config --exists $$p 2>/dev/null; then \
	    echo "courselint needs $$p >= $$v: pkg-config does not find it (make deps installs it)" >&2; exit 2; \
	  elif ! pkg-config --atleast-version=$$v $$p; then \
	    echo "courselint needs $$p >= $$v: pkg-config finds $$(pkg-config --modversion $$p)" >&2; exit 2; \
	  fi; \
	done

$(BUILD)/%.o: %.c | versions
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The default rule set is compiled into the library.
$(BUILD)/default_rules.c: rules/default.yml
	@mkdir -p $(dir $@)
	{ echo '#include <stddef.h>'; \
	  echo 'extern const char rules_default_yml[];'; \
	  echo 'extern const size_t rules_default_yml_len;'; \
	  echo 'const char rules_default_yml[] = {'; \
	  od -An -v -tx1 $< | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00};'; \
	  echo 'const size_t rules_default_yml_len = sizeof(rules_default_yml) - 1;'; \
	} > $@

$(BUILD)/default_rules.o: $(BUILD)/default_rules.c
	$(CC) $(OPT) -c $< -o $@

$(BUILD)/libcourselint.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/courselint: $(CLI_OBJ) $(BUILD)/libcourselint.a
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcourselint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
	  $(BUILD)/libcourselint.a $(LIBS) $(shell pkg-config --libs cmocka)

# The server's own unit tests link its objects too.
$(BUILD)/tests/test_lsp_%: tests/unit/test_lsp_%.c $(LSP_OBJ) \
                           $(BUILD)/libcourselint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
	  $(LSP_OBJ) $(BUILD)/libcourselint.a $(LIBS) \
	  $(shell pkg-config --libs cmocka)

# A fuzz harness without libFuzzer, to replay tests/fuzz/regressions/.
$(BUILD)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(FUZZ_DEPS) \
                   $(BUILD)/libcourselint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/replay.c \
	  tests/fuzz/util.c $(BUILD)/libcourselint.a $(LIBS)

# libFuzzer harnesses (clang, Debian's libclang-rt-14-dev), in their own
# build folder with ASan and UBSan. `make fuzz` runs each for FUZZ_SECONDS
# on a corpus kept in build-fuzz/corpus/. Random fuzzing is never part of
# `make test`, which only replays the seeds and saved crashes above.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
HAVE_LIBFUZZER = printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' | \
  $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_DEPS) $(BUILD)/libcourselint.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -fsanitize=fuzzer -o $@ $< \
	  tests/fuzz/util.c $(BUILD)/libcourselint.a $(LIBS)

fuzz-bins: $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/%)

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) WERROR= \
	  OPT="-g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	  LDFLAGS="$(FUZZ_SAN)" fuzz-bins

fuzz: deps
	@$(HAVE_LIBFUZZER) || { echo "make fuzz needs clang and libFuzzer (apt-get install clang libclang-rt-14-dev)"; exit 2; }
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh fuzz

# Install the Debian packages that are missing: as root, or through sudo.
deps:
	@missing=""; \
	for p in $(PKGS) cmocka; do \
	  pkg-config --exists $$p 2>/dev/null || missing=1; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing build dependencies: $(DEB_PKGS)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    $(DEB_PKGS) >/dev/null || { echo "cannot install $(DEB_PKGS)"; exit 2; }; \
	fi

# Lint the sample course; findings are the point, so exit 0 either way.
run: deps
	@$(MAKE) --no-print-directory all
	@echo "== courselint fixtures/sample-course"
	@cd fixtures/sample-course/input && ../../../$(BUILD)/courselint --root . || true

# Deterministic: the same tests every time, and nothing installed beyond
# the build dependencies.
test: deps
	@$(MAKE) --no-print-directory -s all $(UNIT_BIN) $(REPLAY_BIN)
	@BUILD=$(BUILD) bash tests/run.sh

check: test

# ASan + UBSan + LeakSanitizer over the whole suite. Any report fails the
# test that caused it: UBSan does not recover, and a sanitizer exit status
# (99, 98) matches no expected status.
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
asan:
	@$(MAKE) --no-print-directory deps
	@ASAN_OPTIONS=detect_leaks=1:exitcode=99:strict_string_checks=1:detect_stack_use_after_return=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98 \
	  $(MAKE) --no-print-directory BUILD=build-asan \
	  OPT="$(SAN) -g -O1 -fno-omit-frame-pointer" \
	  LDFLAGS="$(SAN)" test

check-asan: asan

# ThreadSanitizer over the whole suite: every golden test and most hostile
# cases run on two or more threads. A data race report exits with 96,
# which no test expects.
TSAN = -fsanitize=thread
tsan:
	@$(MAKE) --no-print-directory deps
	@TSAN_OPTIONS=halt_on_error=1:exitcode=96:second_deadlock_stack=1 \
	  $(MAKE) --no-print-directory BUILD=build-tsan \
	  OPT="$(TSAN) -g -O1 -fno-omit-frame-pointer" \
	  LDFLAGS="$(TSAN)" test

update-golden: all
	@BUILD=$(BUILD) UPDATE_GOLDEN=1 bash tests/golden.sh

bench: all
	@BUILD=$(BUILD) bash tests/bench/run.sh $(BENCH_ARGS)
	@$(MAKE) --no-print-directory bench-lsp

# The editor server: edits replayed on the largest corpus (numbers only).
bench-lsp: all
	@python3 tests/bench/lsp_bench.py $(BUILD)/courselint $(LSP_BENCH_ARGS)

format:
	clang-format -i $(wildcard include/*.h src/*.[ch] src/*/*.[ch] tests/unit/*.[ch])

clean:
	rm -rf build build-asan build-tsan build-fuzz

# Install the binary, the man page, the library, its header and a
# pkg-config file under $(DESTDIR)$(PREFIX); uninstall removes exactly them.
VERSION    := $(shell sed -n 's/^\#define CLINT_VERSION "\(.*\)"/\1/p' include/courselint.h)
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PCDIR      ?= $(LIBDIR)/pkgconfig
INSTALLED   = $(BINDIR)/courselint $(MANDIR)/man1/courselint.1 \
              $(LIBDIR)/libcourselint.a $(INCLUDEDIR)/courselint.h \
              $(PCDIR)/courselint.pc

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PCDIR)
	install -m 755 $(BUILD)/courselint $(DESTDIR)$(BINDIR)/courselint
	install -m 644 src/cli/courselint.1 $(DESTDIR)$(MANDIR)/man1/courselint.1
	install -m 644 $(BUILD)/libcourselint.a $(DESTDIR)$(LIBDIR)/libcourselint.a
	install -m 644 include/courselint.h $(DESTDIR)$(INCLUDEDIR)/courselint.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    src/courselint.pc.in > $(DESTDIR)$(PCDIR)/courselint.pc
	chmod 644 $(DESTDIR)$(PCDIR)/courselint.pc

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
