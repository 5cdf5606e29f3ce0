/*
 * One group commit: every job's pending writes in one transaction.  A
 * failure anywhere rolls the whole group back; since nothing in it has
 * been acknowledged yet, nothing a client was told about is lost.
 */
#include <config.h>

#include "group.h"

int
group_pending(const struct job *j)
{
	return j->unstored || j->dirty || j->ended;
}

/* The reply row's status as this group leaves it. */
static const char *
group_reply_status(const struct job *j)
{
	if (j->lost)
		return "interrupted";
	if (j->ended)
		return j->end_status;
	return j->complete ? "complete" : "processing";
}

/* One job's writes; -1 at the first that fails. */
static int
group_job(struct store *st, const struct job *j)
{
	if (j->unstored && (store_add(st, j->user_id, j->owner, j->thread,
	    "user", j->content.p, j->content.len, NULL, j->user_at) == -1 ||
	    store_job_start(st, j->id, j->owner, j->thread,
	    j->agent[0] ? j->agent : NULL) == -1))
		return -1;
	if (j->dirty && store_reply(st, j->msg_id, j->owner, j->thread,
	    j->reply.p, j->reply.len, j->id, j->created_at,
	    group_reply_status(j)) == -1)
		return -1;
	if (j->ended && store_job_end(st, j->id, j->end_status,
	    j->error[0] ? j->error : NULL) == -1)
		return -1;
	return 0;
}

int
group_write(struct store *st, const struct job *jobs)
{
	const struct job *j;

	if (store_begin(st) == -1)
		goto fail;
	for (j = jobs; j != NULL; j = j->next)
		if (group_pending(j) && group_job(st, j) == -1)
			goto fail;
	if (store_commit(st) == 0)
		return 0;
fail:
	store_rollback(st);
	return -1;
}
