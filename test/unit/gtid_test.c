/*-------------------------------------------------------------------------
 *
 * gtid_test.c
 *	  Unit tests of the GTID set library of the binlog decoder: MySQL GTID
 *	  sets in text and binary form and MariaDB GTID positions.
 *
 * Usage: gtid_test [DATA_DIR]
 *
 * DATA_DIR (default ../../../shared/data, relative to test/unit) holds
 * mysql-binlogs/.  Besides checks on hand-written sets, every
 * PREVIOUS_GTIDS event of every binlog there is decoded, printed, parsed
 * back and encoded again, and the encoding must be the event's own bytes;
 * without the directory those checks are skipped with a message.  It
 * prints one line per check and ends with "N passed, N failed".
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include "binlog.h"
#include "check.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define U1	"3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define U2	"2174b383-5441-11e8-b90a-c80aa9429562"
#define U3	"ffffffff-ffff-ffff-ffff-ffffffffffff"

/* The 16 bytes of a UUID in text form; the tests only pass valid ones. */
static void
uuid_bytes(const char *text, uint8_t uuid[16])
{
	int			n = 0;

	for (const char *p = text; *p && n < 32; p++)
	{
		int			v;

		if (*p == '-')
			continue;
		v = (*p <= '9') ? *p - '0' : (*p | 0x20) - 'a' + 10;
		if (n % 2 == 0)
			uuid[n / 2] = (uint8_t) (v << 4);
		else
			uuid[n / 2] |= (uint8_t) v;
		n++;
	}
}

/* Parse text and check that it prints as expected. */
static void
check_round_trip(const char *text, const char *expected)
{
	BinlogError err;
	BinlogGtidSet *set = binlog_gtid_set_parse(text, &err);
	char	   *out = set ? binlog_gtid_set_format(set) : NULL;

	check(out != NULL && strcmp(out, expected) == 0,
		  "parse \"%s\" prints \"%s\" (got \"%s\"%s%s)", text, expected,
		  out ? out : "", set ? "" : ", error: ", set ? "" : err.message);
	free(out);
	binlog_gtid_set_free(set);
}

/* Parse text and check that it fails with a message containing part. */
static void
check_parse_error(const char *text, const char *part)
{
	BinlogError err;
	BinlogGtidSet *set;

	err.message[0] = '\0';
	set = binlog_gtid_set_parse(text, &err);
	check(set == NULL && strstr(err.message, part) != NULL,
		  "parse \"%s\" fails naming \"%s\": %s", text, part,
		  set ? "(no error)" : err.message);
	free(set);
}

static void
test_parse_format(void)
{
	check_round_trip("", "");
	check_round_trip("  \n\t ", "");
	check_round_trip(U1 ":23", U1 ":23");
	check_round_trip("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5", U1 ":1-5");
	check_round_trip(U1 ":1-5:11-18,\n" U2 ":1-27", U2 ":1-27," U1 ":1-5:11-18");
	check_round_trip(" " U1 " : 1 - 3 : 7 ,\n " U2 " : 4 \n", U2 ":4," U1 ":1-3:7");
	check_round_trip(U1 ":5-5", U1 ":5");
	check_round_trip(U1 ":9223372036854775806", U1 ":9223372036854775806");
	check_round_trip(U1 ":1-9223372036854775806", U1 ":1-9223372036854775806");
	/* merging */
	check_round_trip(U1 ":1-3:4-6", U1 ":1-6");
	check_round_trip(U1 ":5-9:1-6", U1 ":1-9");
	check_round_trip(U1 ":1:3:2", U1 ":1-3");
	check_round_trip(U1 ":1-10:2-3:10", U1 ":1-10");
	check_round_trip(U1 ":20-30:1-2:4-8", U1 ":1-2:4-8:20-30");
	check_round_trip(U1 ":1-3," U1 ":4-5:9", U1 ":1-5:9");
	check_round_trip(U1 ":1-3,\n" U2 ":2," U1 ":3-7", U2 ":2," U1 ":1-7");
	/* tags */
	check_round_trip(U1 ":tag:1-5:tag2:7", U1 ":tag:1-5:tag2:7");
	check_round_trip(U1 ":1-3:MyTag:1-2", U1 ":1-3:mytag:1-2");
	check_round_trip(U1 ":mytag:1-2," U1 ":1-3", U1 ":1-3:mytag:1-2");
	check_round_trip(U1 ":b:1," U1 ":a:2," U1 ":3", U1 ":3:a:2:b:1");
	check_round_trip(U1 ":_x:1:_X:2", U1 ":_x:1-2");
	check_round_trip(U1 ": tag : 1 - 2 : 4", U1 ":tag:1-2:4");
	check_round_trip(U1 ":abcdefghijklmnopqrstuvwxyz_01234:1",
					 U1 ":abcdefghijklmnopqrstuvwxyz_01234:1");
	check_round_trip(U3 ":t:1," U2 ":1," U1 ":t:1-2:9",
					 U2 ":1," U1 ":t:1-2:9," U3 ":t:1");
}

static void
test_parse_errors(void)
{
	check_parse_error("3e11fa47-71ca-11e1-9e33-c80aa942956:1", "invalid uuid \"3e11fa47-71ca-11e1-9e33-c80aa942956\"");
	check_parse_error("3e11fa47-71ca-11e1-9e33-c80aa9429562x:1", "invalid uuid \"3e11fa47");
	check_parse_error("3e11fa4771ca-11e1-9e33-c80aa9429562ab:1", "invalid uuid");
	check_parse_error("zz11fa47-71ca-11e1-9e33-c80aa9429562:1", "invalid uuid \"zz11fa47");
	check_parse_error("hello", "invalid uuid \"hello\" at character 0");
	check_parse_error(U1 ":1," U2 "x:1", "at character 39");
	check_parse_error(U1 ":0", "transaction number 0 in interval \"0\"");
	check_parse_error(U1 ":0-5", "transaction number 0 in interval \"0-5\"");
	check_parse_error(U1 ":1-0", "transaction number 0");
	check_parse_error(U1 ":5-3", "reversed interval \"5-3\"");
	check_parse_error(U1 ":9223372036854775807", "out of range in interval \"9223372036854775807\"");
	check_parse_error(U1 ":1-99999999999999999999", "out of range");
	check_parse_error(U1 ":1-", "invalid interval \"1-\"");
	check_parse_error(U1 ":1x", "invalid interval \"1x\"");
	check_parse_error(U1 ":ta-g:1", "invalid tag \"ta-g\"");
	check_parse_error(U1 ":t@g:1", "invalid tag \"t@g\"");
	check_parse_error(U1 ":1tag:1", "invalid interval \"1tag\"");
	check_parse_error(U1 ":-tag:1", "expected a tag or an interval, found \"-tag\"");
	check_parse_error(U1 ":abcdefghijklmnopqrstuvwxyz_012345:1", "tag longer than 32 characters");
	check_parse_error(U1 ":1,", "empty element after comma");
	check_parse_error(U1 ":1, \n", "empty element after comma");
	check_parse_error(U1 ":1,," U2 ":1", "empty element after comma");
	check_parse_error("," U1 ":1", "empty element before comma at character 0");
	check_parse_error(" ,", "empty element before comma at character 1");
	check_parse_error(U1, "no intervals after uuid \"" U1 "\"");
	check_parse_error(U1 ":", "missing tag or interval after \":\"");
	check_parse_error(U1 "::1", "missing tag or interval");
	check_parse_error(U1 ":tag", "no intervals after tag \"tag\"");
	check_parse_error(U1 ":1:tag", "no intervals after tag \"tag\"");
	check_parse_error(U1 ":tag:tag2:1", "no intervals after tag \"tag\"");
	check_parse_error(U1 ":1 x", "expected a comma or the end, found \"x\"");
	check_parse_error(U1 ":1 " U2 ":1", "expected a comma or the end");
}

/*
 * A model of one source's GTIDs up to MODEL_MAX as a bitmap, printed the
 * way the library should print it.
 */
#define MODEL_MAX	200
#define MODEL_SOURCES 3

static const char *const model_uuids[MODEL_SOURCES] = {U1, U1, U2};
static const char *const model_tags[MODEL_SOURCES] = {"", "tg", ""};

/* Deterministic pseudo-random numbers, so failures repeat. */
static uint32_t
next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* Text of a model, in canonical order (U2 < U1 sorts the sources). */
static void
model_format(bool model[MODEL_SOURCES][MODEL_MAX + 2], char *out, size_t cap)
{
	static const int order[MODEL_SOURCES] = {2, 0, 1};
	size_t		len = 0;
	const char *prev_uuid = NULL;

	out[0] = '\0';
	for (int k = 0; k < MODEL_SOURCES; k++)
	{
		int			s = order[k];
		bool		any = false;

		for (int g = 1; g <= MODEL_MAX; g++)
			any |= model[s][g];
		if (!any)
			continue;
		if (prev_uuid == NULL || strcmp(prev_uuid, model_uuids[s]) != 0)
			len += snprintf(out + len, cap - len, "%s%s",
							prev_uuid ? "," : "", model_uuids[s]);
		prev_uuid = model_uuids[s];
		if (model_tags[s][0])
			len += snprintf(out + len, cap - len, ":%s", model_tags[s]);
		for (int g = 1; g <= MODEL_MAX; g++)
		{
			int			e = g;

			if (!model[s][g])
				continue;
			while (model[s][e + 1])
				e++;
			if (e > g)
				len += snprintf(out + len, cap - len, ":%d-%d", g, e);
			else
				len += snprintf(out + len, cap - len, ":%d", g);
			g = e;
		}
	}
}

/* Build a random set by adding GTIDs one at a time, with its model. */
static BinlogGtidSet *
random_set(uint32_t *state, int n_adds,
		   bool model[MODEL_SOURCES][MODEL_MAX + 2], bool *ok)
{
	BinlogGtidSet *set = NULL;
	BinlogError err;

	memset(model, 0, sizeof(bool) * MODEL_SOURCES * (MODEL_MAX + 2));
	*ok = true;
	for (int i = 0; i < n_adds; i++)
	{
		int			s = (int) (next_random(state) % MODEL_SOURCES);
		int			g = 1 + (int) (next_random(state) % MODEL_MAX);
		uint8_t		uuid[16];

		uuid_bytes(model_uuids[s], uuid);
		if (!binlog_gtid_set_add(&set, uuid, model_tags[s], g, &err))
			*ok = false;
		model[s][g] = true;
	}
	return set;
}

static void
test_add(void)
{
	BinlogGtidSet *set = NULL;
	BinlogError err;
	uint8_t		u1[16];
	uint8_t		u2[16];
	char	   *text;
	bool		ok = true;
	static const int64_t order[] = {5, 3, 1, 2, 4, 9, 7, 8, 6, 20};

	uuid_bytes(U1, u1);
	uuid_bytes(U2, u2);
	for (int i = 0; i < 10; i++)
		ok &= binlog_gtid_set_add(&set, u1, NULL, order[i], &err);
	text = binlog_gtid_set_format(set);
	check(ok && text && strcmp(text, U1 ":1-9:20") == 0,
		  "out-of-order adds merge: %s", text ? text : "(null)");
	free(text);
	check(set && set->n_sources == 1 && set->sources[0].n_intervals == 2,
		  "adds keep the set canonical: %d intervals",
		  set ? set->sources[0].n_intervals : -1);

	ok = binlog_gtid_set_add(&set, u1, NULL, 5, &err);
	ok &= binlog_gtid_set_add(&set, u1, "", 21, &err);
	ok &= binlog_gtid_set_add(&set, u1, "Blue", 1, &err);
	ok &= binlog_gtid_set_add(&set, u2, NULL, 3, &err);
	ok &= binlog_gtid_set_add(&set, u1, "blue", 2, &err);
	text = binlog_gtid_set_format(set);
	check(ok && text && strcmp(text, U2 ":3," U1 ":1-9:20-21:blue:1-2") == 0,
		  "adds of new sources and tags: %s", text ? text : "(null)");
	free(text);
	check(set && set->tagged, "a set with a tag is tagged");

	check(binlog_gtid_set_contains(set, u1, NULL, 1) &&
		  binlog_gtid_set_contains(set, u1, NULL, 9) &&
		  !binlog_gtid_set_contains(set, u1, NULL, 10) &&
		  binlog_gtid_set_contains(set, u1, "", 21) &&
		  !binlog_gtid_set_contains(set, u1, NULL, 22) &&
		  binlog_gtid_set_contains(set, u1, "BLUE", 2) &&
		  !binlog_gtid_set_contains(set, u1, "blue", 3) &&
		  !binlog_gtid_set_contains(set, u1, "red", 1) &&
		  binlog_gtid_set_contains(set, u2, NULL, 3) &&
		  !binlog_gtid_set_contains(set, u2, NULL, 2) &&
		  !binlog_gtid_set_contains(NULL, u2, NULL, 3),
		  "contains");

	check(!binlog_gtid_set_add(&set, u1, NULL, 0, &err) &&
		  strstr(err.message, "out of range") != NULL,
		  "add of transaction number 0 fails: %s", err.message);
	check(!binlog_gtid_set_add(&set, u1, NULL, INT64_MAX, &err),
		  "add of transaction number 2^63-1 fails: %s", err.message);
	check(binlog_gtid_set_add(&set, u1, NULL, INT64_MAX - 1, &err) &&
		  binlog_gtid_set_contains(set, u1, NULL, INT64_MAX - 1),
		  "add of transaction number 2^63-2");
	check(!binlog_gtid_set_add(&set, u1, "9lives", 1, &err) &&
		  strstr(err.message, "9lives") != NULL,
		  "add with a bad tag fails: %s", err.message);
	check(!binlog_gtid_set_add(&set, u1, "abcdefghijklmnopqrstuvwxyz_012345", 1, &err),
		  "add with a 33-character tag fails: %s", err.message);
	binlog_gtid_set_free(set);

	/* against a bitmap model, with random adds */
	{
		uint32_t	state = 42;
		int			bad = 0;

		for (int round = 0; round < 200; round++)
		{
			bool		model[MODEL_SOURCES][MODEL_MAX + 2];
			char		expected[8192];
			bool		add_ok;

			set = random_set(&state, 1 + round, model, &add_ok);
			model_format(model, expected, sizeof(expected));
			text = binlog_gtid_set_format(set);
			if (!add_ok || text == NULL || strcmp(text, expected) != 0)
			{
				if (bad++ == 0)
					printf("# round %d: got %s, expected %s\n", round,
						   text ? text : "(null)", expected);
			}
			for (int s = 0; s < MODEL_SOURCES; s++)
			{
				uint8_t		uuid[16];

				uuid_bytes(model_uuids[s], uuid);
				for (int g = 1; g <= MODEL_MAX; g++)
					if (binlog_gtid_set_contains(set, uuid, model_tags[s],
												 g) != model[s][g])
						bad++;
			}
			free(text);
			binlog_gtid_set_free(set);
		}
		check(bad == 0, "200 random add sequences match a bitmap model (%d mismatches)", bad);
	}
}

/* Parse two sets, subtract, check the text of a \ b and the subset test. */
static void
check_subtract(const char *a_text, const char *b_text, const char *expected,
			   bool subset)
{
	BinlogError err;
	BinlogGtidSet *a = binlog_gtid_set_parse(a_text, &err);
	BinlogGtidSet *b = binlog_gtid_set_parse(b_text, &err);
	BinlogGtidSet *d = (a && b) ? binlog_gtid_set_subtract(a, b) : NULL;
	char	   *text = d ? binlog_gtid_set_format(d) : NULL;

	check(text && strcmp(text, expected) == 0,
		  "\"%s\" minus \"%s\" is \"%s\" (got \"%s\")", a_text, b_text,
		  expected, text ? text : "(null)");
	check(a && b && binlog_gtid_set_is_subset(a, b) == subset,
		  "\"%s\" is %sa subset of \"%s\"", a_text, subset ? "" : "not ",
		  b_text);
	free(text);
	free(a);
	free(b);
	free(d);
}

static void
test_subset_subtract(void)
{
	check_subtract("", "", "", true);
	check_subtract("", U1 ":1-5", "", true);
	check_subtract(U1 ":1-5", "", U1 ":1-5", false);
	check_subtract(U1 ":1-5", U1 ":1-5", "", true);
	check_subtract(U1 ":2-4", U1 ":1-5", "", true);
	check_subtract(U1 ":1-10", U1 ":3-4:7", U1 ":1-2:5-6:8-10", false);
	check_subtract(U1 ":1-10", U1 ":1-3:8-12", U1 ":4-7", false);
	check_subtract(U1 ":1-3:5-7:9-11", U1 ":2-10", U1 ":1:11", false);
	check_subtract(U1 ":1-5", U1 ":6-9", U1 ":1-5", false);
	check_subtract(U1 ":1-5", U2 ":1-5", U1 ":1-5", false);
	check_subtract(U1 ":1-5:t:1-5", U1 ":1-5", U1 ":t:1-5", false);
	check_subtract(U1 ":1-5:t:1-5", U1 ":t:1-5", U1 ":1-5", false);
	check_subtract(U1 ":t:2-3", U1 ":1-5:T:1-4", "", true);
	check_subtract(U2 ":1-100," U1 ":1-50", U1 ":1-60," U2 ":1-99",
				   U2 ":100", false);
	check_subtract(U2 ":1-3:5," U1 ":1-2," U3 ":7", U3 ":1-10," U2 ":1-5," U1 ":1-2",
				   "", true);

	/* a subset of b walked through b's touching intervals */
	{
		BinlogError err;
		BinlogGtidSet *a = binlog_gtid_set_parse(U1 ":2-9", &err);
		BinlogGtidSet *b = binlog_gtid_set_parse(U1 ":1-20", &err);

		/* split b's interval in two touching ones, as a decoder could */
		if (b && b->n_sources == 1 && b->sources[0].n_intervals == 1)
		{
			BinlogGtidSet *b2 = binlog_gtid_set_parse(U1 ":1-5:7-20", &err);

			if (b2)
			{
				b2->sources[0].intervals[0].end = 7;	/* [1,7) [7,21) */
				check(binlog_gtid_set_is_subset(a, b2),
					  "subset across touching intervals of b");
				free(b2);
			}
		}
		free(a);
		free(b);
	}

	/* random sets against the bitmap model */
	{
		uint32_t	state = 7;
		int			bad = 0;

		for (int round = 0; round < 300; round++)
		{
			bool		ma[MODEL_SOURCES][MODEL_MAX + 2];
			bool		mb[MODEL_SOURCES][MODEL_MAX + 2];
			bool		md[MODEL_SOURCES][MODEL_MAX + 2];
			bool		ok;
			bool		subset = true;
			char		expected[8192];
			char	   *text;
			BinlogGtidSet *a = random_set(&state, round % 50, ma, &ok);
			BinlogGtidSet *b = random_set(&state,
										  round % 3 == 0 ? 400 : round,
										  mb, &ok);
			BinlogGtidSet *d = binlog_gtid_set_subtract(a, b);

			for (int s = 0; s < MODEL_SOURCES; s++)
				for (int g = 0; g < MODEL_MAX + 2; g++)
				{
					md[s][g] = ma[s][g] && !mb[s][g];
					if (md[s][g])
						subset = false;
				}
			model_format(md, expected, sizeof(expected));
			text = d ? binlog_gtid_set_format(d) : NULL;
			if (text == NULL || strcmp(text, expected) != 0 ||
				binlog_gtid_set_is_subset(a, b) != subset ||
				!binlog_gtid_set_is_subset(d, a) ||
				(d && d->n_sources > 0 && binlog_gtid_set_is_subset(d, b)))
			{
				if (bad++ == 0)
					printf("# round %d: got %s, expected %s\n", round,
						   text ? text : "(null)", expected);
			}
			free(text);
			free(a);
			free(b);
			free(d);
		}
		check(bad == 0, "300 random subtractions and subset tests match a bitmap model (%d mismatches)", bad);
	}
}

/*
 * Wrap body into a PREVIOUS_GTIDS event without checksum and decode it
 * with the default format.
 */
static BinlogGtidSet *
decode_body(const uint8_t *body, size_t len, BinlogError *err)
{
	BinlogFormat fmt;
	BinlogEvent ev;
	BinlogGtidSet *set = NULL;
	uint8_t    *buf = malloc(BINLOG_HEADER_LEN + len);
	uint32_t	size = (uint32_t) (BINLOG_HEADER_LEN + len);

	if (buf == NULL)
		return NULL;
	memset(buf, 0, BINLOG_HEADER_LEN);
	buf[4] = BINLOG_PREVIOUS_GTIDS_EVENT;
	buf[5] = 1;					/* server id */
	for (int i = 0; i < 4; i++)
	{
		buf[9 + i] = (uint8_t) (size >> (8 * i));
		buf[13 + i] = (uint8_t) ((size + 4) >> (8 * i));	/* log_pos */
	}
	memcpy(buf + BINLOG_HEADER_LEN, body, len);
	binlog_format_init(&fmt, BINLOG_CHECKSUM_OFF);
	if (binlog_frame_event(&fmt, buf, size, false, &ev, err))
		binlog_decode_previous_gtids(&fmt, &ev, &set, err);
	free(buf);
	return set;
}

/* Parse, encode, decode with the event decoder and print again. */
static void
check_encode_round_trip(const char *text, bool tagged)
{
	BinlogError err;
	BinlogGtidSet *set = binlog_gtid_set_parse(text, &err);
	BinlogGtidSet *back = NULL;
	uint8_t    *bytes = NULL;
	size_t		len = 0;
	char	   *orig = set ? binlog_gtid_set_format(set) : NULL;
	char	   *again = NULL;

	if (set && binlog_gtid_set_encode(set, &bytes, &len, &err))
		back = decode_body(bytes, len, &err);
	if (back)
		again = binlog_gtid_set_format(back);
	check(orig && again && strcmp(orig, again) == 0 && back->tagged == tagged &&
		  len >= 8 && bytes[7] == (tagged ? 1 : 0),
		  "encode and decode \"%s\" (%zu bytes, %s): \"%s\"%s%s", text, len,
		  tagged ? "tagged" : "classic", again ? again : "",
		  back ? "" : " error: ", back ? "" : err.message);
	free(set);
	free(back);
	free(bytes);
	free(orig);
	free(again);
}

static void
test_encode(void)
{
	BinlogError err;
	BinlogGtidSet *set;
	uint8_t    *bytes = NULL;
	size_t		len = 0;
	static const uint8_t classic[] = {
		1, 0, 0, 0, 0, 0, 0, 0,
		0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1,
		0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62,
		2, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0,
		7, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0
	};
	static const uint8_t tagged[] = {
		1, 2, 0, 0, 0, 0, 0, 1,
		0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1,
		0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62,
		0,
		1, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0,
		0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1,
		0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62,
		4, 'a', 'b',
		1, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0
	};

	set = binlog_gtid_set_parse(U1 ":7:1-3", &err);
	check(set && binlog_gtid_set_encode(set, &bytes, &len, &err) &&
		  len == sizeof(classic) && memcmp(bytes, classic, len) == 0,
		  "classic encoding of " U1 ":1-3:7 (%zu bytes)", len);
	free(set);
	free(bytes);
	bytes = NULL;

	set = binlog_gtid_set_parse(U1 ":1-3:AB:2", &err);
	check(set && binlog_gtid_set_encode(set, &bytes, &len, &err) &&
		  len == sizeof(tagged) && memcmp(bytes, tagged, len) == 0,
		  "tagged encoding of " U1 ":1-3:ab:2 (%zu bytes)", len);
	free(set);
	free(bytes);
	bytes = NULL;

	check(binlog_gtid_set_encode(NULL, &bytes, &len, &err) && len == 8 &&
		  memcmp(bytes, "\0\0\0\0\0\0\0\0", 8) == 0,
		  "the empty set encodes as a zero count");
	free(bytes);

	check_encode_round_trip("", false);
	check_encode_round_trip(U1 ":1-5:11-18,\n" U2 ":1-27", false);
	check_encode_round_trip(U1 ":1-9223372036854775806", false);
	check_encode_round_trip(U1 ":1-3:tag:1-2", true);
	check_encode_round_trip(U1 ":x:1," U2 ":5," U3 ":_:1-2:abcdefghijklmnopqrstuvwxyz_01234:3", true);
}

static bool
has_magic(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	unsigned char m[4] = {0};
	bool		ok;

	if (f == NULL)
		return false;
	ok = fread(m, 1, 4, f) == 4 && memcmp(m, "\xfe" "bin", 4) == 0;
	fclose(f);
	return ok;
}

/*
 * One PREVIOUS_GTIDS event: decode, print, parse, encode; the encoding
 * must be the event's body.  Returns the decoded set (or NULL).
 */
static BinlogGtidSet *
check_previous_gtids(const char *rel, const BinlogFormat *fmt,
					 const BinlogEvent *ev)
{
	BinlogError err;
	BinlogGtidSet *set = NULL;
	BinlogGtidSet *parsed = NULL;
	uint8_t    *bytes = NULL;
	size_t		len = 0;
	char	   *text = NULL;
	size_t		phl = fmt->post_header_len[BINLOG_PREVIOUS_GTIDS_EVENT - 1];
	const uint8_t *body = ev->body + phl;
	size_t		body_len = ev->body_len - phl;

	err.message[0] = '\0';
	if (!binlog_decode_previous_gtids(fmt, ev, &set, &err))
	{
		check(false, "%s: PREVIOUS_GTIDS decodes: %s", rel, err.message);
		return NULL;
	}
	text = binlog_gtid_set_format(set);
	if (text)
		parsed = binlog_gtid_set_parse(text, &err);
	if (parsed)
	{
		/* a tagged-format event with no tag in it keeps its format */
		parsed->tagged = parsed->tagged || set->tagged;
		binlog_gtid_set_encode(parsed, &bytes, &len, &err);
	}
	check(bytes != NULL && len == body_len && memcmp(bytes, body, len) == 0,
		  "%s: PREVIOUS_GTIDS \"%s\" (%s, %zu bytes) prints, parses and encodes back to its bytes%s%s",
		  rel, text ? text : "(null)", set->tagged ? "tagged" : "classic",
		  body_len, bytes ? "" : ": ", bytes ? "" : err.message);
	free(bytes);
	bytes = NULL;
	check(binlog_gtid_set_encode(set, &bytes, &len, &err) &&
		  len == body_len && memcmp(bytes, body, len) == 0,
		  "%s: the decoded set encodes to the same bytes", rel);
	free(bytes);
	free(parsed);
	free(text);
	return set;
}

static void
test_binlog_files(const char *data)
{
	char		root[1024];
	char	  **files = NULL;
	int			nfiles = 0;
	int			n_events = 0;
	int			n_tagged = 0;

	snprintf(root, sizeof(root), "%s/mysql-binlogs", data);
	nfiles = list_data_files(root, &files);
	if (nfiles == 0)
	{
		printf("skip - no binlog files under %s\n", root);
		return;
	}
	for (int i = 0; i < nfiles; i++)
	{
		char		path[2048];
		BinlogFileReader reader;
		BinlogEvent ev;
		BinlogError err;
		BinlogGtidSet *prev = NULL;
		BinlogGtidSet *executed = NULL;
		int			n_gtids = 0;
		int			n_added = 0;
		bool		add_ok = true;

		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		if (!has_magic(path) || !binlog_file_open(&reader, path, &err))
		{
			free(files[i]);
			continue;
		}

		/*
		 * Besides the event itself: the GTIDs of the file's transactions
		 * added to its PREVIOUS_GTIDS set make a set that holds them all
		 * and still holds the previous one.
		 */
		while (binlog_file_next(&reader, &ev, &err) == 1)
		{
			if (ev.header.type == BINLOG_PREVIOUS_GTIDS_EVENT)
			{
				BinlogGtidSet *set;

				set = check_previous_gtids(files[i], &reader.format, &ev);

				n_events++;
				if (set && set->tagged)
					n_tagged++;
				if (prev == NULL && set != NULL)
				{
					prev = set;
					executed = binlog_gtid_set_subtract(set, NULL);
				}
				else
					free(set);
			}
			else if (ev.header.type == BINLOG_GTID_EVENT ||
					 ev.header.type == BINLOG_GTID_TAGGED_EVENT)
			{
				BinlogGtid g;

				if (binlog_decode_gtid(&reader.format, &ev, &g, &err) &&
					!g.anonymous && g.gno > 0)
				{
					n_gtids++;
					if (binlog_gtid_set_add(&executed, g.uuid, g.tag, g.gno,
											&err))
						n_added += binlog_gtid_set_contains(executed, g.uuid,
															g.tag, g.gno);
					else
						add_ok = false;
				}
			}
		}
		binlog_file_close(&reader);
		if (n_gtids > 0)
		{
			char	   *text = binlog_gtid_set_format(executed);

			check(add_ok && n_added == n_gtids &&
				  binlog_gtid_set_is_subset(prev, executed),
				  "%s: %d GTIDs added to the previous set give \"%s\"",
				  files[i], n_gtids, text ? text : "(null)");
			free(text);
		}
		free(prev);
		free(executed);
		free(files[i]);
	}
	free(files);
	check(n_events > 0 && n_tagged > 0,
		  "found %d PREVIOUS_GTIDS events, %d of them tagged", n_events,
		  n_tagged);
}

/* Parse a MariaDB position and check its text. */
static void
check_mariadb(const char *text, const char *expected)
{
	BinlogError err;
	BinlogMariadbGtidList *list;
	char	   *out = NULL;

	err.message[0] = '\0';
	list = binlog_mariadb_gtid_list_parse(text, &err);
	if (list)
		out = binlog_mariadb_gtid_list_format(list);
	if (expected)
		check(out && strcmp(out, expected) == 0,
			  "mariadb \"%s\" prints \"%s\" (got \"%s\"%s)", text, expected,
			  out ? out : "", err.message);
	else
		check(list == NULL && err.message[0] != '\0',
			  "mariadb \"%s\" is rejected: %s", text, err.message);
	free(out);
	free(list);
}

static void
test_mariadb(void)
{
	BinlogError err;
	BinlogMariadbGtidList *a = NULL;
	BinlogMariadbGtidList *b;
	char	   *text;
	bool		ok = true;

	check_mariadb("", "");
	check_mariadb(" ", "");
	check_mariadb("0-1-100", "0-1-100");
	check_mariadb("1-2-5,0-1-100", "0-1-100,1-2-5");
	check_mariadb(" 7-3-9 ,\n 0-1-1 ", "0-1-1,7-3-9");
	check_mariadb("4294967295-4294967295-18446744073709551615",
				  "4294967295-4294967295-18446744073709551615");
	check_mariadb("4294967296-1-1", NULL);
	check_mariadb("0-1-18446744073709551616", NULL);
	check_mariadb("0-1", NULL);
	check_mariadb("0-1-", NULL);
	check_mariadb("0-1-2-3", NULL);
	check_mariadb("0-1-2,", NULL);
	check_mariadb(",0-1-2", NULL);
	check_mariadb("0-1-2,,1-1-1", NULL);
	check_mariadb("0-1-2 1-1-1", NULL);
	check_mariadb("a-1-2", NULL);
	check_mariadb("1-2-3,-1-2", NULL);
	check_mariadb("1-2-3,1-2-x", NULL);
	check_mariadb("0-1-2,0-2-3", NULL);

	ok &= binlog_mariadb_gtid_list_advance(&a, 5, 1, 10, &err);
	ok &= binlog_mariadb_gtid_list_advance(&a, 0, 1, 3, &err);
	ok &= binlog_mariadb_gtid_list_advance(&a, 9, 2, 1, &err);
	ok &= binlog_mariadb_gtid_list_advance(&a, 5, 3, 11, &err);
	ok &= binlog_mariadb_gtid_list_advance(&a, 2, 1, 7, &err);
	text = binlog_mariadb_gtid_list_format(a);
	check(ok && text && strcmp(text, "0-1-3,2-1-7,5-3-11,9-2-1") == 0,
		  "mariadb advance sets and inserts domains: %s", text ? text : "(null)");
	free(text);

	b = binlog_mariadb_gtid_list_parse("0-1-3,5-1-11", &err);
	check(b && !binlog_mariadb_gtid_list_is_behind(a, b) &&
		  binlog_mariadb_gtid_list_is_behind(b, a),
		  "mariadb is_behind: a missing domain or a lower sequence");
	free(b);
	b = binlog_mariadb_gtid_list_parse("5-9-12", &err);
	check(b && binlog_mariadb_gtid_list_is_behind(a, b) &&
		  !binlog_mariadb_gtid_list_is_behind(b, NULL) &&
		  binlog_mariadb_gtid_list_is_behind(NULL, b) &&
		  !binlog_mariadb_gtid_list_is_behind(NULL, NULL),
		  "mariadb is_behind: a higher sequence and empty positions");
	free(b);
	free(a);
}

int
main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : "../../../shared/data";

	test_parse_format();
	test_parse_errors();
	test_add();
	test_subset_subtract();
	test_encode();
	test_binlog_files(data);
	test_mariadb();
	return check_summary();
}
