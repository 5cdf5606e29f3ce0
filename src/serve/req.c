/*
 * What a valid request is: a JSON object with a string "type" of
 * "history" or "message", a UUID "thread_id", for messages an "agent_id"
 * that is a UUID or null (or absent) and a string "content".  Anything
 * else gets an error frame whose message names the problem; an unknown
 * type is named in it, which is what a client's fence relies on.
 */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "req.h"

/* Copy a UUID-valued member, lower-cased; -1 if it is not one. */
static int
take_uuid(const struct json_span *sp, char out[UUID_LEN + 1])
{
	size_t i;

	if (!sp->is_string || sp->len != UUID_LEN)
		return -1;
	memcpy(out, sp->p, UUID_LEN);
	out[UUID_LEN] = '\0';
	if (!uuid_valid(out))
		return -1;
	for (i = 0; i < UUID_LEN; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return 0;
}

static int
invalid(struct req *r, const char *why)
{
	snprintf(r->why, sizeof(r->why), "%s", why);
	return -1;
}

int
req_parse(const char *data, size_t len, struct req *r)
{
	struct json_info fi;
	struct buf type = { 0 };
	enum json_kind k;

	memset(r, 0, sizeof(*r));
	k = json_scan(data, len, &fi);
	if (k == JSON_INVALID)
		return invalid(r, "Invalid JSON");
	if (k != JSON_OBJECT)
		return invalid(r, "Expected a JSON object");
	if (!fi.type.present)
		return invalid(r, "Message type is required");
	if (!fi.type.is_string)
		return invalid(r, "Message type must be a string");
	if (json_span_eq(&fi.type, "history"))
		r->type = SERVE_HISTORY;
	else if (json_span_eq(&fi.type, "message"))
		r->type = SERVE_MESSAGE;
	else {
		if (json_span_text(&fi.type, &type) == -1)
			snprintf(r->why, sizeof(r->why), "Out of memory");
		else
			snprintf(r->why, sizeof(r->why),
			    "Unknown message type: %.100s", type.p);
		buf_free(&type);
		return -1;
	}
	if (!fi.thread_id.present)
		return invalid(r, "Thread ID is required");
	if (take_uuid(&fi.thread_id, r->thread) == -1)
		return invalid(r, "Invalid thread ID: expected a UUID");
	if (r->type == SERVE_HISTORY)
		return 0;
	if (fi.agent_id.present && !fi.agent_id.is_null &&
	    take_uuid(&fi.agent_id, r->agent) == -1)
		return invalid(r, "Invalid agent ID: expected a UUID or null");
	if (!fi.content.present)
		return invalid(r, "Content is required");
	if (!fi.content.is_string)
		return invalid(r, "Content must be a string");
	if (json_span_text(&fi.content, &r->content) == -1)
		return invalid(r, "Out of memory");
	return 0;
}

void
req_free(struct req *r)
{
	buf_free(&r->content);
}
