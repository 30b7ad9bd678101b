/*-------------------------------------------------------------------------
 *
 * value.c
 *	  Text forms of decoded binlog values, in the syntax PostgreSQL's input
 *	  functions accept.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * Convert a count of days since 1970-01-01 into a proleptic Gregorian
 * date.  Works in 400-year eras of 146097 days so that it is exact for
 * any day a 64-bit TIMESTAMP can name.
 */
static void
civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t		z = days + 719468;	/* days since 0000-03-01 */
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097; /* day of era, 0..146096 */
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;	/* month from March, 0..11 */

	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) (mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

/*
 * Append ".ffffff" to buf for a fraction of usec microseconds shown with
 * fsp digits.  With fsp 0 a non-zero fraction still shows all six digits
 * rather than being lost.
 */
static int
format_fraction(char *buf, size_t buflen, int usec, int fsp)
{
	char		digits[8];

	if (fsp <= 0 || fsp > 6)
	{
		if (usec == 0)
		{
			if (buflen > 0)
				buf[0] = '\0';
			return 0;
		}
		fsp = 6;
	}
	snprintf(digits, sizeof(digits), "%06d", usec);
	digits[fsp] = '\0';
	return snprintf(buf, buflen, ".%s", digits);
}

/* Format a double or float with the given significant digits. */
static int
format_float(char *buf, size_t buflen, double d, int digits)
{
	if (isnan(d))
		return snprintf(buf, buflen, "NaN");
	if (isinf(d))
		return snprintf(buf, buflen, d > 0 ? "Infinity" : "-Infinity");
	return snprintf(buf, buflen, "%.*g", digits, d);
}

/*
 * Format value as text; see binlog.h for the forms.  Returns false for
 * kinds without a text form of their own and when buf is too small.
 */
bool
binlog_value_to_text(const BinlogValue *value, char *buf, size_t buflen,
					 bool *zero_date)
{
	int			n = -1;
	int			m;
	const BinlogTime *tm = &value->tm;

	if (zero_date)
		*zero_date = false;
	if (buf == NULL || buflen == 0)
		return false;

	switch (value->kind)
	{
		case BINLOG_VALUE_INT:
			n = snprintf(buf, buflen, "%lld", (long long) value->i);
			break;
		case BINLOG_VALUE_UINT:
		case BINLOG_VALUE_BIT:
		case BINLOG_VALUE_ENUM:
		case BINLOG_VALUE_SET:
			n = snprintf(buf, buflen, "%llu", (unsigned long long) value->u);
			break;
		case BINLOG_VALUE_FLOAT:
			n = format_float(buf, buflen, value->d, 9);
			break;
		case BINLOG_VALUE_DOUBLE:
			n = format_float(buf, buflen, value->d, 17);
			break;
		case BINLOG_VALUE_DECIMAL:
			n = snprintf(buf, buflen, "%s", value->decimal);
			break;
		case BINLOG_VALUE_YEAR:
			n = snprintf(buf, buflen, "%04d", (int) value->i);
			break;
		case BINLOG_VALUE_DATE:
			if (zero_date)
				*zero_date = tm->year == 0 || tm->month == 0 || tm->day == 0;
			n = snprintf(buf, buflen, "%04d-%02d-%02d",
						 tm->year, tm->month, tm->day);
			break;
		case BINLOG_VALUE_TIME:
			n = snprintf(buf, buflen, "%s%02d:%02d:%02d",
						 tm->negative ? "-" : "",
						 tm->hour, tm->minute, tm->second);
			if (n >= 0 && (size_t) n < buflen)
			{
				m = format_fraction(buf + n, buflen - n, tm->usec, tm->fsp);
				n = m < 0 ? m : n + m;
			}
			break;
		case BINLOG_VALUE_DATETIME:
			if (zero_date)
				*zero_date = tm->year == 0 || tm->month == 0 || tm->day == 0;
			n = snprintf(buf, buflen, "%04d-%02d-%02d %02d:%02d:%02d",
						 tm->year, tm->month, tm->day,
						 tm->hour, tm->minute, tm->second);
			if (n >= 0 && (size_t) n < buflen)
			{
				m = format_fraction(buf + n, buflen - n, tm->usec, tm->fsp);
				n = m < 0 ? m : n + m;
			}
			break;
		case BINLOG_VALUE_TIMESTAMP:
			{
				int64_t		sec = value->ts.sec;
				int64_t		days = sec / 86400;
				int64_t		rem = sec % 86400;
				int64_t		year;
				int			month,
							day;

				/* floor division, for timestamps before 1970 */
				if (rem < 0)
				{
					rem += 86400;
					days--;
				}
				civil_from_days(days, &year, &month, &day);
				n = snprintf(buf, buflen, "%04lld-%02d-%02d %02d:%02d:%02d",
							 (long long) year, month, day, (int) (rem / 3600),
							 (int) (rem / 60 % 60), (int) (rem % 60));
				if (n >= 0 && (size_t) n < buflen)
				{
					m = format_fraction(buf + n, buflen - n, value->ts.usec,
										value->ts.fsp);
					n = m < 0 ? m : n + m;
				}
				if (n >= 0 && (size_t) n < buflen)
				{
					m = snprintf(buf + n, buflen - n, "+00");
					n = m < 0 ? m : n + m;
				}
				break;
			}
		default:
			return false;
	}
	return n >= 0 && (size_t) n < buflen;
}
