/*
 * rowmac.c: keyed BLAKE2b over the columns of a row that decide a login
 * (vault-int.h).  The table's name opens the MAC, so a row cannot pass
 * for one of another table; each field carries its type and length.
 */
#include <string.h>

#include "../src/i18n.h"
#include "vault-int.h"

enum {
	RM_NULL,
	RM_INT,
	RM_TEXT,
	RM_BLOB,
};

static void
rowmac_tag(struct rowmac *m, uint8_t tag, const void *p, size_t n)
{
	uint8_t	len[4];

	len[0] = (uint8_t)(n >> 24);
	len[1] = (uint8_t)(n >> 16);
	len[2] = (uint8_t)(n >> 8);
	len[3] = (uint8_t)n;
	crypto_generichash_update(&m->st, &tag, 1);
	crypto_generichash_update(&m->st, len, sizeof len);
	if (n > 0)
		crypto_generichash_update(&m->st, p, n);
}

void
rowmac_init(const struct vault *v, struct rowmac *m, const char *table)
{
	crypto_generichash_init(&m->st, v->keys->row, sizeof v->keys->row,
	    VAULT_HASH_LEN);
	rowmac_tag(m, RM_TEXT, table, strlen(table));
}

void
rowmac_init_header(const struct vault *v, struct rowmac *m, bool keyed)
{
	if (keyed)
		crypto_generichash_init(&m->st, v->keys->header,
		    sizeof v->keys->header, VAULT_HASH_LEN);
	else
		crypto_generichash_init(&m->st, NULL, 0, VAULT_HASH_LEN);
	rowmac_tag(m, RM_TEXT, "meta", 4);
}

void
rowmac_col(struct rowmac *m, struct store_stmt *st, int col)
{
	switch (stmt_type(st, col)) {
	case STORE_INT:
		rowmac_int(m, stmt_int(st, col));
		break;
	case STORE_NULL:
		rowmac_tag(m, RM_NULL, NULL, 0);
		break;
	case STORE_TEXT:
		rowmac_text(m, (const char *)stmt_text(st, col));
		break;
	default:
		rowmac_blob(m, stmt_blob(st, col),
		    (size_t)stmt_bytes(st, col));
		break;
	}
}

void
rowmac_int(struct rowmac *m, int64_t x)
{
	uint8_t		b[8];
	uint64_t	u = (uint64_t)x;
	int		i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(u >> (8 * i));
	rowmac_tag(m, RM_INT, b, sizeof b);
}

void
rowmac_text(struct rowmac *m, const char *s)
{
	if (s == NULL)
		rowmac_tag(m, RM_NULL, NULL, 0);
	else
		rowmac_tag(m, RM_TEXT, s, strlen(s));
}

void
rowmac_blob(struct rowmac *m, const void *p, size_t n)
{
	if (p == NULL)
		rowmac_tag(m, RM_NULL, NULL, 0);
	else
		rowmac_tag(m, RM_BLOB, p, n);
}

void
rowmac_final(struct rowmac *m, uint8_t out[VAULT_HASH_LEN])
{
	crypto_generichash_final(&m->st, out, VAULT_HASH_LEN);
	sodium_memzero(m, sizeof *m);
}

bool
rowmac_check(struct store_stmt *st, int col, const uint8_t mac[VAULT_HASH_LEN])
{
	return stmt_bytes(st, col) == VAULT_HASH_LEN &&
	    sodium_memcmp(stmt_blob(st, col), mac,
	    VAULT_HASH_LEN) == 0;
}

enum rd_code
rowmac_bad(const char *table, int64_t row, struct rd_err *err)
{
	return rd_err_set(err, RD_VAULT_CORRUPT, _("%s row %lld fails its "
	    "check: it was changed outside redoubt"), table, (long long)row);
}
