/* The parts of the config.json parser, one file each; only spec/ includes this. */
#ifndef OCIRUN_SPEC_PARSE_H
#define OCIRUN_SPEC_PARSE_H

#include "spec/parse_util.h"

/* Each takes the JSON object of its part (path already pushed) and fills `out`;
 * on error returns -1 and leaves `out` safe to free. */
int parse_process(struct pctx *c, json_t *obj, struct spec_process *out);
int parse_mounts(struct pctx *c, json_t *arr, struct spec *out);
int parse_hooks(struct pctx *c, json_t *obj, struct spec_hooks *out);
int parse_id_mappings(struct pctx *c, json_t *obj, const char *key, struct spec_id_mapping **out,
                      size_t *out_len);
int parse_linux(struct pctx *c, json_t *obj, struct spec_linux *out);
/* intelRdt, personality, netDevices, memoryPolicy */
int parse_linux_misc(struct pctx *c, json_t *lnx, struct spec_linux *out);
int parse_resources(struct pctx *c, json_t *obj, struct spec_resources *out);
int parse_seccomp(struct pctx *c, json_t *obj, struct spec_seccomp *out);

/* Indexed by enum spec_namespace_type, NULL-terminated. */
extern const char *const spec_namespace_names[];

/* Rules between fields, after everything was read (runc's validator, static part). */
int spec_validate(struct pctx *c, const struct spec *spec);

/* Parse a JSON document into a tree, with line and column on syntax errors. */
json_t *spec_load_json(struct pctx *c, const char *data, size_t len);

void spec_strv_clear(struct spec_strv *v);
void spec_kv_list_clear(struct spec_kv_list *l);
void spec_linux_clear(struct spec_linux *l);

#endif
