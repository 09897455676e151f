/* `list [--format table|json] [--quiet]`: the containers under --root, in runc's
 * formats (a Go tabwriter table, or one JSON array line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "container/state.h"

static const struct option list_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
static const char *const list_descriptions[] = {
    "select one of: table or json (default: \"table\")",
    "display only container IDs",
    "show help",
};

enum { LIST_COLUMNS = 6 };

struct list_row {
  char *cells[LIST_COLUMNS]; /* ID PID STATUS BUNDLE CREATED OWNER */
};

/* Display width as Go's tabwriter counts it: runes, i.e. UTF-8 lead bytes. */
static size_t cell_width(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xc0) != 0x80)
      n++;
  return n;
}

/* runc's tabwriter (minwidth 12, tabwidth 1, padding 3, padchar ' '): every column but
 * the last is as wide as its widest cell plus 3, at least 12; the last is not padded. */
static void print_table(struct list_row *rows, size_t n) {
  size_t width[LIST_COLUMNS - 1];

  for (size_t c = 0; c < LIST_COLUMNS - 1; c++) {
    width[c] = 12;
    for (size_t r = 0; r < n; r++) {
      size_t w = cell_width(rows[r].cells[c]) + 3;
      if (w > width[c])
        width[c] = w;
    }
  }
  for (size_t r = 0; r < n; r++) {
    for (size_t c = 0; c < LIST_COLUMNS - 1; c++)
      printf("%s%*s", rows[r].cells[c], (int)(width[c] - cell_width(rows[r].cells[c])), "");
    printf("%s\n", rows[r].cells[LIST_COLUMNS - 1]);
  }
}

static void free_rows(struct list_row *rows, size_t n) {
  for (size_t r = 0; r < n; r++)
    for (size_t c = 0; c < LIST_COLUMNS; c++)
      free(rows[r].cells[c]);
  free(rows);
}

/* Load one container into a table row and/or its JSON object.  A container that cannot
 * be read is reported and skipped, as runc does: it may be mid-delete. */
static int load_row(struct cli_global *g, const char *id, struct list_row *row, char **json) {
  struct container_state st = {0};
  ocirun_error_t *err = NULL;
  enum container_status status;
  char *owner;
  int ok;

  if (state_read(g->root, id, &st, &err) < 0) {
    fprintf(stderr, "load container %s: %s\n", id, err->msg);
    ocirun_error_free(&err);
    return -1;
  }
  status = state_status(g->root, &st);
  owner = state_owner_name(st.owner);
  if (json) {
    *json = state_to_oci_json_compact(&st, status, owner ? owner : "");
    ok = *json != NULL;
  } else {
    ok = asprintf(&row->cells[1], "%d", status == CONTAINER_STOPPED ? 0 : (int)st.init_pid) >= 0;
    row->cells[0] = strdup(st.id);
    row->cells[2] = strdup(container_status_name(status));
    row->cells[3] = strdup(st.bundle ? st.bundle : "");
    row->cells[4] = strdup(st.created ? st.created : "0001-01-01T00:00:00Z");
    row->cells[5] = owner;
    owner = NULL;
    for (size_t c = 0; c < LIST_COLUMNS; c++)
      ok = ok && row->cells[c] != NULL;
  }
  free(owner);
  state_clear(&st);
  return ok ? 0 : -1;
}

int cmd_list(struct cli_global *g, int argc, char **argv) {
  struct cli_simple_flags f = {.value_opt = 'f', .value = "table", .switch_opt = 'q'};
  bool json;
  ocirun_error_t *err = NULL;
  char **ids = NULL;
  size_t n = 0, shown = 0;
  struct list_row *rows = NULL;
  int parsed = cli_parse(cli_find_command("list"), argc, argv, "f:qh", list_options,
                         list_descriptions, 0, 0, cli_set_simple_flag, &f);

  if (parsed != 0)
    return cli_parse_exit(parsed);
  const char *format = f.value;
  bool quiet = f.on;
  json = strcmp(format, "json") == 0;
  if (!quiet && !json && strcmp(format, "table") != 0) {
    ocirun_error_set(&err, 0, "invalid format option");
    return cli_fail(&err);
  }
  if ((g->root_given ? state_list_ids_existing : state_list_ids)(g->root, &ids, &n, &err) < 0)
    return cli_fail(&err);

  /* --quiet wins over --format, as in runc; it still skips unreadable entries. */
  if (quiet) {
    for (size_t i = 0; i < n; i++) {
      struct list_row row = {0};
      if (load_row(g, ids[i], &row, NULL) == 0)
        printf("%s\n", ids[i]);
      for (size_t k = 0; k < LIST_COLUMNS; k++)
        free(row.cells[k]);
    }
    state_list_ids_free(ids, n);
    return fflush(stdout) == 0 ? 0 : CLI_EXIT_FAILURE;
  }
  if (json) {
    /* Go encodes an empty (nil) slice as null. */
    for (size_t i = 0; i < n; i++) {
      char *obj = NULL;
      if (load_row(g, ids[i], NULL, &obj) < 0)
        continue;
      fputs(shown++ == 0 ? "[" : ",", stdout);
      fputs(obj, stdout);
      free(obj);
    }
    fputs(shown ? "]\n" : "null\n", stdout);
    state_list_ids_free(ids, n);
    return fflush(stdout) == 0 ? 0 : CLI_EXIT_FAILURE;
  }
  rows = calloc(n + 1, sizeof(*rows));
  if (rows == NULL) {
    state_list_ids_free(ids, n);
    ocirun_error_set(&err, 0, "list: out of memory");
    return cli_fail(&err);
  }
  static const char *const header[LIST_COLUMNS] = {"ID",     "PID",     "STATUS",
                                                   "BUNDLE", "CREATED", "OWNER"};
  for (size_t k = 0; k < LIST_COLUMNS; k++)
    rows[0].cells[k] = strdup(header[k]);
  shown = 1;
  for (size_t i = 0; i < n; i++) {
    if (load_row(g, ids[i], &rows[shown], NULL) == 0) {
      shown++;
    } else {
      for (size_t k = 0; k < LIST_COLUMNS; k++) {
        free(rows[shown].cells[k]);
        rows[shown].cells[k] = NULL;
      }
    }
  }
  for (size_t k = 0; k < LIST_COLUMNS; k++)
    if (rows[0].cells[k] == NULL) {
      free_rows(rows, shown);
      state_list_ids_free(ids, n);
      ocirun_error_set(&err, 0, "list: out of memory");
      return cli_fail(&err);
    }
  print_table(rows, shown);
  free_rows(rows, shown);
  state_list_ids_free(ids, n);
  return fflush(stdout) == 0 ? 0 : CLI_EXIT_FAILURE;
}
