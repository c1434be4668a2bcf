/*
 * sheet.c: the enrolment sheet of sheet.h, drawn with cairo's PDF
 * surface: text with cairo's own font selection (fontconfig: any sans
 * and monospace face, Polish letters included), and the QR code as one
 * path of filled squares from libqrencode's module matrix (qr.h), so it
 * prints sharp at any resolution.  The page is A4; a long list of backup
 * codes takes more columns rather than a second page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <sodium.h>

#include "i18n.h"
#include "qr.h"
#include "sheet.h"
#include "util.h"

/* A4 in points, and the margins. */
#define PAGE_W		595.28
#define PAGE_H		841.89
#define MARGIN		56.0
#define TEXT_W		(PAGE_W - 2 * MARGIN)
#define QR_SIZE		180.0	/* points a side, quiet zone included */

/* The faces of the page, made once a sheet and released with it. */
enum sheet_face {
	FACE_SANS,
	FACE_BOLD,
	FACE_MONO,	/* bold monospace: the secret and the codes */
	FACE_COUNT
};

struct sheet_faces {
	cairo_font_face_t	*f[FACE_COUNT];
};

static const cairo_user_data_key_t	sheet_faces_key;

struct sheet_file {
	char	*path;		/* as given */
	char	*tmp;		/* the temporary name; NULL once gone */
};

/* Where the PDF bytes go: an open file, and the first write error. */
struct sheet_sink {
	int	fd;
	int	error;		/* errno of a failed write; 0: none */
};

static cairo_status_t
sheet_sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sheet_sink	*k = closure;
	ssize_t			 w;

	while (len > 0) {
		w = write(k->fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			k->error = w < 0 ? errno : EIO;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += w;
		len -= (unsigned int)w;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void
sheet_faces_new(struct sheet_faces *fc)
{
	fc->f[FACE_SANS] = cairo_toy_font_face_create("sans-serif",
	    CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	fc->f[FACE_BOLD] = cairo_toy_font_face_create("sans-serif",
	    CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	fc->f[FACE_MONO] = cairo_toy_font_face_create("monospace",
	    CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
}

static void
sheet_faces_free(struct sheet_faces *fc)
{
	int	i;

	for (i = 0; i < FACE_COUNT; i++)
		cairo_font_face_destroy(fc->f[i]);
}

/*
 * Faces set once and kept, rather than cairo_select_font_face each time,
 * which leaves fontconfig patterns behind in cairo 1.16.
 */
static void
sheet_font(cairo_t *cr, enum sheet_face face, double size)
{
	struct sheet_faces	*fc = cairo_get_user_data(cr, &sheet_faces_key);

	cairo_set_font_face(cr, fc->f[face]);
	cairo_set_font_size(cr, size);
}

static double
sheet_width(cairo_t *cr, const char *text)
{
	cairo_text_extents_t	e;

	cairo_text_extents(cr, text, &e);
	return e.x_advance;
}

/* One line at (x, y), the baseline. */
static void
sheet_line(cairo_t *cr, double x, double y, const char *text)
{
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, text);
}

/*
 * text wrapped at spaces to width, from baseline y, lh points a line;
 * returns the baseline after the last line (which a caller may ignore).
 */
static double
sheet_wrap(cairo_t *cr, double x, double y, double width, double lh,
    const char *text)
{
	char	*buf = xstrdup(text), *start = buf, *p, *cut, save;

	while (*start != '\0') {
		cut = NULL;
		for (p = start;; p++) {
			if (*p != ' ' && *p != '\0')
				continue;
			save = *p;
			*p = '\0';
			if (cut != NULL && sheet_width(cr, start) > width) {
				*p = save;
				break;
			}
			*p = save;
			cut = p;
			if (*p == '\0')
				break;
		}
		save = *cut;
		*cut = '\0';
		sheet_line(cr, x, y, start);
		y += lh;
		start = save == '\0' ? cut : cut + 1;
		while (*start == ' ')
			start++;
	}
	free(buf);
	return y;
}

/* The QR code as filled squares, size points a side, at (x, y). */
static void
sheet_qr(cairo_t *cr, const struct qr *q, double x, double y, double size)
{
	int	side = qr_side(q), i, j;
	double	m = size / side;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	/* One path, filled once: neighbours merge without seams. */
	for (j = 0; j < side; j++)
		for (i = 0; i < side; i++)
			if (qr_dark(q, i, j))
				cairo_rectangle(cr, x + i * m, y + j * m, m, m);
	cairo_fill(cr);
}

/* The secret in groups of four, into buf (wiped by the caller). */
static void
sheet_groups(const char *secret, char *buf, size_t size)
{
	size_t	i, j = 0;

	for (i = 0; secret[i] != '\0' && j + 2 < size; i++) {
		if (i > 0 && i % 4 == 0)
			buf[j++] = ' ';
		buf[j++] = secret[i];
	}
	buf[j] = '\0';
}

static double
sheet_heading(cairo_t *cr, double y, const char *text)
{
	sheet_font(cr, FACE_BOLD, 14);
	sheet_line(cr, MARGIN, y, text);
	return y + 20;
}

/* The app part: instructions, the QR code, the secret. */
static double
sheet_app(cairo_t *cr, const struct sheet *s, const struct qr *q, double y)
{
	char	grouped[256];

	y = sheet_heading(cr, y, _("Authenticator app"));
	sheet_font(cr, FACE_SANS, 10.5);
	y = sheet_wrap(cr, MARGIN, y, TEXT_W, 14, _("Scan the QR code with "
	    "your authenticator app, or type the secret below into it by "
	    "hand. Then enter the code the app shows whenever you are asked "
	    "for one."));
	if (q != NULL) {
		sheet_qr(cr, q, MARGIN, y, QR_SIZE);
		y += QR_SIZE + 18;
	}
	if (s->secret != NULL) {
		sheet_font(cr, FACE_SANS, 10.5);
		sheet_line(cr, MARGIN, y, _("Secret:"));
		y += 18;
		sheet_groups(s->secret, grouped, sizeof grouped);
		sheet_font(cr, FACE_MONO, 13);
		sheet_line(cr, MARGIN, y, grouped);
		sodium_memzero(grouped, sizeof grouped);
		y += 30;
	}
	return y;
}

/* The backup codes, numbered, in as many columns as the page needs. */
static void
sheet_codes(cairo_t *cr, const struct sheet *s, double y)
{
	const double	lh = 18, room = PAGE_H - MARGIN - 60;
	size_t		i, cols = 2, rows;
	char		line[160];

	y = sheet_heading(cr, y, _("Backup codes"));
	sheet_font(cr, FACE_SANS, 10.5);
	y = sheet_wrap(cr, MARGIN, y, TEXT_W, 14, _("Each backup code works "
	    "once, wherever a code is asked for. Use one when your phone or "
	    "key is not at hand, and cross it out."));
	y += 6;
	while (cols < 6 && y + (double)((s->ncodes + cols - 1) / cols) * lh >
	    room)
		cols++;
	rows = (s->ncodes + cols - 1) / cols;
	sheet_font(cr, FACE_MONO, cols > 3 ? 10 : 13);
	for (i = 0; i < s->ncodes; i++) {
		snprintf(line, sizeof line, "%2zu. %s", i + 1, s->codes[i]);
		sheet_line(cr, MARGIN + (double)(i / rows) * (TEXT_W /
		    (double)cols), y + (double)(i % rows) * lh, line);
		sodium_memzero(line, sizeof line);
	}
}

static void
sheet_draw(cairo_t *cr, const struct sheet *s, const struct qr *q)
{
	char		 date[64], line[512];
	struct tm	 tm;
	time_t		 t = (time_t)s->when;
	double		 y = MARGIN + 20;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%d", &tm) == 0)
		snprintf(date, sizeof date, "?");
	cairo_set_source_rgb(cr, 0, 0, 0);
	sheet_font(cr, FACE_BOLD, 22);
	sheet_line(cr, MARGIN, y, _("Two-step sign-in"));
	y += 34;
	sheet_font(cr, FACE_SANS, 12);
	snprintf(line, sizeof line, _("User: %s"), s->user);
	sheet_line(cr, MARGIN, y, line);
	y += 18;
	if (s->issuer != NULL && s->issuer[0] != '\0') {
		snprintf(line, sizeof line, _("Issuer: %s"), s->issuer);
		sheet_line(cr, MARGIN, y, line);
		y += 18;
	}
	snprintf(line, sizeof line, _("Date: %s"), date);
	sheet_line(cr, MARGIN, y, line);
	y += 34;
	if (s->uri != NULL || s->secret != NULL)
		y = sheet_app(cr, s, q, y);
	if (s->ncodes > 0)
		sheet_codes(cr, s, y);
	/* At the foot of the page, whatever is above. */
	sheet_font(cr, FACE_SANS, 10.5);
	sheet_wrap(cr, MARGIN, PAGE_H - MARGIN - 28, TEXT_W, 14,
	    _("Keep this sheet private and safe: whoever holds it can sign "
	    "in as you. Destroy it when you no longer need it."));
}

/* The PDF into an open file; the reason of a failure into err. */
static enum rd_code RD_CHECK
sheet_render(const struct sheet *s, int fd, const char *path,
    struct rd_err *err)
{
	struct sheet_sink	 sink = { fd, 0 };
	cairo_surface_t		*surf;
	cairo_t			*cr;
	struct sheet_faces	 faces;
	cairo_status_t		 st;
	struct qr		*q = NULL;

	if (s->uri != NULL && (q = qr_new(s->uri)) == NULL)
		return rd_err_set(err, RD_USAGE, _("the otpauth URI is too "
		    "long for a QR code"));
	surf = cairo_pdf_surface_create_for_stream(sheet_sink_write, &sink,
	    PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE,
	    _("Two-step sign-in"));
	cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
	    "redoubt");
	cr = cairo_create(surf);
	sheet_faces_new(&faces);
	(void)cairo_set_user_data(cr, &sheet_faces_key, &faces, NULL);
	sheet_draw(cr, s, q);
	cairo_show_page(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	sheet_faces_free(&faces);
	cairo_surface_finish(surf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(surf);
	cairo_surface_destroy(surf);
	qr_free(q);
	if (sink.error != 0)
		return rd_err_set(err, RD_USAGE, _("cannot write %s: %s"),
		    path, strerror(sink.error));
	if (st != CAIRO_STATUS_SUCCESS)
		return rd_err_set(err, RD_USAGE, _("cannot write %s: %s"),
		    path, cairo_status_to_string(st));
	if (fsync(fd) != 0)
		return rd_err_set(err, RD_USAGE, _("cannot write %s: %s"),
		    path, strerror(errno));
	return RD_OK;
}

enum rd_code
sheet_check_path(const char *path, struct rd_err *err)
{
	struct stat	st;

	if (lstat(path, &st) == 0)
		return rd_err_set(err, RD_EXISTS, _("%s exists already: a "
		    "sheet is never written over a file (give another name)"),
		    path);
	if (errno != ENOENT)
		return rd_err_set(err, RD_USAGE, _("cannot create %s: %s"),
		    path, strerror(errno));
	return RD_OK;
}

enum rd_code
sheet_stage(const struct sheet *s, const char *path, struct sheet_file **out,
    struct rd_err *err)
{
	struct sheet_file	*f;
	const char		*slash = strrchr(path, '/');
	int			 fd;
	enum rd_code		 rc;

	*out = NULL;
	if (path[0] == '\0')
		return rd_err_set(err, RD_USAGE, _("the sheet needs a file "
		    "name"));
	if (s->uri == NULL && s->secret == NULL && s->ncodes == 0)
		return rd_err_set(err, RD_USAGE, _("nothing to print on a "
		    "sheet for %s: no app secret and no backup codes"),
		    s->user);
	if ((rc = sheet_check_path(path, err)) != RD_OK)
		return rc;
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	/* Beside the path, so that linking it there is one step. */
	if (slash == NULL)
		f->tmp = xstrdup(".redoubt-sheet-XXXXXX");
	else {
		f->tmp = xmalloc((size_t)(slash - path) + 24);
		snprintf(f->tmp, (size_t)(slash - path) + 24,
		    "%.*s/.redoubt-sheet-XXXXXX", (int)(slash - path), path);
	}
	/* mkstemp: O_CREAT|O_EXCL, mode 0600. */
	if ((fd = mkstemp(f->tmp)) < 0) {
		rc = rd_err_set(err, RD_USAGE, _("cannot create %s: %s"),
		    path, strerror(errno));
		free(f->tmp);
		f->tmp = NULL;
		sheet_file_free(f);
		return rc;
	}
	rc = sheet_render(s, fd, path, err);
	if (close(fd) != 0 && rc == RD_OK)
		rc = rd_err_set(err, RD_USAGE, _("cannot write %s: %s"), path,
		    strerror(errno));
	if (rc != RD_OK) {
		sheet_file_free(f);
		return rc;
	}
	*out = f;
	return RD_OK;
}

enum rd_code
sheet_publish(struct sheet_file *f, struct rd_err *err)
{
	enum rd_code	rc = RD_OK;

	if (f->tmp == NULL)
		return rd_err_set(err, RD_USAGE, _("the sheet for %s is gone"),
		    f->path);
	/* link, not rename: it refuses a path that appeared meanwhile. */
	if (link(f->tmp, f->path) != 0)
		rc = errno == EEXIST ? sheet_check_path(f->path, err) :
		    rd_err_set(err, RD_USAGE, _("cannot create %s: %s"),
		    f->path, strerror(errno));
	(void)unlink(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
	return rc;
}

const char *
sheet_path(const struct sheet_file *f)
{
	return f->path;
}

void
sheet_file_free(struct sheet_file *f)
{
	if (f == NULL)
		return;
	if (f->tmp != NULL)
		(void)unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f);
}

enum rd_code
sheet_write(const struct sheet *s, const char *path, struct rd_err *err)
{
	struct sheet_file	*f;
	enum rd_code		 rc;

	if ((rc = sheet_stage(s, path, &f, err)) != RD_OK)
		return rc;
	rc = sheet_publish(f, err);
	sheet_file_free(f);
	return rc;
}
