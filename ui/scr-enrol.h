/*
 * scr-enrol.h: the enrolment wizard's state, shared by its flow and keys
 * (scr-enrol.c) and its drawing (scr-enrol-draw.c).  Nothing else
 * includes it: other screens know only scr_enrol_new and
 * scr_enrol_resume (screen.h).
 */
#ifndef RD_UI_SCR_ENROL_H
#define RD_UI_SCR_ENROL_H

#include <stdbool.h>
#include <stdint.h>

#include "peek.h"
#include "print.h"
#include "proof.h"
#include "screen.h"
#include "widget.h"

struct qr;

enum wiz_step {
	W_KEYLINE,	/* device key material */
	W_PROOF,	/* a code from an active method, to add this one */
	W_CODE,		/* the code that confirms */
};

/* Focus: the QR (app), the field, then the buttons. */
enum {
	FOCUS_QR,
	FOCUS_FIELD,
	FOCUS_CONFIRM,	/* Confirm; Continue on the proof step */
	FOCUS_RESEND,	/* Resend; Send a code on the proof step */
};

struct scr_enrol {
	struct screen	 base;
	char		*user;
	char		*method;
	bool		 sends;		/* a code is sent: Resend */
	bool		 to_outbox;	/* and kept in the outbox */
	bool		 resume;	/* pending already: show it again */
	char		*prompt;	/* key material asked first; NULL: none */
	char		*hint;		/* what the person does with the key */
	char		*label;		/* of the code field */
	enum wiz_step	 step;
	bool		 started;
	struct field	 keyline;
	struct field	 proof;
	struct field	 code;
	int		 focus;
	cJSON		*act;		/* activate's answer; holds the secret */
	struct qr	*qr;
	bool		 invert;
	bool		 secret_view;	/* s: the secret and URI, not the QR */
	int64_t		 expires_at;	/* of the code sent; 0: none */
	int64_t		 resend_at;	/* when another may be sent */
	/* The proof step: what may prove, and a method that sends a code. */
	struct proof	 prover;
	struct peek	 peek;
	struct print_src print;		/* p on the QR view */
};

/* Now on the session's clock (a test's fixed one in tests). */
int64_t	enrol_now(const struct scr_enrol *s);
void	enrol_draw(struct screen *sc, struct canvas *c);

#endif
