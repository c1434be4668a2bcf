/*
 * scr-login.h: the login tester's state, shared by its flow and keys
 * (scr-login.c) and its drawing (scr-login-draw.c).  Nothing else
 * includes it: other screens know only scr_login_new (screen.h).
 */
#ifndef RD_UI_SCR_LOGIN_H
#define RD_UI_SCR_LOGIN_H

#include <stdbool.h>

#include "screen.h"
#include "widget.h"

/* Its jobs. */
enum {
	T_LOGIN,
	T_CODE,
	T_RESEND,
	T_SWITCH,
};

enum login_step {
	L_PASSWORD,
	L_CODE,
	L_DONE,
};

enum {
	B_FIELD,
	B_VERIFY,
	B_RESEND,
	B_SWITCH,
	B_BACKUP,
	B_RESTART,
	B_COUNT
};

#define PICK_MAX	32

struct scr_login {
	struct screen	 base;
	enum login_step	 step;
	struct field	 user;
	struct field	 password;
	struct field	 code;
	int		 focus;		/* step 1: 0 user, 1 password */
	char		 token[128];
	cJSON		*methods;	/* login's, primary first */
	int		 nmethods, cur;
	bool		 backup;	/* a backup code is being typed */
	bool		 picking;	/* the Switch method picker is open */
	int		 pick[PICK_MAX], npick, psel;
	int		 want;		/* chosen, while its code is sent */
	char		 label[160];	/* of the code field */
	char		 info[1200];	/* where the code went */
	char		 result[1200];
};

/* Method i of login's answer, and what a person calls it. */
const cJSON	*login_at(const struct scr_login *s, int i);
/* Whether method i is still in the config (and so has its facts). */
bool		 login_usable(const struct scr_login *s, int i);
const char	*login_name(const struct scr_login *s, int i);
/* Its verbose_name, else its name. */
const char	*login_shown(const struct scr_login *s, int i);
void		 login_draw(struct screen *sc, struct canvas *c);

#endif
