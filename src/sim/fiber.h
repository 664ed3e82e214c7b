/* fiber.h: stackful coroutines for simulated activations.
 *
 * Interface: sim_fiber_create() makes a fiber that will run entry(arg) on
 * its own stack; sim_fiber_switch() saves the running context in `from`
 * and resumes `to`. A fiber's entry never returns: when its work is done
 * it switches away for the last time with sim_fiber_switch_final(), and
 * the owner may sim_fiber_reset() it for a new activation.
 *
 * The switch saves only callee-saved registers and makes no system call
 * (glibc's swapcontext calls sigprocmask on every switch, which costs
 * microseconds), except in the portable ucontext build (SIM_FIBER_UCONTEXT).
 * Under AddressSanitizer every switch is announced with the
 * __sanitizer_*_switch_fiber hooks so ASan knows which stack is live.
 */
#ifndef STORSIM_SIM_FIBER_H
#define STORSIM_SIM_FIBER_H

#include <stddef.h>

#if !defined(SIM_FIBER_UCONTEXT) && !defined(__x86_64__) && !defined(__aarch64__)
#define SIM_FIBER_UCONTEXT 1
#endif

#ifdef SIM_FIBER_UCONTEXT
#include <ucontext.h>
#endif

struct sim_fiber {
#ifdef SIM_FIBER_UCONTEXT
    ucontext_t uc;
#else
    void *sp;               /* saved stack pointer while suspended */
#endif
    void *stack;            /* lowest usable address (NULL: the host thread) */
    size_t stack_size;      /* usable bytes */
    void *map;              /* the mmap'd region incl. the guard page */
    size_t map_size;
    void (*entry)(void *arg);
    void *arg;
    void *asan_fake_stack;  /* ASan's fake-stack handle while suspended */
    struct sim_fiber *next_free;
};

/* Turn the calling host thread into a fiber that others can switch back to. */
void sim_fiber_init_host(struct sim_fiber *f);

/* Allocate a fiber with `stack_size` bytes of stack and a guard page below. */
struct sim_fiber *sim_fiber_create(size_t stack_size, void (*entry)(void *),
                                   void *arg);

/* Prepare a finished (or never started) fiber to run entry(arg) afresh. */
void sim_fiber_reset(struct sim_fiber *f, void (*entry)(void *), void *arg);

void sim_fiber_destroy(struct sim_fiber *f);

/* Save the current context into `from` and resume `to`. */
void sim_fiber_switch(struct sim_fiber *from, struct sim_fiber *to);

/* Like sim_fiber_switch, for a fiber that will never resume its current
 * frames (it will be reset before it runs again). */
void sim_fiber_switch_final(struct sim_fiber *from, struct sim_fiber *to);

/* Which switch this build uses: "x86-64 assembly", "aarch64 assembly" or
 * "ucontext". */
const char *sim_fiber_kind(void);

#endif /* STORSIM_SIM_FIBER_H */
