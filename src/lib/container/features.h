/* The OCI "features" structure (runtime-spec features.md): what this runtime
 * implements, independent of the host. */
#ifndef OCIRUN_CONTAINER_FEATURES_H
#define OCIRUN_CONTAINER_FEATURES_H

/* The features JSON, indented like runc's `features` output, with a final newline
 * (malloc'd; NULL on allocation failure). */
char *features_to_json(void);
/* The same with what the host adds: criu_version is the version of the criu found
 * for checkpoint/restore (NULL: none could be run). */
char *features_to_json_with_criu(const char *criu_version);

#endif
