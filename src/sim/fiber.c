/* fiber.c: stackful coroutines for simulated activations (see fiber.h). */
#include "sim/fiber.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif

#ifdef SIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* The fiber we are switching away from, so the one we land in can tell
 * ASan (and, for the host thread, learn its stack bounds). */
static struct sim_fiber *switching_from;

#ifndef SIM_FIBER_UCONTEXT
void sim_fiber_switch_asm(void **save_sp, void *new_sp);
void sim_fiber_trampoline(void);
#endif

static void
landed(void *fake_stack)
{
#ifdef SIM_ASAN
    const void *bottom;
    size_t size;

    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    if (switching_from != NULL && switching_from->map == NULL) {
        /* The host thread: ASan just told us where its stack is. */
        switching_from->stack = (void *)bottom;
        switching_from->stack_size = size;
    }
#else
    (void)fake_stack;
#endif
}

/* First code every fiber runs, on its own stack. */
static void
fiber_start(struct sim_fiber *f)
{
    landed(NULL);
    f->entry(f->arg);
    fprintf(stderr, "storsim: a fiber's entry returned\n");
    abort();
}

#ifdef SIM_FIBER_UCONTEXT
static struct sim_fiber *starting;

static void
fiber_start_uc(void)
{
    fiber_start(starting);
}
#endif

void
sim_fiber_init_host(struct sim_fiber *f)
{
    memset(f, 0, sizeof *f);
}

static void
prepare_stack(struct sim_fiber *f)
{
#ifdef SIM_FIBER_UCONTEXT
    getcontext(&f->uc);
    f->uc.uc_stack.ss_sp = f->stack;
    f->uc.uc_stack.ss_size = f->stack_size;
    f->uc.uc_link = NULL;
    makecontext(&f->uc, fiber_start_uc, 0);
#else
    uintptr_t top = ((uintptr_t)f->stack + f->stack_size - 16) & ~(uintptr_t)15;
    uintptr_t *sp;

#if defined(__x86_64__)
    /* Popped by the switch: r15 r14 r13 r12 rbx rbp, then "ret" into the
     * trampoline, leaving rsp 16-byte aligned for its call. */
    sp = (uintptr_t *)(top - 56);
    sp[0] = 0;                              /* r15 */
    sp[1] = 0;                              /* r14 */
    sp[2] = (uintptr_t)fiber_start;         /* r13: entry */
    sp[3] = (uintptr_t)f;                   /* r12: arg */
    sp[4] = 0;                              /* rbx */
    sp[5] = 0;                              /* rbp */
    sp[6] = (uintptr_t)sim_fiber_trampoline; /* return address */
#elif defined(__aarch64__)
    sp = (uintptr_t *)(top - 160);
    memset(sp, 0, 160);
    sp[0] = (uintptr_t)f;                   /* x19: arg */
    sp[1] = (uintptr_t)fiber_start;         /* x20: entry */
    sp[11] = (uintptr_t)sim_fiber_trampoline; /* x30 */
#endif
    f->sp = sp;
#endif
}

struct sim_fiber *
sim_fiber_create(size_t stack_size, void (*entry)(void *), void *arg)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size = (stack_size + (size_t)page - 1) & ~((size_t)page - 1);
    struct sim_fiber *f = calloc(1, sizeof *f);

    if (f == NULL)
        return NULL;
    f->map_size = size + (size_t)page;
    f->map = mmap(NULL, f->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (f->map == MAP_FAILED) {
        free(f);
        return NULL;
    }
    /* A guard page below the stack turns an overflow into a clean crash
     * at the faulting access instead of silent corruption. */
    mprotect(f->map, (size_t)page, PROT_NONE);
    f->stack = (char *)f->map + page;
    f->stack_size = size;
    sim_fiber_reset(f, entry, arg);
    return f;
}

void
sim_fiber_reset(struct sim_fiber *f, void (*entry)(void *), void *arg)
{
    f->entry = entry;
    f->arg = arg;
    f->asan_fake_stack = NULL;
    prepare_stack(f);
}

void
sim_fiber_destroy(struct sim_fiber *f)
{
    if (f == NULL)
        return;
#ifdef SIM_ASAN
    /* A fiber abandoned in the middle of a routine (a paused machine being
     * destroyed) leaves its frames' redzones poisoned in ASan's shadow;
     * the next mmap may hand out the same addresses. */
    if (f->stack != NULL && f->map != NULL)
        __asan_unpoison_memory_region(f->stack, f->stack_size);
#endif
    if (f->map != NULL)
        munmap(f->map, f->map_size);
    free(f);
}

static inline void
raw_switch(struct sim_fiber *from, struct sim_fiber *to)
{
#ifdef SIM_FIBER_UCONTEXT
    starting = to;
    swapcontext(&from->uc, &to->uc);
#else
    sim_fiber_switch_asm(&from->sp, to->sp);
#endif
}

void
sim_fiber_switch(struct sim_fiber *from, struct sim_fiber *to)
{
#ifdef SIM_ASAN
    __sanitizer_start_switch_fiber(&from->asan_fake_stack, to->stack,
                                   to->stack_size);
#endif
    switching_from = from;
    raw_switch(from, to);
    landed(from->asan_fake_stack);
}

void
sim_fiber_switch_final(struct sim_fiber *from, struct sim_fiber *to)
{
#ifdef SIM_ASAN
    /* NULL: the frames on this stack are dead; let ASan drop its fake stack. */
    __sanitizer_start_switch_fiber(NULL, to->stack, to->stack_size);
#endif
    switching_from = from;
    raw_switch(from, to);
    fprintf(stderr, "storsim: a finished fiber was resumed\n");
    abort();
}

const char *
sim_fiber_kind(void)
{
#if defined(SIM_FIBER_UCONTEXT)
    return "ucontext";
#elif defined(__x86_64__)
    return "x86-64 assembly";
#else
    return "aarch64 assembly";
#endif
}
