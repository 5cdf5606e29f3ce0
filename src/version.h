/* chatcat -V: its version and those of the libraries it runs with. */
#ifndef CHATCAT_VERSION_H
#define CHATCAT_VERSION_H

/* Print "chatcat VERSION libwebsockets/V libjq/V ..." on stdout. */
void version_print(void);

#endif
