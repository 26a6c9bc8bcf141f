/* Parsing and printing the web demo's trees (see tree.h). */
#include "tree.h"

#include <stdio.h>
#include <string.h>

typedef struct parser {
    tree_t *tree;
    const char *text, *at;
    char *error;
    size_t error_size;
} parser_t;

static bool is_word_char(char c)
{
    return c != '\0' && c != '(' && c != ')' && c != ' ' && c != '\t' && c != '\n' && c != '\r';
}

static void skip_spaces(parser_t *p)
{
    while (*p->at == ' ' || *p->at == '\t' || *p->at == '\n' || *p->at == '\r')
        p->at++;
}

static bool fail(parser_t *p, const char *what)
{
    snprintf(p->error, p->error_size, "%s at column %d", what, (int)(p->at - p->text) + 1);
    return false;
}

static node_t *new_node(parser_t *p)
{
    if (p->tree->count == TREE_MAX_NODES) {
        fail(p, "too many nodes (at most 256)");
        return NULL;
    }
    node_t *node = &p->tree->nodes[p->tree->count];
    *node = (node_t){.id = p->tree->count};
    p->tree->count++;
    return node;
}

/* tree := word | "(" tree* ")" */
static node_t *parse_tree(parser_t *p, int depth)
{
    skip_spaces(p);
    if (*p->at == '(') {
        if (depth == TREE_MAX_DEPTH - 1) {
            fail(p, "nested too deeply (at most 31 lists)");
            return NULL;
        }
        node_t *list = new_node(p);
        if (!list)
            return NULL;
        p->at++;
        node_t **link = &list->first;
        for (;;) {
            skip_spaces(p);
            if (*p->at == ')') {
                p->at++;
                return list;
            }
            if (*p->at == '\0') {
                fail(p, "missing ')'");
                return NULL;
            }
            node_t *child = parse_tree(p, depth + 1);
            if (!child)
                return NULL;
            *link = child;
            link = &child->next;
        }
    }
    if (*p->at == ')') {
        fail(p, "unexpected ')'");
        return NULL;
    }
    if (*p->at == '\0') {
        fail(p, "expected a tree");
        return NULL;
    }
    const char *start = p->at;
    while (is_word_char(*p->at))
        p->at++;
    size_t length = (size_t)(p->at - start);
    if (length > TREE_MAX_LABEL) {
        p->at = start;
        fail(p, "word longer than 15 characters");
        return NULL;
    }
    node_t *leaf = new_node(p);
    if (!leaf)
        return NULL;
    leaf->leaf = true;
    memcpy(leaf->label, start, length);
    leaf->label[length] = '\0';
    return leaf;
}

bool tree_parse(tree_t *t, const char *text, char *error, size_t error_size)
{
    parser_t p = {.tree = t, .text = text, .at = text, .error = error, .error_size = error_size};
    t->count = 0;
    t->root = NULL;
    node_t *root = parse_tree(&p, 0);
    if (root) {
        skip_spaces(&p);
        if (*p.at != '\0')
            root = NULL, fail(&p, "text after the tree (wrap several trees in one list)");
    }
    if (!root) {
        t->count = 0;
        return false;
    }
    t->root = root;
    return true;
}

void tree_json(text_t *out, const node_t *node)
{
    if (!node) {
        text_printf(out, "null");
        return;
    }
    text_printf(out, "{\"id\":%d,", node->id);
    if (node->leaf) {
        text_printf(out, "\"leaf\":");
        text_json_string(out, node->label);
    } else {
        text_printf(out, "\"kids\":[");
        for (const node_t *child = node->first; child; child = child->next) {
            tree_json(out, child);
            if (child->next)
                text_printf(out, ",");
        }
        text_printf(out, "]");
    }
    text_printf(out, "}");
}
