/*
 * config-keys.c: the declarative tables of [redoubt] and of the keys every
 * [method.NAME] section has.  Handlers' own keys live with their backend.
 * Defaults are those of DESIGN.md §5 and of django-trench's TRENCH_AUTH.
 */
#include <stddef.h>

#include "config.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

const struct cfg_key config_main_keys[] = {
	{ "issuer", CFG_STR, "redoubt", 0, 0, NULL, 0,
	  "name shown in authenticator apps and messages" },
	{ "backup_codes_quantity", CFG_INT, "10", 1, 100, NULL, 0,
	  "backup codes in one set" },
	{ "backup_codes_length", CFG_INT, "10", 6, 64, NULL, 0,
	  "characters in one backup code" },
	{ "backup_codes_characters", CFG_STR, "abcdefghjkmnpqrstuvwxyz23456789",
	  0, 0, NULL, 0,
	  "alphabet of backup codes (lower-case letters and digits, no look-alikes)" },
	{ "secret_length", CFG_INT, "20", 16, 64, NULL, 0,
	  "bytes of a new TOTP/HOTP secret" },
	{ "default_validity_period", CFG_INT, "600", 30, 86400, NULL, 0,
	  "seconds a channel code lives" },
	{ "code_digits", CFG_INT, "6", 4, 10, NULL, 0,
	  "digits of a channel code" },
	{ "code_attempts", CFG_INT, "5", 1, 100, NULL, 0,
	  "wrong tries before a channel code dies" },
	{ "confirm_disable_with_code", CFG_BOOL, "true", 0, 0, NULL, 0,
	  "deactivate needs a code" },
	{ "confirm_backup_codes_regeneration_with_code", CFG_BOOL, "true",
	  0, 0, NULL, 0, "new backup codes need a code" },
	{ "allow_backup_codes_regeneration", CFG_BOOL, "true", 0, 0, NULL, 0,
	  "backup codes may be regenerated" },
	{ "backup_codes_everywhere", CFG_BOOL, "true", 0, 0, NULL, 0,
	  "a backup code is accepted wherever a code is asked for "
	  "(false: only by login-code without --method)" },
	{ "require_code_to_add", CFG_BOOL, "true", 0, 0, NULL, 0,
	  "adding a method needs a code from an active one" },
	{ "ephemeral_token_lifetime", CFG_INT, "300", 10, 86400, NULL, 0,
	  "seconds a login token lives" },
	{ "lockout_threshold", CFG_INT, "5", 1, 1000, NULL, 0,
	  "failed attempts before a lock" },
	{ "lockout_seconds", CFG_INT, "60", 1, 86400, NULL, 0,
	  "length of the first lock; doubles with each further lock" },
	{ "resend_cooldown", CFG_INT, "30", 0, 3600, NULL, 0,
	  "seconds between two sends of a code" },
};
const size_t config_main_nkeys = N(config_main_keys);

const struct cfg_key config_method_keys[] = {
	{ "handler", CFG_STR, NULL, 0, 0, NULL, CFG_REQUIRED,
	  "the handler that carries or checks this method's codes" },
	{ "verbose_name", CFG_STR, NULL, 0, 0, NULL, 0,
	  "name shown to people (default: the method name)" },
	{ "validity_period", CFG_INT, NULL, 30, 86400, NULL, 0,
	  "seconds a code lives (default: default_validity_period)" },
	{ "source_field", CFG_ENUM, NULL, 0, 0, "email|phone|yubikey", 0,
	  "user field that holds the destination (default: by handler)" },
	{ "timeout", CFG_INT, "15", 1, 300, NULL, 0,
	  "seconds a provider may take" },
};
const size_t config_method_nkeys = N(config_method_keys);
