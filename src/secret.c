/*
 * secret.c: codes, backup codes, tokens and destination masks.
 *
 * Every draw goes through env_uniform() so there is no modulo bias and
 * unit tests get the same codes on every run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "secret.h"
#include "util.h"

void
secret_code(const struct rd_env *env, int digits, char *out)
{
	int	i;

	for (i = 0; i < digits; i++)
		out[i] = (char)('0' + env_uniform(env, 10));
	out[digits] = '\0';
}

char **
secret_backup_codes(const struct rd_env *env, int n, int len,
    const char *alphabet)
{
	char		**codes = xcalloc((size_t)n, sizeof *codes);
	uint32_t	  size = (uint32_t)strlen(alphabet);
	int		  i, j;

	for (i = 0; i < n; i++) {
		codes[i] = secret_alloc((size_t)len + 1);
		for (j = 0; j < len; j++)
			codes[i][j] = alphabet[env_uniform(env, size)];
		codes[i][len] = '\0';
	}
	return codes;
}

void
secret_codes_free(char **codes, int n)
{
	int	i;

	if (codes == NULL)
		return;
	for (i = 0; i < n; i++)
		secret_release(codes[i]);
	free(codes);
}

void
secret_token(const struct rd_env *env, char *out)
{
	uint8_t	raw[32];

	/*
	 * base64url of a first byte below 0xf8 never starts with '-' (62) or
	 * '_' (63), so a token cannot pass for an option on a command line.
	 */
	env_random(env, raw, sizeof raw);
	while (raw[0] >= 0xf8)
		env_random(env, raw, 1);
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

char *
mask_email(const char *email)
{
	const char	*at = strrchr(email, '@');

	if (at == NULL || at == email)
		return xstrdup("***");
	return xasprintf("%c***%s", email[0], at);
}

char *
mask_phone(const char *phone)
{
	size_t	 n = strlen(phone), i;
	char	*out;

	if (n < 3)
		return xstrdup("***");
	out = xstrdup(phone);
	for (i = 1; i + 2 < n; i++)
		out[i] = '*';
	out[0] = '+';
	return out;
}

char *
mask_destination(const char *to)
{
	if (strchr(to, '@') != NULL)
		return mask_email(to);
	return mask_phone(to);
}
