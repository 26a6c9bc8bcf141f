/*
 * Native stacks, carved from large reservations ("regions") so that a
 * million of them cost neither a million memory mappings nor a system call
 * each beyond the guard.
 *
 * A region is one reservation of address space for equal slots (the system's
 * side is stack_memory.h: mmap(MAP_NORESERVE), or VirtualAlloc on Windows);
 * memory is used only where a stack is touched. Stacks grow down, so each slot is
 *
 *     low                                                          high
 *     | guard | usable stack ........... | struct stack (64 B) |
 *
 * and the guard of one slot lies just above the top of the slot below it.
 * The slot is prepared (its guard installed) when it is first carved, with
 * the next slots where one system call can do many, and stays so for the
 * region's life, through reuse and page release.
 *
 * Per thread, the regions of one slot size form a class. A stack given back
 * (the core's pool keeps the first few warm: stack_pool.c) goes on its
 * region's free list and is "dirty": its pages are still resident. A region
 * whose slots are all free is unmapped whole once its class keeps
 * EMPTY_REGIONS_KEPT others: the cheapest way to give pages back, and the
 * way a finished burst of greenlets goes. The dirty slots of the other
 * regions are given back (madvise(MADV_DONTNEED), or MEM_RESET), a run of
 * neighbours per call, once there are more of them than the high-water mark: RELEASE_BATCH,
 * plus an eighth of the stacks in use (a burst that is being released leaves
 * its regions empty before it reaches that). So nothing stays resident after
 * a burst, and neither taking nor giving back a stack makes a system call of
 * its own but the first preparation of a slot.
 *
 * Stacks are taken and given back on the thread that owns them (the core
 * guarantees it); the bookkeeping is therefore thread-local, without locks.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../backend.h"
#include "../testing.h"
#include "stack.h"
#include "stack_memory.h"
#include "tools.h"

#define DEFAULT_STACK_SIZE (256u * 1024u)
#define MIN_STACK_SIZE (16u * 1024u)
/* Address space per region: 64-bit targets have plenty; a 32-bit one holds
 * a few thousand stacks in all, so it reserves less ahead. */
#define REGION_BYTES (sizeof(void *) >= 8 ? (size_t)64 << 20 : (size_t)4 << 20)
#define RELEASE_BATCH 64
#define RELEASE_FRACTION 8 /* of the stacks in use, dirty ones allowed beyond RELEASE_BATCH */
#define EMPTY_REGIONS_KEPT 1

size_t glet_backend_default_stack_size(void) { return DEFAULT_STACK_SIZE; }
size_t glet_backend_min_stack_size(void) { return MIN_STACK_SIZE; }

struct stack_class;

struct stack_region {
    struct stack_class *owner;
    struct stack_region *prev, *next;             /* the class's regions */
    struct stack_region *avail_prev, *avail_next; /* ... with a slot to give */
    struct stack_region *dirty_prev, *dirty_next; /* the thread's regions with dirty slots */
    bool available;                               /* on the avail list */
    char *base;                                   /* slot i at base + i * slot_size */
    uint32_t slots;                               /* capacity */
    uint32_t carved;                              /* slots [0, carved) have been handed out once */
    uint32_t guarded;                             /* slots [0, guarded) have their guard */
    uint32_t in_use;
    uint32_t free_count;                          /* entries of free_slots */
    uint32_t dirty_count;                         /* bits set in dirty */
    uint32_t *free_slots;                         /* carved free slots, most recent last */
    uint8_t *dirty;                               /* bit per slot: free, pages not released */
};

struct stack_class {
    struct stack_class *next;
    size_t slot_size;                             /* guard + usable */
    struct stack_region *regions;
    struct stack_region *avail;
    unsigned empty_regions;
};

/* A thread's stacks, allocated with its first one: the library's static TLS
 * stays one pointer (initial-exec TLS must fit when libgreenlet.so is
 * dlopen'ed). */
struct thread_stacks {
    struct stack_class *classes;
    struct stack_region *dirty_regions;           /* with dirty_count > 0 */
    size_t dirty_total;                           /* dirty slots in all */
    size_t in_use_total;                          /* stacks handed out */
};

static _Thread_local struct thread_stacks *mine;

static size_t descriptor_size(void) { return (sizeof(struct stack) + 63u) & ~(size_t)63u; }

/* ---- the avail list: regions with a free or uncarved slot ---- */

static bool region_has_room(const struct stack_region *r) { return r->free_count > 0 || r->carved < r->slots; }

static void avail_push(struct stack_class *c, struct stack_region *r)
{
    r->avail_prev = NULL;
    r->avail_next = c->avail;
    if (c->avail != NULL)
        c->avail->avail_prev = r;
    c->avail = r;
    r->available = true;
}

static void avail_remove(struct stack_class *c, struct stack_region *r)
{
    if (r->avail_prev != NULL)
        r->avail_prev->avail_next = r->avail_next;
    else
        c->avail = r->avail_next;
    if (r->avail_next != NULL)
        r->avail_next->avail_prev = r->avail_prev;
    r->available = false;
}

/* ---- dirty slots: free, with their pages still resident ---- */

static bool is_dirty(const struct stack_region *r, uint32_t slot) { return r->dirty[slot / 8] & (1u << (slot % 8)); }

/* Takes r off the list of regions with dirty slots, forgetting its count. */
static void forget_dirty_region(struct stack_region *r)
{
    if (r->dirty_prev != NULL)
        r->dirty_prev->dirty_next = r->dirty_next;
    else
        mine->dirty_regions = r->dirty_next;
    if (r->dirty_next != NULL)
        r->dirty_next->dirty_prev = r->dirty_prev;
    mine->dirty_total -= r->dirty_count;
    r->dirty_count = 0;
}

static void mark_dirty(struct stack_region *r, uint32_t slot)
{
    r->dirty[slot / 8] |= (uint8_t)(1u << (slot % 8));
    if (r->dirty_count++ == 0) {
        r->dirty_prev = NULL;
        r->dirty_next = mine->dirty_regions;
        if (mine->dirty_regions != NULL)
            mine->dirty_regions->dirty_prev = r;
        mine->dirty_regions = r;
    }
    mine->dirty_total++;
}

static void mark_clean(struct stack_region *r, uint32_t slot)
{
    r->dirty[slot / 8] &= (uint8_t)~(1u << (slot % 8));
    if (r->dirty_count == 1)
        forget_dirty_region(r);
    else {
        r->dirty_count--;
        mine->dirty_total--;
    }
}

/* Gives the pages of every dirty slot back to the system, a run of
 * neighbours per call. */
static void release_dirty(void)
{
    while (mine->dirty_regions != NULL) {
        struct stack_region *r = mine->dirty_regions;
        size_t slot_size = r->owner->slot_size;
        for (uint32_t slot = 0; slot < r->carved;) {
            if (!is_dirty(r, slot)) {
                slot++;
                continue;
            }
            uint32_t first = slot;
            for (; slot < r->carved && is_dirty(r, slot); slot++)
                r->dirty[slot / 8] &= (uint8_t)~(1u << (slot % 8));
            glet_stack_memory_release(r->base + (size_t)first * slot_size, slot_size, slot - first);
        }
        forget_dirty_region(r);
    }
}

/* ---- regions ---- */

static struct stack_region *region_new(struct stack_class *c)
{
    size_t slots = REGION_BYTES / c->slot_size;
    if (slots == 0)
        slots = 1;
    if (slots > UINT32_MAX)
        slots = UINT32_MAX;
    size_t bitmap = (slots + 7) / 8;
    struct stack_region *r = calloc(1, sizeof *r + slots * sizeof(uint32_t) + bitmap);
    if (r == NULL)
        return NULL;
    char *base = glet_stack_memory_reserve(slots * c->slot_size);
    if (base == NULL) {
        free(r);
        return NULL;
    }
    r->owner = c;
    r->base = base;
    r->slots = (uint32_t)slots;
    r->free_slots = (uint32_t *)(r + 1);
    r->dirty = (uint8_t *)(r->free_slots + slots);
    r->next = c->regions;
    if (c->regions != NULL)
        c->regions->prev = r;
    c->regions = r;
    avail_push(c, r);
    c->empty_regions++;
    return r;
}

static void region_unmap(struct stack_region *r)
{
    struct stack_class *c = r->owner;
    if (r->dirty_count > 0)
        forget_dirty_region(r);
    if (r->available)
        avail_remove(c, r);
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        c->regions = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    c->empty_regions--;
    glet_stack_memory_unreserve(r->base, (size_t)r->slots * c->slot_size);
    free(r);
}

static struct stack_class *class_for(size_t slot_size)
{
    for (struct stack_class *c = mine->classes; c != NULL; c = c->next)
        if (c->slot_size == slot_size)
            return c;
    struct stack_class *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->slot_size = slot_size;
    c->next = mine->classes;
    mine->classes = c;
    return c;
}

/* ---- the backend interface ---- */

struct stack *glet_backend_stack_map(size_t size, const char **why)
{
    size_t page = glet_stack_memory_page_size();
    size_t guard = glet_stack_memory_guard_size();
    size_t descriptor = descriptor_size();
    if (size > SIZE_MAX / 4 - guard - descriptor - page) {
        *why = "the size is larger than the address space";
        return NULL;
    }
    size_t usable = (size + descriptor + page - 1) & ~(page - 1);
    if (mine == NULL && (mine = calloc(1, sizeof *mine)) == NULL) {
        *why = "out of memory";
        return NULL;
    }
    struct stack_class *c = class_for(guard + usable);
    if (c == NULL) {
        *why = "out of memory";
        return NULL;
    }
    struct stack_region *r = c->avail;
    if (r == NULL && (r = region_new(c)) == NULL) {
        *why = "no address space left for stacks (or, on Linux, vm.max_map_count reached)";
        return NULL;
    }

    uint32_t slot;
    if (r->free_count > 0) {
        slot = r->free_slots[--r->free_count];
        if (is_dirty(r, slot))
            mark_clean(r, slot);
    } else {
        slot = r->carved;
        if (slot == r->guarded) {
            size_t done = glet_stack_memory_prepare(r->base + (size_t)slot * c->slot_size, c->slot_size,
                                                    r->slots - slot, why);
            if (done == 0)
                return NULL; /* the slot stays uncarved: never handed out unguarded */
            r->guarded += (uint32_t)done;
        }
        r->carved++;
    }
    if (r->in_use++ == 0)
        c->empty_regions--;
    mine->in_use_total++;
    if (!region_has_room(r))
        avail_remove(c, r);

    char *lo = r->base + (size_t)slot * c->slot_size;
    struct stack *s = (struct stack *)(lo + c->slot_size - descriptor);
    s->lo = lo + guard;
    s->hi = (char *)s;
    s->size = size;
    s->next = NULL;
    s->extra.guard_lo = lo;
    s->extra.region = r;
    s->extra.slot = slot;
    s->extra.valgrind_stack_id = tools_stack_registered(s->lo, s->hi);
    return s;
}

void glet_backend_stack_unmap(struct stack *s)
{
    tools_stack_deregistered(s->extra.valgrind_stack_id);
    struct stack_region *r = s->extra.region;
    struct stack_class *c = r->owner;
    uint32_t slot = s->extra.slot;
    r->free_slots[r->free_count++] = slot;
    if (!r->available)
        avail_push(c, r);
    mine->in_use_total--;
    if (--r->in_use == 0 && ++c->empty_regions > EMPTY_REGIONS_KEPT) {
        region_unmap(r); /* its dirty slots go with it */
        return;
    }
    mark_dirty(r, slot);
    if (mine->dirty_total > RELEASE_BATCH + mine->in_use_total / RELEASE_FRACTION)
        release_dirty();
}

/* At thread exit, after the core gave back every stack: the regions go. A
 * region with a stack still out (never so, by the core's rules) is left as
 * it is, with the bookkeeping, rather than unmapped under someone's feet. */
void glet_stack_regions_release_all(void)
{
    if (mine == NULL)
        return;
    bool all_gone = true;
    for (struct stack_class *c = mine->classes; c != NULL; c = c->next) {
        for (struct stack_region *r = c->regions, *next; r != NULL; r = next) {
            next = r->next;
            if (r->in_use == 0)
                region_unmap(r);
            else
                all_gone = false;
        }
    }
    if (!all_gone)
        return;
    while (mine->classes != NULL) {
        struct stack_class *c = mine->classes;
        mine->classes = c->next;
        free(c);
    }
    free(mine);
    mine = NULL;
}

/* ---- testing.h ---- */

static struct stack_region *region_holding(const void *address)
{
    const char *a = address;
    if (mine == NULL)
        return NULL;
    for (struct stack_class *c = mine->classes; c != NULL; c = c->next)
        for (struct stack_region *r = c->regions; r != NULL; r = r->next)
            if (a >= r->base && a < r->base + (size_t)r->slots * c->slot_size)
                return r;
    return NULL;
}

bool glet_testing_stack_place(const void *address, size_t *slot, size_t *slots)
{
    struct stack_region *r = region_holding(address);
    if (r == NULL)
        return false;
    *slot = (size_t)((const char *)address - r->base) / r->owner->slot_size;
    *slots = r->slots;
    return true;
}

size_t glet_testing_stack_guarded_ahead(const void *address)
{
    struct stack_region *r = region_holding(address);
    return r == NULL ? 0 : (size_t)(r->guarded - r->carved) * r->owner->slot_size;
}

const char *glet_testing_stack_guards(void) { return glet_stack_memory_guard_kind(); }

size_t glet_testing_stack_resident_bytes(void)
{
    size_t guard = glet_stack_memory_guard_size(), resident = 0;
    if (mine == NULL)
        return 0;
    for (struct stack_class *c = mine->classes; c != NULL; c = c->next) {
        for (struct stack_region *r = c->regions; r != NULL; r = r->next) {
            for (uint32_t slot = 0; slot < r->carved; slot++) {
                /* Past the guard: qemu-user refuses mincore on pages it cannot read. */
                size_t n = glet_stack_memory_resident(r->base + (size_t)slot * c->slot_size + guard,
                                                      c->slot_size - guard);
                if (n == SIZE_MAX)
                    return SIZE_MAX;
                resident += n;
            }
        }
    }
    return resident;
}
