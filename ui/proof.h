/*
 * proof.h: a code that proves an operator's step (adding a method,
 * making one primary, deactivating one, new backup codes), as the
 * enrolment wizard and the code dialogs ask for it.  From `user show`'s
 * answer it works out which methods may prove the step, what the field's
 * label says, and a method that can send a code ("Send a code by X": the
 * primary first); after a send it keeps where the code went, when
 * another may go (counted down on the session's clock) and, for an
 * outbox channel, the message itself (peek.h).
 */
#ifndef RD_UI_PROOF_H
#define RD_UI_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "peek.h"

struct canvas;
struct ui_job;

struct proof {
	char		provers[200];	/* "app or email" */
	char		label[240];	/* "Code from app or a backup code" */
	char		sender[64];	/* "": none sends codes */
	bool		sender_outbox;
	int64_t		resend_at;	/* when another may be sent */
	char		info[300];	/* where the last one went */
	struct peek	peek;
};

/*
 * What may prove, from show (`user show`'s answer): only that method
 * (NULL: any active one), and backup codes where backup is true and the
 * user has some left and the config lets them serve outside a login.
 */
void		 proof_take(struct proof *p, const cJSON *show,
		    const char *only, bool backup);
/* request-code through the sender, as tag. */
struct ui_job	*proof_send_job(const struct proof *p, int tag,
		    const char *user);
/*
 * request-code's answer at now: the cooldown and where the code went.
 * True when the outbox should be read next (peek_job, then peek_take).
 */
bool		 proof_sent(struct proof *p, const cJSON *out, int64_t now);
/* "Send a code by X" or "Send a code by X in 25 seconds". */
void		 proof_button(const struct proof *p, int64_t now, char *buf,
		    size_t size);
/* what, or "what in 25 seconds" until at. */
void		 proof_countdown(const char *what, int64_t at, int64_t now,
		    char *buf, size_t size);
/* Where the code went and the outbox's message, from y; rows used. */
int		 proof_draw_sent(struct canvas *c, int x, int y, int w, int h,
		    const struct proof *p);
/* Wipe what it holds. */
void		 proof_clear(struct proof *p);

#endif
