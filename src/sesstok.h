/*
 * sesstok.h: sessions of `redoubt unlock`: the token a person holds in
 * $REDOUBT_SESSION (an id and a random 256-bit key) and the file that
 * keeps, sealed under that key, what opens the vault without Argon2id.
 *
 * The files live in $XDG_RUNTIME_DIR/redoubt, or in /tmp/redoubt-UID when
 * that is unset or unusable; a folder that is not the user's own, or that
 * others may enter, is refused.  Each file is 0600, names its vault in
 * the clear (so `lock --all` finds them) and holds the sealed master key
 * with the session's times (vault_session_seal).  Idle and absolute
 * expiry are judged on the injected clock; use refreshes the idle time.
 */
#ifndef RD_SESSTOK_H
#define RD_SESSTOK_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "err.h"

struct vault;
struct rd_env;

#define SESSTOK_ENV		"REDOUBT_SESSION"
#define SESSTOK_IDLE_DEFAULT	900		/* seconds: 15 minutes */
#define SESSTOK_MAX_DEFAULT	(8 * 3600)	/* seconds: 8 hours */
#define SESSTOK_MAX		96		/* bytes of a token, with NUL */

/*
 * A new session of ctx's open vault, idle and max seconds long: its
 * token into tok (SESSTOK_MAX bytes), *expires the latest time it can
 * last without use.
 */
enum rd_code	sesstok_start(struct rd_ctx *ctx, int64_t idle, int64_t max,
		    char *tok, int64_t *expires, struct rd_err *err) RD_CHECK;
/*
 * Open the vault at path with a token (no Argon2id) and refresh its idle
 * time.  RD_BAD_PASSPHRASE names why a session is refused: malformed,
 * unknown, expired (its file is deleted), of another vault, tampered,
 * or older than the vault's passphrase.
 */
enum rd_code	sesstok_open(const char *path, const struct rd_env *env,
		    const char *tok, struct vault **out, struct rd_err *err)
		    RD_CHECK;
/* End the session of tok (its file deleted); RD_NOT_FOUND when none. */
enum rd_code	sesstok_end(const char *tok, struct rd_err *err) RD_CHECK;
/* End every session of the vault at path in this user's folder. */
enum rd_code	sesstok_end_all(const char *path, int *n, struct rd_err *err)
		    RD_CHECK;
/* The folder of the session files, made 0700 when missing (malloc'd). */
enum rd_code	sesstok_dir(char **out, struct rd_err *err) RD_CHECK;

#endif
