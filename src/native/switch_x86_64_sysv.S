/*
 * Context switch for x86_64, System V ABI (Linux, BSD).
 *
 * A suspended context is its stack pointer; the stack holds, from that
 * pointer upward (64 bytes, 16-byte aligned):
 *
 *   offset  contents
 *   +0      MXCSR (32 bits): SSE rounding mode and exception masks
 *   +4      x87 control word (16 bits) + 2 bytes padding
 *   +8      r15
 *   +16     r14
 *   +24     r13
 *   +32     r12
 *   +40     rbx
 *   +48     rbp
 *   +56     return address (pushed by the caller's call)
 *
 * Callee-saved per the ABI: rbx, rbp, r12-r15, MXCSR control bits, x87 CW.
 * Everything else is caller-saved, so the C caller has already spilled it.
 * No red zone is touched: the routine pushes below its own return address.
 */

#if defined(__x86_64__) && !defined(_WIN32)

        .text

/* void glet_native_swap(void **save_sp (rdi), void *load_sp (rsi)) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, @function
        .p2align 4
glet_native_swap:
        .cfi_startproc
        endbr64                         /* valid indirect-branch target (CET IBT) */
        pushq   %rbp                    /* save callee-saved registers ... */
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbp, 0
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbx, 0
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r15, 0
        subq    $8, %rsp                /* ... and room for the FP control state */
        .cfi_adjust_cfa_offset 8
        stmxcsr (%rsp)                  /* save SSE control/status */
        fnstcw  4(%rsp)                 /* save x87 control word */

        movq    %rsp, (%rdi)            /* *save_sp = our stack pointer */
        movq    %rsi, %rsp              /* switch to the other stack */

        ldmxcsr (%rsp)                  /* restore its SSE control/status */
        fldcw   4(%rsp)                 /* restore its x87 control word */
        addq    $8, %rsp                /* drop the FP slot */
        .cfi_adjust_cfa_offset -8
        popq    %r15                    /* restore its callee-saved registers */
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r15
        popq    %r14
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r14
        popq    %r13
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r13
        popq    %r12
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r12
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbx
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        ret                             /* resume where it called swap (or the start stub) */
        .cfi_endproc
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (rdi), void (*start)(void) (rsi)) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, @function
        .p2align 4
glet_native_make:
        .cfi_startproc
        endbr64                         /* valid indirect-branch target (CET IBT) */
        movq    %rdi, %rax              /* rax = top of the new stack */
        andq    $-16, %rax              /* align it down to 16 bytes */
        subq    $80, %rax               /* 16 bytes of slack + the 64-byte frame */
        stmxcsr (%rax)                  /* inherit our SSE control/status (R22) */
        fnstcw  4(%rax)                 /* inherit our x87 control word */
        movq    $0, 8(%rax)             /* r15 */
        movq    $0, 16(%rax)            /* r14 */
        movq    $0, 24(%rax)            /* r13 */
        movq    %rsi, 32(%rax)          /* r12 = start, for the stub */
        movq    $0, 40(%rax)            /* rbx */
        movq    $0, 48(%rax)            /* rbp = 0: frame-pointer chains end here */
        leaq    .Lstart_entry(%rip), %rcx /* where swap's ret goes: the stub proper */
        movq    %rcx, 56(%rax)          /* return address slot */
        movq    $0, 64(%rax)            /* a zero word above: a fake end of stack */
        ret                             /* rax = the new context's stack pointer */
        .cfi_endproc
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's ret with rsp = frame+64
 * (16-byte aligned), start in r12. */
        .type   glet_native_start, @function
        .p2align 4
glet_native_start:
        .cfi_startproc
        .cfi_undefined %rip             /* backtraces end here: no caller */
        nop                             /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address */
        xorl    %ebp, %ebp              /* no frame-pointer parent either */
        callq   *%r12                   /* start(): never returns */
        ud2                             /* trap if it ever does */
        .cfi_endproc
        .size   glet_native_start, .-glet_native_start

        /* Mark the object IBT-compatible (every indirect target has endbr64).
         * It is not shadow-stack compatible: switching stacks breaks SHSTK. */
        .section .note.gnu.property, "a"
        .p2align 3
        .long   4                       /* name size: "GNU\0" */
        .long   16                      /* descriptor size */
        .long   5                       /* NT_GNU_PROPERTY_TYPE_0 */
        .asciz  "GNU"
        .long   0xc0000002              /* GNU_PROPERTY_X86_FEATURE_1_AND */
        .long   4                       /* data size */
        .long   1                       /* GNU_PROPERTY_X86_FEATURE_1_IBT */
        .long   0                       /* pad to 8 bytes */

#endif

        .section .note.GNU-stack, "", @progbits /* no executable stack */
