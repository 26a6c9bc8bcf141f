/*
 * Trees typed on the page: a leaf is a short word ("7", "x"), an inner node
 * a parenthesised list of trees: "((1 2) (3 (4 5)) 6)". Nodes live in a
 * fixed pool inside the tree and are numbered in the order they appear, so
 * JavaScript can point at them by number.
 */
#ifndef DEMO_TREE_H
#define DEMO_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "reply.h"

enum {
    TREE_MAX_NODES = 256,
    TREE_MAX_DEPTH = 32, /* a leaf's depth: the walk's recursion has one frame per level */
    TREE_MAX_LABEL = 15  /* bytes of a leaf's word */
};

typedef struct node {
    int id;                    /* index in the tree's pool */
    bool leaf;                 /* a word; otherwise a list of children */
    char label[TREE_MAX_LABEL + 1];
    struct node *first, *next; /* first child; next sibling */
} node_t;

typedef struct tree {
    node_t nodes[TREE_MAX_NODES];
    int count;
    node_t *root; /* NULL until a parse succeeded */
} tree_t;

/* Parses text into t. On failure returns false, leaves t empty and writes a
 * message with the column into error. */
bool tree_parse(tree_t *t, const char *text, char *error, size_t error_size);

/* Appends the tree as JSON: a leaf {"id":N,"leaf":"word"}, a list
 * {"id":N,"kids":[...]}; null for an empty tree. */
void tree_json(text_t *out, const node_t *node);

#endif
