/*
 * Context switch for AArch64, AAPCS64 (Linux, BSD).
 *
 * A suspended context is its stack pointer; the stack holds, from that
 * pointer upward (176 bytes, 16-byte aligned as sp must always be):
 *
 *   offset  contents
 *   +0      x19, x20
 *   +16     x21, x22
 *   +32     x23, x24
 *   +48     x25, x26
 *   +64     x27, x28
 *   +80     x29 (frame pointer), x30 (link register: where swap returns)
 *   +96     d8, d9
 *   +112    d10, d11
 *   +128    d12, d13
 *   +144    d14, d15
 *   +160    FPCR (64 bits): rounding mode, flush-to-zero, default NaN, traps
 *   +168    padding
 *
 * Callee-saved per the ABI: x19-x29, sp, the low 64 bits of v8-v15 (d8-d15)
 * and the FPCR control fields. FPSR holds only sticky status flags, which the
 * ABI does not preserve, so it is left alone. Everything else is
 * caller-saved, so the C caller has already spilled it.
 * AArch64 Linux has no red zone: nothing below sp is ours to keep.
 * Pointer authentication: x30 is saved and restored exactly as received, so a
 * caller built with -mbranch-protection=pac-ret still authenticates its own
 * return address. No BTI landing pads: nothing here is an indirect target
 * (the start stub is reached by ret, which BTI does not check).
 */

#if defined(__aarch64__) && !defined(__APPLE__) && !defined(_WIN32)

#define FRAME_SIZE 176

        .text

/* void glet_native_swap(void **save_sp (x0), void *load_sp (x1)) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, %function
        .p2align 4
glet_native_swap:
        .cfi_startproc
        sub     sp, sp, #FRAME_SIZE     /* room for the saved state */
        .cfi_def_cfa_offset FRAME_SIZE
        stp     x19, x20, [sp, #0]      /* save callee-saved integer registers ... */
        .cfi_offset x19, -176
        .cfi_offset x20, -168
        stp     x21, x22, [sp, #16]
        .cfi_offset x21, -160
        .cfi_offset x22, -152
        stp     x23, x24, [sp, #32]
        .cfi_offset x23, -144
        .cfi_offset x24, -136
        stp     x25, x26, [sp, #48]
        .cfi_offset x25, -128
        .cfi_offset x26, -120
        stp     x27, x28, [sp, #64]
        .cfi_offset x27, -112
        .cfi_offset x28, -104
        stp     x29, x30, [sp, #80]     /* ... frame pointer and return address */
        .cfi_offset x29, -96
        .cfi_offset x30, -88
        stp     d8, d9, [sp, #96]       /* save callee-saved FP registers */
        .cfi_offset d8, -80
        .cfi_offset d9, -72
        stp     d10, d11, [sp, #112]
        .cfi_offset d10, -64
        .cfi_offset d11, -56
        stp     d12, d13, [sp, #128]
        .cfi_offset d12, -48
        .cfi_offset d13, -40
        stp     d14, d15, [sp, #144]
        .cfi_offset d14, -32
        .cfi_offset d15, -24
        mrs     x9, fpcr                /* read the FP control register */
        str     x9, [sp, #160]          /* and save it */

        mov     x9, sp                  /* sp cannot be stored directly */
        str     x9, [x0]                /* *save_sp = our stack pointer */
        mov     sp, x1                  /* switch to the other stack */

        ldr     x9, [sp, #160]          /* its FP control register */
        msr     fpcr, x9                /* restore it */
        ldp     d8, d9, [sp, #96]       /* restore its callee-saved FP registers */
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        ldp     x19, x20, [sp, #0]      /* restore its callee-saved integer registers */
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]     /* its frame pointer and return address */
        add     sp, sp, #FRAME_SIZE     /* drop the frame */
        .cfi_def_cfa_offset 0
        .cfi_restore x19                /* every register holds its caller's value again */
        .cfi_restore x20
        .cfi_restore x21
        .cfi_restore x22
        .cfi_restore x23
        .cfi_restore x24
        .cfi_restore x25
        .cfi_restore x26
        .cfi_restore x27
        .cfi_restore x28
        .cfi_restore x29
        .cfi_restore x30
        .cfi_restore d8
        .cfi_restore d9
        .cfi_restore d10
        .cfi_restore d11
        .cfi_restore d12
        .cfi_restore d13
        .cfi_restore d14
        .cfi_restore d15
        ret                             /* resume where it called swap (or the start stub) */
        .cfi_endproc
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (x0), void (*start)(void) (x1)) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, %function
        .p2align 4
glet_native_make:
        .cfi_startproc
        and     x0, x0, #-16            /* align the top of the new stack down to 16 */
        sub     x0, x0, #(FRAME_SIZE + 16) /* 16 bytes of slack + the frame */
        mrs     x9, fpcr                /* inherit our FP control register (R22) */
        str     x9, [x0, #160]          /* FPCR slot */
        str     xzr, [x0, #168]         /* padding */
        stp     x1, xzr, [x0, #0]       /* x19 = start, for the stub; x20 = 0 */
        stp     xzr, xzr, [x0, #16]     /* x21, x22 */
        stp     xzr, xzr, [x0, #32]     /* x23, x24 */
        stp     xzr, xzr, [x0, #48]     /* x25, x26 */
        stp     xzr, xzr, [x0, #64]     /* x27, x28 */
        adr     x9, .Lstart_entry /* where swap's ret goes */
        stp     xzr, x9, [x0, #80]      /* x29 = 0: frame chains end; x30 = the stub */
        stp     xzr, xzr, [x0, #96]     /* d8, d9 */
        stp     xzr, xzr, [x0, #112]    /* d10, d11 */
        stp     xzr, xzr, [x0, #128]    /* d12, d13 */
        stp     xzr, xzr, [x0, #144]    /* d14, d15 */
        stp     xzr, xzr, [x0, #FRAME_SIZE] /* a zero frame record above: a fake end of stack */
        ret                             /* x0 = the new context's stack pointer */
        .cfi_endproc
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's ret with sp = frame+176
 * (16-byte aligned), start in x19, x29 = 0. */
        .type   glet_native_start, %function
        .p2align 4
glet_native_start:
        .cfi_startproc
        .cfi_undefined x30              /* backtraces end here: no caller */
        nop                             /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address: the stub proper */
        mov     x29, xzr                /* no frame-pointer parent either */
        blr     x19                     /* start(): never returns */
        brk     #0x3e8                  /* trap if it ever does */
        .cfi_endproc
        .size   glet_native_start, .-glet_native_start

#endif

        .section .note.GNU-stack, "", %progbits /* no executable stack */
