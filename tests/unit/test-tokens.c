/*
 * test-tokens.c: the readers of import tokens and the PSKC writer, with
 * hostile input: OATH CSV rows (defaults, comments, bad or odd hex, huge
 * digits, counters and periods, unknown types and algorithms, missing
 * and extra columns, control characters, duplicate serials), YubiKey
 * log rows of both layouts and other modes, PSKC written and read back
 * (every field), PSKC as Yubico's tool writes it, PSKC that is not XML, not base64, encrypted or of an
 * unknown algorithm, the --assign map, and the params lines an imported
 * method keeps (and the app parameters they override).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"
#include "../../src/token.h"
#include "../../src/util.h"

#define SEED20	"3132333435363738393031323334353637383930"

static struct csv *
csv_of(const char *text, FILE **fpp)
{
	FILE	*fp = fmemopen((void *)(uintptr_t)text, strlen(text), "r");

	assert_non_null(fp);
	*fpp = fp;
	return csv_open_stream(fp, "test.csv");
}

static void
read_oath(const char *text, struct token_set *s)
{
	FILE		*fp;
	struct csv	*c = csv_of(text, &fp);
	struct rd_err	 err;

	token_set_init(s);
	assert_int_equal(tok_oathcsv_read(c, s, &err), RD_OK);
	csv_free(c);
	fclose(fp);
}

/* The reason of the refusal at line, or NULL. */
static const char *
reason_at(const struct token_set *s, long line)
{
	size_t	i;

	for (i = 0; i < s->nbad; i++)
		if (s->bad[i].line == line)
			return s->bad[i].reason;
	return NULL;
}

static void
assert_refused(const struct token_set *s, long line, const char *part)
{
	const char	*r = reason_at(s, line);

	if (r == NULL || strstr(r, part) == NULL)
		fail_msg("line %ld: wanted a refusal with \"%s\", got \"%s\"",
		    line, part, r != NULL ? r : "(none)");
}

static void
test_oath_good(void **state)
{
	struct token_set	s;

	(void)state;
	read_oath("# comment, with, commas\n"
	    "T1, " SEED20 ", totp, 8, 60, sha256, alice\n"
	    "\n"
	    "H1," SEED20 ",HOTP,6,17,,bob\n"
	    "H2," SEED20 "\n"
	    "T2 , " SEED20 " , totp\r\n"
	    "T3," SEED20 ",totp,6,30,HMAC-SHA512\n", &s);
	assert_int_equal(s.nbad, 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.tok[0].serial, "T1");
	assert_int_equal(s.tok[0].type, TOKEN_TOTP);
	assert_int_equal(s.tok[0].algo, OTP_SHA256);
	assert_int_equal(s.tok[0].digits, 8);
	assert_int_equal(s.tok[0].period, 60);
	assert_int_equal(s.tok[0].counter, -1);
	assert_int_equal(s.tok[0].line, 2);
	assert_string_equal(s.tok[0].user, "alice");
	assert_int_equal(s.tok[0].secret_len, 20);
	assert_memory_equal(s.tok[0].secret, "12345678901234567890", 20);
	assert_int_equal(s.tok[1].type, TOKEN_HOTP);
	assert_int_equal(s.tok[1].counter, 17);
	assert_int_equal(s.tok[1].algo, OTP_SHA1);
	assert_string_equal(s.tok[1].where, "line 4");
	/* privacyIDEA's defaults: hotp, 6 digits, counter 0, no user. */
	assert_int_equal(s.tok[2].type, TOKEN_HOTP);
	assert_int_equal(s.tok[2].digits, 6);
	assert_int_equal(s.tok[2].counter, 0);
	assert_null(s.tok[2].user);
	assert_string_equal(s.tok[3].serial, "T2");
	assert_int_equal(s.tok[3].period, 30);
	assert_int_equal(s.tok[4].algo, OTP_SHA512);
	token_set_free(&s);
}

static void
test_oath_hostile(void **state)
{
	struct token_set	s;

	(void)state;
	read_oath("A1, zz" SEED20 ", totp\n"			/* 1 */
	    "A2, " SEED20 "0, totp\n"				/* 2 */
	    "A3, 3132, totp\n"					/* 3 */
	    "A4, " SEED20 ", totp, 99999999999999999999\n"	/* 4 */
	    "A5, " SEED20 ", ocra\n"				/* 5 */
	    "A6\n"						/* 6 */
	    ", " SEED20 ", totp\n"				/* 7 */
	    "A8, " SEED20 ", totp, 6, 30, sha1, u, extra\n"	/* 8 */
	    "A9, " SEED20 ", totp, 6, 5\n"			/* 9 */
	    "A10, " SEED20 ", hotp, 6, -1\n"			/* 10 */
	    "A11, " SEED20 ", hotp, 6, 99999999999\n"		/* 11 */
	    "A12, " SEED20 ", totp, 6, 30, md5\n"		/* 12 */
	    "\"A\x01\", " SEED20 ", totp\n"			/* 13 */
	    "A14, " SEED20 ", totp, 7x\n"			/* 14 */
	    "A15, " SEED20 SEED20 SEED20 SEED20 SEED20 SEED20
	    SEED20 ", totp\n"					/* 15 */
	    "A16, " SEED20 ", totp, 6, 30, sha1, "
	    "\"" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"		/* 16 */
	    "OK1, " SEED20 ", totp\n"				/* 17 */
	    "OK1, " SEED20 ", hotp\n"				/* 18 */
	    "\"unclosed, " SEED20 "\n", &s);			/* 19 */
	assert_refused(&s, 1, "not hexadecimal");
	assert_refused(&s, 2, "odd number of hex digits");
	assert_refused(&s, 3, "too short");
	assert_refused(&s, 4, "digits must be 6 to 8");
	assert_refused(&s, 5, "unknown type");
	assert_refused(&s, 6, "the seed is missing");
	assert_refused(&s, 7, "the serial is missing");
	assert_refused(&s, 8, "8 columns");
	assert_refused(&s, 9, "the period must be 10 to 300");
	assert_refused(&s, 10, "the counter must be a whole number");
	assert_refused(&s, 11, "the counter must be a whole number");
	assert_refused(&s, 12, "unknown algorithm");
	assert_refused(&s, 13, "the serial is missing or not");
	assert_refused(&s, 14, "digits must be 6 to 8");
	assert_refused(&s, 15, "too long");
	assert_refused(&s, 16, "the user name is too long");
	assert_refused(&s, 18, "serial OK1 already appears at line 17");
	assert_refused(&s, 19, "quote");
	/* A serial that is no serial is not repeated in the report. */
	assert_string_equal(s.bad[12].serial, "");
	assert_int_equal(s.n, 1);
	assert_string_equal(s.tok[0].serial, "OK1");
	assert_int_equal(s.tok[0].type, TOKEN_TOTP);
	token_set_free(&s);
}

static void
test_oath_version2(void **state)
{
	FILE			*fp;
	struct csv		*c = csv_of("# version: 2\nu,r,m,S," SEED20
				    ",totp\n", &fp);
	struct token_set	 s;
	struct rd_err		 err;

	(void)state;
	token_set_init(&s);
	assert_int_equal(tok_oathcsv_read(c, &s, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "version 2"));
	token_set_free(&s);
	csv_free(c);
	fclose(fp);
}

static void
read_yk(const char *text, struct token_set *s)
{
	FILE		*fp;
	struct csv	*c = csv_of(text, &fp);
	struct rd_err	 err;

	token_set_init(s);
	assert_int_equal(tok_yubico_read(c, s, &err), RD_OK);
	csv_free(c);
	fclose(fp);
}

static void
test_yubico(void **state)
{
	struct token_set	s;
	static const uint8_t	uid[6] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };

	(void)state;
	read_yk("LOGGING START,30.11.26 04:00\n"
	    "Yubico OTP,30.11.26 04:01,1,ccccccDEFGHI,a1b2c3d4e5f6,"
	    "00112233445566778899aabbccddeeff,,,0,0,0,0,0,0,0,0,0,0\n"
	    "OATH-HOTP,30.11.26 04:02,2,cccccccccccc,," SEED20 ",,,0\n"
	    "5083266,cccccccfgjkl,0102030405ff,"
	    "ffeeddccbbaa99887766554433221100,000000000000,"
	    "2026-11-30T04:03:00,\n"
	    "508327,,0," SEED20 ",,2013-12-12T08:41:17,\n"
	    "508328,,,9e2fd386224a7f77e9b5aee775464033,,2013-12-12,\n"
	    "7,cccccccfgjkl,0102030405ff,ffeeddcc,0,x,\n"
	    "8,abcdefabcdef,0102030405ff,"
	    "ffeeddccbbaa99887766554433221100,0,x,\n"
	    "9,cccccccfgjkl,01020304,"
	    "ffeeddccbbaa99887766554433221100,0,x,\n"
	    "10,cccccccfgjkl\n"
	    "Static Password,x,1,,d5a3d50327dc,"
	    "0e8e37b0e38b314a56748c030f58d21d\n"
	    "Yubico OTP,x,1,cccccccfgjkl\n", &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.tok[0].type, TOKEN_YUBIKEY);
	/* The Traditional layout has no serial: the public id is it. */
	assert_string_equal(s.tok[0].serial, "ccccccDEFGHI");
	assert_string_equal(s.tok[0].public_id, "ccccccdefghi");
	assert_memory_equal(s.tok[0].private_id, uid, 6);
	assert_int_equal(s.tok[0].secret_len, 16);
	assert_int_equal(s.tok[0].secret[15], 0xff);
	assert_int_equal(s.tok[0].counter, -1);
	assert_string_equal(s.tok[1].serial, "5083266");
	assert_string_equal(s.tok[1].public_id, "cccccccfgjkl");
	assert_refused(&s, 3, "event type OATH-HOTP");
	assert_refused(&s, 5, "not a Yubico OTP row (no private id");
	assert_refused(&s, 6, "not a Yubico OTP row (no private id");
	assert_refused(&s, 7, "the AES key is not usable");
	assert_refused(&s, 8, "modhex");
	assert_refused(&s, 9, "the private id is not usable");
	assert_refused(&s, 10, "too few columns");
	assert_refused(&s, 11, "event type Static Password");
	assert_refused(&s, 12, "too few columns");
	token_set_free(&s);
}

/* t as a filled-in token of s. */
static struct token *
mk(struct token_set *s, enum token_type type, const char *serial,
    const char *user)
{
	struct token	*t = token_set_add(s, 0, 0);
	size_t		 i;

	t->type = type;
	snprintf(t->serial, sizeof t->serial, "%s", serial);
	t->user = user != NULL ? xstrdup(user) : NULL;
	t->secret_len = type == TOKEN_YUBIKEY ? 16 : 32;
	t->secret = secret_alloc(t->secret_len + 1);
	for (i = 0; i < t->secret_len; i++)
		t->secret[i] = (uint8_t)(i * 7 + 1);
	return t;
}

static void
test_pskc_round_trip(void **state)
{
	struct token_set	 out, in;
	struct token		*t;
	struct rd_err		 err;
	char			*xml;
	size_t			 len;

	(void)state;
	token_set_init(&out);
	t = mk(&out, TOKEN_TOTP, "T-1", "alice");
	t->algo = OTP_SHA256;
	t->digits = 8;
	t->period = 60;
	t->counter = 29933524;
	t = mk(&out, TOKEN_HOTP, "H <&> 2", "bob \"b\"");
	t->algo = OTP_SHA512;
	t->counter = 42;
	t = mk(&out, TOKEN_YUBIKEY, "5083266", "carol");
	snprintf(t->public_id, sizeof t->public_id, "cccccccfgjkl");
	memcpy(t->private_id, "\x01\x02\x03\x04\x05\xff", 6);
	t->counter = 1281;
	t = mk(&out, TOKEN_TOTP, "T-4", NULL);
	t->period = 30;
	assert_int_equal(tok_pskc_write(out.tok, out.n, "Issuer & Co", &xml,
	    &len, &err), RD_OK);
	assert_int_equal(strlen(xml), len);
	assert_non_null(strstr(xml, "http://www.yubico.com/#yubikey-aes"));
	assert_non_null(strstr(xml, "CN=cccccccfgjkl, UID=0102030405ff"));
	token_set_init(&in);
	assert_int_equal(tok_pskc_read(xml, len, &in, &err), RD_OK);
	secret_release(xml);
	assert_int_equal(in.nbad, 0);
	assert_int_equal(in.n, 4);
	assert_string_equal(in.tok[0].serial, "T-1");
	assert_string_equal(in.tok[0].user, "alice");
	assert_int_equal(in.tok[0].type, TOKEN_TOTP);
	assert_int_equal(in.tok[0].algo, OTP_SHA256);
	assert_int_equal(in.tok[0].digits, 8);
	assert_int_equal(in.tok[0].period, 60);
	assert_int_equal(in.tok[0].counter, 29933524);
	assert_int_equal(in.tok[0].index, 1);
	assert_memory_equal(in.tok[0].secret, out.tok[0].secret, 32);
	assert_string_equal(in.tok[1].serial, "H <&> 2");
	assert_string_equal(in.tok[1].user, "bob \"b\"");
	assert_int_equal(in.tok[1].type, TOKEN_HOTP);
	assert_int_equal(in.tok[1].algo, OTP_SHA512);
	assert_int_equal(in.tok[1].counter, 42);
	assert_int_equal(in.tok[2].type, TOKEN_YUBIKEY);
	assert_string_equal(in.tok[2].user, "carol");
	assert_string_equal(in.tok[2].public_id, "cccccccfgjkl");
	assert_memory_equal(in.tok[2].private_id, out.tok[2].private_id, 6);
	assert_memory_equal(in.tok[2].secret, out.tok[2].secret, 16);
	assert_int_equal(in.tok[2].counter, 1281);
	assert_null(in.tok[3].user);
	/* TOTP without Time: no step used yet. */
	assert_int_equal(in.tok[3].counter, -1);
	token_set_free(&in);
	token_set_free(&out);
}

#define PSKC_HEAD "<?xml version=\"1.0\"?><KeyContainer xmlns=\"urn:ietf:" \
	"params:xml:ns:keyprov:pskc\" Version=\"1.0\">"
#define PSKC_KEY(serial, alg, inner) "<KeyPackage><DeviceInfo><SerialNo>" \
	serial "</SerialNo><UserId>u</UserId></DeviceInfo><Key Id=\"" serial \
	"\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:" alg "\">" \
	inner "</Key></KeyPackage>"
#define SECRET20 "<Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=" \
	"</PlainValue></Secret></Data>"

static enum rd_code
read_pskc(const char *xml, struct token_set *s, struct rd_err *err)
{
	token_set_init(s);
	return tok_pskc_read(xml, strlen(xml), s, err);
}

static void
test_pskc_hostile(void **state)
{
	struct token_set	s;
	struct rd_err		err;

	(void)state;
	assert_int_equal(read_pskc("<KeyContainer", &s, &err), RD_USAGE);
	token_set_free(&s);
	assert_int_equal(read_pskc("", &s, &err), RD_USAGE);
	token_set_free(&s);
	assert_int_equal(read_pskc("<?xml version=\"1.0\"?><foo/>", &s, &err),
	    RD_USAGE);
	token_set_free(&s);
	/* libpskc refuses a container with a value that is not base64. */
	assert_int_equal(read_pskc(PSKC_HEAD PSKC_KEY("B", "totp",
	    "<Data><Secret><PlainValue>!!not base64</PlainValue></Secret>"
	    "</Data>") "</KeyContainer>", &s, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "not base64"));
	token_set_free(&s);
	assert_int_equal(read_pskc(PSKC_HEAD
	    PSKC_KEY("E1", "totp", "<Data><Secret><EncryptedValue>"
	    "<xenc:CipherData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\">"
	    "<xenc:CipherValue>AAEC</xenc:CipherValue></xenc:CipherData>"
	    "</EncryptedValue></Secret></Data>")
	    PSKC_KEY("E2", "totp", "<AlgorithmParameters><ResponseFormat "
	    "Encoding=\"DECIMAL\" Length=\"4294967295\"/>"
	    "</AlgorithmParameters>" SECRET20)
	    PSKC_KEY("E3", "ocra", SECRET20)
	    PSKC_KEY("E4", "totp", "<Data><Secret><PlainValue>MTIz"
	    "</PlainValue></Secret></Data>")
	    PSKC_KEY("E5", "hotp", "<AlgorithmParameters><Suite>MD5</Suite>"
	    "</AlgorithmParameters>" SECRET20)
	    PSKC_KEY("E6", "totp", "<Data><Secret><PlainValue>"
	    "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret>"
	    "<TimeInterval><PlainValue>0</PlainValue></TimeInterval></Data>")
	    PSKC_KEY("E1", "totp", SECRET20)
	    "<KeyPackage><Key Algorithm=\"urn:ietf:params:xml:ns:keyprov:"
	    "pskc:totp\">" SECRET20 "</Key></KeyPackage>"
	    "<KeyPackage><DeviceInfo><SerialNo>Y1</SerialNo></DeviceInfo>"
	    "<Key Id=\"Y1\" Algorithm=\"http://www.yubico.com/#yubikey-aes\">"
	    "<Data><Secret><PlainValue>ABEiM0RVZneImaq7zN3u/w==</PlainValue>"
	    "</Secret></Data><UserId>CN=xyz, UID=0102</UserId></Key>"
	    "</KeyPackage>"
	    PSKC_KEY("OK", "totp", SECRET20)
	    "</KeyContainer>", &s, &err), RD_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.tok[0].serial, "OK");
	assert_int_equal(s.nbad, 9);
	assert_int_equal(s.bad[0].index, 1);
	assert_non_null(strstr(s.bad[0].reason, "no secret"));
	assert_non_null(strstr(s.bad[1].reason, "digits must be"));
	assert_non_null(strstr(s.bad[2].reason, "unknown Algorithm"));
	assert_non_null(strstr(s.bad[3].reason, "the secret has 3 bytes"));
	assert_non_null(strstr(s.bad[4].reason, "unknown algorithm"));
	assert_non_null(strstr(s.bad[5].reason, "the period must be"));
	assert_non_null(strstr(s.bad[6].reason, "the serial"));
	assert_non_null(strstr(s.bad[7].reason, "public id"));
	assert_string_equal(s.bad[8].serial, "E1");
	assert_non_null(strstr(s.bad[8].reason, "already appears at "
	    "KeyPackage 1"));
	token_set_free(&s);
	assert_int_equal(read_pskc(PSKC_HEAD "</KeyContainer>", &s, &err),
	    RD_USAGE);
	token_set_free(&s);
}

/* As Yubico's personalization tool writes it, both slots of one key. */
static void
test_pskc_yubico_tool(void **state)
{
	struct token_set	s;
	struct rd_err		err;

	(void)state;
	assert_int_equal(read_pskc("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "\n<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:"
	    "keyprov:pskc\">\n"
	    "<KeyPackage><DeviceInfo><Manufacturer>Yubico</Manufacturer>"
	    "<SerialNo>508326</SerialNo></DeviceInfo><CryptoModuleInfo><Id>1"
	    "</Id></CryptoModuleInfo><Key Id=\"508326:1\" Algorithm=\"http://"
	    "www.yubico.com/#yubikey-aes\"><AlgorithmParameters><ResponseFormat"
	    " Length=\"44\" Encoding=\"ALPHANUMERIC\"/></AlgorithmParameters>"
	    "<Data><Secret><PlainValue>ABEiM0RVZneImaq7zN3u/w==</PlainValue>"
	    "</Secret></Data><UserId>CN=vvgutbiedkvi, UID=ab86c04de6a3</UserId>"
	    "</Key></KeyPackage>\n"
	    "<KeyPackage><DeviceInfo><Manufacturer>Yubico</Manufacturer>"
	    "<SerialNo>508326</SerialNo></DeviceInfo><CryptoModuleInfo><Id>2"
	    "</Id></CryptoModuleInfo><Key Id=\"508326:2\" Algorithm=\"http://"
	    "www.yubico.com/#yubikey-aes\"><AlgorithmParameters><ResponseFormat"
	    " Length=\"44\" Encoding=\"ALPHANUMERIC\"/></AlgorithmParameters>"
	    "<Data><Secret><PlainValue>/+7dzLuqmYh3ZlVEMyIRAA==</PlainValue>"
	    "</Secret></Data><UserId>CN=VVGUTBIEDKVJ, UID=ab86c04de6a4</UserId>"
	    "</Key></KeyPackage>\n</KeyContainer>\n", &s, &err), RD_OK);
	assert_int_equal(s.nbad, 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.tok[0].serial, "508326:1");
	assert_string_equal(s.tok[0].public_id, "vvgutbiedkvi");
	assert_int_equal(s.tok[0].private_id[0], 0xab);
	assert_int_equal(s.tok[0].secret[0], 0x00);
	assert_null(s.tok[0].user);
	assert_string_equal(s.tok[1].serial, "508326:2");
	assert_string_equal(s.tok[1].public_id, "vvgutbiedkvj");
	token_set_free(&s);
}

static void
test_assign(void **state)
{
	FILE			*fp;
	struct csv		*c;
	struct token_assign	 a;
	struct rd_err		 err;

	(void)state;
	c = csv_of("User,Serial,note\nalice, S1 ,x\nbob,S2,y\n", &fp);
	assert_int_equal(token_assign_read(c, &a, &err), RD_OK);
	assert_int_equal(a.n, 2);
	assert_string_equal(token_assign_user(&a, "S1"), "alice");
	assert_string_equal(token_assign_user(&a, "S2"), "bob");
	assert_null(token_assign_user(&a, "S3"));
	token_assign_free(&a);
	csv_free(c);
	fclose(fp);
	c = csv_of("serial,user\nS1,a\nS1,b\n", &fp);
	assert_int_equal(token_assign_read(c, &a, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "line 2 and again on line 3"));
	csv_free(c);
	fclose(fp);
	c = csv_of("S1,alice\n", &fp);
	assert_int_equal(token_assign_read(c, &a, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "header serial,user"));
	csv_free(c);
	fclose(fp);
	c = csv_of("serial,user\nS1\n", &fp);
	assert_int_equal(token_assign_read(c, &a, &err), RD_USAGE);
	csv_free(c);
	fclose(fp);
	c = csv_of("", &fp);
	assert_int_equal(token_assign_read(c, &a, &err), RD_USAGE);
	csv_free(c);
	fclose(fp);
}

static void
test_params(void **state)
{
	struct token_set	 s;
	struct token		*t;
	struct be_app_params	 p;
	enum otp_algo		 algo = OTP_SHA1;
	char			*params, v[TOKEN_SERIAL_MAX + 1];
	char			 a[TOKEN_SERIAL_MAX + 1], b[TOKEN_SERIAL_MAX + 1];

	(void)state;
	token_set_init(&s);
	t = mk(&s, TOKEN_TOTP, "S=1", NULL);
	t->algo = OTP_SHA512;
	t->digits = 8;
	t->period = 60;
	params = token_params_format(t);
	assert_string_equal(params, "serial=S=1\nalgorithm=SHA512\n"
	    "digits=8\nperiod=60\n");
	assert_true(token_params_get(params, "serial", v, sizeof v));
	assert_string_equal(v, "S=1");
	assert_false(token_params_get(params, "seria", v, sizeof v));
	assert_false(token_params_get(params, "digits", v, 1));
	memset(&p, 0, sizeof p);
	p.digits = 6;
	p.period = 30;
	token_params_app(params, &p, &algo);
	assert_int_equal(algo, OTP_SHA512);
	assert_int_equal(p.digits, 8);
	assert_int_equal(p.period, 60);
	/* A counter-based method never gets a period. */
	p.period = 0;
	token_params_app(params, &p, &algo);
	assert_int_equal(p.period, 0);
	free(params);
	/* Values out of range are not the token's: the keys stand. */
	p.digits = 6;
	p.period = 30;
	token_params_app("digits=99\nperiod=1\nalgorithm=md5\n", &p, &algo);
	assert_int_equal(p.digits, 6);
	assert_int_equal(p.period, 30);
	t = mk(&s, TOKEN_YUBIKEY, "Y", NULL);
	params = token_params_format(t);
	assert_string_equal(params, "serial=Y\n");
	free(params);
	/* Made serials: stable, and different rows differ. */
	token_serial_of(NULL, 1, 2, 3, a);
	token_serial_of(NULL, 1, 2, 3, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 18);
	assert_true(str_has_prefix(a, "RD"));
	token_serial_of(NULL, 1, 3, 3, b);
	assert_string_not_equal(a, b);
	token_serial_of("serial=KEEP\n", 1, 2, 3, b);
	assert_string_equal(b, "KEEP");
	token_set_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oath_good),
		cmocka_unit_test(test_oath_hostile),
		cmocka_unit_test(test_oath_version2),
		cmocka_unit_test(test_yubico),
		cmocka_unit_test(test_pskc_round_trip),
		cmocka_unit_test(test_pskc_hostile),
		cmocka_unit_test(test_pskc_yubico_tool),
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_params),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
