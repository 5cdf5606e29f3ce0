/*
 * What `pipe` accepts: objects with a string "type".  A "message" needs a
 * thread (its own or --thread) and a string "content"; a "history" needs
 * a thread; any other type goes as it is.  thread_id and agent_id must be
 * UUIDs (agent_id may be null).  Multi-line values are sent compacted.
 */
#include <config.h>

#include <string.h>

#include "input.h"
#include "lib/msg.h"
#include "lib/json.h"

int
input_message(struct buf *b, const char *thread, const char *agent,
    const char *content, size_t len)
{
	int r = 0;

	r |= buf_adds(b, "{\"type\":\"message\",\"thread_id\":\"");
	r |= buf_adds(b, thread);
	r |= buf_adds(b, "\",\"agent_id\":");
	if (agent != NULL) {
		r |= buf_adds(b, "\"");
		r |= buf_adds(b, agent);
		r |= buf_adds(b, "\"");
	} else
		r |= buf_adds(b, "null");
	r |= buf_adds(b, ",\"content\":");
	r |= json_add_string(b, content, len);
	r |= buf_adds(b, "}");
	return r ? -1 : 0;
}

int
input_history(struct buf *b, const char *thread)
{
	int r = 0;

	r |= buf_adds(b, "{\"type\":\"history\",\"thread_id\":\"");
	r |= buf_adds(b, thread);
	r |= buf_adds(b, "\"}");
	return r ? -1 : 0;
}

/* Whether a member holds a UUID string. */
static int
is_uuid(const struct json_span *sp)
{
	char u[UUID_LEN + 1];

	if (!sp->is_string || sp->len != UUID_LEN)
		return 0;
	memcpy(u, sp->p, UUID_LEN);
	u[UUID_LEN] = '\0';
	return uuid_valid(u);
}

/* Copy the object into out with members added after its '{'. */
static int
fill(struct buf *out, const char *data, size_t len, const char *thread,
    const char *agent)
{
	size_t i = 1;
	int r = 0;

	r |= buf_adds(out, "{");
	if (thread != NULL) {
		r |= buf_adds(out, "\"thread_id\":\"");
		r |= buf_adds(out, thread);
		r |= buf_adds(out, "\"");
	}
	if (agent != NULL) {
		r |= buf_adds(out, thread ? ",\"agent_id\":\"" :
		    "\"agent_id\":\"");
		r |= buf_adds(out, agent);
		r |= buf_adds(out, "\"");
	}
	while (i < len && (data[i] == ' ' || data[i] == '\t' ||
	    data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < len && data[i] != '}')
		r |= buf_adds(out, ",");
	r |= buf_add(out, data + i, len - i);
	return r ? -1 : 0;
}

/* A JSON object fi describes (scanned): check it, fill it in. */
static int
object_frame(const struct input_config *o, const char *data, size_t len,
    const struct json_info *fi, struct buf *out, enum req_kind *kind,
    char thread[UUID_LEN + 1], const char **why)
{
	struct buf compact = { 0 };
	const char *add_thread = NULL, *add_agent = NULL;
	int r;

	*why = "missing \"type\"";
	if (!fi->type.present)
		return -1;
	*why = "\"type\" is not a string";
	if (!fi->type.is_string)
		return -1;
	*kind = json_span_eq(&fi->type, "message") ? REQ_MESSAGE :
	    json_span_eq(&fi->type, "history") ? REQ_HISTORY : REQ_OTHER;
	*why = "invalid thread_id: expected a UUID";
	if (fi->thread_id.present && !is_uuid(&fi->thread_id))
		return -1;
	if (!fi->thread_id.present && o->thread != NULL)
		add_thread = o->thread;
	*why = *kind == REQ_MESSAGE ? "a message needs a thread_id (or"
	    " --thread)" : "a history request needs a thread_id (or --thread)";
	if (*kind != REQ_OTHER && !fi->thread_id.present && add_thread == NULL)
		return -1;
	*why = "invalid agent_id: expected a UUID or null";
	if (fi->agent_id.present && !fi->agent_id.is_null &&
	    !is_uuid(&fi->agent_id))
		return -1;
	if (*kind == REQ_MESSAGE && !fi->agent_id.present && o->agent != NULL)
		add_agent = o->agent;
	*why = "a message needs a string \"content\"";
	if (*kind == REQ_MESSAGE && !fi->content.is_string)
		return -1;
	if (fi->thread_id.present)
		memcpy(thread, fi->thread_id.p, UUID_LEN);
	else if (add_thread != NULL)
		memcpy(thread, add_thread, UUID_LEN);
	thread[fi->thread_id.present || add_thread ? UUID_LEN : 0] = '\0';
	*why = "out of memory";
	if (fi->has_newline) {
		if (json_compact(data, len, &compact) == -1) {
			buf_free(&compact);
			return -1;
		}
		data = compact.p;
		len = compact.len;
	}
	if (add_thread == NULL && add_agent == NULL)
		r = buf_add(out, data, len);
	else
		r = fill(out, data, len, add_thread, add_agent);
	buf_free(&compact);
	return r;
}

/* With -R: the line is a message's content. */
static int
raw_frame(const struct input_config *o, const char *data, size_t len,
    struct buf *out, enum req_kind *kind, char thread[UUID_LEN + 1],
    const char **why)
{
	*kind = REQ_MESSAGE;
	memcpy(thread, o->thread, UUID_LEN + 1);
	*why = "out of memory";
	return input_message(out, o->thread, o->agent, data, len);
}

int
input_frame(const struct input_config *o, const char *data, size_t len,
    int is_object, struct buf *out, enum req_kind *kind,
    char thread[UUID_LEN + 1], const char **why)
{
	struct json_info fi;

	out->len = 0;
	thread[0] = '\0';
	if (o->raw)
		return raw_frame(o, data, len, out, kind, thread, why);
	*why = "expected a JSON object";
	if (!is_object || json_scan(data, len, &fi) != JSON_OBJECT)
		return -1;
	return object_frame(o, data, len, &fi, out, kind, thread, why);
}

int
input_value(const struct input_config *o, const struct jstream_item *it,
    struct buf *out, enum req_kind *kind, char thread[UUID_LEN + 1],
    const char **why)
{
	if (it->info == NULL || o->raw)
		return input_frame(o, it->data, it->len, it->is_object, out,
		    kind, thread, why);
	out->len = 0;
	thread[0] = '\0';
	*why = "expected a JSON object";
	if (!it->is_object)
		return -1;
	return object_frame(o, it->data, it->len, it->info, out, kind, thread,
	    why);
}

int
input_item(const struct input_config *o, const struct jstream_item *it,
    struct buf *out, enum req_kind *kind, char thread[UUID_LEN + 1])
{
	const char *why = it->error;

	if (why == NULL && input_value(o, it, out, kind, thread, &why) == 0)
		return 0;
	msg_error("stdin:%lu:%lu: %s", it->line, it->col, why);
	return -1;
}
