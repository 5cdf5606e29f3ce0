/*
 * Frames in colour (colour.h), with jq 1.6's colours: null dark grey,
 * false, true and numbers plain, strings green, object keys bold blue,
 * brackets, braces, commas and colons bold.  The text is a valid JSON
 * frame already (one line): only its tokens are found here, never
 * checked, and every byte is written as it came.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colour.h"

#define RESET "\033[0m"
#define C_NULL "\033[1;30m"
#define C_PLAIN "\033[0;39m"
#define C_STRING "\033[0;32m"
#define C_KEY "\033[34;1m"
#define C_PUNCT "\033[1;39m"

static int on;

int
colour_wanted(int option)
{
	return option > 0 || (option == 0 && isatty(STDOUT_FILENO) &&
	    getenv("NO_COLOR") == NULL);
}

void
colour_init(int option)
{
	on = colour_wanted(option);
}

int
colour_on(void)
{
	return on;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_punct(char c)
{
	return c == '{' || c == '}' || c == '[' || c == ']' || c == ',' ||
	    c == ':';
}

/* The end of the string starting at the quote s[0]. */
static size_t
string_end(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/* Whether the token ending before s[i] is followed by ':' (a key). */
static int
is_key(const char *s, size_t len, size_t i)
{
	while (i < len && is_space(s[i]))
		i++;
	return i < len && s[i] == ':';
}

static int
span(struct out *out, const char *colour, const char *s, size_t n)
{
	if (out_write(out, colour, strlen(colour)) == -1 ||
	    out_write(out, s, n) == -1 ||
	    out_write(out, RESET, sizeof(RESET) - 1) == -1)
		return -1;
	return 0;
}

int
colour_write(struct out *out, const char *s, size_t len)
{
	size_t i = 0, n;
	const char *c;

	while (i < len) {
		if (s[i] == '"') {
			n = string_end(s + i, len - i);
			c = is_key(s, len, i + n) ? C_KEY : C_STRING;
		} else if (is_punct(s[i])) {
			n = 1;
			c = C_PUNCT;
		} else if (is_space(s[i])) {
			if (out_write(out, s + i, 1) == -1)
				return -1;
			i++;
			continue;
		} else {
			for (n = 1; i + n < len && s[i + n] != '"' &&
			    !is_punct(s[i + n]) && !is_space(s[i + n]); n++)
				;
			c = s[i] == 'n' ? C_NULL : C_PLAIN;
		}
		if (span(out, c, s + i, n) == -1)
			return -1;
		i += n;
	}
	return 0;
}
