/*
 * secret.h: the random things the core makes for people: channel codes,
 * backup codes and ephemeral login tokens, all drawn from the injected
 * random source, and the masks that hide destinations from the user being
 * enrolled.
 */
#ifndef RD_SECRET_H
#define RD_SECRET_H

#include <stddef.h>

#include "env.h"

#define TOKEN_LEN	43	/* 256 bits, base64url without padding */

/* digits random decimal digits into out (digits + 1 bytes). */
void	 secret_code(const struct rd_env *env, int digits, char *out);
/* n backup codes of len characters drawn from alphabet; free with
 * secret_codes_free. */
char	**secret_backup_codes(const struct rd_env *env, int n, int len,
	    const char *alphabet);
void	 secret_codes_free(char **codes, int n);
/* A new ephemeral token into out (TOKEN_LEN + 1 bytes). */
void	 secret_token(const struct rd_env *env, char *out);

/* j***@example.com and +*********12; new strings (free()). */
char	*mask_email(const char *email);
char	*mask_phone(const char *phone);
/* Mask a destination by what it looks like. */
char	*mask_destination(const char *to);

#endif
