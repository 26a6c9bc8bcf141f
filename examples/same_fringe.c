/*
 * The same-fringe problem: do two binary trees have the same leaves, in the
 * same order, whatever their shapes?
 *
 * Flattening both trees into lists would answer it, but would visit every leaf
 * even when the first ones already differ. Here each tree gets a greenlet that
 * walks it recursively and hands over one leaf at a time; the comparison pulls
 * a leaf from each walker in turn and stops at the first difference. The
 * walkers are then simply dropped: libgreenlet kills them, and they unwind
 * out of their recursion like any function returning early.
 */
#include <greenlet.h>
#include <stdbool.h>
#include <stdio.h>

/* ---- Trees ---------------------------------------------------------------- */

/* A leaf has no children and carries a value; an inner node has both. */
typedef struct tree {
    struct tree *left, *right;
    int value;
} tree_t;

#define LEAF(v) (&(tree_t){.value = (v)})
#define NODE(l, r) (&(tree_t){.left = (l), .right = (r)})

static bool is_leaf(const tree_t *t)
{
    return !t->left && !t->right;
}

static void print_tree(const tree_t *t)
{
    if (is_leaf(t)) {
        printf("%d", t->value);
        return;
    }
    printf("(");
    print_tree(t->left);
    printf(" ");
    print_tree(t->right);
    printf(")");
}

/* ---- A greenlet that walks one tree ---------------------------------------- */

/* Hands every leaf, left to right, to the parent greenlet (the comparison),
 * waiting after each one. Returns false if an error was thrown in while it
 * waited (GREENLET_EXIT when the comparison drops the walker early). */
static bool hand_over_leaves(tree_t *t)
{
    if (is_leaf(t)) {
        greenlet_switch(greenlet_parent(greenlet_current()), t);
        return greenlet_error(NULL) == 0;
    }
    return hand_over_leaves(t->left) && hand_over_leaves(t->right);
}

/* The walker's run function: its first value is the tree to walk. Returning
 * NULL tells the comparison that there are no more leaves. */
static void *walk_leaves(void *tree)
{
    hand_over_leaves(tree);
    return NULL;
}

typedef struct walker {
    greenlet_t *greenlet;
    tree_t *tree;
} walker_t;

/* The next leaf of the walker's tree, or NULL at the end. The first call
 * starts the walk with the tree as run's argument; later calls resume it (the
 * value passed is then ignored). */
static tree_t *next_leaf(walker_t *w)
{
    return greenlet_switch(w->greenlet, w->tree);
}

/* ---- The comparison --------------------------------------------------------- */

static bool same_fringe(tree_t *a, tree_t *b)
{
    walker_t first = {greenlet_new(walk_leaves, NULL, NULL), a};
    walker_t second = {greenlet_new(walk_leaves, NULL, NULL), b};
    if (!first.greenlet || !second.greenlet) {
        printf("  cannot create walkers: %s\n", greenlet_error_message());
        greenlet_unref(first.greenlet);
        greenlet_unref(second.greenlet);
        return false;
    }

    bool same = false;
    for (int position = 1;; position++) {
        tree_t *x = next_leaf(&first);
        tree_t *y = next_leaf(&second);
        if (!x && !y) {
            printf("  same fringe (%d leaves)\n", position - 1);
            same = true;
            break;
        }
        if (!x || !y) {
            printf("  different: the %s tree has no leaf %d\n", x ? "second" : "first", position);
            break;
        }
        if (x->value != y->value) {
            printf("  different: leaf %d is %d in one and %d in the other\n", position, x->value, y->value);
            break;
        }
    }

    /* A walker that is still suspended mid-tree is killed here; its pending
     * greenlet_switch() returns with GREENLET_EXIT and it unwinds. */
    printf("  walkers left %s and %s\n", greenlet_state_name(first.greenlet),
           greenlet_state_name(second.greenlet));
    greenlet_unref(first.greenlet);
    greenlet_unref(second.greenlet);
    return same;
}

static tree_t *const tree_a = NODE(NODE(LEAF(1), LEAF(2)), NODE(LEAF(3), NODE(LEAF(4), LEAF(5))));
static tree_t *const tree_b = NODE(LEAF(1), NODE(NODE(LEAF(2), LEAF(3)), NODE(LEAF(4), LEAF(5))));
static tree_t *const tree_c = NODE(NODE(NODE(LEAF(1), LEAF(2)), LEAF(3)), NODE(LEAF(9), NODE(LEAF(4), LEAF(5))));
static tree_t *const tree_d = NODE(LEAF(1), NODE(LEAF(2), LEAF(3)));

static bool compare(tree_t *a, tree_t *b)
{
    print_tree(a);
    printf(" vs ");
    print_tree(b);
    printf("\n");
    return same_fringe(a, b);
}

int main(void)
{
    /* Expected: equal, different, different, equal. */
    bool ok = compare(tree_a, tree_b);
    ok = !compare(tree_a, tree_c) && ok;
    ok = !compare(tree_a, tree_d) && ok;
    ok = compare(tree_d, NODE(NODE(LEAF(1), LEAF(2)), LEAF(3))) && ok;
    printf("same fringe: %s\n", ok && greenlet_error(NULL) == 0 ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
