# tests/pg/pg.mk: the tests of the PostgreSQL store against a real
# server, kept out of make unit and make test (they need one).
#
#   make test-pg-unit	tests/pg/test-store-pg.c, built plain and with
#			ASan+UBSan, each run on a fresh empty database of a
#			throwaway cluster (tests/pg/pg-cluster.sh) that is
#			stopped and removed afterwards, also on failure.
#
# The Makefile includes this file after its own rules; its names start
# with PG_.

PG_UNIT_BINS	 = $(B)/tests/test-store-pg $(BA)/tests/test-store-pg
# Seconds after which the cluster's watchdog stops it whatever happens
# (make test-pg-unit; make test-pg's whole e2e suite: PG_E2E_SECONDS).
PG_SECONDS	?= 600
PG_E2E_SECONDS	?= 3600

.PHONY: test-pg-unit

$(B)/tests/test-store-pg: tests/pg/test-store-pg.c $(B)/libredoubt.a $(HDRS)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< \
	    $(B)/libredoubt.a $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BA)/tests/test-store-pg: tests/pg/test-store-pg.c $(BA)/libredoubt.a \
    $(HDRS)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) $(shell pkg-config --cflags cmocka) \
	    -o $@ $< $(BA)/libredoubt.a $(PKG_LIBS) \
	    $(shell pkg-config --libs cmocka)

# One database per binary (pg1, pg2, ...); the tally line as make unit's.
# The first is given as key=value conninfo, the second as a URI: open
# takes both.
test-pg-unit: $(PG_UNIT_BINS)
	@dir=$$(mktemp -d /tmp/redoubt-pg.XXXXXX) || exit 1; \
	vars=$$(sh tests/pg/pg-cluster.sh start $$dir $(PG_SECONDS)) || \
	    { rmdir $$dir 2>/dev/null; exit 1; }; \
	trap 'sh tests/pg/pg-cluster.sh stop '$$dir' >/dev/null 2>&1' EXIT; \
	trap 'exit 1' INT TERM HUP; \
	eval "$$vars"; \
	pass=0; fail=0; n=0; \
	for t in $(PG_UNIT_BINS); do \
		n=$$((n + 1)); \
		where="host=$$PGHOST port=$$PGPORT user=$$PGUSER dbname=pg$$n"; \
		[ $$n -eq 1 ] || where="postgresql://$$PGUSER@/pg$$n?host=$$PGHOST&port=$$PGPORT"; \
		if sh tests/pg/pg-cluster.sh newdb $$dir pg$$n && \
		    REDOUBT_TEST_PG="$$where" \
		    ASAN_OPTIONS=detect_leaks=1 \
		    UBSAN_OPTIONS=print_stacktrace=1 \
		    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		    $$t; then \
			pass=$$((pass + 1)); \
		else \
			fail=$$((fail + 1)); echo "FAILED: $$t"; \
		fi; \
	done; \
	echo "test-pg-unit: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]

# make test-pg: the driver's unit tests, then the whole e2e suite with
# every vault in a database of one throwaway cluster (E2E_PG, see
# tests/e2e/lib.sh), the race tests among them.  A command there connects
# to the server first, so a script may take twice its time on a file:
# E2E_TIMEOUT is 300 s unless given.
.PHONY: test-pg
test-pg: test-pg-unit redoubt $(MOS) $(PAM_TEST)
	@dir=$$(mktemp -d /tmp/redoubt-pg.XXXXXX) || exit 1; \
	sh tests/pg/pg-cluster.sh start $$dir $(PG_E2E_SECONDS) >/dev/null || \
	    { rmdir $$dir 2>/dev/null; exit 1; }; \
	trap 'sh tests/pg/pg-cluster.sh stop '$$dir' >/dev/null 2>&1' EXIT; \
	trap 'exit 1' INT TERM HUP; \
	E2E_PG=$$dir E2E_TIMEOUT=$${E2E_TIMEOUT:-300} \
	    sh tests/e2e/run.sh $(E2E_ONLY)
