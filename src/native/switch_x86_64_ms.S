/*
 * Context switch for x86_64, Microsoft x64 ABI (Windows; GNU as syntax, as
 * MinGW-w64 and clang assemble it).
 *
 * A suspended context is its stack pointer; the stack holds, from that
 * pointer upward (288 bytes, 16-byte aligned):
 *
 *   offset  contents
 *   +0      MXCSR (32 bits): SSE rounding mode and exception masks
 *   +4      x87 control word (16 bits) + 2 bytes padding
 *   +8      GuaranteedStackBytes (32 bits) + 4 bytes padding
 *   +16     xmm6 ... +160 xmm15 (16 bytes each)
 *   +176    StackLimit
 *   +184    StackBase
 *   +192    DeallocationStack
 *   +200    ExceptionList
 *   +208    (padding: keeps rsp 16-byte aligned)
 *   +216    r15
 *   +224    r14
 *   +232    r13
 *   +240    r12
 *   +248    rdi
 *   +256    rsi
 *   +264    rbx
 *   +272    rbp
 *   +280    return address (pushed by the caller's call)
 *
 * Callee-saved per the ABI: rbx, rbp, rdi, rsi, r12-r15, xmm6-xmm15, MXCSR
 * control bits, x87 CW. Everything else is caller-saved, so the C caller has
 * already spilled it.
 *
 * The Thread Information Block (gs:) describes the running stack, and
 * Windows acts on it, so each context carries its own copy:
 *   StackBase, StackLimit   (gs:0x08, gs:0x10) the committed stack: exception
 *                           dispatch rejects a frame outside it, so a C++
 *                           throw inside a greenlet needs the greenlet's.
 *   DeallocationStack       (gs:0x1478) the bottom of the reservation: the
 *                           system grows a stack through its guard page only
 *                           between this and StackBase, and raises
 *                           STATUS_STACK_OVERFLOW near it (our overflow report).
 *   GuaranteedStackBytes    (gs:0x1748) what is kept for the handler of that
 *                           overflow (SetThreadStackGuarantee): a greenlet's
 *                           comes with its stack, the main stack keeps its own.
 *   ExceptionList           (gs:0x00) unused by 64-bit Windows, but Wine
 *                           chains its own handlers there, each frame on the
 *                           stack that set it up: a greenlet starts with an
 *                           empty chain (-1), so that an exception in it never
 *                           runs a handler whose frame is on another stack.
 *
 * No endbr64: Windows has no indirect-branch tracking (its CET is shadow
 * stacks, which switching stacks breaks anyway). The .seh_* directives give
 * each routine unwind data, so that exceptions and debuggers can walk a
 * greenlet's frames down to the start stub, which ends the walk.
 */

#if defined(__x86_64__) && defined(_WIN32)

        .text

/* void glet_native_swap(void **save_sp (rcx), void *load_sp (rdx)) */
        .globl  glet_native_swap
        .def    glet_native_swap; .scl 2; .type 32; .endef
        .p2align 4
glet_native_swap:
        .seh_proc glet_native_swap
        pushq   %rbp                    /* save the callee-saved registers ... */
        .seh_pushreg %rbp
        pushq   %rbx
        .seh_pushreg %rbx
        pushq   %rsi
        .seh_pushreg %rsi
        pushq   %rdi
        .seh_pushreg %rdi
        pushq   %r12
        .seh_pushreg %r12
        pushq   %r13
        .seh_pushreg %r13
        pushq   %r14
        .seh_pushreg %r14
        pushq   %r15
        .seh_pushreg %r15
        subq    $216, %rsp              /* ... room for the rest (rsp is 16-aligned now) */
        .seh_stackalloc 216
        movaps  %xmm6, 16(%rsp)         /* the callee-saved xmm registers */
        .seh_savexmm %xmm6, 16
        movaps  %xmm7, 32(%rsp)
        .seh_savexmm %xmm7, 32
        movaps  %xmm8, 48(%rsp)
        .seh_savexmm %xmm8, 48
        movaps  %xmm9, 64(%rsp)
        .seh_savexmm %xmm9, 64
        movaps  %xmm10, 80(%rsp)
        .seh_savexmm %xmm10, 80
        movaps  %xmm11, 96(%rsp)
        .seh_savexmm %xmm11, 96
        movaps  %xmm12, 112(%rsp)
        .seh_savexmm %xmm12, 112
        movaps  %xmm13, 128(%rsp)
        .seh_savexmm %xmm13, 128
        movaps  %xmm14, 144(%rsp)
        .seh_savexmm %xmm14, 144
        movaps  %xmm15, 160(%rsp)
        .seh_savexmm %xmm15, 160
        .seh_endprologue
        stmxcsr (%rsp)                  /* save SSE control/status */
        fnstcw  4(%rsp)                 /* save x87 control word */
        movl    %gs:0x1748, %eax        /* save GuaranteedStackBytes */
        movl    %eax, 8(%rsp)
        movq    %gs:0x10, %rax          /* save StackLimit */
        movq    %rax, 176(%rsp)
        movq    %gs:0x08, %rax          /* save StackBase */
        movq    %rax, 184(%rsp)
        movq    %gs:0x1478, %rax        /* save DeallocationStack */
        movq    %rax, 192(%rsp)
        movq    %gs:0x00, %rax          /* save ExceptionList */
        movq    %rax, 200(%rsp)

        movq    %rsp, (%rcx)            /* *save_sp = our stack pointer */
        movq    %rdx, %rsp              /* switch to the other stack */

        movq    200(%rsp), %rax         /* restore its ExceptionList */
        movq    %rax, %gs:0x00
        movq    192(%rsp), %rax         /* restore its DeallocationStack */
        movq    %rax, %gs:0x1478
        movq    184(%rsp), %rax         /* restore its StackBase */
        movq    %rax, %gs:0x08
        movq    176(%rsp), %rax         /* restore its StackLimit */
        movq    %rax, %gs:0x10
        movl    8(%rsp), %eax           /* restore its GuaranteedStackBytes */
        movl    %eax, %gs:0x1748
        ldmxcsr (%rsp)                  /* restore its SSE control/status */
        fldcw   4(%rsp)                 /* restore its x87 control word */
        movaps  16(%rsp), %xmm6         /* restore its xmm registers */
        movaps  32(%rsp), %xmm7
        movaps  48(%rsp), %xmm8
        movaps  64(%rsp), %xmm9
        movaps  80(%rsp), %xmm10
        movaps  96(%rsp), %xmm11
        movaps  112(%rsp), %xmm12
        movaps  128(%rsp), %xmm13
        movaps  144(%rsp), %xmm14
        movaps  160(%rsp), %xmm15
        addq    $216, %rsp              /* the epilogue the unwinder expects: */
        popq    %r15                    /* restore its general registers */
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rdi
        popq    %rsi
        popq    %rbx
        popq    %rbp
        ret                             /* resume where it called swap (or the start stub) */
        .seh_endproc

/* void *glet_native_make(void *stack_top (rcx), void (*start)(void) (rdx),
 *                        const struct native_stack_limits *limits (r8)) */
        .globl  glet_native_make
        .def    glet_native_make; .scl 2; .type 32; .endef
        .p2align 4
glet_native_make:
        .seh_proc glet_native_make
        .seh_endprologue
        movq    %rcx, %rax              /* rax = top of the new stack */
        andq    $-16, %rax              /* align it down to 16 bytes */
        movq    $0, -8(%rax)            /* two zero words at the top: the start */
        movq    $0, -16(%rax)           /* stub's "return address" ends unwinding */
        subq    $304, %rax              /* the 288-byte frame below them */
        stmxcsr (%rax)                  /* inherit our SSE control/status (R22) */
        fnstcw  4(%rax)                 /* inherit our x87 control word */
        movl    16(%r8), %r9d           /* GuaranteedStackBytes = limits->guaranteed */
        movl    %r9d, 8(%rax)
        movq    8(%r8), %r9             /* StackLimit = limits->stack_limit */
        movq    %r9, 176(%rax)
        movq    %rcx, 184(%rax)         /* StackBase = stack_top */
        movq    (%r8), %r9              /* DeallocationStack = limits->deallocation_stack */
        movq    %r9, 192(%rax)
        movq    $-1, 200(%rax)          /* ExceptionList: the empty chain */
        xorl    %r9d, %r9d              /* r9 = 0, for the registers below */
        movq    %r9, 216(%rax)          /* r15 */
        movq    %r9, 224(%rax)          /* r14 */
        movq    %r9, 232(%rax)          /* r13 */
        movq    %rdx, 240(%rax)         /* r12 = start, for the stub */
        movq    %r9, 248(%rax)          /* rdi */
        movq    %r9, 256(%rax)          /* rsi */
        movq    %r9, 264(%rax)          /* rbx */
        movq    %r9, 272(%rax)          /* rbp = 0: frame-pointer chains end here */
        leaq    glet_native_start(%rip), %rcx /* where swap's ret goes: the stub */
        movq    %rcx, 280(%rax)         /* return address slot */
        ret                             /* rax = the new context's stack pointer (xmm
                                           slots: whatever is there; start reads none) */
        .seh_endproc

/* First code of every new context, reached by swap's ret with rsp = frame+288
 * (16-byte aligned, the zero words just above), start in r12. Its unwind data
 * says: 32 bytes allocated, then a return address, which is 0 here: the walk
 * ends. An exception that gets this far unhandled goes to
 * glet_native_start_handler (unhandled_win32.c), as at a thread's start. */
        .def    glet_native_start; .scl 3; .type 32; .endef
        .p2align 4
glet_native_start:
        .seh_proc glet_native_start
        .seh_handler glet_native_start_handler, @except
        subq    $32, %rsp               /* the callee's home space (rsp stays 16-aligned) */
        .seh_stackalloc 32
        .seh_endprologue
        xorl    %ebp, %ebp              /* no frame-pointer parent either */
        callq   *%r12                   /* start(): never returns */
        ud2                             /* trap if it ever does */
        .seh_endproc

#endif
