/* Arbitrary C frames at switch points: a qsort comparator that switches, a
 * recursive descent parser pulling tokens from a lexer greenlet, and deep
 * recursion on both sides of a switch (R22). */
#include "check.h"

static greenlet_t *main_g;

/* ---- qsort: the comparator asks main for every decision ---- */

struct comparison {
    int a, b;
};

static void *decision_from_main(const struct comparison *c)
{
    return greenlet_switch(main_g, (void *)c);
}

static int switching_comparator(const void *pa, const void *pb)
{
    struct comparison c = {*(const int *)pa, *(const int *)pb};
    return (int)(intptr_t)decision_from_main(&c) - 1;
}

static void *sort_in_greenlet(void *arg)
{
    int *values = arg;
    qsort(values, 64, sizeof values[0], switching_comparator);
    return VAL(0xD0);
}

TEST(test_R22_a_qsort_comparator_that_switches)
{
    int values[64];
    long sum = 0;
    for (int i = 0; i < 64; i++) {
        values[i] = (i * 37) % 64;
        sum += values[i];
    }
    greenlet_attr_t attr = {128 * 1024, "sorter", NULL};
    greenlet_t *sorter = greenlet_new(sort_in_greenlet, NULL, &attr);
    int questions = 0;
    void *v = greenlet_switch(sorter, values);
    while (!greenlet_dead(sorter)) {
        const struct comparison *c = v;
        questions++;
        int descending = c->a > c->b ? -1 : c->a < c->b ? 1 : 0; /* main decides */
        v = greenlet_switch(sorter, VAL(descending + 1));
    }
    CHECK_PTR(v, VAL(0xD0));
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(questions >= 63);
    long after = 0;
    for (int i = 0; i < 64; i++) {
        after += values[i];
        if (i > 0)
            CHECK(values[i - 1] >= values[i]);
    }
    CHECK_INT(after, sum);
    greenlet_unref(sorter);
}

/* ---- a recursive descent parser fed by a lexer greenlet ---- */

enum { TOK_NUM, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_OPEN, TOK_CLOSE, TOK_END, TOK_BAD };

struct token {
    int kind;
    long value;
};

struct lexer {
    const char *src;
    greenlet_t *reader; /* who receives the tokens */
    struct token token;
    int killed;         /* an error (the kill's GREENLET_EXIT) arrived */
};

static void yield_token(struct lexer *lx, int kind, long value)
{
    lx->token.kind = kind;
    lx->token.value = value;
    greenlet_switch(lx->reader, &lx->token);
    lx->killed = greenlet_error(NULL) != 0;
}

/* Recursive on purpose: one frame per digit, the token is yielded from the
 * innermost. */
static long lex_digits(struct lexer *lx, long so_far)
{
    so_far = so_far * 10 + (*lx->src++ - '0');
    if (*lx->src >= '0' && *lx->src <= '9')
        return lex_digits(lx, so_far);
    yield_token(lx, TOK_NUM, so_far);
    return so_far;
}

static void *lex(void *arg)
{
    /* Started by the parser's first request (arg NULL): the lexer's state
     * comes with the greenlet itself (R19 userdata). */
    struct lexer *lx = greenlet_userdata(greenlet_current());
    (void)arg;
    while (!lx->killed) {
        char ch = *lx->src;
        if (ch == ' ') {
            lx->src++;
        } else if (ch >= '0' && ch <= '9') {
            lex_digits(lx, 0);
        } else if (ch == '\0') {
            yield_token(lx, TOK_END, 0); /* the parser stops asking after this */
        } else {
            const char *ops = "+-*/()";
            const char *at = strchr(ops, ch);
            lx->src++;
            yield_token(lx, at ? TOK_PLUS + (int)(at - ops) : TOK_BAD, 0);
        }
    }
    return NULL; /* killed: GREENLET_EXIT pending, swallowed */
}

struct parser {
    greenlet_t *lexer;
    const struct token *current;
    int max_depth;
};

static void advance(struct parser *p) { p->current = greenlet_switch(p->lexer, NULL); }

static long parse_expr(struct parser *p, int depth);

static long parse_factor(struct parser *p, int depth)
{
    if (depth > p->max_depth)
        p->max_depth = depth;
    if (p->current->kind == TOK_NUM) {
        long v = p->current->value;
        advance(p);
        return v;
    }
    if (p->current->kind == TOK_MINUS) {
        advance(p);
        return -parse_factor(p, depth + 1);
    }
    if (p->current->kind == TOK_OPEN) {
        advance(p);
        long v = parse_expr(p, depth + 1);
        CHECK_INT(p->current->kind, TOK_CLOSE);
        advance(p);
        return v;
    }
    CHECK(0 && "unexpected token");
    return 0;
}

static long parse_term(struct parser *p, int depth)
{
    long v = parse_factor(p, depth + 1);
    while (p->current->kind == TOK_STAR || p->current->kind == TOK_SLASH) {
        int op = p->current->kind;
        advance(p);
        long rhs = parse_factor(p, depth + 1);
        v = op == TOK_STAR ? v * rhs : v / rhs;
    }
    return v;
}

static long parse_expr(struct parser *p, int depth)
{
    long v = parse_term(p, depth + 1);
    while (p->current->kind == TOK_PLUS || p->current->kind == TOK_MINUS) {
        int op = p->current->kind;
        advance(p);
        long rhs = parse_term(p, depth + 1);
        v = op == TOK_PLUS ? v + rhs : v - rhs;
    }
    return v;
}

static void *parse(void *arg)
{
    struct parser *p = arg;
    advance(p);
    long v = parse_expr(p, 0);
    CHECK_INT(p->current->kind, TOK_END);
    return VAL(v);
}

static long evaluate_with_greenlets(const char *src, int *max_depth)
{
    struct lexer lx = {src, NULL, {TOK_BAD, 0}, 0};
    struct parser p = {NULL, NULL, 0};
    greenlet_attr_t parser_attr = {1024 * 1024, "parser", NULL};
    greenlet_attr_t lexer_attr = {256 * 1024, "lexer", &lx};
    greenlet_t *parser = greenlet_new(parse, NULL, &parser_attr);
    p.lexer = greenlet_new(lex, NULL, &lexer_attr);
    lx.reader = parser;
    void *v = greenlet_switch(parser, &p);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK(greenlet_dead(parser));
    CHECK_STR(greenlet_state_name(p.lexer), "suspended"); /* after yielding TOK_END */
    CHECK_INT(greenlet_kill(p.lexer), 0); /* through its nested frames */
    CHECK(lx.killed);
    CHECK(greenlet_dead(p.lexer));
    greenlet_unref(p.lexer);
    greenlet_unref(parser);
    *max_depth = p.max_depth;
    return (long)(intptr_t)v;
}

TEST(test_R22_a_recursive_descent_parser_fed_by_a_lexer_greenlet)
{
    int depth = 0;
    CHECK_INT(evaluate_with_greenlets("2*(3+4) - 10/(1+1) + ((((7))))", &depth), 16);
    CHECK_INT(evaluate_with_greenlets("12345 * 2 - -5", &depth), 24695);
    CHECK_INT(evaluate_with_greenlets("1 - 2 - 3", &depth), -4);

    /* 300 nested parentheses: about 900 parser frames at the deepest switch. */
    enum { NEST = 300 };
    static char deep[2 * NEST + 8];
    memset(deep, '(', NEST);
    strcpy(deep + NEST, "42");
    memset(deep + NEST + 2, ')', NEST);
    deep[2 * NEST + 2] = '\0';
    CHECK_INT(evaluate_with_greenlets(deep, &depth), 42);
    CHECK(depth >= 3 * NEST);
}

/* ---- deep recursion on both sides of the switches ---- */

/* Natively, thousands of frames on each side. A WebAssembly engine bounds
 * the call depth of all frames on its own stack (Node's default ~1 MB holds
 * some 1500 frames of this -O0 code), so the same test goes less deep there. */
#if defined(__wasm__)
enum { DEPTH = 300 };
#else
enum { DEPTH = 5000 };
#endif

/* Yields its depth on the way down and the way up. */
static long walk_down(int depth)
{
    volatile long here = depth; /* lives across both switches */
    greenlet_switch(main_g, VAL(depth));
    long below = depth + 1 < DEPTH ? walk_down(depth + 1) : 0;
    greenlet_switch(main_g, VAL(depth));
    return below + here;
}

static void *walker(void *arg)
{
    return VAL(walk_down(0));
}

/* Main recurses too: each level consumes one value from the walker. */
static long consume(greenlet_t *g, int level, int *order_errors)
{
    volatile int mine = level;
    void *v = greenlet_switch(g, NULL);
    if (greenlet_dead(g))
        return (long)(intptr_t)v;
    long expected = level < DEPTH ? level : 2 * DEPTH - 1 - level;
    *order_errors += (long)(intptr_t)v != expected;
    long result = consume(g, level + 1, order_errors);
    *order_errors += mine != level;
    return result;
}

TEST(test_R22_deep_recursion_on_both_sides_of_a_switch)
{
    greenlet_attr_t attr = {2 * 1024 * 1024, "walker", NULL};
    greenlet_t *g = greenlet_new(walker, NULL, &attr);
    int order_errors = 0;
    long total = consume(g, 0, &order_errors);
    CHECK_AND_CLEAR_ERROR(0);
    CHECK_INT(order_errors, 0);
    CHECK_INT(total, (long)DEPTH * (DEPTH - 1) / 2);
    greenlet_unref(g);
}

int main(void)
{
    main_g = greenlet_current();
    RUN_TEST(test_R22_a_qsort_comparator_that_switches);
    RUN_TEST(test_R22_a_recursive_descent_parser_fed_by_a_lexer_greenlet);
    RUN_TEST(test_R22_deep_recursion_on_both_sides_of_a_switch);
    return check_finish();
}
