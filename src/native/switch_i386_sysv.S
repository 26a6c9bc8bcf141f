/*
 * Context switch for 32-bit x86, System V i386 ABI as used on Linux (i686;
 * arguments on the stack, 16-byte stack alignment at every call).
 *
 * A suspended context is its stack pointer; the stack holds, from that
 * pointer upward (28 bytes; frame+28 is 16-byte aligned in a new context):
 *
 *   offset  contents
 *   +0      MXCSR (32 bits): SSE rounding mode and exception masks
 *   +4      x87 control word (16 bits) + 2 bytes padding
 *   +8      edi
 *   +12     esi
 *   +16     ebx
 *   +20     ebp
 *   +24     return address (pushed by the caller's call)
 *
 * Callee-saved per the ABI: ebx, esi, edi, ebp, the x87 control word and the
 * MXCSR control bits. Everything else is caller-saved, so the C caller has
 * already spilled it. The x87 register stack is empty at every call.
 * MXCSR needs SSE (Pentium III and later): glibc's fesetround sets both the
 * x87 control word and MXCSR, so both are per context here.
 */

#if defined(__i386__) && !defined(_WIN32) && !defined(__APPLE__)

        .text

/* void glet_native_swap(void **save_sp (4(%esp)), void *load_sp (8(%esp))) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, @function
        .p2align 4
glet_native_swap:
        .cfi_startproc
        endbr32                         /* valid indirect-branch target (CET IBT) */
        movl    4(%esp), %eax           /* eax = save_sp, read before we push */
        movl    8(%esp), %edx           /* edx = load_sp */
        pushl   %ebp                    /* save callee-saved registers ... */
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %ebp, 0
        pushl   %ebx
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %ebx, 0
        pushl   %esi
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %esi, 0
        pushl   %edi
        .cfi_adjust_cfa_offset 4
        .cfi_rel_offset %edi, 0
        subl    $8, %esp                /* ... and room for the FP control state */
        .cfi_adjust_cfa_offset 8
        stmxcsr (%esp)                  /* save SSE control/status */
        fnstcw  4(%esp)                 /* save x87 control word */

        movl    %esp, (%eax)            /* *save_sp = our stack pointer */
        movl    %edx, %esp              /* switch to the other stack */

        ldmxcsr (%esp)                  /* restore its SSE control/status */
        fldcw   4(%esp)                 /* restore its x87 control word */
        addl    $8, %esp                /* drop the FP slot */
        .cfi_adjust_cfa_offset -8
        popl    %edi                    /* restore its callee-saved registers */
        .cfi_adjust_cfa_offset -4
        .cfi_restore %edi
        popl    %esi
        .cfi_adjust_cfa_offset -4
        .cfi_restore %esi
        popl    %ebx
        .cfi_adjust_cfa_offset -4
        .cfi_restore %ebx
        popl    %ebp
        .cfi_adjust_cfa_offset -4
        .cfi_restore %ebp
        ret                             /* resume where it called swap (or the start stub) */
        .cfi_endproc
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (4(%esp)), void (*start)(void) (8(%esp))) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, @function
        .p2align 4
glet_native_make:
        .cfi_startproc
        endbr32                         /* valid indirect-branch target (CET IBT) */
        movl    4(%esp), %eax           /* eax = top of the new stack */
        andl    $-16, %eax              /* align it down to 16 bytes */
        subl    $44, %eax               /* 16 bytes of slack + the 28-byte frame */
        stmxcsr (%eax)                  /* inherit our SSE control/status (R22) */
        fnstcw  4(%eax)                 /* inherit our x87 control word */
        movl    $0, 8(%eax)             /* edi */
        movl    $0, 12(%eax)            /* esi */
        movl    8(%esp), %ecx           /* ecx = start */
        movl    %ecx, 16(%eax)          /* ebx = start, for the stub */
        movl    $0, 20(%eax)            /* ebp = 0: frame-pointer chains end here */
        call    1f                      /* no pc-relative lea on i386: push eip ... */
        .cfi_adjust_cfa_offset 4
1:      popl    %ecx                    /* ... and pop it: ecx = address of 1 */
        .cfi_adjust_cfa_offset -4
        addl    $(.Lstart_entry - 1b), %ecx /* ecx = the stub, position-independent */
        movl    %ecx, 24(%eax)          /* return address slot */
        movl    $0, 28(%eax)            /* a zero word above: a fake end of stack */
        ret                             /* eax = the new context's stack pointer */
        .cfi_endproc
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's ret with esp = frame+28
 * (16-byte aligned, as the ABI wants before a call), start in ebx. */
        .type   glet_native_start, @function
        .p2align 4
glet_native_start:
        .cfi_startproc
        .cfi_undefined %eip             /* backtraces end here: no caller */
        nop                             /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address: the stub proper */
        xorl    %ebp, %ebp              /* no frame-pointer parent either */
        calll   *%ebx                   /* start(): never returns */
        ud2                             /* trap if it ever does */
        .cfi_endproc
        .size   glet_native_start, .-glet_native_start

        /* Mark the object IBT-compatible (every indirect target has endbr32).
         * It is not shadow-stack compatible: switching stacks breaks SHSTK. */
        .section .note.gnu.property, "a"
        .p2align 2
        .long   4                       /* name size: "GNU\0" */
        .long   12                      /* descriptor size */
        .long   5                       /* NT_GNU_PROPERTY_TYPE_0 */
        .asciz  "GNU"
        .long   0xc0000002              /* GNU_PROPERTY_X86_FEATURE_1_AND */
        .long   4                       /* data size */
        .long   1                       /* GNU_PROPERTY_X86_FEATURE_1_IBT */

#endif

        .section .note.GNU-stack, "", @progbits /* no executable stack */
