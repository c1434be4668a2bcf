/*
 * pam-aid.c: a helper module pam-harness stacks around pam_redoubt.so.
 *
 *   authtok  before it, a stand-in for the first module of a real stack
 *            (pam_unix): asks "Password: " through pam_get_authtok, which
 *            keeps the answer as PAM_AUTHTOK (an application may not set
 *            that item; only a module may), and passes.  Nothing is
 *            checked: pam_redoubt's `password use_first_pass` is tested.
 *   ignored  after it, reached only when pam_redoubt answered PAM_IGNORE
 *            (libpam turns a stack of ignores into PAM_PERM_DENIED):
 *            leaves PAM_HARNESS_IGNORED=1 in the PAM environment, which
 *            the harness reads, and fails.
 */
#include <stddef.h>
#include <string.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	const char	*tok = NULL;

	(void)flags;
	if (argc == 1 && strcmp(argv[0], "ignored") == 0) {
		if (pam_putenv(pamh, "PAM_HARNESS_IGNORED=1") != PAM_SUCCESS)
			return PAM_SYSTEM_ERR;
		return PAM_AUTH_ERR;
	}
	if (pam_get_authtok(pamh, PAM_AUTHTOK, &tok, NULL) != PAM_SUCCESS)
		return PAM_AUTH_ERR;
	return PAM_SUCCESS;
}

int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
