/* fiber_switch.S: the register-only context switch behind sim_fiber_switch.
 *
 *   void sim_fiber_switch_asm(void **save_sp, void *new_sp);
 *
 * Pushes the callee-saved registers of the ABI on the current stack, stores
 * the stack pointer in *save_sp, loads new_sp and pops the other context's
 * registers. A new fiber's stack is prepared by fiber.c so that the first
 * switch "returns" into sim_fiber_trampoline, which calls entry(arg) with
 * entry and arg taken from two of the restored callee-saved registers.
 * Not built in the ucontext configuration.
 */
#if !defined(SIM_FIBER_UCONTEXT)

#if defined(__x86_64__)
        .text
        .globl  sim_fiber_switch_asm
        .type   sim_fiber_switch_asm, @function
sim_fiber_switch_asm:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   sim_fiber_switch_asm, .-sim_fiber_switch_asm

        /* r12 = arg, r13 = entry (placed there by fiber.c). */
        .globl  sim_fiber_trampoline
        .type   sim_fiber_trampoline, @function
sim_fiber_trampoline:
        movq    %r12, %rdi
        callq   *%r13
        ud2                     /* entry must never return */
        .size   sim_fiber_trampoline, .-sim_fiber_trampoline

#elif defined(__aarch64__)
        .text
        .globl  sim_fiber_switch_asm
        .type   sim_fiber_switch_asm, %function
sim_fiber_switch_asm:
        sub     sp, sp, #160
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8,  d9,  [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x2, sp
        str     x2, [x0]
        mov     sp, x1
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8,  d9,  [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #160
        ret
        .size   sim_fiber_switch_asm, .-sim_fiber_switch_asm

        /* x19 = arg, x20 = entry (placed there by fiber.c). */
        .globl  sim_fiber_trampoline
        .type   sim_fiber_trampoline, %function
sim_fiber_trampoline:
        mov     x0, x19
        blr     x20
        brk     #0              /* entry must never return */
        .size   sim_fiber_trampoline, .-sim_fiber_trampoline
#endif

#endif /* !SIM_FIBER_UCONTEXT */

        .section .note.GNU-stack,"",%progbits
