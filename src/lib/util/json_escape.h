/* JSON string encoding for log lines and state output written without a DOM. */
#ifndef OCIRUN_JSON_ESCAPE_H
#define OCIRUN_JSON_ESCAPE_H

/* Returns a malloc'd quoted JSON string for s ("..." with escapes), or NULL on ENOMEM. */
char *json_escape_string(const char *s);

#endif
