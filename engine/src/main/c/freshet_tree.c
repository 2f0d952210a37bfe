/*
 * The engine's C side, compiled into the optimised runtime library together with tree-sitter's own
 * sources (engine/grammars/build-grammars.sh), whose internal headers it reads:
 * - freshet_parse parses a file with memory of its own, a region, which freshet_parse_free drops
 *   whole (see "The region" below);
 * - freshet_tree_copy copies a whole tree into a flat buffer in one call, so that Java crosses the
 *   native boundary once per file instead of several times per node. It walks the parser's subtrees
 *   directly, which is several times cheaper than the public TSTreeCursor, and reports exactly what
 *   that cursor reports (see "The walk" below). TreeSitterParser reads the buffer;
 * - freshet_language_names gives a grammar's symbol and field names in one call, not two per symbol;
 * - freshet_read_words is a scan's pass over a file's bytes before any parse (see "The word pass").
 *
 * Each node, in preorder (a node before its children, children in order), takes four words:
 *   [0] symbol | field id << 16   (the field the node fills in its parent, 0 if none)
 *   [1] start byte
 *   [2] end byte
 *   [3] child count << 3 | has_error << 2 | is_extra << 1 | is_missing
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tree_sitter/api.h"
#include "language.h"
#include "subtree.h"
#include "tree.h"

/* The number of nodes freshet_tree_copy writes for this tree, to size its buffer. */
uint32_t freshet_tree_node_count(const TSTree *tree) {
  return ts_node_descendant_count(ts_tree_root_node(tree));
}

/*
 * The walk. The parser's tree holds hidden subtrees (rules whose names start with "_", repetitions,
 * inlined tokens) that the public API never shows: a hidden subtree's visible descendants are
 * children of its nearest visible ancestor. As tree_cursor.c decides (0.25.1):
 * - a child is visible when its subtree is, or when it is not an extra and the parent's production
 *   gives it an alias; a hidden child is entered only if it has visible children;
 * - a node's symbol is that alias, else its subtree's symbol, mapped to the grammar's public symbol;
 * - a child's field is the one the parent's production's field map gives its structural index (the
 *   index among the non-extra children); failing that, a child of a hidden parent inherits the
 *   parent's own field; an extra has no field;
 * - a child starts where the previous child ended plus its own padding, the first child where its
 *   parent starts (the parent's padding is the first child's);
 * - the child count is the subtree's visible child count, the flags its own.
 * TreeSitterParserTest compares the copy word for word with a cursor walk: it tells when another
 * version of tree-sitter decides otherwise.
 */

/* Frames on the C stack before the walk moves them to the heap: deeper trees are rare. */
#define FRESHET_INLINE_FRAMES 64

/* A subtree whose children are being walked: the visible node itself or a hidden one inside it. */
typedef struct {
  const Subtree *children;
  uint32_t child_count;
  uint32_t next_child;
  uint32_t structural_index;
  /* Where the next child starts. */
  uint32_t position;
  const TSSymbol *aliases;
  const TSFieldMapEntry *fields;
  const TSFieldMapEntry *fields_end;
  /* The field a hidden subtree fills (its children inherit it), 0 for a visible node. */
  TSFieldId inherited_field;
} Frame;

typedef struct {
  const TSLanguage *language;
  uint32_t *out;
  uint32_t capacity;
  uint32_t count;
  Frame *frames;
  uint32_t depth;
  uint32_t frame_capacity;
} Walk;

static void write_node(Walk *walk, Subtree subtree, TSSymbol symbol, TSFieldId field, uint32_t start) {
  if (walk->count < walk->capacity) {
    TSSymbol public_symbol = symbol == ts_builtin_sym_error ? symbol : walk->language->public_symbol_map[symbol];
    uint32_t *record = walk->out + 4 * (size_t)walk->count;
    record[0] = (uint32_t)public_symbol | (uint32_t)field << 16;
    record[1] = start;
    record[2] = start + ts_subtree_size(subtree).bytes;
    record[3] = ts_subtree_visible_child_count(subtree) << 3 | (uint32_t)(ts_subtree_error_cost(subtree) > 0) << 2
        | (uint32_t)ts_subtree_extra(subtree) << 1 | (uint32_t)ts_subtree_missing(subtree);
  }
  walk->count++;
}

/* Starts walking the children of a subtree that has children, visible or inherited. */
static void enter(Walk *walk, Subtree subtree, uint32_t start, TSFieldId inherited_field) {
  if (walk->depth == walk->frame_capacity) {
    uint32_t capacity = walk->frame_capacity * 2;
    Frame *frames = ts_malloc(capacity * sizeof(Frame));
    memcpy(frames, walk->frames, walk->depth * sizeof(Frame));
    if (walk->frame_capacity > FRESHET_INLINE_FRAMES) {
      ts_free(walk->frames);
    }
    walk->frames = frames;
    walk->frame_capacity = capacity;
  }
  Frame *frame = &walk->frames[walk->depth++];
  uint16_t production_id = subtree.ptr->production_id;
  frame->children = ts_subtree_children(subtree);
  frame->child_count = subtree.ptr->child_count;
  frame->next_child = 0;
  frame->structural_index = 0;
  frame->position = start;
  frame->aliases = ts_language_alias_sequence(walk->language, production_id);
  ts_language_field_map(walk->language, production_id, &frame->fields, &frame->fields_end);
  frame->inherited_field = inherited_field;
}

/* The field of a non-extra child at this structural index, inherited from a hidden parent if the map gives none. */
static TSFieldId field_of(const Frame *frame, uint32_t structural_index) {
  for (const TSFieldMapEntry *map = frame->fields; map < frame->fields_end; map++) {
    if (!map->inherited && map->child_index == structural_index) {
      return map->field_id;
    }
  }
  return frame->inherited_field;
}

/*
 * Writes at most capacity nodes into out (4 * capacity words) and returns how many the tree has:
 * a result above capacity means the buffer was too small and must be grown and filled again.
 */
uint32_t freshet_tree_copy(const TSTree *tree, uint32_t *out, uint32_t capacity) {
  Frame inline_frames[FRESHET_INLINE_FRAMES];
  Walk walk = {tree->language, out, capacity, 0, inline_frames, 0, FRESHET_INLINE_FRAMES};
  Subtree root = tree->root;
  uint32_t root_start = ts_subtree_padding(root).bytes;
  write_node(&walk, root, ts_subtree_symbol(root), 0, root_start);
  if (ts_subtree_visible_child_count(root) > 0) {
    enter(&walk, root, root_start, 0);
  }
  while (walk.depth > 0) {
    Frame *frame = &walk.frames[walk.depth - 1];
    if (frame->next_child == frame->child_count) {
      walk.depth--;
      continue;
    }
    Subtree child = frame->children[frame->next_child++];
    uint32_t start = frame->position;
    frame->position += ts_subtree_size(child).bytes;
    if (frame->next_child < frame->child_count) {
      frame->position += ts_subtree_padding(frame->children[frame->next_child]).bytes;
    }
    bool extra = ts_subtree_extra(child);
    TSSymbol alias = 0;
    uint32_t structural_index = frame->structural_index;
    if (!extra) {
      if (frame->aliases) {
        alias = frame->aliases[structural_index];
      }
      frame->structural_index++;
    }
    bool visible = ts_subtree_visible(child) || alias != 0;
    bool has_visible_children = ts_subtree_visible_child_count(child) > 0;
    if (!visible && !has_visible_children) {
      continue;
    }
    TSFieldId field = extra ? 0 : field_of(frame, structural_index);
    if (visible) {
      write_node(&walk, child, alias ? alias : ts_subtree_symbol(child), field, start);
    }
    if (has_visible_children) {
      // frame may move when the stack grows; it is not used after this.
      enter(&walk, child, start, visible ? 0 : field);
    }
  }
  if (walk.frames != inline_frames) {
    ts_free(walk.frames);
  }
  return walk.count;
}

/*
 * The region. A parse makes and frees a great many small objects (subtrees, stack nodes, arrays),
 * and deleting the tree afterwards walks every subtree again to free it. While freshet_parse runs,
 * tree-sitter's allocations on its thread come from a region instead: blocks that are filled in
 * order and dropped whole by freshet_parse_free, after the tree has been copied. That saves about a
 * tenth of the CPU time of parsing Python (less for Java, whose parses allocate less).
 *
 * tree-sitter takes one allocator for the whole process (ts_set_allocator), set here when the library
 * is loaded, before it allocates anything. Every allocation carries a header saying where it came
 * from: outside a parse (another thread, a cursor walk from Java) from malloc, given back by free;
 * inside one from the region, where freeing does nothing. The grammars' external scanners are compiled
 * without TREE_SITTER_REUSE_ALLOCATOR and use malloc directly: the parser's deletion, outside the
 * region, destroys them.
 */

enum { FROM_HEAP = 0x48454150, FROM_REGION = 0x52454749 };

typedef struct {
  size_t size;
  size_t from;
} Header;

typedef struct Block {
  struct Block *previous;
  size_t used;
  size_t size;
  _Alignas(16) unsigned char data[];
} Block;

/* The tree comes first: TreeSitterApi reads it there. */
typedef struct {
  TSTree *tree;
  TSParser *parser;
  Block *block;
  /* The last allocation, which realloc can grow where it is. */
  void *last;
} Region;

#define FRESHET_FIRST_BLOCK (256 * 1024)
#define FRESHET_LARGEST_BLOCK (16 * 1024 * 1024)

static _Thread_local Region *active_region;

static void *or_abort(void *memory, size_t size) {
  if (memory == NULL && size > 0) {
    fprintf(stderr, "freshet: out of memory allocating %zu bytes for tree-sitter\n", size);
    abort();
  }
  return memory;
}

static size_t footprint(size_t size) {
  if (size > SIZE_MAX / 2) {
    or_abort(NULL, size); /* no parse asks for half the address space: a size wrapped around */
  }
  return (sizeof(Header) + size + 15) & ~(size_t)15;
}

static void *region_allocate(Region *region, size_t size) {
  size_t needed = footprint(size);
  Block *block = region->block;
  if (block == NULL || block->used + needed > block->size) {
    size_t next = block == NULL ? FRESHET_FIRST_BLOCK : block->size < FRESHET_LARGEST_BLOCK ? block->size * 2 : block->size;
    if (next < needed) next = needed;
    Block *fresh = or_abort(malloc(sizeof(Block) + next), next);
    fresh->previous = block;
    fresh->used = 0;
    fresh->size = next;
    region->block = block = fresh;
  }
  Header *header = (Header *)(block->data + block->used);
  block->used += needed;
  header->size = size;
  header->from = FROM_REGION;
  return region->last = header + 1;
}

static void *freshet_malloc(size_t size) {
  if (active_region != NULL) {
    return region_allocate(active_region, size);
  }
  Header *header = or_abort(malloc(footprint(size)), size);
  header->size = size;
  header->from = FROM_HEAP;
  return header + 1;
}

static void *freshet_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) {
    or_abort(NULL, SIZE_MAX);
  }
  void *memory = freshet_malloc(count * size);
  memset(memory, 0, count * size);
  return memory;
}

static void freshet_free(void *memory) {
  if (memory != NULL) {
    Header *header = (Header *)memory - 1;
    if (header->from == FROM_HEAP) {
      free(header);
    }
  }
}

static void *freshet_realloc(void *memory, size_t size) {
  if (memory == NULL) {
    return freshet_malloc(size);
  }
  Header *header = (Header *)memory - 1;
  if (header->from == FROM_HEAP) {
    header = or_abort(realloc(header, footprint(size)), size);
    header->size = size;
    return header + 1;
  }
  Region *region = active_region;
  if (region != NULL && memory == region->last) {
    Block *block = region->block;
    size_t grown = block->used - footprint(header->size) + footprint(size);
    if (grown <= block->size) {
      block->used = grown;
      header->size = size;
      return memory;
    }
  }
  // Region memory reallocated outside its parse would be a bug; tree-sitter does not do it.
  void *moved = freshet_malloc(size);
  memcpy(moved, memory, header->size < size ? header->size : size);
  return moved;
}

__attribute__((constructor)) static void install_allocator(void) {
  ts_set_allocator(freshet_malloc, freshet_calloc, freshet_realloc, freshet_free);
}

/*
 * Parses text (length bytes of UTF-8) with a parser of its own, in a region. Returns the region,
 * whose first member is the tree (NULL when tree-sitter refuses the language, an ABI version it does
 * not know), valid until freshet_parse_free drops it all.
 */
void *freshet_parse(const TSLanguage *language, const char *text, uint32_t length) {
  Region *region = or_abort(calloc(1, sizeof(Region)), sizeof(Region));
  active_region = region;
  region->parser = ts_parser_new();
  if (ts_parser_set_language(region->parser, language)) {
    region->tree = ts_parser_parse_string(region->parser, NULL, text, length);
  }
  active_region = NULL;
  return region;
}

/* Destroys the parser's external scanner (its memory is malloc's) and drops the region's blocks. */
void freshet_parse_free(void *handle) {
  Region *region = handle;
  ts_parser_delete(region->parser);
  for (Block *block = region->block; block != NULL;) {
    Block *previous = block->previous;
    free(block);
    block = previous;
  }
  free(region);
}

/* Writes name and its NUL at size if they fit in capacity; returns the size after them either way. */
static uint32_t put_name(char *out, uint32_t capacity, uint32_t size, const char *name) {
  uint32_t length = name == NULL ? 0 : (uint32_t)strlen(name);
  if (size + length + 1 <= capacity) {
    memcpy(out + size, name, length);
    out[size + length] = '\0';
  }
  return size + length + 1;
}

/*
 * The grammar's names in one call, for the engine's tables of kinds and fields: for each symbol in
 * order, its type (TSSymbolType) in one byte and its name, NUL-terminated; then the name of each field
 * from 1 on, NUL-terminated. Writes at most capacity bytes into out and returns the table's whole size:
 * a result above capacity means the buffer was too small and must be grown and filled again.
 */
uint32_t freshet_language_names(const TSLanguage *language, char *out, uint32_t capacity) {
  uint32_t size = 0;
  uint32_t symbols = ts_language_symbol_count(language);
  for (uint32_t symbol = 0; symbol < symbols; symbol++) {
    if (size < capacity) {
      out[size] = (char)ts_language_symbol_type(language, (TSSymbol)symbol);
    }
    size = put_name(out, capacity, size + 1, ts_language_symbol_name(language, (TSSymbol)symbol));
  }
  uint32_t fields = ts_language_field_count(language);
  for (uint32_t field = 1; field <= fields; field++) {
    size = put_name(out, capacity, size, ts_language_field_name_for_id(language, (TSFieldId)field));
  }
  return size;
}

/*
 * The word pass. Before a file is parsed, a scan reads its bytes once to learn which of the words its
 * rules need occur in it as whole words (maximal runs of ASCII letters, digits and underscores), where
 * its lines start and whether it is all ASCII. Prefilter.Vocabulary.read does the same in Java, and
 * VocabularyProperties holds the two to the same answers; this one runs at the speed of C rather than of
 * the JIT's first tier, which one-off scans run on.
 *
 * The vocabulary is an open-addressing table of mask + 1 slots, each holding a word's number or -1,
 * probed from (h ^ h >> 16) & mask on, h being the word's Java String.hashCode; word n is the
 * words[3n + 1] bytes of chars from words[3n], and words[3n + 2] is its hash. found[n] is set to 1 for
 * each word that occurs. line_starts[k] becomes the byte after the k-th newline, for k below
 * line_capacity (line_starts[0], the first line's start, is 0).
 * Returns the number of newlines, with bit 32 set when a byte is not ASCII.
 *
 * With SSE2 (every x86-64), 64 bytes at a time become bit masks of their word bytes, newlines and
 * bytes above ASCII, and the loop visits only where words start and end: 2.3 times faster than a byte
 * at a time over SQLAlchemy's sources. The rest of the text, and all of it elsewhere, goes a byte at a time.
 */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The word bytes by value: a table, as the tests of a formula cost branches that are mispredicted at
 * most word boundaries. */
static bool word_bytes[256];

__attribute__((constructor)) static void fill_word_bytes(void) {
  for (int b = 0; b < 256; b++) {
    word_bytes[b] = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
  }
}

typedef struct {
  const uint8_t *text;
  const int32_t *slots;
  uint32_t mask;
  const int32_t *words;
  const uint8_t *chars;
  uint8_t *found;
  /* Bit n set when a word of n bytes is in the vocabulary (bit 63: of 63 or more): most words need no hash. */
  uint64_t lengths;
} Vocabulary;

/* Marks the word text[start..end) found if the vocabulary holds it. */
static inline void look_up(const Vocabulary *vocabulary, uint32_t start, uint32_t end) {
  uint32_t size = end - start;
  if (!(vocabulary->lengths >> (size < 63 ? size : 63) & 1)) {
    return;
  }
  uint32_t hash = 0;
  for (uint32_t k = start; k < end; k++) {
    hash = 31 * hash + vocabulary->text[k];
  }
  for (uint32_t slot = (hash ^ hash >> 16) & vocabulary->mask; vocabulary->slots[slot] >= 0; slot = (slot + 1) & vocabulary->mask) {
    int32_t number = vocabulary->slots[slot];
    const int32_t *word = vocabulary->words + 3 * (size_t)number;
    if ((uint32_t)word[2] == hash && (uint32_t)word[1] == size && memcmp(vocabulary->chars + word[0], vocabulary->text + start, size) == 0) {
      vocabulary->found[number] = 1;
      return;
    }
  }
}

#if defined(__SSE2__)
/* Bit i of *word, *newline and *high tells whether byte i of the 64 at text is a word byte, a newline, above ASCII. */
static inline void classify(const uint8_t *text, uint64_t *word, uint64_t *newline, uint64_t *high) {
  const __m128i before_a = _mm_set1_epi8('a' - 1), after_z = _mm_set1_epi8('z' + 1);
  const __m128i before_0 = _mm_set1_epi8('0' - 1), after_9 = _mm_set1_epi8('9' + 1);
  *word = *newline = *high = 0;
  for (int part = 0; part < 4; part++) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)(text + 16 * part));
    /* Compared as signed bytes, those above ASCII are negative and fall in no range; | 0x20 lowers letters. */
    __m128i lower = _mm_or_si128(bytes, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, before_a), _mm_cmplt_epi8(lower, after_z));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(bytes, before_0), _mm_cmplt_epi8(bytes, after_9));
    __m128i word_byte = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(bytes, _mm_set1_epi8('_')));
    *word |= (uint64_t)(uint16_t)_mm_movemask_epi8(word_byte) << (16 * part);
    *newline |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('\n'))) << (16 * part);
    *high |= (uint64_t)(uint16_t)_mm_movemask_epi8(bytes) << (16 * part);
  }
}
#endif

int64_t freshet_read_words(const uint8_t *text, uint32_t length, const int32_t *slots, uint32_t mask,
                           const int32_t *words, const uint8_t *chars, uint8_t *found,
                           uint32_t *line_starts, uint32_t line_capacity) {
  Vocabulary vocabulary = {text, slots, mask, words, chars, found, 0};
  for (uint32_t slot = 0; slot <= mask; slot++) {
    if (slots[slot] >= 0) {
      uint32_t size = (uint32_t)words[3 * (size_t)slots[slot] + 1];
      vocabulary.lengths |= (uint64_t)1 << (size < 63 ? size : 63);
    }
  }
  if (line_capacity > 0) {
    line_starts[0] = 0;
  }
  uint32_t newlines = 0;
  bool above_ascii = false;
  bool in_word = false;
  uint32_t word_start = 0;
  uint32_t i = 0;
#if defined(__SSE2__)
  uint64_t last_was_word = 0;
  for (; length - i >= 64; i += 64) {
    uint64_t word, newline, high;
    classify(text + i, &word, &newline, &high);
    above_ascii |= high != 0;
    for (; newline != 0; newline &= newline - 1) {
      if (++newlines < line_capacity) {
        line_starts[newlines] = i + (uint32_t)__builtin_ctzll(newline) + 1;
      }
    }
    /* A word starts or ends (the byte after it) at each bit where a byte differs in kind from the one before. */
    for (uint64_t edges = word ^ (word << 1 | last_was_word); edges != 0; edges &= edges - 1) {
      uint32_t at = (uint32_t)__builtin_ctzll(edges);
      if (word >> at & 1) {
        word_start = i + at;
      } else {
        look_up(&vocabulary, word_start, i + at);
      }
    }
    last_was_word = word >> 63;
  }
  in_word = last_was_word;
#endif
  for (; i < length; i++) {
    uint8_t b = text[i];
    bool word_byte = word_bytes[b];
    if (word_byte && !in_word) {
      word_start = i;
    } else if (!word_byte && in_word) {
      look_up(&vocabulary, word_start, i);
    }
    in_word = word_byte;
    if (b == '\n' && ++newlines < line_capacity) {
      line_starts[newlines] = i + 1;
    }
    above_ascii |= b >= 0x80;
  }
  if (in_word) {
    look_up(&vocabulary, word_start, length);
  }
  return (int64_t)newlines | (int64_t)above_ascii << 32;
}

/*
 * The JNI entry points: how Java calls the functions above (TreeSitterApi.Engine). JNI binds a
 * native method to its function by name at the first call; the FFM API would generate a class for
 * each function signature when its handle is made, about 40 ms of CPU at the start of every run.
 * Addresses travel as jlong. Java arrays are read and filled in place, in critical regions, which
 * these short calls never leave for Java; a parse copies its text first, so it never holds one.
 */
#include <jni.h>

#define FRESHET_JNI(result, name) JNIEXPORT result JNICALL Java_dev_freshet_engine_parse_TreeSitterApi_00024Engine_##name

/* Whether this library has the entry points: answered by the library itself, so a build without them is noticed. */
FRESHET_JNI(jboolean, present)(JNIEnv *env, jclass type) {
  return JNI_TRUE;
}

/* Calls a grammar's tree_sitter_<grammar>() at entry and returns its TSLanguage. */
FRESHET_JNI(jlong, language)(JNIEnv *env, jclass type, jlong entry) {
  const TSLanguage *(*function)(void) = (const TSLanguage *(*)(void))(intptr_t)entry;
  return (jlong)(intptr_t)function();
}

FRESHET_JNI(jint, symbolCount)(JNIEnv *env, jclass type, jlong language) {
  return (jint)ts_language_symbol_count((const TSLanguage *)(intptr_t)language);
}

FRESHET_JNI(jint, fieldCount)(JNIEnv *env, jclass type, jlong language) {
  return (jint)ts_language_field_count((const TSLanguage *)(intptr_t)language);
}

FRESHET_JNI(jint, languageNames)(JNIEnv *env, jclass type, jlong language, jbyteArray out, jint capacity) {
  char *bytes = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (bytes == NULL) {
    return -1; /* OutOfMemoryError is pending */
  }
  uint32_t size = freshet_language_names((const TSLanguage *)(intptr_t)language, bytes, (uint32_t)capacity);
  (*env)->ReleasePrimitiveArrayCritical(env, out, bytes, 0);
  return (jint)size;
}

/* Returns the region; its tree is regionTree's answer. */
FRESHET_JNI(jlong, parse)(JNIEnv *env, jclass type, jlong language, jlong text, jint length) {
  return (jlong)(intptr_t)freshet_parse((const TSLanguage *)(intptr_t)language, (const char *)(intptr_t)text, (uint32_t)length);
}

FRESHET_JNI(jlong, regionTree)(JNIEnv *env, jclass type, jlong region) {
  return (jlong)(intptr_t)((Region *)(intptr_t)region)->tree;
}

FRESHET_JNI(void, parseFree)(JNIEnv *env, jclass type, jlong region) {
  freshet_parse_free((void *)(intptr_t)region);
}

/* As freshet_tree_copy, but a tree of more than capacity nodes returns its size without being walked. */
FRESHET_JNI(jint, treeCopy)(JNIEnv *env, jclass type, jlong tree, jintArray out, jint capacity) {
  const TSTree *native_tree = (const TSTree *)(intptr_t)tree;
  uint32_t needed = freshet_tree_node_count(native_tree);
  if (needed > (uint32_t)capacity) {
    return (jint)needed;
  }
  uint32_t *words = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
  if (words == NULL) {
    return -1;
  }
  uint32_t count = freshet_tree_copy(native_tree, words, (uint32_t)capacity);
  (*env)->ReleasePrimitiveArrayCritical(env, out, words, 0);
  return (jint)count;
}

FRESHET_JNI(jlong, readWords)(JNIEnv *env, jclass type, jbyteArray text, jint length, jintArray slots, jint mask,
                              jintArray words, jbyteArray chars, jbyteArray found, jintArray lineStarts, jint lineCapacity) {
  jarray arrays[] = {text, slots, words, chars, found, lineStarts};
  void *elements[6];
  int held = 0;
  int64_t result = -1;
  for (; held < 6; held++) {
    elements[held] = (*env)->GetPrimitiveArrayCritical(env, arrays[held], NULL);
    if (elements[held] == NULL) {
      break;
    }
  }
  if (held == 6) {
    result = freshet_read_words(elements[0], (uint32_t)length, elements[1], (uint32_t)mask, elements[2], elements[3], elements[4],
                                elements[5], (uint32_t)lineCapacity);
  }
  /* Released in reverse; only found and lineStarts were written. */
  while (held-- > 0) {
    (*env)->ReleasePrimitiveArrayCritical(env, arrays[held], elements[held], held >= 4 ? 0 : JNI_ABORT);
  }
  return (jlong)result;
}
