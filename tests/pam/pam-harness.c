/*
 * pam-harness.c: drives pam_redoubt.so through the real libpam without
 * touching the system's PAM setup.  It writes a service file naming the
 * module by its absolute path into a temporary folder, opens it with
 * pam_start_confdir (Linux-PAM 1.4+), answers the module's prompts from
 * a file of lines (a line "!CMD" is answered by the first line CMD prints
 * when the prompt comes, for a code sent during the login), and prints on stdout every message, prompt and syslog
 * line of the module, then "result: PAM_NAME".
 *
 *   pam-harness --module /abs/pam_redoubt.so [--user NAME] [--rhost HOST]
 *       [--service NAME] [--aid MODULE [--first]] [--answers FILE]
 *       [--bench N --users FILE] -- MODULE ARGUMENTS...
 *
 * The module's line is "auth [success=done ignore=ignore default=die]
 * MODULE ARGS", so the result is the module's own.  With --aid (the
 * helper module tests/pam/pam-aid.c), a line after it reports a
 * PAM_IGNORE, which libpam would turn into PAM_PERM_DENIED; --first also
 * stacks the helper before it, to ask "Password: " and keep the answer
 * as PAM_AUTHTOK (which an application may not set).
 *
 * The harness defines pam_syslog and pam_vsyslog itself and exports them
 * (linked with -rdynamic), so the module's syslog lines come here instead
 * of the system log.  --bench runs N authentications on one PAM handle,
 * the users taken in turn from FILE and the answers in turn from
 * --answers, and prints the median CPU time (getrusage) and wall time of
 * pam_authenticate.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>
#include <security/pam_ext.h>

#define MAX_LINES	4096

struct lines {
	char	*v[MAX_LINES];
	int	 n, next;
};

static int	quiet;

void
pam_vsyslog(const pam_handle_t *pamh, int priority, const char *fmt,
    va_list args)
{
	(void)pamh;
	(void)priority;
	if (quiet)
		return;
	fputs("syslog: ", stdout);
	vprintf(fmt, args);
	putchar('\n');
}

void
pam_syslog(const pam_handle_t *pamh, int priority, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	pam_vsyslog(pamh, priority, fmt, ap);
	va_end(ap);
}

static void
lines_read(struct lines *l, const char *path)
{
	FILE	*f;
	char	 buf[4096];

	if (path == NULL)
		return;
	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(2);
	}
	while (l->n < MAX_LINES && fgets(buf, sizeof buf, f) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		l->v[l->n++] = strdup(buf);
	}
	fclose(f);
}

/* The answer a line stands for: itself, or what "!CMD" prints. */
static char *
answer(const char *line)
{
	FILE	*p;
	char	 buf[1024] = "";

	if (line[0] != '!')
		return strdup(line);
	fflush(stdout);
	if ((p = popen(line + 1, "r")) == NULL)
		return strdup("");
	if (fgets(buf, sizeof buf, p) == NULL)
		buf[0] = '\0';
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

static int
conv(int n, const struct pam_message **msg, struct pam_response **resp,
    void *arg)
{
	struct lines		*answers = arg;
	struct pam_response	*r = calloc((size_t)n, sizeof *r);
	int			 i;

	if (r == NULL)
		return PAM_BUF_ERR;
	for (i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_TEXT_INFO:
			if (!quiet)
				printf("info: %s\n", msg[i]->msg);
			break;
		case PAM_ERROR_MSG:
			if (!quiet)
				printf("error: %s\n", msg[i]->msg);
			break;
		case PAM_PROMPT_ECHO_OFF:
		case PAM_PROMPT_ECHO_ON:
			if (!quiet)
				printf("%s: %s\n", msg[i]->msg_style ==
				    PAM_PROMPT_ECHO_OFF ? "prompt" :
				    "prompt-echo", msg[i]->msg);
			if (answers->next >= answers->n) {
				if (!quiet)
					printf("conv: no answer left\n");
				while (i-- > 0)
					free(r[i].resp);
				free(r);
				return PAM_CONV_ERR;
			}
			r[i].resp = answer(answers->v[answers->next++]);
			break;
		default:
			break;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}

static const char *
result_name(int r)
{
	static const struct { int r; const char *name; } t[] = {
		{ PAM_SUCCESS, "PAM_SUCCESS" },
		{ PAM_AUTH_ERR, "PAM_AUTH_ERR" },
		{ PAM_MAXTRIES, "PAM_MAXTRIES" },
		{ PAM_USER_UNKNOWN, "PAM_USER_UNKNOWN" },
		{ PAM_AUTHINFO_UNAVAIL, "PAM_AUTHINFO_UNAVAIL" },
		{ PAM_IGNORE, "PAM_IGNORE" },
		{ PAM_CONV_ERR, "PAM_CONV_ERR" },
		{ PAM_SERVICE_ERR, "PAM_SERVICE_ERR" },
		{ PAM_SYSTEM_ERR, "PAM_SYSTEM_ERR" },
		{ PAM_CRED_INSUFFICIENT, "PAM_CRED_INSUFFICIENT" },
		{ PAM_ABORT, "PAM_ABORT" },
		{ PAM_BUF_ERR, "PAM_BUF_ERR" },
		{ PAM_PERM_DENIED, "PAM_PERM_DENIED" },
	};
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].r == r)
			return t[i].name;
	return "PAM_OTHER";
}

/* CPU time so far, in ms: user (sys false) or system (sys true). */
static double
cpu_ms(bool sys)
{
	struct rusage	ru;
	struct timeval	tv;

	getrusage(RUSAGE_SELF, &ru);
	tv = sys ? ru.ru_stime : ru.ru_utime;
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

static double
wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
usage(void)
{
	fputs("usage: pam-harness --module PATH [--user NAME] [--rhost HOST] "
	    "[--service NAME]\n    [--aid MODULE [--first]] [--answers FILE] "
	    "[--bench N --users FILE] -- ARGS...\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	const char	*module = NULL, *user = NULL, *rhost = NULL;
	const char	*service = "redoubt-test", *aid = NULL;
	const char	*answers_path = NULL, *users_path = NULL;
	struct lines	 answers = { .n = 0 }, users = { .n = 0 };
	struct pam_conv	 pc = { conv, &answers };
	pam_handle_t	*pamh = NULL;
	char		 dir[] = "/tmp/pam-harness.XXXXXX", path[4200];
	double		*cpu = NULL, *wall = NULL, *usr = NULL, *sys = NULL;
	double		 u0, s0, w0;
	FILE		*f;
	int		 i, r = PAM_SUCCESS, bench = 0, ok = 0, first = 0;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--first") != 0 && i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--module") == 0)
			module = argv[++i];
		else if (strcmp(argv[i], "--user") == 0)
			user = argv[++i];
		else if (strcmp(argv[i], "--rhost") == 0)
			rhost = argv[++i];
		else if (strcmp(argv[i], "--service") == 0)
			service = argv[++i];
		else if (strcmp(argv[i], "--aid") == 0)
			aid = argv[++i];
		else if (strcmp(argv[i], "--first") == 0)
			first = 1;
		else if (strcmp(argv[i], "--answers") == 0)
			answers_path = argv[++i];
		else if (strcmp(argv[i], "--users") == 0)
			users_path = argv[++i];
		else if (strcmp(argv[i], "--bench") == 0)
			bench = atoi(argv[++i]);
		else
			usage();
	}
	if (module == NULL || module[0] != '/' || i >= argc ||
	    (bench > 0 && users_path == NULL))
		usage();
	lines_read(&answers, answers_path);
	lines_read(&users, users_path);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof path, "%s/%s", dir, service);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		return 2;
	}
	if (first && aid != NULL)
		fprintf(f, "auth optional %s authtok\n", aid);
	fprintf(f, "auth [success=done ignore=ignore default=die] %s",
	    module);
	for (i++; i < argc; i++)
		fprintf(f, " %s", argv[i]);
	fputc('\n', f);
	if (aid != NULL)
		fprintf(f, "auth required %s ignored\n", aid);
	fclose(f);

	/*
	 * Keep the module loaded for the process's life, as a long-lived
	 * sshd does: libraries it links allocate tables once at load (cairo's
	 * pixman) and keep them until exit, and libpam's dlclose at pam_end
	 * would cut them loose, so that the leak check at exit would blame
	 * them instead of looking for the module's own leaks.
	 */
	if (dlopen(module, RTLD_NOW | RTLD_NODELETE) == NULL) {
		printf("dlopen: %s\n", dlerror());
		return 2;
	}
	if ((r = pam_start_confdir(service, user, &pc, dir, &pamh)) !=
	    PAM_SUCCESS) {
		printf("pam_start_confdir: %s\n", result_name(r));
		goto out;
	}
	if (rhost != NULL)
		pam_set_item(pamh, PAM_RHOST, rhost);
	if (bench <= 0) {
		r = pam_authenticate(pamh, 0);
		printf("result: %s\n", pam_getenv(pamh,
		    "PAM_HARNESS_IGNORED") != NULL ? "PAM_IGNORE" :
		    result_name(r));
		goto out;
	}
	quiet = 1;
	cpu = calloc((size_t)bench, sizeof *cpu);
	wall = calloc((size_t)bench, sizeof *wall);
	usr = calloc((size_t)bench, sizeof *usr);
	sys = calloc((size_t)bench, sizeof *sys);
	if (cpu == NULL || wall == NULL || usr == NULL || sys == NULL)
		goto out;
	for (i = 0; i < bench; i++) {
		pam_set_item(pamh, PAM_USER, users.v[i % users.n]);
		u0 = cpu_ms(false);
		s0 = cpu_ms(true);
		w0 = wall_ms();
		r = pam_authenticate(pamh, 0);
		usr[i] = cpu_ms(false) - u0;
		sys[i] = cpu_ms(true) - s0;
		cpu[i] = usr[i] + sys[i];
		wall[i] = wall_ms() - w0;
		ok += r == PAM_SUCCESS;
	}
	qsort(cpu, (size_t)bench, sizeof *cpu, cmp_double);
	qsort(wall, (size_t)bench, sizeof *wall, cmp_double);
	qsort(usr, (size_t)bench, sizeof *usr, cmp_double);
	qsort(sys, (size_t)bench, sizeof *sys, cmp_double);
	printf("pam_redoubt: %d authentications (key file, TOTP), %d "
	    "PAM_SUCCESS; median CPU %.2f ms (target < 5 ms; user %.2f, "
	    "system %.2f), median wall %.2f ms (fsync included), slowest CPU "
	    "%.2f ms\n", bench, ok, cpu[bench / 2], usr[bench / 2],
	    sys[bench / 2], wall[bench / 2], cpu[bench - 1]);
	r = ok == bench ? PAM_SUCCESS : PAM_AUTH_ERR;
out:
	if (pamh != NULL)
		pam_end(pamh, r);
	unlink(path);
	rmdir(dir);
	free(cpu);
	free(wall);
	free(usr);
	free(sys);
	for (i = 0; i < answers.n; i++)
		free(answers.v[i]);
	for (i = 0; i < users.n; i++)
		free(users.v[i]);
	return r == PAM_SUCCESS ? 0 : 1;
}
