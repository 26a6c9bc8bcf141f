/*
 * A generator made from a greenlet.
 *
 * The tree walk below is an ordinary recursive function. Each time it reaches
 * a node it "yields" the node to whoever asked for the next value, and its
 * whole recursion (every frame on its own stack) stays suspended until the
 * next request. No explicit stack, no state machine: that is what a greenlet
 * buys over a callback or an iterator object.
 *
 * The small generator API (generator_new / generator_next / generator_yield /
 * generator_free) is built here in a few lines from greenlet_switch().
 */
#include <greenlet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- A generator on top of greenlets ---------------------------------- */

typedef struct generator generator_t;
typedef void (*generator_body_t)(generator_t *gen, void *argument);

struct generator {
    greenlet_t *greenlet;  /* runs the body on its own stack */
    generator_body_t body; /* the code that yields values */
    void *argument;        /* what the body works on */
};

/* The greenlet's run function: the first value switched into it is the
 * generator itself (see generator_next). */
static void *generator_start(void *value)
{
    generator_t *gen = value;
    gen->body(gen, gen->argument);
    return NULL; /* finished: control goes back to the parent, the consumer */
}

static generator_t *generator_new(generator_body_t body, void *argument)
{
    generator_t *gen = malloc(sizeof *gen);
    if (!gen)
        return NULL;
    greenlet_attr_t attr = {.name = "generator"};
    *gen = (generator_t){.greenlet = greenlet_new(generator_start, NULL, &attr), .body = body,
                         .argument = argument};
    if (!gen->greenlet) {
        free(gen);
        return NULL;
    }
    return gen;
}

/* Runs the body until it yields the next value (true, *value set) or
 * finishes (false; had the body failed, its error would now be pending here,
 * see generator_yield). */
static bool generator_next(generator_t *gen, void **value)
{
    /* Whoever asks becomes the parent, so a yield comes back to them. */
    greenlet_set_parent(gen->greenlet, greenlet_current());
    /* Starts the body the first time (it receives gen), resumes it after. */
    void *result = greenlet_switch(gen->greenlet, gen);
    if (greenlet_dead(gen->greenlet))
        return false;
    *value = result;
    return true;
}

/* Called from inside the body: hands value to the consumer and waits for the
 * next request. Returns false when an error was thrown in instead, typically
 * GREENLET_EXIT because generator_free() killed a generator that was not
 * finished: the body should then return at once. The error stays pending, so
 * it leaves with the body (GREENLET_EXIT quietly, anything else goes on to the
 * consumer, like an exception). */
static bool generator_yield(generator_t *gen, void *value)
{
    greenlet_switch(greenlet_parent(gen->greenlet), value);
    return greenlet_error(NULL) == 0;
}

/* Releases the generator. A body still suspended in generator_yield() is
 * killed first: its yield returns false and it unwinds normally. */
static void generator_free(generator_t *gen)
{
    greenlet_unref(gen->greenlet);
    free(gen);
}

/* ---- A binary search tree and its recursive walk ------------------------ */

typedef struct node {
    int key;
    struct node *left, *right;
} node_t;

static node_t *tree_insert(node_t *root, node_t *fresh)
{
    if (!root)
        return fresh;
    if (fresh->key < root->key)
        root->left = tree_insert(root->left, fresh);
    else
        root->right = tree_insert(root->right, fresh);
    return root;
}

/* In-order walk: yields every node, smallest key first. Returns false when
 * the consumer stopped listening. */
static bool walk(generator_t *gen, node_t *node)
{
    if (!node)
        return true;
    return walk(gen, node->left) && generator_yield(gen, node) && walk(gen, node->right);
}

static void walk_body(generator_t *gen, void *root)
{
    if (!walk(gen, root))
        printf("  (walk abandoned: its frames unwound through the kill)\n");
}

/* ---- Using it ------------------------------------------------------------ */

int main(void)
{
    static const int keys[] = {8, 3, 10, 1, 6, 14, 4, 7, 13};
    enum { KEY_COUNT = sizeof keys / sizeof keys[0] };
    node_t nodes[KEY_COUNT];
    node_t *root = NULL;
    for (int i = 0; i < KEY_COUNT; i++) {
        nodes[i] = (node_t){.key = keys[i]};
        root = tree_insert(root, &nodes[i]);
    }

    /* 1. Drain the generator: the keys come out sorted. */
    generator_t *gen = generator_new(walk_body, root);
    if (!gen) {
        fprintf(stderr, "generator_new: %s\n", greenlet_error_message());
        return 1;
    }
    printf("in order:");
    void *value;
    int count = 0;
    while (generator_next(gen, &value)) {
        printf(" %d", ((node_t *)value)->key);
        count++;
    }
    printf("\n");
    generator_free(gen);

    /* 2. Take only what is needed: the first three keys, then give up. */
    gen = generator_new(walk_body, root);
    if (!gen) {
        fprintf(stderr, "generator_new: %s\n", greenlet_error_message());
        return 1;
    }
    printf("smallest three:");
    for (int i = 0; i < 3 && generator_next(gen, &value); i++)
        printf(" %d", ((node_t *)value)->key);
    printf("\n");
    generator_free(gen); /* the walk is suspended three frames deep */

    printf("walked %d nodes; generator %s\n", count,
           count == KEY_COUNT && greenlet_error(NULL) == 0 ? "ok" : "FAILED");
    return count == KEY_COUNT ? 0 : 1;
}
