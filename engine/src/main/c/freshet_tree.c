/*
 * Copies a whole tree-sitter tree into a flat buffer in one call, so that Java crosses the native
 * boundary once per file instead of several times per node. Compiled into the optimised runtime
 * library (engine/grammars/build-grammars.sh); TreeSitterParser reads the buffer (see FlatTree).
 *
 * Each node, in preorder (a node before its children, children in order), takes four words:
 *   [0] symbol | field id << 16   (the field the node fills in its parent, 0 if none)
 *   [1] start byte
 *   [2] end byte
 *   [3] child count << 3 | has_error << 2 | is_extra << 1 | is_missing
 */
#include <stdint.h>
#include "tree_sitter/api.h"

/* The number of nodes freshet_tree_copy writes for this tree, to size its buffer. */
uint32_t freshet_tree_node_count(const TSTree *tree) {
  return ts_node_descendant_count(ts_tree_root_node(tree));
}

/*
 * Writes at most capacity nodes into out (4 * capacity words) and returns how many the tree has:
 * a result above capacity means the buffer was too small and must be grown and filled again.
 */
uint32_t freshet_tree_copy(const TSTree *tree, uint32_t *out, uint32_t capacity) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  uint32_t count = 0;
  for (;;) {
    if (count < capacity) {
      TSNode node = ts_tree_cursor_current_node(&cursor);
      uint32_t *record = out + 4 * (size_t)count;
      record[0] = (uint32_t)ts_node_symbol(node) | (uint32_t)ts_tree_cursor_current_field_id(&cursor) << 16;
      record[1] = ts_node_start_byte(node);
      record[2] = ts_node_end_byte(node);
      record[3] = ts_node_child_count(node) << 3 | (uint32_t)ts_node_has_error(node) << 2
          | (uint32_t)ts_node_is_extra(node) << 1 | (uint32_t)ts_node_is_missing(node);
    }
    count++;
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return count;
      }
    }
  }
}
