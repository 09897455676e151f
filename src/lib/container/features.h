/* The OCI "features" structure (runtime-spec features.md): what this runtime
 * implements, independent of the host. */
#ifndef OCIRUN_CONTAINER_FEATURES_H
#define OCIRUN_CONTAINER_FEATURES_H

/* The features JSON, indented like runc's `features` output, with a final newline
 * (malloc'd; NULL on allocation failure). */
char *features_to_json(void);

#endif
