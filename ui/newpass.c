/*
 * newpass.c: the new passphrase typed twice (newpass.h).  The fields are
 * widget.c's, so their text is wiped as every field's is.
 */
#include <string.h>

#include <sodium.h>

#include "../src/i18n.h"
#include "newpass.h"

void
newpass_init(struct newpass *p, const char *label)
{
	newpass_clear(p);
	p->pass.label = label;
	p->pass.masked = true;
	p->again.label = _("Again");
	p->again.masked = true;
}

int
newpass_draw(struct canvas *c, int x, int y, int w, int lw,
    const struct newpass *p, int focus)
{
	/* One label width for both, so the two fields line up. */
	if (lw < canvas_width(p->pass.label))
		lw = canvas_width(p->pass.label);
	if (lw < canvas_width(p->again.label))
		lw = canvas_width(p->again.label);
	field_draw(c, x, y, w, lw, &p->pass, focus == 1);
	field_draw(c, x, y + 1, w, lw, &p->again, focus == 2);
	return 2;
}

const char *
newpass_problem(const struct newpass *p)
{
	if (p->pass.len == 0)
		return _("the passphrase is empty: type one, then the same "
		    "again below it");
	if (p->again.len == 0)
		return _("type the passphrase a second time, below the "
		    "first");
	if (p->pass.len != p->again.len ||
	    sodium_memcmp(p->pass.buf, p->again.buf, p->pass.len) != 0)
		return _("the two passphrases are not the same: type both "
		    "again");
	return NULL;
}

void
newpass_clear(struct newpass *p)
{
	field_clear(&p->pass);
	field_clear(&p->again);
}
