/*
 * test-otp.c: HOTP and TOTP against the vectors of RFC 4226 App. D and
 * RFC 6238 App. B (all three algorithms, 8 digits), the window search,
 * base32 and the otpauth URI.  The same values were checked with oathtool.
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/otp.h"
#include "../../src/qr.h"
#include "harness.h"

static const uint8_t seed20[] = "12345678901234567890";
static const uint8_t seed32[] = "12345678901234567890123456789012";
static const uint8_t seed64[] =
    "1234567890123456789012345678901234567890123456789012345678901234";

#define OTP_OK(x)	assert_int_equal((x), RD_OK)

static void
test_rfc4226(void **state)
{
	static const char *const want[] = { "755224", "287082", "359152",
	    "969429", "338314", "254676", "287922", "162583", "399871",
	    "520489" };
	char	code[16];
	int	i;

	(void)state;
	for (i = 0; i < 10; i++) {
		assert_int_equal(otp_hotp(seed20, 20, (uint64_t)i, 6, OTP_SHA1,
		    code, sizeof code, NULL), RD_OK);
		assert_string_equal(code, want[i]);
	}
}

static void
test_rfc6238(void **state)
{
	static const struct {
		int64_t		 t;
		const char	*sha1, *sha256, *sha512;
	} v[] = {
		{ 59, "94287082", "46119246", "90693936" },
		{ 1111111109, "07081804", "68084774", "25091201" },
		{ 1111111111, "14050471", "67062674", "99943326" },
		{ 1234567890, "89005924", "91819424", "93441116" },
		{ 2000000000, "69279037", "90698825", "38618901" },
		{ 20000000000LL, "65353130", "77737706", "47863826" },
	};
	char	code[16];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint64_t	step = (uint64_t)otp_step(v[i].t, 30);

		OTP_OK(otp_hotp(seed20, 20, step, 8, OTP_SHA1, code,
		    sizeof code, NULL));
		assert_string_equal(code, v[i].sha1);
		OTP_OK(otp_hotp(seed32, 32, step, 8, OTP_SHA256, code,
		    sizeof code, NULL));
		assert_string_equal(code, v[i].sha256);
		OTP_OK(otp_hotp(seed64, 64, step, 8, OTP_SHA512, code,
		    sizeof code, NULL));
		assert_string_equal(code, v[i].sha512);
	}
}

static void
test_match_window(void **state)
{
	int64_t	found = -1;

	(void)state;
	/* 969429 is counter 3: found from 1 with a window of 3, not of 2. */
	assert_true(otp_match(seed20, 20, 1, 3, 6, OTP_SHA1, "969429",
	    &found));
	assert_int_equal(found, 3);
	assert_false(otp_match(seed20, 20, 1, 2, 6, OTP_SHA1, "969429",
	    &found));
	/* Wrong length never matches, even when a prefix would. */
	assert_false(otp_match(seed20, 20, 0, 10, 6, OTP_SHA1, "75522",
	    &found));
	assert_false(otp_match(seed20, 20, 0, 10, 6, OTP_SHA1, "7552240",
	    &found));
	assert_false(otp_match(seed20, 20, 0, 10, 6, OTP_SHA1, "000000",
	    &found));
}

static void
test_digits_bounds(void **state)
{
	char	code[16];

	(void)state;
	assert_int_equal(otp_hotp(seed20, 20, 0, 5, OTP_SHA1, code,
	    sizeof code,
	    NULL), RD_CONFIG);
	assert_int_equal(otp_hotp(seed20, 20, 0, 9, OTP_SHA1, code,
	    sizeof code,
	    NULL), RD_CONFIG);
	assert_int_equal(otp_hotp(seed20, 20, 0, 7, OTP_SHA1, code,
	    sizeof code,
	    NULL), RD_OK);
	assert_int_equal(strlen(code), 7);
}

static void
test_base32(void **state)
{
	char	*b32;
	uint8_t	*back;
	size_t	 len;

	(void)state;
	b32 = otp_base32(seed20, 20);
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(otp_base32_decode(b32, &back, &len, NULL), RD_OK);
	assert_int_equal(len, 20);
	assert_memory_equal(back, seed20, 20);
	free(back);
	free(b32);
	/* 16 bytes leave a partial group: no '=' in what apps get. */
	b32 = otp_base32(seed20, 16);
	assert_null(strchr(b32, '='));
	free(b32);
	assert_int_equal(otp_base32_decode("not base32!", &back, &len, NULL),
	    RD_USAGE);
}

static void
test_uri(void **state)
{
	struct otp_uri	u = { "totp", "ACME Co", "john.doe@email.com", seed20,
			    20, OTP_SHA256, 8, 60, 0 };
	char		*s;

	(void)state;
	s = otp_uri(&u);
	assert_string_equal(s, "otpauth://totp/ACME%20Co:john.doe%40email.com"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co"
	    "&algorithm=SHA256&digits=8&period=60");
	free(s);
	u.type = "hotp";
	u.counter = 5;
	s = otp_uri(&u);
	assert_non_null(strstr(s, "otpauth://hotp/"));
	assert_non_null(strstr(s, "&counter=5"));
	free(s);
	/* At the Key URI Format's defaults, the parameters are left out. */
	u.type = "totp";
	u.algo = OTP_SHA1;
	u.digits = 6;
	u.period = 30;
	s = otp_uri(&u);
	assert_string_equal(s, "otpauth://totp/ACME%20Co:john.doe%40email.com"
	    "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co");
	free(s);
}

/* The case: issuer "ACME Help Desk" and a 30-character user. */
static const char uri130[] = "otpauth://totp/ACME%20Help%20Desk:"
    "alice.smith.example%40acme.corp?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3T"
    "QOJQ&issuer=ACME%20Help%20Desk";

static void
test_qr_size(void **state)
{
	struct otp_uri	 u = { "totp", "ACME Help Desk",
			    "alice.smith.example@acme.corp", seed20, 20,
			    OTP_SHA1, 6, 30, 0 };
	struct qr	*q;
	char		*s, *big;
	int		 x, y;

	(void)state;
	s = otp_uri(&u);
	assert_string_equal(s, uri130);
	assert_in_range(strlen(s), 120, 135);
	q = qr_new(s);
	free(s);
	assert_non_null(q);
	/* Version 6 at most: 41 modules and the quiet zone fit 23 rows. */
	assert_in_range(qr_version(q), 1, 6);
	assert_in_range(qr_side(q), 21 + 2 * QR_QUIET, 45);
	/* Error correction raised as far as the same version holds. */
	assert_true(strchr("LMQH", qr_level(q)) != NULL);
	/* A light quiet zone, then the finder pattern's dark corner. */
	for (y = 0; y < qr_side(q); y++)
		for (x = 0; x < QR_QUIET; x++) {
			assert_false(qr_dark(q, x, y));
			assert_false(qr_dark(q, y, x));
			assert_false(qr_dark(q, qr_side(q) - 1 - x, y));
		}
	assert_true(qr_dark(q, QR_QUIET, QR_QUIET));
	assert_false(qr_dark(q, -1, 0));
	assert_false(qr_dark(q, qr_side(q), 0));
	qr_free(q);
	/* A code cannot hold 4000 bytes. */
	big = malloc(4001);
	memset(big, 'x', 4000);
	big[4000] = '\0';
	assert_null(qr_new(big));
	free(big);
}

static void
test_qr_text(void **state)
{
	struct qr	*q = qr_new("otpauth://totp/redoubt:alice?secret=AAAA");
	char		*t, *p;
	int		 lines = 0;

	(void)state;
	assert_non_null(q);
	t = qr_text(q, true);
	for (p = t; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	/* Two module rows a line; the top quiet rows are light on light. */
	assert_int_equal(lines, (qr_side(q) + 1) / 2);
	assert_true(strncmp(t, "\033[97;107m\u2580", 12) == 0);
	assert_non_null(strstr(t, "\033[30;"));
	assert_non_null(strstr(t, "\033[0m\n"));
	free(t);
	t = qr_text(q, false);
	lines = 0;
	for (p = t; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, qr_side(q));
	assert_null(strstr(t, "\u2580"));
	free(t);
	qr_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4226),
		cmocka_unit_test(test_rfc6238),
		cmocka_unit_test(test_match_window),
		cmocka_unit_test(test_digits_bounds),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_qr_size),
		cmocka_unit_test(test_qr_text),
	};

	return cmocka_run_group_tests_name("otp", tests, NULL, NULL);
}
