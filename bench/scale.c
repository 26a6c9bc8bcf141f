/*
 * Scale: how many greenlets can be suspended at once, what each costs in
 * resident memory, and what a cold start and a release cost next to the
 * first touch of a fresh page (the floor: a new greenlet must touch the top
 * page of its stack).
 *
 *   bench_scale N [STACK_SIZE]    STACK_SIZE: bytes, 0 (default) or "min"
 *
 * Prints one line of key=value pairs (bench/scale.py reads them):
 *   suspended       greenlets suspended at once (N unless creation failed)
 *   error           the failure's message, if creation stopped early
 *   rss_each        resident bytes per suspended greenlet (VmRSS)
 *   pte_each        page-table bytes per suspended greenlet (VmPTE)
 *   maps            memory mappings of the process while they are suspended
 *   fault_ns        first touch of one fresh page of a MAP_NORESERVE region,
 *                   sampled between the greenlets' creations (one every
 *                   16), so that both see the process at the same size
 *   cold_ns         greenlet_new + first switch in, until it switches back
 *   release_ns      greenlet_unref of a suspended greenlet: it is killed and
 *                   its stack goes back; the revisit of one in 16 below
 *                   warmed those, so the revisit's time is added to it
 *   revisit_ns      reading one byte of a suspended greenlet's stack, one in
 *                   16, just before the release: a floor of the release,
 *                   which must run on that stack
 *   unmap_ns        the kernel's part of giving a stack back: munmap of a
 *                   region with one touched page per slot, laid out as the
 *                   stacks are, per page (up to 65,536 of them)
 *   rss_after_kb    resident memory after the release, less that before the burst
 *   create_s        seconds to create and start all of them
 */
#include <greenlet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A field of /proc/self/status in kB ("VmRSS:", "VmPTE:"). */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, field, n) == 0)
            kb = strtol(line + n, NULL, 10);
    if (f != NULL)
        fclose(f);
    return kb;
}

static long mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    long lines = 0;
    int c;
    while (f != NULL && (c = getc(f)) != EOF)
        lines += c == '\n';
    if (f != NULL)
        fclose(f);
    return lines;
}

/* The first touch of fresh pages: one byte per 256 KiB of a region of
 * their own, as a stack's top page is touched. Each page is given back right
 * after (untimed), so that the samples do not count as resident. */
#define SAMPLE_EVERY 16
#define SAMPLE_STRIDE (256u * 1024u)

struct fault_samples {
    char *region;
    size_t taken, room;
    double seconds;
};

static void sample_fault(struct fault_samples *f)
{
    if (f->taken == f->room)
        return;
    volatile char *page = f->region + f->taken++ * SAMPLE_STRIDE + SAMPLE_STRIDE - 1;
    double t0 = now();
    *page = 1;
    f->seconds += now() - t0;
    madvise((char *)((uintptr_t)page & ~(uintptr_t)4095), 4096, MADV_DONTNEED);
}

/* Where each suspended greenlet's stack is, for revisit_ns: it writes the
 * address of a local of its own into *arg. */
static void *suspend_once(void *arg)
{
    volatile char here = 1;
    if (arg != NULL)
        *(volatile char **)arg = &here;
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    return NULL;
}

/* Slot stride of the library's stacks: the usable size and a 64-byte
 * descriptor rounded up to pages, plus the guard page. */
static size_t slot_stride(size_t stack_size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (stack_size == 0)
        stack_size = 256u * 1024u;
    else if (stack_size < 16u * 1024u)
        stack_size = 16u * 1024u;
    return ((stack_size + 64 + page - 1) & ~(page - 1)) + page;
}

/* The kernel's cost of giving back one touched page per slot, nothing else
 * in the region touched: what unmapping an emptied region of stacks costs. */
static double unmap_ns(size_t stride, size_t slots)
{
    char *region = mmap(NULL, slots * stride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                        -1, 0);
    if (region == MAP_FAILED)
        return 0;
#ifdef MADV_NOHUGEPAGE
    madvise(region, slots * stride, MADV_NOHUGEPAGE);
#endif
    for (size_t i = 0; i < slots; i++)
        ((volatile char *)region)[(i + 1) * stride - 128] = 1;
    double t0 = now();
    munmap(region, slots * stride);
    return (now() - t0) * 1e9 / (double)slots;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_scale N [STACK_SIZE|min]\n");
        return 2;
    }
    size_t n = strtoul(argv[1], NULL, 10);
    size_t stack_size = 0;
    if (argc > 2)
        stack_size = strcmp(argv[2], "min") == 0 ? 1 : strtoul(argv[2], NULL, 10);
    greenlet_t **all = calloc(n, sizeof *all);
    volatile char **spots = calloc(n, sizeof *spots);
    if (all == NULL || spots == NULL)
        return 1;
    memset((void *)spots, 1, n * sizeof *spots); /* resident before the count starts (all[] is not) */
    greenlet_current();
    /* Warm the pool and the allocator once, so that the burst measures the
     * cold path of every greenlet after the first. */
    greenlet_attr_t attr = {stack_size, NULL, NULL};
    greenlet_t *warm = greenlet_new(suspend_once, NULL, &attr);
    greenlet_switch(warm, NULL);
    greenlet_unref(warm);

    struct fault_samples faults = {NULL, 0, n / SAMPLE_EVERY + 1, 0};
    faults.region = mmap(NULL, faults.room * SAMPLE_STRIDE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (faults.region == MAP_FAILED)
        return 1;
    long rss0 = status_kb("VmRSS:"), pte0 = status_kb("VmPTE:");

    size_t made = 0;
    const char *error = "";
    double create_s = 0;
    for (; made < n; made++) {
        if (made % SAMPLE_EVERY == 0)
            sample_fault(&faults);
        double t0 = now();
        greenlet_t *g = greenlet_new(suspend_once, NULL, &attr);
        if (g == NULL || (greenlet_switch(g, (void *)&spots[made]), greenlet_error(NULL) != 0)) {
            error = greenlet_error_message();
            greenlet_unref(g);
            break;
        }
        create_s += now() - t0;
        all[made] = g;
    }
    double fault_ns = faults.seconds * 1e9 / (double)faults.taken;
    long rss1 = status_kb("VmRSS:"), pte1 = status_kb("VmPTE:");
    long maps = mappings() - 1; /* less the samples' region */

    volatile char sink = 0;
    size_t revisited = 0;
    double t0 = now();
    for (size_t i = 0; i < made; i += SAMPLE_EVERY, revisited++)
        sink += *spots[i];
    double revisit_s = now() - t0;
    t0 = now();
    for (size_t i = 0; i < made; i++)
        greenlet_unref(all[i]); /* R15: killed, its stack back */
    double release_s = now() - t0 + revisit_s;
    (void)sink;
    free(all);
    /* Unmapped only now: after its page tables (thousands of them) were
     * freed, every stack's next access paid a hidden fault on the hypervisor
     * of our benchmark machine (docs/stacks.md), which the release would have
     * counted. Its page tables are not the greenlets'. */
    long pte_samples = status_kb("VmPTE:");
    munmap(faults.region, faults.room * SAMPLE_STRIDE);
    pte1 -= pte_samples - status_kb("VmPTE:");
    long rss2 = status_kb("VmRSS:");
    free((void *)spots);
    double unmap = unmap_ns(slot_stride(stack_size), made < 65536 ? made : 65536);

    double each = made ? 1.0 / (double)made : 0;
    printf("impl=libgreenlet stack_size=%s requested=%zu suspended=%zu rss_each=%.0f pte_each=%.0f maps=%ld "
           "fault_ns=%.0f cold_ns=%.0f release_ns=%.0f revisit_ns=%.0f unmap_ns=%.0f rss_after_kb=%ld create_s=%.2f "
           "error=%s\n",
           argc > 2 ? argv[2] : "default", n, made, (double)(rss1 - rss0) * 1024 * each,
           (double)(pte1 - pte0) * 1024 * each, maps, fault_ns, create_s * 1e9 * each,
           release_s * 1e9 * each, revisited ? revisit_s * 1e9 / (double)revisited : 0, unmap,
           rss2 - rss0, create_s, error);
    return made == n ? 0 : 1;
}
