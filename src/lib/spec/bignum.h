/* Integers beyond int64 in a JSON document.
 *
 * jansson stores integers as long long and refuses a document containing a larger
 * one ("too big integer"), but the runtime-spec has uint64 fields (rlimits, seccomp
 * argument values, memory sizes) whose valid values go up to 2^64-1.  Before parsing,
 * such integer tokens are rewritten as strings "<tag><digits>" where the tag starts
 * with a control character and carries a random nonce, so that no string written in
 * the document can pass for one.  The typed getters recognise the tag. */
#ifndef OCIRUN_SPEC_BIGNUM_H
#define OCIRUN_SPEC_BIGNUM_H

#include <stdbool.h>
#include <stddef.h>

/* Fill tag (at least 40 bytes) with a fresh tag. */
void bignum_make_tag(char *tag, size_t size);

/* Returns 0 with *out = NULL when the document has no out-of-range integer, 1 with a
 * malloc'd rewritten copy in *out / *out_len, -1 when out of memory. */
int bignum_rewrite(const char *data, size_t len, const char *tag, char **out, size_t *out_len);

/* When s is a rewritten integer, return its digits ("-123..."), else NULL. */
const char *bignum_digits(const char *tag, const char *s);

/* The reverse of bignum_rewrite on text jansson wrote: every string "<tag><digits>" becomes
 * the integer token again.  Returns a malloc'd copy (NULL when out of memory). */
char *bignum_restore(const char *json, const char *tag);

#endif
