/*-------------------------------------------------------------------------
 *
 * file.c
 *	  Reading binlog files from disk, one framed event at a time.
 *
 * A binlog file is the four magic bytes "\xfe" "bin" followed by events
 * back to back, each announcing its own size.  This is the only part of
 * the decoder that does I/O.
 *
 *-------------------------------------------------------------------------
 */
#include "binlog_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Largest event accepted.  Servers cap events at max_allowed_packet (1
 * GiB at most) plus headers; anything larger is a corrupt size field and
 * must not turn into a huge allocation.
 */
#define BINLOG_MAX_EVENT_SIZE	((uint32_t) 0x40000000 + 1024)

/*
 * Open a binlog file and check its magic.  The format starts as binlog v4
 * without checksums until the file's format description event is read.
 */
bool
binlog_file_open(BinlogFileReader *reader, const char *path, BinlogError *err)
{
	static const uint8_t magic[BINLOG_MAGIC_LEN] = {0xfe, 'b', 'i', 'n'};
	uint8_t		head[BINLOG_MAGIC_LEN];
	FILE	   *fp;
	size_t		n;

	memset(reader, 0, sizeof(*reader));
	binlog_format_init(&reader->format, BINLOG_CHECKSUM_OFF);
	snprintf(reader->path, sizeof(reader->path), "%s", path);

	fp = fopen(path, "rb");
	if (fp == NULL)
	{
		binlog_set_error(err, "could not open binlog file \"%s\": %s",
						 path, strerror(errno));
		return false;
	}
	n = fread(head, 1, sizeof(head), fp);
	if (n != sizeof(head) || memcmp(head, magic, sizeof(magic)) != 0)
	{
		binlog_set_error(err, "file \"%s\" is not a binlog file: bad magic number at offset 0",
						 path);
		fclose(fp);
		return false;
	}
	reader->fp = fp;
	reader->offset = BINLOG_MAGIC_LEN;
	return true;
}

/*
 * Read and frame the next event; see binlog.h.  A format description
 * event is decoded at once, since it governs how every later event of the
 * file is framed.
 */
int
binlog_file_next(BinlogFileReader *reader, BinlogEvent *ev, BinlogError *err)
{
	FILE	   *fp = reader->fp;
	uint8_t		header[BINLOG_HEADER_LEN];
	size_t		n;
	uint32_t	size;
	unsigned long long off = reader->offset;
	BinlogError sub;

	if (err)
		err->message[0] = '\0';
	if (fp == NULL)
	{
		binlog_set_error(err, "binlog file \"%s\" is not open", reader->path);
		return -1;
	}

	n = fread(header, 1, sizeof(header), fp);
	if (n == 0 && feof(fp))
		return 0;
	if (n != sizeof(header))
	{
		binlog_set_error(err, "binlog file \"%s\" ends inside an event header at offset %llu (%zu of %d bytes)",
						 reader->path, off, n, BINLOG_HEADER_LEN);
		return -1;
	}
	size = binlog_le32(header + 9);
	if (size < BINLOG_HEADER_LEN || size > BINLOG_MAX_EVENT_SIZE)
	{
		binlog_set_error(err, "%s event at offset %llu of \"%s\" has impossible size %u",
						 binlog_event_type_name(header[4]), off, reader->path,
						 size);
		return -1;
	}

	if (reader->bufsize < size)
	{
		size_t		newsize = reader->bufsize ? reader->bufsize : 8192;
		uint8_t    *buf;

		while (newsize < size)
			newsize *= 2;
		buf = realloc(reader->buf, newsize);
		if (buf == NULL)
		{
			binlog_set_error(err, "out of memory reading an event of %u bytes at offset %llu of \"%s\"",
							 size, off, reader->path);
			return -1;
		}
		reader->buf = buf;
		reader->bufsize = newsize;
	}
	memcpy(reader->buf, header, sizeof(header));
	n = fread(reader->buf + sizeof(header), 1, size - sizeof(header), fp);
	if (n != size - sizeof(header))
	{
		binlog_set_error(err, "%s event at offset %llu of \"%s\" is truncated: %zu of %u bytes in the file",
						 binlog_event_type_name(header[4]), off, reader->path,
						 n + sizeof(header), size);
		return -1;
	}

	if (!binlog_frame_event(&reader->format, reader->buf, size, true, ev,
							&sub))
	{
		binlog_set_error(err, "at offset %llu of \"%s\": %s", off,
						 reader->path, sub.message);
		return -1;
	}
	if (ev->header.type == BINLOG_FORMAT_DESCRIPTION_EVENT &&
		!binlog_decode_format_description(ev, &reader->format, &sub))
	{
		binlog_set_error(err, "at offset %llu of \"%s\": %s", off,
						 reader->path, sub.message);
		return -1;
	}
	reader->offset += size;
	return 1;
}

/* Close the file and release the event buffer; safe to call twice. */
void
binlog_file_close(BinlogFileReader *reader)
{
	if (reader->fp)
		fclose((FILE *) reader->fp);
	reader->fp = NULL;
	free(reader->buf);
	reader->buf = NULL;
	reader->bufsize = 0;
}
