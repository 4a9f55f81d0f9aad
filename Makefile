# SPDX-License-Identifier: BSD-2-Clause
# mindl: plain Makefile (GNU make), dependencies via pkg-config.
#
#   make            core library and tools into bin/
#   make demo       issue, present and verify on built-in sample data
#   make test       every test: unit, vectors, negative corpus, CLI,
#                   interop, privacy, fuzz-corpus replay
#   make asan       the whole suite under ASan+UBSan, leaks fatal
#   make valgrind   the command-line tests with the tools under valgrind
#   make fuzz       each libFuzzer harness for FUZZ_SECONDS
#   make bench      throughput figures (never part of make test)
#   make bench BASE=REV
#                   this build against REV's bench, built from a clean
#                   export of REV: instructions per operation (callgrind)
#                   and CPU time, as ratios measured in one run
#   make bench-compare
#                   the same with BASE defaulting to HEAD~1
#   make install    tools, man pages, libmindl.a, headers, mindl.pc:
#                   PREFIX, DESTDIR, BINDIR, MANDIR, LIBDIR, INCLUDEDIR

# mindl.pc's Version: (no release has been made), from the one place that
# states it, MINDL_VERSION in core/include/mindl/mindl.h.
VERSION := $(shell sed -n 's/^\#define MINDL_VERSION[^"]*"\([^"]*\)"/\1/p' \
	core/include/mindl/mindl.h)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
# Where mindl-issuer looks for the DMV's policy: $(SYSCONFDIR)/mindl.
SYSCONFDIR ?= /etc
CC ?= cc
ifeq ($(origin CC),default)
CC = cc
endif
BUILD ?= build
FUZZ_SECONDS ?= 60

# Libraries by pkg-config name: the core's (libmindl.a, and mindl.pc's
# Requires.private; zlib for status lists, libqrencode, zbar and libpng
# for QR codes, libfido2 for security keys), then what each tool and test
# program adds to them (SQLite: the issuer's registry, the verifier's
# status cache).  Programs link with --as-needed, so each records only the
# libraries it calls.
TOOLS = keys issuer holder verifier audit
CORE_PKGS = libcrypto libcbor jansson libjpeg zlib libpng libqrencode zbar \
	libfido2
PKGS_keys =
PKGS_issuer = sqlite3
PKGS_holder =
PKGS_verifier = sqlite3
PKGS_audit =
# The negative corpus keeps its large inputs gzip-compressed.
PKGS_neg-check = zlib
pkg_libs = $(if $(strip $(1)),$(shell pkg-config --libs $(1) 2>/dev/null))
PKG_CFLAGS := $(shell pkg-config --cflags $(CORE_PKGS) \
	$(foreach p,$(TOOLS) neg-check,$(PKGS_$(p))) 2>/dev/null)
CORE_LIBS := $(call pkg_libs,$(CORE_PKGS))

WARN = -Wall -Wextra -Wshadow -Wcast-qual -Wwrite-strings \
	-Wmissing-prototypes -Wbad-function-cast -Wimplicit-fallthrough \
	-Wformat=2 -Wconversion -Wsign-conversion -pedantic
ifneq ($(CI),)
WARN += -Werror
endif

# Hardening flags, each probed with a test compile (clang 14 lacks some).
probe = $(shell echo 'int main(void){return 0;}' | \
	$(CC) -Werror $(1) -x c - -o /dev/null 2>/dev/null && echo $(1))
HARDEN := $(call probe,-fstack-protector-strong) \
	$(call probe,-ftrivial-auto-var-init=zero) \
	$(call probe,-fzero-call-used-regs=used)
ifeq ($(SAN),)
HARDEN += -D_FORTIFY_SOURCE=2 -fPIE
LDHARDEN = -pie -Wl,-z,relro,-z,now,-z,noexecstack
OPT ?= -O2 -g
else
OPT ?= -O1 -g -fno-omit-frame-pointer
endif

CFLAGS_ALL = -std=c11 -D_DEFAULT_SOURCE $(OPT) $(WARN) $(HARDEN) \
	-DMINDL_SYSCONFDIR='"$(SYSCONFDIR)"' \
	-Icore/include -Icore/src -Itools $(PKG_CFLAGS) $(SAN) $(CFLAGS)
# Each object's header dependencies, written beside it as .d (included at
# the end), in whichever build directory is in use.
DEPFLAGS = -MMD -MP
LDFLAGS_ALL = -Wl,--as-needed $(LDHARDEN) $(SAN) $(LDFLAGS)
LIBS_CORE = $(CORE_LIBS) $(LIBS)

CORE_SRC := $(sort $(wildcard core/src/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libmindl.a

TOOL_BINS := $(foreach t,$(TOOLS),$(if $(wildcard $(t)/*.c),bin/mindl-$(t)))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/replay_%)

.PHONY: all deps demo test test-run asan fuzz bench bench-compare install \
	uninstall valgrind clean lint
.DEFAULT_GOAL := all

all: $(TOOL_BINS)

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -c -o $@ $<

# The schemas are embedded in the library: profiles and the element
# allowlist travel with the binary (a directory can still be loaded).
SCHEMA_JSON := $(sort $(wildcard schemas/*.json))
$(BUILD)/gen/schemas.c: $(SCHEMA_JSON) scripts/embed.sh
	@mkdir -p $(@D)
	sh scripts/embed.sh $(SCHEMA_JSON) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/schemas.o: $(BUILD)/gen/schemas.c
	$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -Wno-overlength-strings -c -o $@ $<

$(LIB): $(CORE_OBJ) $(BUILD)/gen/schemas.o
	@rm -f $@
	ar rcs $@ $^

# Each tool: every .c in its directory, linked with the core.
# Code shared by the tools (argument and error conventions), not by core.
CLI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(filter-out tools/fido%.c,\
	$(wildcard tools/*.c)))
# How a tool reaches a security key: only the tools that use one.
FIDO_TOOLS = issuer holder verifier
FIDO_CLI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tools/fido*.c))
cli_objs = $(CLI_OBJ) $(if $(filter $(1),$(FIDO_TOOLS)),$(FIDO_CLI_OBJ))

define tool_rule
bin/mindl-$(1): $$(patsubst %.c,$$(BUILD)/%.o,$$(wildcard $(1)/*.c)) \
	$$(call cli_objs,$(1)) $$(LIB)
	@mkdir -p bin
	$$(CC) $$(LDFLAGS_ALL) -o $$@ $$^ $(call pkg_libs,$(PKGS_$(1))) $$(LIBS_CORE)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

# Test programs are compiled by the object rule above (so their headers
# are tracked too), then linked with the library, and with what
# LIBS_<name> adds (the QR test's picture transforms need libm).
LIBS_test_qr = -lm
$(UNIT_BINS): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE) $(LIBS_$(notdir $@))

# The FIDO2 tests drive libfido2 against a software authenticator that
# lives in tests/fido/ only.
$(BUILD)/tests/test_fido: $(BUILD)/tests/fido/softauth.o

# Corpus replay: the fuzz harness linked with a plain main() that feeds
# every corpus file once (run by make test, as SQLite's fuzzcheck).
$(REPLAY_BINS): $(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/%.o \
	$(BUILD)/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

test: deps
	@$(MAKE) --no-print-directory test-run

NEG_CHECK := $(if $(wildcard tests/neg/check.c),$(BUILD)/tests/neg-check)
POPGEN := $(if $(wildcard tests/privacy/popgen.c),$(BUILD)/tests/popgen)
HOSTILE := $(if $(wildcard tests/cli/hostile.c),$(BUILD)/tests/hostile)
CONSENT := $(if $(wildcard tests/cli/consent.c),$(BUILD)/tests/consent)
COLLUDE := $(if $(wildcard tests/privacy/collude.c),$(BUILD)/tests/collude)
RENEWTOOL := $(if $(wildcard tests/cli/renewtool.c),$(BUILD)/tests/renewtool)
MKSTATUS := $(if $(wildcard tests/cli/mkstatus.c),$(BUILD)/tests/mkstatus)
QRTOOL := $(if $(wildcard tests/cli/qrtool.c),$(BUILD)/tests/qrtool)
SOFTKEY_TOOLS = $(FIDO_TOOLS)
SOFTKEY := $(if $(wildcard tests/fido/softopen.c),$(SOFTKEY_TOOLS:%=$(BUILD)/tests/mindl-%-softkey))

# Each tool that reaches a security key, for tests/cli/officer.sh and
# fido2.sh: the tool's objects with the software security key
# (tests/fido/softopen.c) linked in place of tools/fido_open.c, the one
# way a tool opens a key.  Test programs, never installed: the real
# binaries have no way to swap their key.
define softkey_rule
$$(BUILD)/tests/mindl-$(1)-softkey: \
	$$(patsubst %.c,$$(BUILD)/%.o,$$(wildcard $(1)/*.c)) \
	$$(CLI_OBJ) $$(BUILD)/tools/fido.o \
	$$(BUILD)/tests/fido/softopen.o $$(BUILD)/tests/fido/softauth.o $$(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_ALL) -o $$@ $$^ $(call pkg_libs,$(PKGS_$(1))) \
		$$(LIBS_CORE)
endef
$(foreach t,$(SOFTKEY_TOOLS),$(eval $(call softkey_rule,$(t))))

# Issues the deliberately broken populations for tests/privacy/population.sh.
$(BUILD)/tests/popgen: $(BUILD)/tests/privacy/popgen.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

# Hostile text for tests/cli/hostile.sh, and the checker of what tools print.
$(BUILD)/tests/hostile: $(BUILD)/tests/cli/hostile.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

# A pseudo-terminal for the holder's consent prompt, tests/cli/consent.sh
# (forkpty is in glibc's libutil).
$(BUILD)/tests/consent: $(BUILD)/tests/cli/consent.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lutil

# The collusion test's attacker: the registry's own code, nothing more.
$(BUILD)/tests/collude: $(BUILD)/tests/privacy/collude.o \
	$(BUILD)/issuer/registry.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,$(PKGS_issuer)) \
		$(LIBS_CORE)

# The desk's half of renewal for tests/cli/renewal.sh.
$(BUILD)/tests/renewtool: $(BUILD)/tests/cli/renewtool.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

# Status lists and credentials that refer to them, for tests/cli/status.sh.
$(BUILD)/tests/mkstatus: $(BUILD)/tests/cli/mkstatus.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

# Tampered and hostile codes for tests/cli/qr.sh.
$(BUILD)/tests/qrtool: $(BUILD)/tests/cli/qrtool.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

$(BUILD)/tests/neg-check: $(BUILD)/tests/neg/check.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,$(PKGS_neg-check)) \
		$(LIBS_CORE)

test-run: all $(UNIT_BINS) $(REPLAY_BINS) $(NEG_CHECK) $(POPGEN) $(HOSTILE) $(CONSENT) \
	$(COLLUDE) $(RENEWTOOL) $(MKSTATUS) $(QRTOOL) $(SOFTKEY)
	@sh tests/run.sh $(BUILD)

asan: deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build-asan \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		test-run-asan

test-run-asan: $(UNIT_BINS) $(REPLAY_BINS) $(NEG_CHECK) $(POPGEN) $(HOSTILE) $(CONSENT) \
	$(COLLUDE) $(RENEWTOOL) $(MKSTATUS) $(QRTOOL) $(SOFTKEY) \
	$(foreach t,$(TOOLS),$(if $(wildcard $(t)/*.c),$(BUILD)/bin/mindl-$(t)))
	@MINDL_BIN=$(BUILD)/bin MINDL_SKIP_INTEROP=1 \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1 sh tests/run.sh $(BUILD)

define asan_tool_rule
$$(BUILD)/bin/mindl-$(1): $$(patsubst %.c,$$(BUILD)/%.o,$$(wildcard $(1)/*.c)) \
	$$(call cli_objs,$(1)) $$(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_ALL) -o $$@ $$^ $(call pkg_libs,$(PKGS_$(1))) $$(LIBS_CORE)
endef
$(foreach t,$(TOOLS),$(eval $(call asan_tool_rule,$(t))))

# The command-line tests with every tool under valgrind (memory errors and
# definite leaks fatal): the tools as built for release, not for ASan.
valgrind: deps
	@$(MAKE) --no-print-directory all $(HOSTILE) $(RENEWTOOL)
	@sh scripts/valgrind-bin.sh bin $(BUILD)/valgrind-bin
	@fail=0; for s in tests/cli/*.sh; do \
		MINDL_BIN=$(BUILD)/valgrind-bin sh $$s > $(BUILD)/valgrind-$$(basename $$s).log 2>&1 \
			&& echo "ok - valgrind $$s" \
			|| { echo "not ok - valgrind $$s (log: $(BUILD)/valgrind-$$(basename $$s).log)"; fail=1; }; \
	done; exit $$fail

fuzz: deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build-fuzz \
		SAN="-fsanitize=fuzzer-no-link,address,undefined" fuzz-run

fuzz-run: $(LIB)
	@mkdir -p $(BUILD)/fuzz
	@for f in $(FUZZ_NAMES); do \
		$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer,address,undefined \
			-o $(BUILD)/fuzz/$$f tests/fuzz/$$f.c $(LIB) $(LIBS_CORE) \
			|| exit 1; \
		mkdir -p $(BUILD)/fuzz/corpus-$$f; \
		echo "fuzz: $$f for $(FUZZ_SECONDS)s"; \
		mkdir -p $(BUILD)/fuzz/crashes-$$f; \
		$(BUILD)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=$(BUILD)/fuzz/crashes-$$f/ \
			-print_final_stats=1 $(BUILD)/fuzz/corpus-$$f \
			tests/fuzz/corpus/$${f#fuzz_} || exit 1; \
	done

bench: all
	@$(MAKE) --no-print-directory $(BUILD)/bench/bench \
		$(BUILD)/bench/bench-registry $(BUILD)/bench/bench-qr
ifeq ($(BASE),)
	@$(BUILD)/bench/bench
	@$(BUILD)/bench/bench-registry 2 $(BUILD)
	@$(BUILD)/bench/bench-qr
else
	@MAKE="$(MAKE)" sh scripts/bench-compare.sh "$(BASE)" $(BUILD)
endif

bench-compare:
	@$(MAKE) --no-print-directory bench BASE=$(or $(BASE),HEAD~1)

$(BUILD)/bench/bench: $(BUILD)/bench/bench.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

$(BUILD)/bench/bench-qr: $(BUILD)/bench/qr.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS_CORE)

$(BUILD)/bench/bench-registry: $(BUILD)/bench/registry.o \
	$(BUILD)/issuer/registry.o $(BUILD)/verifier/statusdb.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(call pkg_libs,$(PKGS_issuer)) \
		$(LIBS_CORE)

lint:
	@sh scripts/lint.sh

# The library installs as libmindl.a, its public headers under
# INCLUDEDIR/mindl, and mindl.pc says how to link it (the core's libraries
# as Requires.private: pkg-config --static --libs mindl).
PUBLIC_H := $(sort $(wildcard core/include/mindl/*.h))

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/mindl
	install -m 0755 $(TOOL_BINS) $(DESTDIR)$(BINDIR)
	for t in $(TOOLS); do for m in $$t/*.1; do [ -f "$$m" ] && \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1; done; done; true
	install -m 0644 $(LIB) $(DESTDIR)$(LIBDIR)
	install -m 0644 $(PUBLIC_H) $(DESTDIR)$(INCLUDEDIR)/mindl
	sed -e 's|@prefix@|$(PREFIX)|' -e 's|@libdir@|$(LIBDIR)|' \
		-e 's|@includedir@|$(INCLUDEDIR)|' -e 's|@version@|$(VERSION)|' \
		-e 's|@requires_private@|$(CORE_PKGS)|' core/mindl.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/mindl.pc
	chmod 0644 $(DESTDIR)$(LIBDIR)/pkgconfig/mindl.pc

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/mindl-$$t \
		$(DESTDIR)$(MANDIR)/man1/mindl-$$t.1; done
	rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(LIB)) \
		$(DESTDIR)$(LIBDIR)/pkgconfig/mindl.pc \
		$(PUBLIC_H:core/include/mindl/%=$(DESTDIR)$(INCLUDEDIR)/mindl/%)
	rmdir $(DESTDIR)$(INCLUDEDIR)/mindl 2>/dev/null || true

clean:
	rm -rf build build-asan build-fuzz bin

# Every object this makefile compiles; make reads their .d files when
# they exist (none before the first build, when everything is built).
TOOL_OBJ := $(foreach t,$(TOOLS),$(patsubst %.c,$(BUILD)/%.o,$(wildcard $(t)/*.c)))
TEST_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o) $(FUZZ_SRC:%.c=$(BUILD)/%.o) \
	$(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/neg/check.o \
	$(BUILD)/tests/privacy/popgen.o $(BUILD)/tests/cli/hostile.o \
	$(BUILD)/tests/cli/consent.o $(BUILD)/tests/cli/mkstatus.o $(BUILD)/tests/cli/qrtool.o \
	$(BUILD)/tests/fido/softauth.o $(BUILD)/tests/fido/softopen.o \
	$(BUILD)/bench/bench.o $(BUILD)/bench/qr.o
-include $(patsubst %.o,%.d,$(CORE_OBJ) $(BUILD)/gen/schemas.o $(CLI_OBJ) \
	$(FIDO_CLI_OBJ) \
	$(TOOL_OBJ) $(TEST_OBJ))
