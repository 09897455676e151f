#include "linux/process_attrs.h"

#include <errno.h>
#include <string.h>
#include <sys/personality.h>

#include "util/log.h"

int personality_apply(const struct spec_personality *p, ocirun_error_t **err) {
  unsigned long persona;

  if (p == NULL || !p->present)
    return 0;
  if (p->domain != NULL && strcmp(p->domain, "LINUX") == 0)
    persona = PER_LINUX;
  else if (p->domain != NULL && strcmp(p->domain, "LINUX32") == 0)
    persona = PER_LINUX32;
  else
    return ocirun_error_set(err, 0,
                            ".linux.personality.domain: unknown domain \"%s\" (LINUX or LINUX32)",
                            p->domain ? p->domain : "");
  if (p->flags.len > 0)
    log_warn(".linux.personality.flags: personality flags are not supported, ignored");
  if (personality(persona) < 0)
    return ocirun_error_set(err, errno, "personality(%s)", p->domain);
  return 0;
}
