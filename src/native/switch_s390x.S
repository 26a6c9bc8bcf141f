/*
 * Context switch for IBM Z, s390x ELF ABI (Linux, 64-bit z/Architecture).
 *
 * A suspended context is its stack pointer r15. As in any s390x function,
 * swap saves r6-r14 in the 160-byte register save area that its CALLER
 * reserved at the bottom of its own frame (at the standard offsets), then
 * allocates its own 240-byte frame. From the saved r15 upward:
 *
 *   offset  contents
 *   +0      back chain: the caller's r15
 *   +8      the rest of the 160-byte register save area every frame keeps
 *           for its own callees (unused: swap calls nobody)
 *   +160    f8 ... +216 f15 (64 bits each)
 *   +224    FPC (32 bits): rounding mode, exception masks (and flags)
 *   +228    padding to 240 (a multiple of 16; the ABI needs 8)
 *   +240    the caller's frame, whose register save area holds:
 *   +288    r6, r7, r8, r9, r10, r11, r12, r13, r14 (= +48 .. +112 of it;
 *           r14 is where swap returns)
 *
 * Callee-saved per the ABI: r6-r13, r15, f8-f15 and the FPC control bits.
 * r14 is the return address. Everything else is caller-saved, so the C
 * caller has already spilled it. The access registers a0/a1 hold the thread
 * pointer, the same in every context of a thread, and are not touched.
 * The back chain is written even though Linux code is built without
 * -mbackchain by default: it costs one store and helps stack walkers.
 */

#if defined(__s390x__)

#define FRAME_SIZE 240

        .text

/* void glet_native_swap(void **save_sp (r2), void *load_sp (r3)) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, @function
        .p2align 3
glet_native_swap:
        .cfi_startproc
        stmg    %r6, %r14, 48(%r15)     /* save r6-r14 in the caller's register save area */
        .cfi_offset %r6, -112
        .cfi_offset %r7, -104
        .cfi_offset %r8, -96
        .cfi_offset %r9, -88
        .cfi_offset %r10, -80
        .cfi_offset %r11, -72
        .cfi_offset %r12, -64
        .cfi_offset %r13, -56
        .cfi_offset %r14, -48
        lgr     %r1, %r15               /* r1 = the caller's stack pointer */
        aghi    %r15, -FRAME_SIZE       /* allocate our frame */
        .cfi_adjust_cfa_offset FRAME_SIZE
        stg     %r1, 0(%r15)            /* back chain */
        std     %f8, 160(%r15)          /* save callee-saved FP registers in our frame */
        .cfi_offset 24, -240                /* CFI numbers: DWARF interleaves f0-f15 (f8=24, f9=28, f10=25 ...) */
        std     %f9, 168(%r15)          
        .cfi_offset 28, -232
        std     %f10, 176(%r15)         
        .cfi_offset 25, -224
        std     %f11, 184(%r15)         
        .cfi_offset 29, -216
        std     %f12, 192(%r15)         
        .cfi_offset 26, -208
        std     %f13, 200(%r15)         
        .cfi_offset 30, -200
        std     %f14, 208(%r15)         
        .cfi_offset 27, -192
        std     %f15, 216(%r15)         
        .cfi_offset 31, -184
        stfpc   224(%r15)               /* save the floating-point control register */

        stg     %r15, 0(%r2)            /* *save_sp = our stack pointer */
        lgr     %r15, %r3               /* switch to the other stack */

        lfpc    224(%r15)               /* restore its FPC */
        ld      %f8, 160(%r15)          /* restore its callee-saved FP registers */
        ld      %f9, 168(%r15)          
        ld      %f10, 176(%r15)         
        ld      %f11, 184(%r15)         
        ld      %f12, 192(%r15)         
        ld      %f13, 200(%r15)         
        ld      %f14, 208(%r15)         
        ld      %f15, 216(%r15)         
        aghi    %r15, FRAME_SIZE        /* drop the frame */
        .cfi_adjust_cfa_offset -FRAME_SIZE
        lmg     %r6, %r14, 48(%r15)     /* restore r6-r14 from its caller's save area */
        .cfi_restore %r6                /* every register holds its caller's value again */
        .cfi_restore %r7                
        .cfi_restore %r8                
        .cfi_restore %r9                
        .cfi_restore %r10               
        .cfi_restore %r11               
        .cfi_restore %r12               
        .cfi_restore %r13               
        .cfi_restore %r14               
        .cfi_restore 24                
        .cfi_restore 28                
        .cfi_restore 25               
        .cfi_restore 29               
        .cfi_restore 26               
        .cfi_restore 30               
        .cfi_restore 27               
        .cfi_restore 31               
        br      %r14                    /* resume where it called swap (or the start stub) */
        .cfi_endproc
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (r2), void (*start)(void) (r3)) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, @function
        .p2align 3
glet_native_make:
        .cfi_startproc
        nill    %r2, 0xfff0             /* align the top of the new stack down to 16 */
        aghi    %r2, -(160 + 16)        /* the stub's frame: a register save area for start(), + 16 of slack */
        lgr     %r1, %r2                /* r1 = the stub's stack pointer */
        aghi    %r2, -FRAME_SIZE        /* r2 = swap's frame below it */
        xc      0(200,%r2), 0(%r2)      /* zero both frames (400 bytes): x xor x = 0 ... */
        xc      200(200,%r2), 200(%r2)  /* ... in two pieces, as xc handles at most 256 */
        stg     %r1, 0(%r2)             /* back chain to the stub's frame, whose own is 0: the end */
        stfpc   224(%r2)                /* inherit our FPC (R22) */
        stg     %r3, 96(%r1)            /* r12 = start, for the stub (r6 + 8 * 6 + 48) */
        larl    %r4, .Lstart_entry /* r4 = the stub, pc-relative */
        stg     %r4, 112(%r1)           /* r14 = where swap's br goes */
        br      %r14                    /* r2 = the new context's stack pointer */
        .cfi_endproc
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's br with r15 = the stub's
 * frame (16-byte aligned, back chain 0, a 160-byte save area for start()),
 * start in r12, r11 (the frame pointer when one is used) = 0. */
        .type   glet_native_start, @function
        .p2align 3
glet_native_start:
        .cfi_startproc
        .cfi_undefined %r14             /* backtraces end here: no caller */
        nopr    %r0                     /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address: the stub proper */
        basr    %r14, %r12              /* start(): never returns */
        .long   0                       /* an invalid opcode: trap if it ever does */
        .cfi_endproc
        .size   glet_native_start, .-glet_native_start

#endif

        .section .note.GNU-stack, "", @progbits /* no executable stack */
