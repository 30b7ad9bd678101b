/*-------------------------------------------------------------------------
 *
 * check.c
 *	  The reporting shared by the unit test programs; see check.h.
 *
 *-------------------------------------------------------------------------
 */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>

static int	n_passed;
static int	n_failed;

void
check(bool ok, const char *fmt,...)
{
	va_list		ap;
	char		msg[4096];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	printf("%s - ", ok ? "ok" : "FAILED");
	for (const char *p = msg; *p; p++)
	{
		if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else
			putchar(*p);
	}
	printf("\n");
	if (ok)
		n_passed++;
	else
		n_failed++;
}

int
check_summary(void)
{
	printf("%d passed, %d failed\n", n_passed, n_failed);
	return n_failed > 0 ? 1 : 0;
}
