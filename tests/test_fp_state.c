/* Floating-point control state (R22): each greenlet keeps its own rounding
 * mode across switches, and a new greenlet starts with the mode of the
 * greenlet that starts it (not of the one that created it).
 *
 * WebAssembly has one fixed rounding mode (to nearest): there fesetround()
 * cannot change it, the test detects that, and checks that every greenlet
 * reads and computes in that one mode. Built with -frounding-math. */
#include <fenv.h>

#include "check.h"

static greenlet_t *main_g;

/* The directed modes, where the C library names them (WASI's names only
 * FE_TONEAREST): elsewhere values that fesetround() refuses. */
#ifdef FE_UPWARD
#define MODE_UP FE_UPWARD
#define MODE_DOWN FE_DOWNWARD
#define MODE_ZERO FE_TOWARDZERO
#else
#define MODE_UP (-1)
#define MODE_DOWN (-2)
#define MODE_ZERO (-3)
#endif

/* The platform honours fesetround() (not so on WebAssembly). */
static int modes_settable;

static int mode_or_nearest(int mode) { return modes_settable ? mode : FE_TONEAREST; }

/* 1/3 and -1/3 in the current mode: distinct results per directed mode. */
static volatile double one = 1.0, three = 3.0;
static volatile long double one_l = 1.0L, three_l = 3.0L;

struct sample {
    double pos, neg;
    long double pos_l; /* x87 on x86: its own control word */
};

/* Each result goes through a volatile store, which rounds it to its type in
 * the current mode. Without that, x87 code at -O2 (i686) keeps a quotient in
 * an 80-bit register and compares it with a reference that was rounded to
 * double when stored: a difference of precision, not of rounding mode. */
static struct sample compute(void)
{
    volatile struct sample s;
    s.pos = one / three;
    s.neg = -one / three;
    s.pos_l = one_l / three_l;
    return s;
}

static int same(struct sample a, struct sample b)
{
    return a.pos == b.pos && a.neg == b.neg && a.pos_l == b.pos_l;
}

static struct sample reference[4]; /* by index of modes[] */
static const int modes[4] = {FE_TONEAREST, MODE_UP, MODE_DOWN, MODE_ZERO};

static int mode_index(int mode)
{
    for (int i = 0; i < 4; i++)
        if (modes[i] == mode)
            return i;
    return 0;
}

/* The current greenlet is in `mode`: by fegetround and by its arithmetic. */
#define CHECK_MODE(mode)                                                                           \
    do {                                                                                           \
        int check_m_ = mode_or_nearest(mode);                                                      \
        CHECK_INT(fegetround(), check_m_);                                                         \
        CHECK(same(compute(), reference[mode_index(check_m_)]));                                   \
    } while (0)

static void learn_the_platform(void)
{
    CHECK_INT(fegetround(), FE_TONEAREST);
    for (int i = 0; i < 4; i++) {
        fesetround(modes[i]);
        reference[i] = compute();
    }
    fesetround(MODE_UP);
    modes_settable = fegetround() == MODE_UP;
    fesetround(FE_TONEAREST);
    if (modes_settable) {
        CHECK(reference[1].pos > reference[2].pos); /* the modes are real */
        CHECK(reference[3].neg > reference[2].neg);
    }
    printf("rounding modes %s\n", modes_settable ? "settable" : "fixed (to nearest)");
}

static void *switch_modes_inside(void *arg)
{
    CHECK_MODE(MODE_UP); /* inherited from main, which started us */
    fesetround(MODE_ZERO);
    greenlet_switch(main_g, NULL);
    CHECK_MODE(MODE_ZERO); /* R22: ours again, whatever main did */
    fesetround(MODE_UP);
    greenlet_switch(main_g, NULL);
    CHECK_MODE(MODE_UP);
    return NULL;
}

TEST(test_R22_each_greenlet_keeps_its_rounding_mode)
{
    greenlet_t *g = greenlet_new(switch_modes_inside, NULL, NULL);
    fesetround(MODE_UP);
    greenlet_switch(g, NULL);
    CHECK_MODE(MODE_UP); /* R22: g's change stayed in g */
    fesetround(MODE_DOWN);
    greenlet_switch(g, NULL);
    CHECK_MODE(MODE_DOWN);
    greenlet_switch(g, NULL);
    CHECK_MODE(MODE_DOWN);
    CHECK(greenlet_dead(g));
    fesetround(FE_TONEAREST);
    greenlet_unref(g);
}

static void *report_mode(void *arg)
{
    *(int *)arg = fegetround();
    CHECK(same(compute(), reference[mode_index(fegetround())]));
    return NULL;
}

static void *start_other_in_downward_mode(void *arg)
{
    fesetround(MODE_DOWN);
    greenlet_t *other = arg;
    greenlet_switch(other, greenlet_userdata(other));
    return NULL;
}

TEST(test_R22_a_new_greenlet_starts_with_the_starters_mode)
{
    int seen = -1;
    greenlet_attr_t attr = {0, "reporter", &seen};
    fesetround(MODE_ZERO);
    greenlet_t *reporter = greenlet_new(report_mode, NULL, &attr); /* created in TOWARDZERO */
    fesetround(FE_TONEAREST);
    greenlet_t *starter = greenlet_new(start_other_in_downward_mode, NULL, NULL);
    CHECK_INT(greenlet_set_parent(reporter, starter), 0);
    greenlet_switch(starter, reporter);
    CHECK_INT(seen, mode_or_nearest(MODE_DOWN)); /* R22: the starter's */
    CHECK_MODE(FE_TONEAREST);
    greenlet_unref(reporter);
    greenlet_unref(starter);
}

int main(void)
{
    main_g = greenlet_current();
    learn_the_platform();
    RUN_TEST(test_R22_each_greenlet_keeps_its_rounding_mode);
    RUN_TEST(test_R22_a_new_greenlet_starts_with_the_starters_mode);
    return check_finish();
}
