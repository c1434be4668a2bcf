/*
 * proof.c: the code that proves an operator's step (proof.h).  Which
 * step needs one is the core's to say (`user show`'s code_needed); this
 * only names what may prove it and sends a code when asked.
 */
#include <stdio.h>
#include <string.h>

#include "../src/i18n.h"
#include "../src/words.h"
#include "proof.h"
#include "screen.h"
#include "widget.h"

static bool
active(const cJSON *m)
{
	return strcmp(job_str(m, "state"), "active") == 0;
}

/* Whether m may prove: active, and the one asked for when there is one. */
static bool
may_prove(const cJSON *m, const char *only)
{
	return active(m) && (only == NULL || strcmp(job_str(m, "name"),
	    only) == 0);
}

static void
proof_sender(struct proof *p, const cJSON *methods, const char *only)
{
	const cJSON	*m;
	int		 pass;

	/* The primary first: logins send there too. */
	for (pass = 0; pass < 2 && p->sender[0] == '\0'; pass++)
		cJSON_ArrayForEach(m, methods) {
			if (p->sender[0] != '\0' || !may_prove(m, only) ||
			    !job_has(m, "sends_code") ||
			    !job_bool(m, "sends_code") ||
			    (pass == 0 && !job_bool(m, "primary")))
				continue;
			snprintf(p->sender, sizeof p->sender, "%s",
			    job_str(m, "name"));
			p->sender_outbox = job_bool(m, "to_outbox");
		}
}

void
proof_take(struct proof *p, const cJSON *show, const char *only,
    bool backup)
{
	const cJSON	*m, *methods = cJSON_GetObjectItemCaseSensitive(show,
			    "methods");
	size_t		 n = 0;
	int		 count = 0, i = 0;

	p->provers[0] = p->sender[0] = '\0';
	p->sender_outbox = false;
	cJSON_ArrayForEach(m, methods)
		count += may_prove(m, only);
	/* "email", "email or app", "email, app or sms". */
	cJSON_ArrayForEach(m, methods) {
		if (!may_prove(m, only))
			continue;
		i++;
		n += (size_t)snprintf(p->provers + n, n < sizeof p->provers ?
		    sizeof p->provers - n : 0, "%s%s", i == 1 ? "" : i ==
		    count ? _(" or ") : ", ", job_str(m, "name"));
		if (n >= sizeof p->provers)
			n = sizeof p->provers - 1;
	}
	proof_sender(p, methods, only);
	backup = backup && job_bool(show, "backup_codes_everywhere") &&
	    job_num(show, "backup_codes_left") > 0;
	if (p->provers[0] == '\0')
		snprintf(p->label, sizeof p->label, "%s", _("Backup code"));
	else
		snprintf(p->label, sizeof p->label, _("Code from %s%s"),
		    p->provers, !backup ? "" : count > 2 ?
		    _(", or a backup code") : _(" or a backup code"));
}

struct ui_job *
proof_send_job(const struct proof *p, int tag, const char *user)
{
	struct ui_job	*j = job_new(tag, "request-code", user, p->sender,
			    NULL);

	j->slow = true;
	j->what = _("sending a code");
	return j;
}

bool
proof_sent(struct proof *p, const cJSON *out, int64_t now)
{
	char	dur[48];

	words_duration((long)job_num(out, "expires_in"), dur, sizeof dur);
	p->resend_at = now + (int64_t)job_num(out, "resend_in");
	snprintf(p->info, sizeof p->info, _("A code went by %s to %s; it "
	    "is valid for %s."), p->sender, job_str(out, "sent_to"), dur);
	if (!p->sender_outbox)
		return false;
	peek_set(&p->peek, p->sender, job_str(out, "sent_to"));
	return true;
}

void
proof_countdown(const char *what, int64_t at, int64_t now, char *buf,
    size_t size)
{
	char	dur[48];

	if (at > now) {
		words_duration((long)(at - now), dur, sizeof dur);
		snprintf(buf, size, _("%s in %s"), what, dur);
	} else
		snprintf(buf, size, "%s", what);
}

void
proof_button(const struct proof *p, int64_t now, char *buf, size_t size)
{
	char	what[120];

	snprintf(what, sizeof what, _("Send a code by %s"), p->sender);
	proof_countdown(what, p->resend_at, now, buf, size);
}

int
proof_draw_sent(struct canvas *c, int x, int y, int w, int h,
    const struct proof *p)
{
	int	used = 0;

	if (p->info[0] != '\0')
		used = text_wrap(c, x, y, w, 2, 0, 0, p->info) + 1;
	return used + peek_draw(c, x, y + used, w, h - used, &p->peek);
}

void
proof_clear(struct proof *p)
{
	peek_clear(&p->peek);
	p->info[0] = '\0';
	p->resend_at = 0;
}
