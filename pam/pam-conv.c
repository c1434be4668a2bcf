/*
 * pam-conv.c: talking to the person through the application's PAM
 * conversation (pam_prompt), never through stdout or stderr.  Answers
 * are copied into the call's secret buffers and wiped where libpam left
 * them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include <sodium.h>

#include "pam-int.h"

void
pam_say(struct pam_call *c, int style, const char *fmt, ...)
{
	va_list	ap;
	char	msg[512];

	if (c->silent && style == PAM_TEXT_INFO)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A message the application cannot show costs nothing more. */
	if (pam_prompt(c->pamh, style, NULL, "%s", msg) != PAM_SUCCESS)
		pam_debug(c, "the application did not show a message");
}

int
pam_ask_line(struct pam_call *c, const char *prompt, bool echo, char *buf,
    size_t size)
{
	char	*resp = NULL;
	size_t	 n;
	int	 r;

	buf[0] = '\0';
	r = pam_prompt(c->pamh, echo ? PAM_PROMPT_ECHO_ON :
	    PAM_PROMPT_ECHO_OFF, &resp, "%s", prompt);
	if (r != PAM_SUCCESS || resp == NULL) {
		pam_debug(c, "no answer to the prompt \"%s\"", prompt);
		free(resp);
		return r != PAM_SUCCESS ? r : PAM_CONV_ERR;
	}
	n = strlen(resp);
	if (n < size)
		memcpy(buf, resp, n + 1);
	sodium_memzero(resp, n);
	free(resp);
	if (n >= size) {
		pam_log(c, LOG_NOTICE, "an answer to \"%s\" longer than %zu "
		    "bytes was refused", prompt, size - 1);
		return PAM_AUTH_ERR;
	}
	return PAM_SUCCESS;
}
