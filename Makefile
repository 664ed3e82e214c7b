# Makefile -- the one entry point for building, testing and documenting storsim.
#
#   make            build build/storsim (same as `make all`)
#   make run        build, then run build/storsim
#   make check      build everything, run the Check tests, build the docs with
#                   zero Doxygen warnings, run the console tests, check the labs
#   make docs       the Doxygen reference, in docs/html
#   make bench      build and run every bench/*.c (never part of `make check`)
#   make lab LAB=1  write labs/01-*/student.c, the routine a student writes
#   make grade LAB=1  grade it (STUDENT=file for another file): Score: x/y
#   make lab-check  every lab: the reference scores full marks, the skeleton not
#   make install    copy build/storsim (and docs/storsim.1) under
#                   $(DESTDIR)$(PREFIX); `make uninstall` removes them
#   make clean      remove every build directory and docs/html
#   make deps       check for (and, as root on Debian, install) what we need
#   make help       this list
#
# Variables, given on the command line (`make check SANITIZE=1`):
#   V=1             print whole compiler commands, not "  CC src/sim/cpu.c"
#   SANITIZE=1      AddressSanitizer + UndefinedBehaviorSanitizer, -O1,
#                   built in build-san/
#   FIBER=ucontext  the portable ucontext fiber switch instead of the assembly
#                   one (defines SIM_FIBER_UCONTEXT), built in build-ucontext/
#   LTO=            no link-time optimisation (on by default with gcc)
#   PREFIX, DESTDIR where `make install` puts things (default /usr/local)
#   CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS  are added after ours
#
# How the build is laid out (for the default variant, build/):
#
#   src/**/*.c, src/**/*.S except src/main.c  ->  build/libstorsim.a
#   src/main.c + build/libstorsim.a           ->  build/storsim
#   tests/*.c  + build/libstorsim.a + check   ->  build/storsim-tests
#   bench/NAME.c + build/libstorsim.a         ->  build/bench/NAME
#   every object file                          ->  build/obj/<its source path>.o
#
# Every source is found by a wildcard, so a new module or test file needs no
# edit here.  Each variant (SANITIZE, FIBER) has its own directory, so objects
# compiled with different flags never end up in one program.

.DEFAULT_GOAL := all

# No built-in implicit rules: every rule this build uses is written below.
.SUFFIXES:
# A recipe that fails must not leave a half-written target behind that a later
# `make` would believe is up to date.
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PREFIX ?= /usr/local

# ---------------------------------------------------------------------------
# Variants: one build directory per combination of SANITIZE and FIBER.
# ---------------------------------------------------------------------------

ifeq ($(SANITIZE),1)
  OPT       := -O1
  SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=all
  # Environment for the programs we run: report leaks, and stop at the first
  # error with a stack trace instead of carrying on.
  SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  SAN_DIR   := -san
else
  OPT       := -O2
  # Link-time optimisation, with gcc: the machine's small accessors live one
  # per file, as the layers want, and inline across files only this way
  # (bench_stack: about 14% more SRBs per host second). LTO= turns it off.
  LTO       ?= $(if $(shell $(CC) --version 2>/dev/null | grep 'Free Software'),-flto=auto)
endif
# An archive of LTO objects needs the plugin-aware archiver.
ifneq ($(LTO),)
  AR        := gcc-ar
endif

ifeq ($(FIBER),ucontext)
  FIBER_FLAGS := -DSIM_FIBER_UCONTEXT
  FIBER_DIR   := -ucontext
else ifneq ($(FIBER),)
  $(error FIBER=$(FIBER): the only choice is FIBER=ucontext (default: the assembly switch))
endif

BUILD := build$(SAN_DIR)$(FIBER_DIR)
OBJ   := $(BUILD)/obj
GEN   := $(BUILD)/gen

LIB       := $(BUILD)/libstorsim.a
BIN       := $(BUILD)/storsim
TEST_BIN  := $(BUILD)/storsim-tests

# Every directory `make clean` removes (all the variants, and the docs).
CLEAN_DIRS := build build-san build-ucontext build-san-ucontext docs/html

# ---------------------------------------------------------------------------
# Sources, found by wildcard.
# ---------------------------------------------------------------------------

# The library is every C and assembly file under src/ (up to three levels
# deep: src/x.c, src/sim/x.c, src/sim/arch/x.S) except the program's main().
MAIN_SRC  := src/main.c
LIB_SRCS  := $(filter-out src/main.c, \
               $(sort $(wildcard src/*.c src/*/*.c src/*/*/*.c \
                                 src/*.S src/*/*.S src/*/*/*.S)))

# tests/test_NAME.c defines `Suite *NAME_suite(void)`.  tests/check_main.c is
# the runner.  Any other tests/*.c (say, tests/helpers.c) is shared test code
# linked into the runner.
TEST_SRCS    := $(sort $(wildcard tests/test_*.c))
TEST_NAMES   := $(patsubst tests/test_%.c,%,$(TEST_SRCS))
TEST_RUNNER  := tests/check_main.c
TEST_SUPPORT := $(filter-out $(TEST_RUNNER) $(TEST_SRCS),$(sort $(wildcard tests/*.c)))

# Each bench/NAME.c is a program of its own.
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

# Object file of each source: src/sim/cpu.c -> build/obj/src/sim/cpu.c.o.
# Keeping the source's extension means src/sim/x.c and src/sim/x.S can never
# collide.
objs-of = $(patsubst %,$(OBJ)/%.o,$(1))

MAIN_OBJ   := $(call objs-of,$(MAIN_SRC))
LIB_OBJS   := $(call objs-of,$(LIB_SRCS))
TEST_OBJS  := $(call objs-of,$(TEST_RUNNER) $(TEST_SRCS) $(TEST_SUPPORT))
BENCH_OBJS := $(call objs-of,$(BENCH_SRCS))
ALL_OBJS   := $(MAIN_OBJ) $(LIB_OBJS) $(TEST_OBJS) $(BENCH_OBJS)

# ---------------------------------------------------------------------------
# Dependencies on the system: libraries and tools.
# ---------------------------------------------------------------------------

# A cheap test, run each time make starts (a few milliseconds): are the
# libraries and tools there?  Only when something is missing do the targets
# below first run tools/deps.sh, which installs it (as root on Debian) or
# prints the apt-get command to run.
HAVE_LIBS  := $(shell { pkg-config --exists ncursesw libedit check; } 2>/dev/null && echo yes)
HAVE_TOOLS := $(shell { command -v doxygen && command -v dot && command -v tmux; } >/dev/null 2>&1 && echo yes)

# Order-only prerequisites: "auto-deps" when something is missing, else nothing.
#   DEPS_FOR_BUILD  libraries missing (for compiling and linking)
#   DEPS_FOR_CHECK  libraries or tools missing (for docs and check)
DEPS_FOR_BUILD := $(if $(HAVE_LIBS),,auto-deps)
DEPS_FOR_CHECK := $(if $(and $(HAVE_LIBS),$(HAVE_TOOLS)),,auto-deps)

# Flags from pkg-config.  These are written with "=", so they are worked out
# when a recipe uses them: on a fresh machine that is after auto-deps has
# installed the libraries.  When everything is already there, the second block
# asks pkg-config once, now, instead of once per file.
PKG_CFLAGS   = $(shell pkg-config --cflags ncursesw libedit)
PKG_LIBS     = $(shell pkg-config --libs ncursesw libedit)
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)
ifeq ($(HAVE_LIBS),yes)
  PKG_CFLAGS   := $(PKG_CFLAGS)
  PKG_LIBS     := $(PKG_LIBS)
  CHECK_CFLAGS := $(CHECK_CFLAGS)
  CHECK_LIBS   := $(CHECK_LIBS)
endif

# ---------------------------------------------------------------------------
# Compiler flags.
# ---------------------------------------------------------------------------

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow
INCLUDES := -Iinclude -Iinclude/wdk -Isrc
# -MMD writes build/obj/.../x.c.d, listing the headers x.c includes, so
# editing a header recompiles exactly the files that use it; -MP keeps make
# from failing when one of those headers is later deleted.
DEPFLAGS := -MMD -MP

ALL_CPPFLAGS = $(INCLUDES) -D_DEFAULT_SOURCE $(FIBER_FLAGS) $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(OPT) $(LTO) -g $(WARNINGS) $(SAN_FLAGS) $(PKG_CFLAGS) $(CFLAGS)
# Assembly (.S) goes through the C preprocessor, so it can test
# SIM_FIBER_UCONTEXT and __x86_64__ / __aarch64__.  --noexecstack marks the
# object as not needing an executable stack, which the linker otherwise warns
# about for hand-written assembly.
ALL_ASFLAGS  = -g -Wa,--noexecstack $(ASFLAGS)
ALL_LDFLAGS  = $(OPT) $(LTO) $(WARNINGS) $(SAN_FLAGS) $(LDFLAGS)
ALL_LDLIBS   = $(PKG_LIBS) -lm -pthread $(LDLIBS)

# Files in tests/ get these extras:
#   -I.      so they can #include "tests/helpers.h"
#   -I$(GEN) where the generated suites.h is
#   Check's own flags from pkg-config
#   -include tests/check_suites.h, which declares every NAME_suite(), so each
#            test file's definition has a prototype (-Wmissing-prototypes) and
#            is checked against the type the runner calls.
$(TEST_OBJS): EXTRA_CFLAGS = -I. -I$(GEN) $(CHECK_CFLAGS) -include tests/check_suites.h
$(TEST_OBJS): $(GEN)/suites.h

# ---------------------------------------------------------------------------
# Quiet output: "  CC      src/sim/cpu.c" unless V=1.
# ---------------------------------------------------------------------------

ifeq ($(V),1)
  Q   :=
  msg  =
else
  Q   := @
  msg  = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif

# ---------------------------------------------------------------------------
# The targets people type.
# ---------------------------------------------------------------------------

.PHONY: all run check tests docs bench install uninstall clean deps auto-deps help \
        lab grade lab-check

all: $(BIN)

run: all
	$(call msg,RUN,$(BIN))
	$(Q)$(SAN_ENV) ./$(BIN)

# `make check`, in order: build the program, the tests and the benchmarks (the
# benchmarks are built so they cannot rot, but not run); run the tests; build
# the docs (any Doxygen warning fails); run the console tests in tmux; check
# every lab (lab-check).
# Each step stops the whole check with a non-zero status if it fails.
check: all $(TEST_BIN) $(BENCH_BINS) | $(DEPS_FOR_CHECK)
	$(call msg,TEST,$(TEST_BIN))
	$(Q)$(SAN_ENV) ./$(TEST_BIN)
	$(Q)$(MAKE) docs
	$(call msg,CONSOLE,tests/console/run.sh)
	$(Q)STORSIM=$(abspath $(BIN)) STORSIM_BUILD=$(abspath $(BUILD)) $(SAN_ENV) \
	    bash tests/console/run.sh
	$(call msg,LABS,labs/lab.sh check)
	$(Q)$(MAKE) lab-check
	@echo "  make check: all passed ($(BUILD))"

# Only build the test runner (run it yourself, e.g. with CK_RUN_SUITE=NAME).
tests: $(TEST_BIN)

# Labs (labs/README.md). `make lab LAB=1` writes the routine to write into
# labs/01-*/student.c; `make grade LAB=1 [STUDENT=file]` builds the simulator
# around it and grades it (a low score is not a make error; a file that does
# not compile is); `make lab-check`, part of `make check`, proves every lab:
# the reference routine scores full marks and the untouched skeleton does not.
LAB_ENV = CC='$(CC)' CPPFLAGS='$(ALL_CPPFLAGS)' CFLAGS='$(ALL_CFLAGS)' \
          LDFLAGS='$(ALL_LDFLAGS)' LIBS='$(ALL_LDLIBS)' \
          CHECK_CFLAGS='$(CHECK_CFLAGS)' CHECK_LIBS='$(CHECK_LIBS)' \
          OBJ='$(OBJ)' OUT='$(BUILD)/labs'

lab:
	$(Q)labs/lab.sh skeleton '$(LAB)'

grade: $(LIB) | $(DEPS_FOR_CHECK)
	$(Q)$(SAN_ENV) $(LAB_ENV) labs/lab.sh grade '$(LAB)' '$(STUDENT)' || [ $$? -eq 1 ]

lab-check: $(LIB) | $(DEPS_FOR_CHECK)
	$(Q)$(SAN_ENV) $(LAB_ENV) labs/lab.sh check

# Doxygen reads include/storsim and include/wdk; an input directory that does
# not exist is a warning, which WARN_AS_ERROR turns into a failure, so early
# in the project we create them (empty directories are invisible to git).
docs: | $(DEPS_FOR_CHECK)
	$(call msg,DOXYGEN,docs/html)
	$(Q)mkdir -p include/storsim include/wdk
	$(Q)doxygen docs/Doxyfile

# Benchmarks measure, so they are always built with -O2 and no sanitizers:
# asked for with SANITIZE=1, we run make again without it.
ifeq ($(SANITIZE),1)
bench:
	$(Q)$(MAKE) bench SANITIZE=
else
bench: $(BENCH_BINS)
	$(Q)for b in $(BENCH_BINS); do \
	    printf '  %-7s %s\n' BENCH "$$b"; \
	    ./$$b || exit 1; \
	done
endif

MAN_PAGE := docs/storsim.1
BIN_DIR  := $(DESTDIR)$(PREFIX)/bin
MAN_DIR  := $(DESTDIR)$(PREFIX)/share/man/man1

install: all
	$(call msg,INSTALL,$(BIN_DIR)/storsim)
	$(Q)install -d $(BIN_DIR)
	$(Q)install -m 0755 $(BIN) $(BIN_DIR)/storsim
	$(call msg,INSTALL,$(MAN_DIR)/storsim.1)
	$(Q)install -d $(MAN_DIR)
	$(Q)install -m 0644 $(MAN_PAGE) $(MAN_DIR)/storsim.1

uninstall:
	$(call msg,RM,$(BIN_DIR)/storsim)
	$(Q)rm -f $(BIN_DIR)/storsim
	$(call msg,RM,$(MAN_DIR)/storsim.1)
	$(Q)rm -f $(MAN_DIR)/storsim.1

clean:
	$(call msg,CLEAN,$(CLEAN_DIRS))
	$(Q)rm -rf $(CLEAN_DIRS)

deps:
	$(Q)bash tools/deps.sh

# What the build targets run first when the cheap test above found something
# missing (see DEPS_FOR_BUILD and DEPS_FOR_CHECK).
auto-deps:
	@echo "  DEPS    something storsim needs is missing: running tools/deps.sh"
	$(Q)bash tools/deps.sh

help:
	@sed -n '3,/^# How the build/{/^# How the build/d;s/^# \{0,1\}//;p;}' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------------------
# How each kind of file is made.
# ---------------------------------------------------------------------------

# The library is archived afresh from the current list of objects, so an
# object whose source was deleted does not linger in it.  $(OBJ)/lib.list
# holds that list and changes only when the list does (see update-file).
$(LIB): $(LIB_OBJS) $(OBJ)/lib.list
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $(LIB_OBJS)

$(BIN): $(MAIN_OBJ) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(ALL_LDLIBS)

$(TEST_BIN): $(TEST_OBJS) $(LIB)
	$(call msg,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJS) $(LIB) $(CHECK_LIBS) $(ALL_LDLIBS)

$(BENCH_BINS): $(BUILD)/bench/%: $(OBJ)/bench/%.c.o $(LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(ALL_LDLIBS)

# Objects.  The "| $(DEPS_FOR_BUILD)" is an order-only prerequisite: on a
# machine missing a library it makes auto-deps run before the first compile.
$(OBJ)/%.c.o: %.c $(OBJ)/flags.list | $(DEPS_FOR_BUILD)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(EXTRA_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(OBJ)/%.S.o: %.S $(OBJ)/flags.list | $(DEPS_FOR_BUILD)
	$(call msg,AS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_ASFLAGS) $(DEPFLAGS) -c -o $@ $<

# update-file FILE, WORDS: write WORDS to FILE one per line, but replace FILE
# only when that changes its content.  The rules using it run every time
# (FORCE), yet what depends on FILE is rebuilt only when the content changed.
define update-file
	$(Q)mkdir -p $(dir $(1))
	$(Q)printf '%s\n' $(2) > $(1).tmp
	$(Q)if cmp -s $(1).tmp $(1); then rm -f $(1).tmp; \
	    else mv -f $(1).tmp $(1); printf '  %-7s %s\n' GEN $(1); fi
endef

# build/gen/suites.h: one X(NAME) line per tests/test_NAME.c, which
# tests/check_main.c expands into "add NAME_suite() to the runner".
$(GEN)/suites.h: FORCE
	$(call update-file,$@,'/* Generated by the Makefile from tests/test_*.c: do not edit. */' \
	    $(foreach n,$(TEST_NAMES),'X($(n))'))

$(OBJ)/lib.list: FORCE
	$(call update-file,$@,$(LIB_OBJS))

# The flags that change the code (not pkg-config's, which are looked up only
# when needed): when they change, every object is compiled again.
$(OBJ)/flags.list: FORCE
	$(call update-file,$@,'$(OPT) $(LTO) $(SAN_FLAGS) $(FIBER_FLAGS) $(CPPFLAGS) $(CFLAGS)')

# FORCE has no recipe and is never a file, so whatever depends on it runs
# its recipe every time.
FORCE:

# The header dependencies that -MMD wrote on earlier builds.
-include $(wildcard $(ALL_OBJS:.o=.d))
