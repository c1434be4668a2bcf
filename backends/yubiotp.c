/*
 * yubiotp.c: reading a Yubico OTP as it was typed.  A YubiKey is a USB
 * keyboard that sends key positions, not letters, so the letters that
 * arrive depend on the layout of the computer: caps lock turns them upper
 * case, and on a Dvorak layout the positions of modhex
 * "cbdefghijklnrtuv" arrive as "jxe.uidchtnbpygk".  Yubico's validation
 * server (yubikey-val) lower-cases every OTP and translates one made only
 * of Dvorak characters back to modhex before it does anything else; both
 * our handlers do the same here, before the public id is compared, the
 * token decrypted, the counter checked or the OTP sent to YubiCloud.
 *
 * One difference, on purpose: we translate only an OTP that is not modhex
 * already, so a modhex OTP is never changed.  The two readings differ only
 * for strings made of the eleven letters both alphabets share; a key typing
 * on Dvorak almost always sends one of "jx.py" (modhex c, b, e, r, t),
 * starting with its public id's "cc".
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>
#include <yubikey.h>

#include "yubiotp.h"

/* The Dvorak character typed at the key position of each modhex digit. */
static const char yubiotp_dvorak[] = "jxe.uidchtnbpygk";

/* Every character of s is one of the Dvorak alphabet. */
static bool
yubiotp_dvorak_p(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr(yubiotp_dvorak, *s) == NULL)
			return false;
	return true;
}

/* s from Dvorak characters to the modhex digits at the same positions. */
static void
yubiotp_from_dvorak(char *s)
{
	for (; *s != '\0'; s++)
		*s = YUBIKEY_MODHEX_MAP[strchr(yubiotp_dvorak, *s) -
		    yubiotp_dvorak];
}

enum rd_code
yubiotp_read(const char *typed, struct yubiotp *y, struct rd_err *err)
{
	size_t	n;

	memset(y, 0, sizeof *y);
	for (n = 0; typed[n] != '\0' && n < YUBIOTP_MAX; n++)
		y->otp[n] = (char)tolower((unsigned char)typed[n]);
	y->otp[n] = '\0';
	if (typed[n] != '\0' || n <= YUBIOTP_TOKEN_LEN) {
		n = strlen(typed);
		sodium_memzero(y, sizeof *y);
		return rd_err_set(err, RD_INVALID_CODE, "not a YubiKey OTP "
		    "(%zu characters; expected %d to %d)", n,
		    YUBIOTP_TOKEN_LEN + 1, YUBIOTP_MAX);
	}
	if (!yubikey_modhex_p(y->otp)) {
		if (!yubiotp_dvorak_p(y->otp)) {
			sodium_memzero(y, sizeof *y);
			return rd_err_set(err, RD_INVALID_CODE, "not a YubiKey "
			    "OTP (not modhex, nor modhex typed on a Dvorak "
			    "keyboard)");
		}
		yubiotp_from_dvorak(y->otp);
		y->dvorak = true;
	}
	memcpy(y->pubid, y->otp, n - YUBIOTP_TOKEN_LEN);
	y->pubid[n - YUBIOTP_TOKEN_LEN] = '\0';
	y->token = y->otp + n - YUBIOTP_TOKEN_LEN;
	return RD_OK;
}
