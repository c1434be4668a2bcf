# tests/fuzz/fuzz.mk: coverage-guided fuzzing with libFuzzer (clang), for
# the parsers that read what comes from outside: the config, typed codes,
# otpauth secrets, provider answers, SMTP replies, templates, sealed vault
# fields and the command line.  The Makefile includes it after its `all`;
# `make -f Makefile -f tests/fuzz/fuzz.mk` reads it twice, which the guard
# below makes harmless.  Its own names all start with FUZZ_.
#
#   make fuzz-build		build every tests/fuzz/fuzz-NAME.c
#   make fuzz			build, then run each for FUZZ_SECONDS
#   make fuzz-run-NAME		run one harness
#   make fuzz-clean		remove build-fuzz/
#
# The library is built again with clang into build-fuzz/, with the
# project's own warning flags and -Werror, instrumented for libFuzzer, ASan
# and UBSan.
#
# Each harness runs on a scratch copy of its seed corpus under
# build-fuzz/corpus/, so what it learns accumulates between runs and
# tests/fuzz/corpus/ is never written to; crashing inputs land in
# build-fuzz/crashes/ (reproduce one: build-fuzz/fuzz-NAME FILE).  A crash,
# a leak, a sanitizer report or a hang fails the target.

ifndef FUZZ_MK_READ
FUZZ_MK_READ	:= 1

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 10
# Seconds one input may take before libFuzzer calls it a hang.
FUZZ_TIMEOUT	?= 25
FUZZ_B		 = build-fuzz

FUZZ_NAMES	 = $(patsubst tests/fuzz/fuzz-%.c,%,\
		   $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BINS	 = $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz-%)
FUZZ_RUNS	 = $(FUZZ_NAMES:%=fuzz-run-%)
FUZZ_LIB_OBJS	 = $(LIB_SRCS:%.c=$(FUZZ_B)/%.o)
FUZZ_SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_CFLAGS	 = $(ALL_CFLAGS) -g -O1 $(FUZZ_SAN)
# Leaks fail a run; the first UBSan report ends it, with its stack.
FUZZ_ENV	 = ASAN_OPTIONS=detect_leaks=1 \
		   UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# One run of harness $$n (shell): its log stays in build-fuzz/fuzz-NAME.log
# and its tail is shown on failure; fail=1 then.  "Done N runs" is what
# libFuzzer prints when it ends normally.
FUZZ_RUN_SH	 = mkdir -p $(FUZZ_B)/corpus/$$n $(FUZZ_B)/crashes && \
	cp -R tests/fuzz/corpus/$$n/. $(FUZZ_B)/corpus/$$n/ && \
	log=$(FUZZ_B)/fuzz-$$n.log; \
	$(FUZZ_ENV) ./$(FUZZ_B)/fuzz-$$n -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=$(FUZZ_TIMEOUT) \
	    -artifact_prefix=$(FUZZ_B)/crashes/$$n- \
	    $(FUZZ_B)/corpus/$$n >$$log 2>&1; rc=$$?; \
	runs=$$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $$log | tail -n 1); \
	echo "fuzz-$$n: $${runs:-no} runs in $(FUZZ_SECONDS) s"; \
	if [ $$rc -ne 0 ] || [ -z "$$runs" ]; then \
		tail -n 40 $$log; \
		echo "fuzz-$$n: FAILED (exit $$rc); log: $$log"; \
		fail=1; \
	fi

.PHONY: fuzz fuzz-build fuzz-clean fuzz-deps $(FUZZ_RUNS)

# clang and its libFuzzer runtime, the same way make deps installs.
fuzz-deps: deps
	@$(MAKE) --no-print-directory deps DEBS="clang libclang-rt-14-dev"

fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

# Every harness runs, even after one fails, so one report names them all.
fuzz: fuzz-build
	@fail=0; for n in $(FUZZ_NAMES); do $(FUZZ_RUN_SH); done; exit $$fail

$(FUZZ_RUNS): fuzz-run-%: $(FUZZ_B)/fuzz-%
	@fail=0; n=$*; $(FUZZ_RUN_SH); exit $$fail

$(FUZZ_LIB_OBJS): $(FUZZ_B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CC (fuzz) $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_B)/libredoubt.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

# Harnesses include backend files whole to reach their static parsers;
# those objects stay unused in the archive, so no symbol is defined twice.
$(FUZZ_BINS): $(FUZZ_B)/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h \
    $(FUZZ_B)/libredoubt.a $(LIB_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "LD (fuzz) $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_B)/libredoubt.a $(PKG_LIBS)

fuzz-clean:
	rm -rf $(FUZZ_B)

endif
