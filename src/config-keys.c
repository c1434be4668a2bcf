/*
 * config-keys.c: the declarative tables of [redoubt] and of the keys every
 * [method.NAME] section has.  Handlers' own keys live with their backend.
 * Defaults are those of DESIGN.md §5 and of django-trench's TRENCH_AUTH.
 */
#include <stddef.h>

#include "config.h"

const struct cfg_key config_main_keys[CK_COUNT] = {
	[CK_ISSUER] = { .name = "issuer", .type = CFG_STR, .def = "redoubt",
	    .help = "name shown in authenticator apps and messages" },
	[CK_BACKUP_CODES_QUANTITY] = { .name = "backup_codes_quantity",
	    .type = CFG_INT, .def = "10", .min = 1, .max = 100,
	    .help = "backup codes in one set" },
	[CK_BACKUP_CODES_LENGTH] = { .name = "backup_codes_length",
	    .type = CFG_INT, .def = "10", .min = 6, .max = 64,
	    .help = "characters in one backup code" },
	[CK_BACKUP_CODES_CHARACTERS] = { .name = "backup_codes_characters",
	    .type = CFG_STR, .def = "abcdefghjkmnpqrstuvwxyz23456789",
	    .help = "alphabet of backup codes (lower-case letters and digits, "
	    "no look-alikes)" },
	[CK_SECRET_LENGTH] = { .name = "secret_length", .type = CFG_INT,
	    .def = "20", .min = 16, .max = 64,
	    .help = "bytes of a new TOTP/HOTP secret" },
	[CK_DEFAULT_VALIDITY_PERIOD] = { .name = "default_validity_period",
	    .type = CFG_INT, .def = "600", .min = 30, .max = 86400,
	    .help = "seconds a channel code lives" },
	[CK_CODE_DIGITS] = { .name = "code_digits", .type = CFG_INT,
	    .def = "6", .min = 4, .max = 10,
	    .help = "digits of a channel code" },
	[CK_CODE_ATTEMPTS] = { .name = "code_attempts", .type = CFG_INT,
	    .def = "5", .min = 1, .max = 100,
	    .help = "wrong tries before a channel code dies" },
	[CK_CONFIRM_DISABLE_WITH_CODE] = { .name = "confirm_disable_with_code",
	    .type = CFG_BOOL, .def = "true", .help = "deactivate needs a code" },
	[CK_CONFIRM_BACKUP_CODES_REGENERATION_WITH_CODE] = {
	    .name = "confirm_backup_codes_regeneration_with_code",
	    .type = CFG_BOOL, .def = "true",
	    .help = "new backup codes need a code" },
	[CK_ALLOW_BACKUP_CODES_REGENERATION] = {
	    .name = "allow_backup_codes_regeneration", .type = CFG_BOOL,
	    .def = "true", .help = "backup codes may be regenerated" },
	[CK_BACKUP_CODES_EVERYWHERE] = { .name = "backup_codes_everywhere",
	    .type = CFG_BOOL, .def = "true",
	    .help = "a backup code is accepted wherever a code is asked for "
	    "(false: only by login-code without --method)" },
	[CK_REQUIRE_CODE_TO_ADD] = { .name = "require_code_to_add",
	    .type = CFG_BOOL, .def = "true",
	    .help = "adding a method needs a code from an active one" },
	[CK_EPHEMERAL_TOKEN_LIFETIME] = { .name = "ephemeral_token_lifetime",
	    .type = CFG_INT, .def = "300", .min = 10, .max = 86400,
	    .help = "seconds a login token lives" },
	[CK_LOCKOUT_THRESHOLD] = { .name = "lockout_threshold",
	    .type = CFG_INT, .def = "5", .min = 1, .max = 1000,
	    .help = "failed attempts before a lock" },
	[CK_LOCKOUT_SECONDS] = { .name = "lockout_seconds", .type = CFG_INT,
	    .def = "60", .min = 1, .max = 86400,
	    .help = "length of the first lock; doubles with each further lock" },
	[CK_RESEND_COOLDOWN] = { .name = "resend_cooldown", .type = CFG_INT,
	    .def = "30", .max = 3600,
	    .help = "seconds between two sends of a code" },
	[CK_PASSWORD_KDF] = { .name = "password_kdf", .type = CFG_ENUM,
	    .def = "interactive", .choices = "interactive|moderate|sensitive",
	    .help = "Argon2id cost of user passwords (the vault's own is "
	    "set by init --kdf); older hashes are redone at the next good "
	    "login" },
};

const struct cfg_key config_method_keys[MK_COUNT] = {
	[MK_HANDLER] = { .name = "handler", .type = CFG_STR,
	    .flags = CFG_REQUIRED,
	    .help = "the handler that carries or checks this method's codes" },
	[MK_VERBOSE_NAME] = { .name = "verbose_name", .type = CFG_STR,
	    .help = "name shown to people (default: the method name)" },
	[MK_VALIDITY_PERIOD] = { .name = "validity_period", .type = CFG_INT,
	    .min = 30, .max = 86400,
	    .help = "seconds a code lives (default: default_validity_period)" },
	[MK_SOURCE_FIELD] = { .name = "source_field", .type = CFG_ENUM,
	    .choices = "email|phone|yubikey",
	    .help = "user field that holds the destination (default: by "
	    "handler)" },
	[MK_TIMEOUT] = { .name = "timeout", .type = CFG_INT, .def = "15",
	    .min = 1, .max = 300, .help = "seconds a provider may take" },
};
