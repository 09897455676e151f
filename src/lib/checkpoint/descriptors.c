/* descriptors.json in the image directory: what fds 0, 1 and 2 of the
 * container's init pointed to when it was created ("pipe:[1234]",
 * "/dev/null", ...), as a JSON array of three strings.  Restore hands its own
 * stdio to CRIU in place of each pipe; podman and containerd read the file too. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint/criu_internal.h"

char *descriptors_format(char *const paths[3]) {
  json_t *arr = json_array();
  char *out = NULL;

  if (arr == NULL)
    return NULL;
  for (int i = 0; i < 3; i++)
    if (json_array_append_new(arr, json_string(paths[i] ? paths[i] : "")) < 0) {
      json_decref(arr);
      return NULL;
    }
  out = json_dumps(arr, JSON_COMPACT);
  json_decref(arr);
  return out;
}

int descriptors_parse(const char *data, size_t len, char *paths[3], ocirun_error_t **err) {
  json_error_t jerr;
  json_t *arr = json_loadb(data, len, 0, &jerr);
  int rc = 0;

  for (int i = 0; i < 3; i++)
    paths[i] = NULL;
  if (arr == NULL)
    return ocirun_error_set(err, 0, "descriptors.json: line %d column %d: %s", jerr.line,
                            jerr.column, jerr.text);
  if (!json_is_array(arr)) {
    json_decref(arr);
    return ocirun_error_set(err, 0, "descriptors.json: not a JSON array");
  }
  /* runc writes exactly the three stdio entries; more are ignored, fewer left empty. */
  for (size_t i = 0; i < 3 && rc == 0; i++) {
    json_t *v = json_array_get(arr, i);
    if (v == NULL)
      break;
    if (!json_is_string(v))
      rc = ocirun_error_set(err, 0, "descriptors.json: [%zu] must be a string", i);
    else if ((paths[i] = strdup(json_string_value(v))) == NULL)
      rc = ocirun_error_set(err, ENOMEM, "descriptors.json");
  }
  json_decref(arr);
  if (rc < 0)
    for (int i = 0; i < 3; i++) {
      free(paths[i]);
      paths[i] = NULL;
    }
  return rc;
}
