/*
 * The training run of the profile-guided build of tree-sitter's runtime (build-grammars.sh): linked
 * against the instrumented runtime and the engine's C source, it reads each file's words
 * (freshet_read_words), parses it with one grammar library in a region (freshet_parse) and copies the
 * tree with freshet_tree_copy, as the engine does, so that the profile holds the paths real scanning takes. The grammar is the library the build made, loaded as the engine loads it.
 *
 * usage: pgo-train <grammar library> <grammar name> <file>...
 * Exits 1, with a message, when the grammar cannot be loaded or a file cannot be read: a profile
 * missing part of its training is not built on.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "tree_sitter/api.h"

static char *read_file(const char *path, long *length) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) return NULL;
  char *text = NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (*length = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0
      && (text = malloc((size_t)*length + 1)) != NULL
      && fread(text, 1, (size_t)*length, file) != (size_t)*length) {
    free(text);
    text = NULL;
  }
  fclose(file);
  return text;
}

/* The engine's parse and one-call copy of a tree (engine/src/main/c/freshet_tree.c), linked in beside the runtime. */
void *freshet_parse(const TSLanguage *language, const char *text, uint32_t length);
void freshet_parse_free(void *region);
uint32_t freshet_tree_node_count(const TSTree *tree);
uint32_t freshet_tree_copy(const TSTree *tree, uint32_t *out, uint32_t capacity);
int64_t freshet_read_words(const uint8_t *text, uint32_t length, const int32_t *slots, uint32_t mask,
                           const int32_t *words, const uint8_t *chars, uint8_t *found,
                           uint32_t *line_starts, uint32_t line_capacity);

/* Runs the scan's word pass over a file as a scan does before parsing it, looking for one word ("import"). */
static void read_words(const char *text, long length) {
  static const uint8_t chars[] = "import";
  uint32_t hash = 0;
  for (int i = 0; i < 6; i++) {
    hash = 31 * hash + chars[i];
  }
  int32_t slots[4] = {-1, -1, -1, -1};
  slots[(hash ^ hash >> 16) & 3] = 0;
  int32_t words[3] = {0, 6, (int32_t)hash};
  uint8_t found = 0;
  uint32_t line_starts[256];
  freshet_read_words((const uint8_t *)text, (uint32_t)length, slots, 3, words, chars, &found, line_starts, 256);
}

/* Copies the tree as the engine does, into a buffer of four words per node; returns the node count. */
static unsigned long copy(const TSTree *tree) {
  uint32_t capacity = freshet_tree_node_count(tree);
  uint32_t *records = malloc(4 * sizeof(uint32_t) * ((size_t)capacity + 1));
  if (records == NULL) {
    fprintf(stderr, "pgo-train: out of memory\n");
    exit(1);
  }
  uint32_t count = freshet_tree_copy(tree, records, capacity);
  free(records);
  return count;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: pgo-train <grammar library> <grammar name> <file>...\n");
    return 2;
  }
  void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    fprintf(stderr, "pgo-train: cannot load %s\n", dlerror());
    return 1;
  }
  char symbol[128];
  snprintf(symbol, sizeof symbol, "tree_sitter_%s", argv[2]);
  const TSLanguage *(*language)(void) = (const TSLanguage *(*)(void))dlsym(library, symbol);
  if (language == NULL) {
    fprintf(stderr, "pgo-train: no %s in %s\n", symbol, argv[1]);
    return 1;
  }
  unsigned long nodes = 0;
  for (int i = 3; i < argc; i++) {
    long length;
    char *text = read_file(argv[i], &length);
    if (text == NULL) {
      fprintf(stderr, "pgo-train: cannot read %s\n", argv[i]);
      return 1;
    }
    read_words(text, length);
    void *region = freshet_parse(language(), text, (uint32_t)length);
    const TSTree *tree = *(TSTree **)region; /* the region starts with its tree */
    if (tree == NULL) {
      fprintf(stderr, "pgo-train: %s refused by this runtime\n", symbol);
      return 1;
    }
    nodes += copy(tree);
    freshet_parse_free(region);
    free(text);
  }
  printf("pgo-train: %s: %d files, %lu nodes\n", argv[2], argc - 3, nodes);
  return 0;
}
