/*
 * test-be-yubikey.c: the offline YubiKey handler.  Enrolment parsing, the
 * Yubico test vector of docs/protocols.md §6, and OTPs made at run time by
 * Debian's ykgenerate (an independent implementation) to check the replay
 * rule, the private id, the CRC, modhex and the public id binding, also
 * for OTPs typed on a Dvorak layout.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"
#include "../../backends/backend.h"
#include "../../src/util.h"

#define VEC_KEY		"ecde18dbe76fbd0c33330f1c354871db"
#define VEC_UID		"8792ebfe26cc"
#define VEC_OTP		"dteffujehknhfjbrjnlnldnhcujvddbikngjrtgh"
#define VEC_TOKEN	"hknhfjbrjnlnldnhcujvddbikngjrtgh"
#define PUBID		"ccccccbcgujh"

/* A key for the ykgenerate tests, different from the vector's. */
#define GEN_KEY		"00112233445566778899aabbccddeeff"
#define GEN_UID		"a1b2c3d4e5f6"

static const struct backend	*yk;

static enum rd_code
enrol(const char *input, struct be_device *dev, struct rd_err *err)
{
	struct be_call	call = { 0 };

	memset(dev, 0xa5, sizeof *dev);
	rd_err_clear(err);
	return yk->device->enrol(&call, input, dev, err);
}

static enum rd_code
check(struct be_device *dev, const char *otp, struct be_reply *reply,
    struct rd_err *err)
{
	struct be_call	call = { 0 };

	memset(reply, 0, sizeof *reply);
	rd_err_clear(err);
	return yk->device->validate(&call, dev, otp, reply, err);
}

/* ykgenerate's 32 modhex chars behind pubid; ctr and use as the key keeps them. */
static void
gen(const char *key, const char *uid, const char *pubid, unsigned ctr,
    unsigned use, char out[64])
{
	char	 cmd[256], line[128];
	FILE	*fp;
	size_t	 n;

	snprintf(cmd, sizeof cmd, "ykgenerate %s %s %04x %04x %02x %02x",
	    key, uid, ctr, (unsigned)randombytes_uniform(0x10000),
	    (unsigned)randombytes_uniform(0x100), use);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof line, fp));
	assert_int_equal(pclose(fp), 0);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	assert_int_equal(n, 32);
	n = strlen(pubid);
	assert_true(n <= 16);
	memcpy(out, pubid, n);
	memcpy(out + n, line, 33);
}

static void
test_enrol_good(void **state)
{
	struct be_device	dev;
	struct rd_err		err;
	uint8_t			want[22];

	(void)state;
	assert_int_equal(sodium_hex2bin(want, 16, VEC_KEY, 32, NULL, NULL,
	    NULL), 0);
	assert_int_equal(sodium_hex2bin(want + 16, 6, VEC_UID, 12, NULL, NULL,
	    NULL), 0);
	assert_int_equal(enrol(VEC_KEY " " VEC_UID, &dev, &err), RD_OK);
	assert_int_equal(dev.len, 22);
	assert_memory_equal(dev.material, want, 22);
	assert_string_equal(dev.public_id, "");
	assert_int_equal(dev.counter, -1);

	/* Case and surrounding whitespace do not matter. */
	assert_int_equal(enrol("  ECDE18DBE76FBD0C33330F1C354871DB\t"
	    "8792EBFE26CC \n", &dev, &err), RD_OK);
	assert_int_equal(dev.len, 22);
	assert_memory_equal(dev.material, want, 22);
}

static void
expect_usage(const char *input, const char *says)
{
	struct be_device	dev;
	struct rd_err		err;

	assert_int_equal(enrol(input, &dev, &err), RD_USAGE);
	assert_int_equal(err.code, RD_USAGE);
	if (strstr(err.msg, says) == NULL)
		fail_msg("'%s': message '%s' lacks '%s'", input, err.msg, says);
	/* Never the key, not even a piece of it. */
	assert_null(strstr(err.msg, "ecde18"));
	assert_null(strstr(err.msg, "354871"));
	assert_null(strstr(err.msg, "ECDE18"));
	assert_int_equal(dev.len, 0);
}

static void
test_enrol_bad(void **state)
{
	struct be_device	dev;
	struct rd_err		err;

	(void)state;
	expect_usage("ecde18dbe76fbd0c33330f1c354871dz " VEC_UID,
	    "AES key is not hex");
	expect_usage(VEC_KEY " 8792ebfe26cx", "private id is not hex");
	expect_usage("ecde18dbe76fbd0c33330f1c354871 " VEC_UID,
	    "AES key must be 32 hex digits, not 30");
	expect_usage(VEC_KEY "00 " VEC_UID, "AES key must be 32 hex digits, "
	    "not 34");
	expect_usage(VEC_KEY VEC_KEY VEC_KEY " " VEC_UID, "not 96");
	expect_usage(VEC_KEY " 8792ebfe26cc00", "private id must be 12 hex "
	    "digits, not 14");
	expect_usage(VEC_KEY " 8792eb", "not 6");
	expect_usage(VEC_KEY, "private id is missing");
	expect_usage("", "AES key is missing");
	expect_usage("   \n", "AES key is missing");
	expect_usage(VEC_KEY " " VEC_UID " extra", "unexpected text");
	expect_usage(VEC_KEY "-" VEC_UID, "AES key must be 32");
	assert_int_equal(enrol(NULL, &dev, &err), RD_USAGE);
}

static void
test_vector(void **state)
{
	struct be_device	dev;
	struct be_reply		reply;
	struct rd_err		err;
	struct rd_buf		t;
	struct be_call		call = { 0 };

	(void)state;
	assert_int_equal(enrol(VEC_KEY " " VEC_UID, &dev, &err), RD_OK);
	assert_int_equal(check(&dev, VEC_OTP, &reply, &err), RD_OK);
	assert_string_equal(reply.public_id, "dteffuje");
	assert_int_equal(dev.counter, 19 << 8 | 17);
	/* The same OTP again is a replay. */
	assert_int_equal(check(&dev, VEC_OTP, &reply, &err), RD_INVALID_CODE);
	assert_string_equal(err.msg, "OTP was already used (replay)");
	assert_int_equal(dev.counter, 19 << 8 | 17);

	/* The 44-char form, typed with caps lock on; a transcript hides it. */
	assert_int_equal(enrol(VEC_KEY " " VEC_UID, &dev, &err), RD_OK);
	rd_buf_init(&t, 0);
	call.transcript = &t;
	memset(&reply, 0, sizeof reply);
	assert_int_equal(yk->device->validate(&call, &dev, "CCCCCCBCGUJH"
	    "HKNHFJBRJNLNLDNHCUJVDDBIKNGJRTGH", &reply, &err), RD_OK);
	assert_string_equal(reply.public_id, PUBID);
	assert_int_equal(dev.counter, 19 << 8 | 17);
	assert_non_null(strstr(t.data, "accepted"));
	assert_null(strstr(t.data, "hknhfj"));
	assert_null(strstr(t.data, "HKNHFJ"));
	rd_buf_free(&t);
}

static void
test_generated_counters(void **state)
{
	static const struct {
		unsigned	ctr, use;
		enum rd_code	rc;
	} steps[] = {
		{ 0x0001, 0x00, RD_OK },
		{ 0x0001, 0x01, RD_OK },
		{ 0x0001, 0x01, RD_INVALID_CODE },	/* equal pair */
		{ 0x0001, 0x00, RD_INVALID_CODE },	/* lower use */
		{ 0x0002, 0x00, RD_OK },		/* new power-up */
		{ 0x0001, 0xff, RD_INVALID_CODE },	/* older session */
		{ 0x0002, 0x05, RD_OK },		/* uses may be skipped */
		{ 0x8002, 0x05, RD_INVALID_CODE },	/* caps lock bit is no counter */
		{ 0x8003, 0x00, RD_OK },		/* caps lock, newer */
		{ 0x7fff, 0xff, RD_OK },		/* the largest */
		{ 0x7fff, 0xff, RD_INVALID_CODE },
	};
	struct be_device	dev;
	struct be_reply		reply;
	struct rd_err		err;
	char			otp[64];
	int64_t			last = -1;
	size_t			i;

	(void)state;
	assert_int_equal(enrol(GEN_KEY " " GEN_UID, &dev, &err), RD_OK);
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		gen(GEN_KEY, GEN_UID, PUBID, steps[i].ctr, steps[i].use, otp);
		if (check(&dev, otp, &reply, &err) != steps[i].rc)
			fail_msg("step %zu (ctr %04x use %02x): got '%s'", i,
			    steps[i].ctr, steps[i].use, err.msg);
		if (steps[i].rc == RD_OK) {
			last = (int64_t)((steps[i].ctr & 0x7fff) << 8 |
			    steps[i].use);
			assert_string_equal(reply.public_id, PUBID);
		} else
			assert_string_equal(err.msg,
			    "OTP was already used (replay)");
		assert_int_equal(dev.counter, last);
	}
}

static void
test_generated_refusals(void **state)
{
	struct be_device	dev;
	struct be_reply		reply;
	struct rd_err		err;
	char			otp[64], bad[128];
	const char		*p;
	size_t			i;

	(void)state;
	assert_int_equal(enrol(GEN_KEY " " GEN_UID, &dev, &err), RD_OK);

	/* Another private id, right AES key. */
	gen(GEN_KEY, "a1b2c3d4e5f7", PUBID, 5, 0, otp);
	assert_int_equal(check(&dev, otp, &reply, &err), RD_INVALID_CODE);
	assert_non_null(strstr(err.msg, "private id"));
	assert_int_equal(dev.counter, -1);

	/* Another AES key: the CRC fails. */
	gen("ffeeddccbbaa99887766554433221100", GEN_UID, PUBID, 5, 0, otp);
	assert_int_equal(check(&dev, otp, &reply, &err), RD_INVALID_CODE);
	assert_non_null(strstr(err.msg, "CRC"));

	/* One token character changed to another modhex character. */
	gen(GEN_KEY, GEN_UID, PUBID, 5, 0, otp);
	for (i = 12; i < 44; i += 7) {
		memcpy(bad, otp, sizeof otp);
		p = strchr("cbdefghijklnrtuv", bad[i]);
		assert_non_null(p);
		bad[i] = p[1] != '\0' ? p[1] : 'c';
		assert_int_equal(check(&dev, bad, &reply, &err),
		    RD_INVALID_CODE);
		assert_int_equal(dev.counter, -1);
	}

	/* Not modhex, wrong lengths, no public id. */
	memcpy(bad, otp, sizeof otp);
	bad[20] = 'a';
	assert_int_equal(check(&dev, bad, &reply, &err), RD_INVALID_CODE);
	assert_non_null(strstr(err.msg, "modhex"));
	assert_int_equal(check(&dev, otp + 12, &reply, &err), RD_INVALID_CODE);
	assert_int_equal(check(&dev, "", &reply, &err), RD_INVALID_CODE);
	snprintf(bad, sizeof bad, "ccccccccccccc%s", otp);	/* 57 chars */
	assert_int_equal(check(&dev, bad, &reply, &err), RD_INVALID_CODE);
	snprintf(bad, sizeof bad, "cccc%s", otp);		/* 48: fine */
	assert_int_equal(check(&dev, bad, &reply, &err), RD_OK);
	assert_string_equal(reply.public_id, "cccc" PUBID);
	assert_int_equal(dev.counter, 5 << 8);
}

static void
test_public_id_binding(void **state)
{
	struct be_device	dev;
	struct be_reply		reply;
	struct rd_err		err;
	char			otp[64];

	(void)state;
	assert_int_equal(enrol(GEN_KEY " " GEN_UID, &dev, &err), RD_OK);
	snprintf(dev.public_id, sizeof dev.public_id, "%s", PUBID);
	gen(GEN_KEY, GEN_UID, "ccccccbcgujj", 7, 0, otp);
	assert_int_equal(check(&dev, otp, &reply, &err), RD_INVALID_CODE);
	assert_non_null(strstr(err.msg, "another YubiKey"));
	assert_int_equal(dev.counter, -1);
	/* The same token behind the bound id is accepted. */
	memcpy(otp, PUBID, 12);
	assert_int_equal(check(&dev, otp, &reply, &err), RD_OK);
	assert_int_equal(dev.counter, 7 << 8);
}

/* What a key types on a Dvorak layout: each modhex digit's key position. */
static void
dvorak(const char *modhex, char *out, bool caps)
{
	static const char	from[] = "cbdefghijklnrtuv";
	static const char	to[] = "jxe.uidchtnbpygk";
	size_t			i;

	for (i = 0; modhex[i] != '\0'; i++) {
		out[i] = to[strchr(from, modhex[i]) - from];
		if (caps && out[i] != '.')
			out[i] = (char)(out[i] - 'a' + 'A');
	}
	out[i] = '\0';
}

static void
test_dvorak(void **state)
{
	struct be_device	dev;
	struct be_reply		reply;
	struct rd_err		err;
	struct rd_buf		t;
	struct be_call		call = { 0 };
	char			otp[64], typed[64];

	(void)state;
	/* The vector typed on Dvorak: read back, decrypted, counted. */
	dvorak(VEC_OTP, typed, false);
	assert_string_equal(typed, "ey.uugh.dtbduhxphbnbnebdjghkeexctbihpyid");
	assert_int_equal(enrol(VEC_KEY " " VEC_UID, &dev, &err), RD_OK);
	rd_buf_init(&t, 0);
	call.transcript = &t;
	memset(&reply, 0, sizeof reply);
	assert_int_equal(yk->device->validate(&call, &dev, typed, &reply,
	    &err), RD_OK);
	assert_string_equal(reply.public_id, "dteffuje");
	assert_int_equal(dev.counter, 19 << 8 | 17);
	assert_non_null(strstr(t.data, "Dvorak"));
	assert_null(strstr(t.data, "h.dtbduhx"));
	assert_null(strstr(t.data, "hknhfjbrj"));
	rd_buf_free(&t);
	/* The same OTP in modhex is a replay: one OTP, two spellings. */
	assert_int_equal(check(&dev, VEC_OTP, &reply, &err), RD_INVALID_CODE);
	assert_string_equal(err.msg, "OTP was already used (replay)");

	/* ykgenerate's OTPs, on Dvorak with caps lock, bound by public id. */
	assert_int_equal(enrol(GEN_KEY " " GEN_UID, &dev, &err), RD_OK);
	snprintf(dev.public_id, sizeof dev.public_id, "%s", PUBID);
	gen(GEN_KEY, GEN_UID, PUBID, 3, 0, otp);
	dvorak(otp, typed, true);
	assert_int_equal(check(&dev, typed, &reply, &err), RD_OK);
	assert_string_equal(reply.public_id, PUBID);
	assert_int_equal(dev.counter, 3 << 8);
	gen(GEN_KEY, GEN_UID, "ccccccbcgujj", 4, 0, otp);
	dvorak(otp, typed, false);
	assert_int_equal(check(&dev, typed, &reply, &err), RD_INVALID_CODE);
	assert_non_null(strstr(err.msg, "another YubiKey (public id "
	    "ccccccbcgujj)"));

	/* Half Dvorak, half modhex is neither: refused, nothing counted. */
	gen(GEN_KEY, GEN_UID, PUBID, 5, 0, otp);
	dvorak(otp, typed, false);
	memcpy(typed + 20, otp + 20, 24);
	if (strpbrk(typed + 20, "flrv") == NULL)
		memcpy(typed + 20, "flrv", 4);	/* modhex only */
	assert_int_equal(check(&dev, typed, &reply, &err), RD_INVALID_CODE);
	assert_non_null(strstr(err.msg, "not modhex, nor modhex typed on a "
	    "Dvorak keyboard"));
	assert_int_equal(dev.counter, 3 << 8);
}

static void
test_no_material(void **state)
{
	struct be_device	dev;
	struct be_reply		reply;
	struct rd_err		err;

	(void)state;
	memset(&dev, 0, sizeof dev);
	dev.counter = -1;
	assert_int_equal(check(&dev, VEC_OTP, &reply, &err), RD_BAD_STATE);
	assert_string_equal(yk->cfg.source_field, "yubikey");
	assert_int_equal(yk->kind, BE_DEVICE);
	assert_int_equal(yk->cfg.nkeys, 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_enrol_good),
		cmocka_unit_test(test_enrol_bad),
		cmocka_unit_test(test_vector),
		cmocka_unit_test(test_generated_counters),
		cmocka_unit_test(test_generated_refusals),
		cmocka_unit_test(test_public_id_binding),
		cmocka_unit_test(test_dvorak),
		cmocka_unit_test(test_no_material),
	};

	if (sodium_init() < 0)
		return 1;
	if ((yk = backend_find("yubikey")) == NULL)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
