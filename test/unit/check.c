/*-------------------------------------------------------------------------
 *
 * check.c
 *	  What the unit test programs share; see check.h.
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Add the files below root/rel to *files. */
static void
walk(const char *root, const char *rel, char ***files, int *nfiles, int *cap)
{
	char		path[2048];
	DIR		   *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s%s%s", root, rel[0] ? "/" : "", rel);
	d = opendir(path);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
	{
		char		sub[1024];
		char		full[3072];
		struct stat st;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "_decoded") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
				 de->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(root, sub, files, nfiles, cap);
		else if (S_ISREG(st.st_mode))
		{
			if (*nfiles == *cap)
			{
				char	  **grown;

				*cap = *cap ? *cap * 2 : 64;
				grown = realloc(*files, *cap * sizeof(char *));
				if (grown == NULL)
				{
					fprintf(stderr, "out of memory\n");
					exit(2);
				}
				*files = grown;
			}
			(*files)[(*nfiles)++] = strdup(sub);
		}
	}
	closedir(d);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int
list_data_files(const char *root, char ***files)
{
	int			nfiles = 0;
	int			cap = 0;

	*files = NULL;
	walk(root, "", files, &nfiles, &cap);
	if (nfiles > 0)
		qsort(*files, nfiles, sizeof(char *), compare_names);
	return nfiles;
}

size_t
parse_hex(const char *hex, uint8_t *out, size_t max)
{
	size_t		n = 0;

	while (isxdigit((unsigned char) hex[0]) &&
		   isxdigit((unsigned char) hex[1]) && n < max)
	{
		char		b[3] = {hex[0], hex[1], 0};

		out[n++] = (uint8_t) strtoul(b, NULL, 16);
		hex += 2;
	}
	return n;
}

int
split_tabs(char *line, char **fields, int max)
{
	int			n = 0;
	char	   *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max)
	{
		fields[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}
