/*
 * Context switch for 32-bit ARM, AAPCS with VFP (Linux armhf: ARMv7-A,
 * hard-float; also correct for soft-float ABIs on a CPU with VFP).
 *
 * A suspended context is its stack pointer; the stack holds, from that
 * pointer upward (104 bytes, 8-byte aligned as the ABI requires at calls):
 *
 *   offset  contents
 *   +0      FPSCR: rounding mode, flush-to-zero, default NaN, trap enables
 *           (and the sticky status flags, which share the register)
 *   +4      d8 ... +60 d15 (64 bits each)
 *   +68     r4, +72 r5, +76 r6, +80 r7, +84 r8, +88 r9, +92 r10, +96 r11
 *   +100    lr (where swap returns)
 *
 * Callee-saved per the ABI: r4-r11 (r9 included: Linux treats it as a plain
 * variable register), sp, d8-d15 and the FPSCR control bits. Everything else
 * is caller-saved, so the C caller has already spilled it.
 *
 * Interworking: this file is A32 ("ARM") code, which every ARMv7-A CPU runs.
 * The C callers are usually T32 (Thumb-2, Debian's default); the linker turns
 * their bl into blx because these symbols are typed %function, every return is
 * "bx lr" (which switches back to Thumb when bit 0 of lr is set), and the start
 * stub calls start() with blx, which switches to Thumb for a Thumb address.
 * A resumed context may be Thumb code while the suspending one was A32: the
 * saved lr carries the mode, so bx lr is always right.
 *
 * Unwind info is given twice: CFI in .debug_frame for debuggers (as gcc does
 * on ARM) and EHABI (.fnstart/.save/.vsave/.cantunwind) in .ARM.exidx for the
 * run-time unwinder (backtrace(), C++ exceptions).
 */

#if defined(__arm__) && defined(__ARM_ARCH_ISA_ARM) && defined(__ARM_FP) && !defined(__APPLE__)

#define FRAME_SIZE 104

        .syntax unified
        .arm
        .cfi_sections .debug_frame
        .text

/* void glet_native_swap(void **save_sp (r0), void *load_sp (r1)) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, %function
        .p2align 2
glet_native_swap:
        .fnstart
        .cfi_startproc
        push    {r4-r11, lr}            /* save callee-saved integer registers and lr */
        .save   {r4-r11, lr}
        .cfi_adjust_cfa_offset 36
        .cfi_rel_offset r4, 0
        .cfi_rel_offset r5, 4
        .cfi_rel_offset r6, 8
        .cfi_rel_offset r7, 12
        .cfi_rel_offset r8, 16
        .cfi_rel_offset r9, 20
        .cfi_rel_offset r10, 24
        .cfi_rel_offset r11, 28
        .cfi_rel_offset lr, 32
        vpush   {d8-d15}                /* save callee-saved FP registers */
        .vsave  {d8-d15}
        .cfi_adjust_cfa_offset 64
        .cfi_rel_offset d8, 0
        .cfi_rel_offset d9, 8
        .cfi_rel_offset d10, 16
        .cfi_rel_offset d11, 24
        .cfi_rel_offset d12, 32
        .cfi_rel_offset d13, 40
        .cfi_rel_offset d14, 48
        .cfi_rel_offset d15, 56
        vmrs    r2, fpscr               /* read the FP status and control register */
        str     r2, [sp, #-4]!          /* push it: the frame is now 104 bytes */
        .pad    #4
        .cfi_adjust_cfa_offset 4

        str     sp, [r0]                /* *save_sp = our stack pointer */
        mov     sp, r1                  /* switch to the other stack */

        ldr     r2, [sp], #4            /* pop its FPSCR */
        vmsr    fpscr, r2               /* restore it */
        vpop    {d8-d15}                /* restore its callee-saved FP registers */
        pop     {r4-r11, lr}            /* restore its integer registers and lr */
        .cfi_adjust_cfa_offset -FRAME_SIZE
        .cfi_restore r4                 /* every register holds its caller's value again */
        .cfi_restore r5
        .cfi_restore r6
        .cfi_restore r7
        .cfi_restore r8
        .cfi_restore r9
        .cfi_restore r10
        .cfi_restore r11
        .cfi_restore lr
        .cfi_restore d8
        .cfi_restore d9
        .cfi_restore d10
        .cfi_restore d11
        .cfi_restore d12
        .cfi_restore d13
        .cfi_restore d14
        .cfi_restore d15
        bx      lr                      /* resume where it called swap (or the start stub), in its mode */
        .cfi_endproc
        .fnend
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (r0), void (*start)(void) (r1)) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, %function
        .p2align 2
glet_native_make:
        .fnstart
        .cfi_startproc
        bic     r0, r0, #15             /* align the top of the new stack down to 16 */
        sub     r0, r0, #(FRAME_SIZE + 16) /* 16 bytes of slack + the frame */
        vmrs    r2, fpscr               /* inherit our FPSCR (R22) */
        str     r2, [r0]                /* FPSCR slot */
        mov     r2, #0                  /* r2:r3 = a zero doubleword */
        mov     r3, #0
        strd    r2, r3, [r0, #4]        /* d8 = 0 */
        strd    r2, r3, [r0, #12]       /* d9 = 0 */
        strd    r2, r3, [r0, #20]       /* d10 = 0 */
        strd    r2, r3, [r0, #28]       /* d11 = 0 */
        strd    r2, r3, [r0, #36]       /* d12 = 0 */
        strd    r2, r3, [r0, #44]       /* d13 = 0 */
        strd    r2, r3, [r0, #52]       /* d14 = 0 */
        strd    r2, r3, [r0, #60]       /* d15 = 0 */
        str     r1, [r0, #68]           /* r4 = start, for the stub */
        str     r2, [r0, #72]           /* r5 = 0 */
        str     r2, [r0, #76]           /* r6 = 0 */
        str     r2, [r0, #80]           /* r7 = 0 */
        str     r2, [r0, #84]           /* r8 = 0 */
        str     r2, [r0, #88]           /* r9 = 0 */
        str     r2, [r0, #92]           /* r10 = 0 */
        str     r2, [r0, #96]           /* r11 = 0: frame-pointer chains end here (A32 uses r11, T32 r7) */
        adr     r3, .Lstart_entry /* where swap's bx lr goes (A32: bit 0 clear) */
        str     r3, [r0, #100]          /* lr slot */
        str     r2, [r0, #FRAME_SIZE]   /* a zero frame record above: a fake end of stack */
        str     r2, [r0, #FRAME_SIZE+4]
        bx      lr                      /* r0 = the new context's stack pointer */
        .cfi_endproc
        .fnend
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's bx lr with sp =
 * frame+104 (16-byte aligned), start in r4. */
        .type   glet_native_start, %function
        .p2align 2
glet_native_start:
        .fnstart
        .cantunwind                     /* EHABI: unwinding stops here */
        .cfi_startproc
        .cfi_undefined lr               /* debuggers: backtraces end here, no caller */
        nop                             /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address: the stub proper */
        mov     r11, #0                 /* no frame-pointer parent (A32 convention) */
        mov     r7, #0                  /* nor for T32, whose frame pointer is r7 */
        blx     r4                      /* start(): never returns; switches to Thumb if needed */
        udf     #0                      /* trap if it ever does */
        .cfi_endproc
        .fnend
        .size   glet_native_start, .-glet_native_start

#endif

        .section .note.GNU-stack, "", %progbits /* no executable stack */
