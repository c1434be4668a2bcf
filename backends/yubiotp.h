/*
 * yubiotp.h: a Yubico OTP as a person's keyboard typed it, read into the
 * form both YubiKey handlers check (be-yubikey.c offline, be-yubicloud.c
 * through YubiCloud): lower case, modhex, split into public id and token.
 */
#ifndef RD_YUBIOTP_H
#define RD_YUBIOTP_H

#include <stdbool.h>

#include "../src/err.h"

#define YUBIOTP_TOKEN_LEN	32	/* the encrypted part, in modhex */
#define YUBIOTP_PUBID_MAX	16	/* as the reference server accepts */
#define YUBIOTP_MAX		(YUBIOTP_PUBID_MAX + YUBIOTP_TOKEN_LEN)

struct yubiotp {
	char		 otp[YUBIOTP_MAX + 1];		/* modhex, lower case */
	char		 pubid[YUBIOTP_PUBID_MAX + 1];	/* 1 to 16 modhex */
	const char	*token;		/* the last 32 characters of otp */
	bool		 dvorak;	/* it was typed on a Dvorak layout */
};

/*
 * Read typed into y: lower-cased (caps lock), translated to modhex when
 * it is not modhex but is what a key types on a Dvorak layout, and split.
 * RD_INVALID_CODE ("not a YubiKey OTP (...)") when it is none.  The OTP
 * is a credential until used: sodium_memzero y afterwards.
 */
enum rd_code	yubiotp_read(const char *typed, struct yubiotp *y,
		    struct rd_err *err) RD_CHECK;

#endif
