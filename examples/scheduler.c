/*
 * A cooperative scheduler on greenlets: a run queue, spawn, yield, sleep, and
 * Go-like channels whose send and receive block the task, not the thread.
 *
 * The main greenlet is the scheduler: it switches to the first ready task and
 * gets control back when that task blocks or ends (every task's parent is the
 * scheduler). Time is simulated: when nothing is ready, the clock jumps to the
 * next sleeper's deadline, so the output is the same on every run and machine.
 * When nothing is ready and no one sleeps, the tasks still blocked on channels
 * can never run again: the scheduler reports the deadlock and kills them, and
 * their cleanup runs (R14).
 *
 * References: wherever a task waits (the run queue, the sleepers, a channel)
 * one reference to it is held; moving a task moves that reference.
 */
#include <greenlet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- The run queue, the sleepers and the clock ---- */

#define MAX_TASKS 64

static greenlet_t *ready[MAX_TASKS];
static int ready_head, ready_len;
static struct sleeper { greenlet_t *task; uint64_t wake_at; } sleepers[MAX_TASKS];
static int sleeper_count;
static greenlet_t *all_tasks[MAX_TASKS]; /* for the deadlock report */
static int task_count;
static uint64_t now_ms;

static void make_ready(greenlet_t *task) /* takes over a reference */
{
    ready[(ready_head + ready_len++) % MAX_TASKS] = task;
}

static greenlet_t *next_ready(void)
{
    if (ready_len == 0)
        return NULL;
    greenlet_t *task = ready[ready_head];
    ready_head = (ready_head + 1) % MAX_TASKS;
    ready_len--;
    return task;
}

static void spawn(greenlet_run_t fn, void *arg, const char *name)
{
    greenlet_attr_t attr = {.name = name, .userdata = arg};
    greenlet_t *task = greenlet_new(fn, greenlet_current(), &attr); /* called by the scheduler only */
    all_tasks[task_count++] = greenlet_ref(task);
    make_ready(task);
}

static const char *self(void) { return greenlet_name(greenlet_current()); }

/* Hands control to the scheduler until something makes the caller ready. */
static int park(void)
{
    greenlet_switch(greenlet_parent(greenlet_current()), NULL);
    return greenlet_error(NULL) ? -1 : 0; /* killed */
}

static void yield(void)
{
    make_ready(greenlet_ref(greenlet_current()));
    park();
}

static int sleep_ms(uint64_t ms)
{
    sleepers[sleeper_count++] = (struct sleeper){greenlet_ref(greenlet_current()), now_ms + ms};
    return park();
}

/* Moves the sleepers whose time has come (or the earliest, jumping the clock). */
static bool wake_sleepers(void)
{
    if (sleeper_count == 0)
        return false;
    uint64_t earliest = sleepers[0].wake_at;
    for (int i = 1; i < sleeper_count; i++)
        if (sleepers[i].wake_at < earliest)
            earliest = sleepers[i].wake_at;
    now_ms = earliest;
    for (int i = 0; i < sleeper_count;) {
        if (sleepers[i].wake_at > now_ms) {
            i++;
            continue;
        }
        make_ready(sleepers[i].task);
        for (int j = i + 1; j < sleeper_count; j++) /* keeps equal deadlines in order of sleeping */
            sleepers[j - 1] = sleepers[j];
        sleeper_count--;
    }
    return true;
}

/* ---- Channels ---- */

typedef struct waiter {
    greenlet_t *task;   /* the reference held while it waits */
    int value;
    bool ok;            /* false: the channel was closed */
    struct waiter *next;
} waiter_t;

typedef struct channel {
    int buffer[8];
    int capacity, count, head;  /* capacity 0: unbuffered, send waits for a receiver */
    bool closed;
    waiter_t *senders, *receivers;
} channel_t;

static void enqueue(waiter_t **list, waiter_t *w)
{
    while (*list)
        list = &(*list)->next;
    w->next = NULL;
    *list = w;
}

static waiter_t *dequeue(waiter_t **list)
{
    waiter_t *w = *list;
    if (w)
        *list = w->next;
    return w;
}

static void unlink_waiter(waiter_t **list, waiter_t *w)
{
    for (; *list; list = &(*list)->next)
        if (*list == w) {
            *list = w->next;
            return;
        }
}

/* Blocks until w is served; a kill takes w off the channel before it returns. */
static int wait_on(waiter_t **list, waiter_t *w)
{
    w->task = greenlet_ref(greenlet_current());
    enqueue(list, w);
    if (park() == 0)
        return 0;
    unlink_waiter(list, w);
    greenlet_unref(w->task); /* ours, running: allowed */
    return -1;
}

static int channel_send(channel_t *ch, int value)
{
    if (ch->closed) {
        greenlet_raise(1, "send on a closed channel");
        return -1;
    }
    waiter_t *r = dequeue(&ch->receivers);
    if (r) { /* a receiver waits: hand the value over */
        r->value = value;
        r->ok = true;
        make_ready(r->task);
        return 0;
    }
    if (ch->count < ch->capacity) {
        ch->buffer[(ch->head + ch->count++) % ch->capacity] = value;
        return 0;
    }
    waiter_t me = {.value = value};
    if (wait_on(&ch->senders, &me) < 0)
        return -1;
    if (!me.ok) {
        greenlet_raise(1, "send on a closed channel");
        return -1;
    }
    return 0;
}

/* Returns true with *value, or false once the channel is closed and empty. */
static bool channel_receive(channel_t *ch, int *value)
{
    waiter_t *s;
    if (ch->count > 0) {
        *value = ch->buffer[ch->head];
        ch->head = (ch->head + 1) % ch->capacity;
        ch->count--;
        if ((s = dequeue(&ch->senders))) { /* its value takes the freed slot */
            ch->buffer[(ch->head + ch->count++) % ch->capacity] = s->value;
            s->ok = true;
            make_ready(s->task);
        }
        return true;
    }
    if ((s = dequeue(&ch->senders))) { /* unbuffered: take it from the sender */
        *value = s->value;
        s->ok = true;
        make_ready(s->task);
        return true;
    }
    if (ch->closed)
        return false;
    waiter_t me = {0};
    if (wait_on(&ch->receivers, &me) < 0)
        return false;
    *value = me.value;
    return me.ok;
}

static void channel_close(channel_t *ch)
{
    waiter_t *w;
    ch->closed = true;
    while ((w = dequeue(&ch->receivers)) || (w = dequeue(&ch->senders))) {
        w->ok = false;
        make_ready(w->task);
    }
}

/* ---- The scheduler ---- */

static void run_scheduler(void)
{
    for (;;) {
        greenlet_t *task = next_ready();
        if (task == NULL) {
            if (wake_sleepers())
                continue;
            break;
        }
        /* A new task starts with the argument spawn() was given. */
        greenlet_switch(task, greenlet_started(task) ? NULL : greenlet_userdata(task));
        if (greenlet_error(NULL)) {
            printf("scheduler: task %s failed: %s\n", greenlet_name(task), (const char *)greenlet_error_message());
            greenlet_clear_error();
        }
        greenlet_unref(task);
    }
    for (int i = 0; i < task_count; i++) {
        if (greenlet_active(all_tasks[i])) {
            printf("scheduler: deadlock: %s is blocked forever; killing it\n", greenlet_name(all_tasks[i]));
            greenlet_kill(all_tasks[i]);
        }
        greenlet_unref(all_tasks[i]);
    }
    task_count = 0;
}

/* ---- The demo: each part runs the scheduler until its tasks are done ---- */

static channel_t numbers; /* unbuffered */
static channel_t results = {.capacity = 2};

static void *producer(void *arg)
{
    for (int i = 1; i <= 4; i++) {
        printf("%s: send %d\n", self(), i);
        channel_send(&numbers, i);
    }
    channel_close(&numbers);
    printf("%s: closed the channel\n", self());
    return NULL;
}

static void *squarer(void *arg)
{
    int n;
    while (channel_receive(&numbers, &n)) {
        printf("%s: got %d\n", self(), n);
        channel_send(&results, n * n);
    }
    printf("%s: channel closed, done\n", self());
    return NULL;
}

static void *summer(void *arg)
{
    int sum = 0, n;
    for (int i = 0; i < 4 && channel_receive(&results, &n); i++)
        sum += n;
    printf("%s: sum of squares = %d\n", self(), sum);
    return NULL;
}

static void *sleeper(void *ms)
{
    printf("%s: sleeps %d ms at t=%llu\n", self(), (int)(intptr_t)ms, (unsigned long long)now_ms);
    sleep_ms((uint64_t)(intptr_t)ms);
    printf("%s: wakes at t=%llu\n", self(), (unsigned long long)now_ms);
    return NULL;
}

static void *polite(void *arg)
{
    for (int i = 0; i < 3; i++) {
        printf("%s: step %d\n", self(), i);
        yield();
    }
    return NULL;
}

static channel_t never; /* nobody sends on it */

static void *stuck(void *arg)
{
    int n;
    if (!channel_receive(&never, &n) && greenlet_error(NULL) == GREENLET_EXIT)
        printf("%s: killed while receiving: cleaning up\n", self());
    return NULL;
}

int main(void)
{
    printf("-- yield: tasks take turns\n");
    spawn(polite, NULL, "a");
    spawn(polite, NULL, "b");
    run_scheduler();

    printf("-- sleep: tasks wake in order of their deadlines (simulated clock)\n");
    spawn(sleeper, (void *)(intptr_t)30, "slow");
    spawn(sleeper, (void *)(intptr_t)10, "quick");
    spawn(sleeper, (void *)(intptr_t)20, "middle");
    run_scheduler();

    printf("-- channels: producer -> squarer (unbuffered) -> summer (capacity 2)\n");
    spawn(producer, NULL, "producer");
    spawn(squarer, NULL, "squarer");
    spawn(summer, NULL, "summer");
    run_scheduler();

    printf("-- deadlock: a receive nobody will ever answer\n");
    spawn(stuck, NULL, "stuck");
    run_scheduler();
    return 0;
}
