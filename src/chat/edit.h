/*
 * The prompt's line editing and input history, from libedit: the loop
 * reads the terminal and feeds its bytes here; a whole line (or the end
 * of input) goes to the handler.  Between prompts the terminal is left
 * as it was found (cooked), so a reply prints normally.
 */
#ifndef CHATCAT_EDIT_H
#define CHATCAT_EDIT_H

#include <stddef.h>

/* A line without its newline, or NULL at the end of input (Ctrl-D on an
 * empty line). */
typedef void edit_line_fn(void *ud, const char *line);

struct edit;

/* history: the file the input history is kept in (0600), or NULL. */
struct edit *edit_new(const char *history, edit_line_fn *fn, void *ud);

/* Show prompt and take keys (those typed ahead first). */
void edit_prompt(struct edit *e, const char *prompt);

/* Stop taking keys; they wait for the next prompt. */
void edit_hold(struct edit *e);

/* Bytes from the terminal. */
void edit_feed(struct edit *e, const char *data, size_t len);

/* Whether the prompt's line is empty. */
int edit_empty(struct edit *e);

/* Ctrl-C at the prompt: drop the line, say note, a new prompt. */
void edit_clear(struct edit *e, const char *note, const char *prompt);

/* Keep line in the input history (and its file). */
void edit_remember(struct edit *e, const char *line);

void edit_free(struct edit *e);

#endif
