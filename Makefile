# redoubt: plain GNU make.  `make` builds ./redoubt; `make test` installs
# missing Debian packages, lints, builds and runs every test (also under
# ASan+UBSan); `make run` opens the TUI on a demo vault.

PREFIX	?= /usr/local
DESTDIR	?=
CC	?= cc

PKGS	 = ncursesw libsodium sqlite3 libqrencode libcurl liboath libcrypto \
	   inih libcjson cairo libpskc libxml-2.0 libpq
# libyubikey ships no pkg-config file in Debian 12.
YK_LIBS	 = -lyubikey

# Debian 12 packages: libraries, then the tools the tests use.
DEBS	 = make gcc pkg-config libncurses-dev libsodium-dev libsqlite3-dev \
	   libqrencode-dev libcurl4-openssl-dev libyubikey-dev libcmocka-dev \
	   liboath-dev libssl-dev libinih-dev libcjson-dev libcairo2-dev \
	   libpskc-dev libxml2-dev libpq-dev postgresql \
	   oathtool python3 python3-aiosmtpd python3-pil python3-pyotp \
	   zbar-tools tmux poppler-utils pskctool \
	   openssl valgrind sqlite3 faketime gettext locales \
	   libpam0g-dev pamtester
# Only for make test-sshd (a real login through a private sshd).
SSHD_DEBS = openssh-server openssh-client
# Locales the tests run in (make deps generates the missing ones).
LOCALES	 = pl_PL.UTF-8

WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wformat=2 \
	   -Wmissing-prototypes
CFLAGS	?= -O2 -g
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(YK_LIBS) -lpthread
ALL_CFLAGS = $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	     $(PKG_CFLAGS) $(CFLAGS)

LIB_SRCS = $(filter-out src/main.c,$(wildcard src/*.c) \
	   $(wildcard vault/*.c) $(wildcard backends/*.c) $(wildcard ui/*.c))
UNIT_SRCS = $(wildcard tests/unit/test-*.c)
HDRS	 = $(wildcard src/*.h vault/*.h backends/*.h ui/*.h pam/*.h \
	   tests/unit/*.h)

B	 = build
BA	 = build-asan

# Message catalogues (gettext): po/LANG.po in git, the template extracted
# from the sources, the compiled catalogues in the tree's share/locale, so
# ./redoubt and the tests find them without installing.  The installed
# binary looks in $(PREFIX)/share/locale.  $REDOUBT_LOCALEDIR overrides
# both at run time.
LINGUAS	 = pl
LOCALEDIR ?= $(CURDIR)/share/locale
INST_LOCALEDIR = $(PREFIX)/share/locale
POT	 = po/redoubt.pot
MOS	 = $(LINGUAS:%=share/locale/%/LC_MESSAGES/redoubt.mo)
I18N_SRCS = $(sort $(wildcard src/*.[ch] vault/*.[ch] backends/*.[ch] \
	   ui/*.[ch]))
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all

LIB_OBJS  = $(LIB_SRCS:%.c=$(B)/%.o)
LIBA_OBJS = $(LIB_SRCS:%.c=$(BA)/%.o)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
UNITA_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BA)/tests/%)

# pam_redoubt.so: the same objects as the command line's (every object
# is position-independent code with its symbols hidden, which costs a
# static executable nothing measurable and saves compiling the core twice
# more), linked with -z defs so a missing symbol fails the build, and a
# version script that shows libpam only pam_sm_*.  The ASan module of
# make test is made the same way from build-asan/.
PAM_MOD	 = pam/pam_redoubt.so
PAM_SRCS = $(wildcard pam/*.c)
PIC	 = -fPIC -fvisibility=hidden
PAM_LD	 = -shared -Wl,-z,defs -Wl,--as-needed \
	   -Wl,--version-script=pam/pam_redoubt.map
PAM_OBJS  = $(PAM_SRCS:%.c=$(B)/%.o)
PAMA_OBJS = $(PAM_SRCS:%.c=$(BA)/%.o)
# What t-pam.sh and t-pam-asan.sh run.
PAM_TEST = $(PAM_MOD) $(B)/tests/pam-harness $(B)/tests/pam-aid.so \
	   $(BA)/$(PAM_MOD) $(BA)/tests/pam-harness
# The multiarch folder of Debian's PAM modules.
PAM_DIR	?= /lib/$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || \
	   $(CC) -print-multiarch)/security

.PHONY: all deps test unit unit-asan e2e lint run bench memcheck install \
	test-sshd \
	faults fuzz fuzz-build po-check update-po \
	clean check-deps

all: redoubt $(MOS) $(PAM_MOD)

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) $(PIC) -c $< -o $@

$(BA)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CC (asan) $<"
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) $(PIC) -c $< -o $@

$(PAM_MOD): $(PAM_OBJS) $(B)/libredoubt.a pam/pam_redoubt.map
	@echo "LD $@"
	@$(CC) $(CFLAGS) $(PAM_LD) -o $@ $(PAM_OBJS) $(B)/libredoubt.a \
	    $(PKG_LIBS) -lpam

$(BA)/$(PAM_MOD): $(PAMA_OBJS) $(BA)/libredoubt.a pam/pam_redoubt.map
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(CFLAGS) -O1 $(SAN) $(PAM_LD) -o $@ $(PAMA_OBJS) \
	    $(BA)/libredoubt.a $(PKG_LIBS) -lpam

# The PAM test harness (tests/pam): exports its pam_syslog so the test
# reads what the module logs.
$(B)/tests/pam-harness: tests/pam/pam-harness.c
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -rdynamic -o $@ $< -lpam

$(B)/tests/pam-aid.so: tests/pam/pam-aid.c
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -fPIC -shared -Wl,-z,defs -o $@ $< -lpam

$(BA)/tests/pam-harness: tests/pam/pam-harness.c
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) -rdynamic -o $@ $< -lpam

$(B)/libredoubt.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(BA)/libredoubt.a: $(LIBA_OBJS)
	@rm -f $@
	@ar rcs $@ $^

# main.c alone knows where the catalogues are.
$(B)/src/main.o: src/main.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(ALL_CFLAGS) -DLOCALEDIR='"$(LOCALEDIR)"' -c $< -o $@

$(B)/install/main.o: src/main.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "CC $< (installed)"
	@$(CC) $(ALL_CFLAGS) -DLOCALEDIR='"$(INST_LOCALEDIR)"' -c $< -o $@

redoubt: $(B)/src/main.o $(B)/libredoubt.a | $(MOS)
	$(CC) $(CFLAGS) -o $@ $(B)/src/main.o $(B)/libredoubt.a $(PKG_LIBS)

$(B)/install/redoubt: $(B)/install/main.o $(B)/libredoubt.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# The template of every message, extracted from the sources.
$(POT): $(I18N_SRCS)
	@echo "XGETTEXT $@"
	@xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ \
	    --keyword=ngettext:1,2 --keyword=C_:1c,2 \
	    --add-comments=TRANSLATORS: \
	    --package-name=redoubt --no-location --sort-output \
	    -o $@ $(I18N_SRCS)

share/locale/%/LC_MESSAGES/redoubt.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "MSGFMT $<"
	@msgfmt --check -o $@ $<

# Every message of the sources translated in every catalogue.
po-check: $(POT)
	@sh tests/po-check.sh $(POT) $(LINGUAS:%=po/%.po)

# After a change of messages: new ones into each po/LANG.po, to translate.
update-po: $(POT)
	@for l in $(LINGUAS); do \
		msgmerge --quiet --update --backup=none po/$$l.po $(POT); \
	done

$(B)/tests/%: tests/unit/%.c tests/unit/harness.c $(B)/libredoubt.a $(HDRS) \
    | $(MOS)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) \
	    -DLOCALEDIR='"$(LOCALEDIR)"' -o $@ $< \
	    tests/unit/harness.c $(B)/libredoubt.a $(PKG_LIBS) \
	    $(shell pkg-config --libs cmocka)

$(BA)/tests/%: tests/unit/%.c tests/unit/harness.c $(BA)/libredoubt.a $(HDRS) \
    | $(MOS)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) $(shell pkg-config --cflags cmocka) \
	    -DLOCALEDIR='"$(LOCALEDIR)"' -o $@ $< tests/unit/harness.c \
	    $(BA)/libredoubt.a $(PKG_LIBS) \
	    $(shell pkg-config --libs cmocka)

# Install what dpkg -s says is missing, then generate the locales that
# `locale -a` lacks; without root, print the commands.
deps:
	@missing=""; for p in $(DEBS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "redoubt needs these Debian packages; run as root:"; \
			echo "  apt-get update && apt-get install -y$$missing"; \
			exit 1; \
		fi; \
		echo "installing:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -q$$missing || exit 1; \
	fi; \
	for l in $(LOCALES); do \
		n=$$(echo $$l | sed 's/\.UTF-8$$/.utf8/'); \
		locale -a 2>/dev/null | grep -qx "$$n" && continue; \
		cmd="localedef -i $${l%%.*} -c -f UTF-8 -A /usr/share/locale/locale.alias $$l"; \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "redoubt's tests need the locale $$l; run as root:"; \
			echo "  $$cmd"; \
			exit 1; \
		fi; \
		echo "generating the locale $$l"; \
		$$cmd; \
		locale -a 2>/dev/null | grep -qx "$$n" || exit 1; \
	done

# Layer rules of DESIGN.md §1: curses only in ui/term.c, curl only in
# backends/, sqlite only in vault/, and no curses/curl/sqlite in src/.
lint:
	@sh tests/lint.sh

unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

unit-asan: $(UNITA_BINS)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    sh tests/run-unit.sh $(UNITA_BINS)

e2e: redoubt $(MOS) $(PAM_TEST)
	@sh tests/e2e/run.sh

test: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory po-check
	@$(MAKE) --no-print-directory -j2 redoubt $(MOS) $(UNIT_BINS) \
	    $(UNITA_BINS) $(B)/bench $(PAM_TEST)
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory unit-asan
	@$(MAKE) --no-print-directory e2e

# The kill -9 and race suite of make test, with many more rounds.
FAULT_ROUNDS ?= 400
faults: deps redoubt
	@FAULT_ROUNDS=$(FAULT_ROUNDS) E2E_TIMEOUT=3600 \
	    sh tests/e2e/run.sh t-faults.sh

# libFuzzer harnesses (tests/fuzz): FUZZ_SECONDS=N make fuzz.
-include tests/fuzz/fuzz.mk

# The PostgreSQL store against a throwaway server: make test-pg-unit,
# make test-pg.  Optional as fuzz.mk: the tests copy this Makefile alone
# (t-i18n, t-build run make deps on the copy).
-include tests/pg/pg.mk

memcheck: $(UNIT_BINS) redoubt
	@sh tests/run-unit.sh --valgrind $(UNIT_BINS)

$(B)/bench: tests/bench/bench.c tests/bench/bench-vault.c \
	    tests/bench/bench-mixed.c \
	    tests/bench/bench.h $(B)/libredoubt.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(filter %.c,$^) $(B)/libredoubt.a \
	    $(PKG_LIBS)

bench: deps $(B)/bench redoubt $(PAM_MOD) $(B)/tests/pam-harness
	@dir=$$(mktemp -d /tmp/redoubt-pg.XXXXXX) || exit 1; \
	PG_DURABLE=on PG_SHARED_BUFFERS=128MB \
	    sh tests/pg/pg-cluster.sh start $$dir 3600 >/dev/null || \
	    exit 1; \
	trap 'sh tests/pg/pg-cluster.sh stop '$$dir' >/dev/null 2>&1' EXIT; \
	for d in $(patsubst %,bench_%,$(or $(BENCH_ARGS),1000 100000)) \
	    bench_mixed_1 bench_mixed_8; do \
		sh tests/pg/pg-cluster.sh newdb $$dir $$d || exit 1; \
	done; \
	BENCH_PG="host=$$dir port=$$(cat $$dir/pg-cluster.port) user=redoubt" \
	    $(B)/bench $(BENCH_ARGS)
	@/usr/bin/python3 tests/bench/tui-latency.py ./redoubt
	@/usr/bin/python3 tests/bench/session.py ./redoubt
	@/usr/bin/python3 tests/bench/batch.py ./redoubt
	@/usr/bin/python3 tests/bench/password.py ./redoubt
	@/usr/bin/python3 tests/bench/import.py ./redoubt
	@sh tests/bench/pam.sh ./redoubt $(CURDIR)/$(PAM_MOD) $(B)/tests/pam-harness

# A real login through a private sshd (root only): tests/sshd/test-sshd.sh.
test-sshd: redoubt $(PAM_MOD)
	@if [ "$$(id -u)" -ne 0 ]; then \
		echo "test-sshd: needs root (a PAM service file, a user, sshd); skipped"; \
		exit 0; \
	fi; \
	missing=""; for p in $(SSHD_DEBS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -q$$missing || exit 1; \
	fi; \
	sh tests/sshd/test-sshd.sh ./redoubt $(CURDIR)/$(PAM_MOD)

run: deps redoubt $(MOS)
	@sh share/demo.sh

install: $(B)/install/redoubt $(MOS) $(PAM_MOD)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PAM_DIR) \
	    $(DESTDIR)$(PREFIX)/share/redoubt/templates \
	    $(DESTDIR)$(PREFIX)/share/redoubt/templates/pl
	install -m 755 $(B)/install/redoubt $(DESTDIR)$(PREFIX)/bin/redoubt
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(INST_LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 share/locale/$$l/LC_MESSAGES/redoubt.mo \
		    $(DESTDIR)$(INST_LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; \
	done
	install -m 644 man/redoubt.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/redoubt.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/pam_redoubt.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 $(PAM_MOD) $(DESTDIR)$(PAM_DIR)/
	install -m 644 share/redoubt.conf $(DESTDIR)$(PREFIX)/share/redoubt/
	install -m 644 share/templates/code.txt share/templates/code.html \
	    $(DESTDIR)$(PREFIX)/share/redoubt/templates/
	install -m 644 share/templates/pl/code.txt \
	    share/templates/pl/code.html \
	    $(DESTDIR)$(PREFIX)/share/redoubt/templates/pl/

clean:
	rm -rf $(B) $(BA) redoubt $(PAM_MOD) $(POT) share/locale
