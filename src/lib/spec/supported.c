/* Fields that are parsed but not applied by this build.  A container must not start
 * silently without something its config asks for, so create refuses them with
 * "not supported: <json path>".  Every field the parser reads is applied now; a field
 * parsed before it is applied gets its check here. */
#include "spec/parse.h"

int spec_check_supported(const struct spec *spec, ocirun_error_t **err) {
  (void)spec;
  (void)err;
  return 0;
}
