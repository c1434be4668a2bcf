/*
 * fuzz-config.c: redoubt.conf as text, through config_load_string() and
 * everything that reads a loaded config back (config_dump, each method's
 * values and its kind's facts).  The config is the one file an operator
 * (or a package, or a config-management tool) writes for us; inih and our
 * key tables must take any bytes without a crash or a leak, and the load
 * must keep its promise: *out always set, RD_OK or RD_CONFIG.
 */
#include <cJSON.h>
#include <sodium.h>

#include "../../src/config.h"
#include "../../src/json.h"
#include "../../src/kind.h"
#include "fuzz.h"

FUZZ_INITIALIZE()

/* Every value of every method, as `redoubt config` and the faces read them. */
static void
fuzz_methods(const struct config *cfg)
{
	const struct method_cfg	*m;
	cJSON			*obj;
	size_t			 i, k;

	for (i = 0; i < cfg->nmethods; i++) {
		m = &cfg->methods[i];
		fuzz_require(config_method(cfg, m->name) != NULL,
		    "config_method finds every loaded method");
		(void)method_verbose_name(m);
		(void)method_validity(m);
		(void)method_source_field(m);
		for (k = 0; k < MK_COUNT; k++)
			(void)method_str(m, (enum method_key)k);
		for (k = 0; k < m->own.nkeys; k++)
			(void)cfg_str(&m->own, (int)k);
		/* `redoubt config` shows kinds even with problems. */
		fuzz_require(m->handler != NULL,
		    "a loaded method has a handler");
		obj = cJSON_CreateObject();
		kind_info(m, obj);
		cJSON_Delete(obj);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*text = fuzz_text(data, size);
	struct config	*cfg = NULL;
	struct rd_err	 err;
	struct rd_buf	 dump;
	enum rd_code	 rc;
	size_t		 k;

	rc = config_load_string(text, "fuzz.conf", &cfg, &err);
	fuzz_require(rc == RD_OK || rc == RD_CONFIG,
	    "config_load_string answers RD_OK or RD_CONFIG");
	fuzz_require(cfg != NULL, "config_load_string always sets *out");
	fuzz_require(rc != RD_OK || cfg->problems.n == 0,
	    "RD_OK means no problem");
	for (k = 0; k < CK_COUNT; k++)
		(void)config_str(cfg, (enum config_key)k);
	rd_buf_init(&dump, 0);
	config_dump(cfg, &dump);
	rd_buf_free(&dump);
	fuzz_methods(cfg);
	config_free(cfg);
	free(text);
	return 0;
}
