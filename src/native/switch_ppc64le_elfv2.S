/*
 * Context switch for 64-bit little-endian POWER, ELFv2 ABI (Linux ppc64le;
 * POWER8 or later, as the ABI requires: VMX/VSX present).
 *
 * A suspended context is its stack pointer r1, which points at a normal ABI
 * stack frame (16-byte aligned, back chain at +0) of 544 bytes:
 *
 *   offset  contents
 *   +0      back chain: the caller's r1
 *   +8      the 24 bytes of CR/LR/TOC save slots every frame reserves
 *           for its own callees (unused: swap calls nobody)
 *   +32     r14 ... +168 r31
 *   +176    f14 ... +312 f31 (64 bits each)
 *   +320    v20 ... +496 v31 (128 bits each; the offsets are 16-aligned)
 *   +512    FPSCR: rounding mode, exception enables (and status bits)
 *   +520    r2 (TOC pointer)
 *   +528    CR (32 bits; fields cr2-cr4 are the callee-saved ones)
 *   +532    VRSAVE (32 bits)
 *   +536    padding
 *   +560    (= +16 of the caller's frame) LR: where swap returns, in the
 *           LR save slot that the ABI reserves for us in our caller's frame
 *
 * Callee-saved per the ABI: r1, r2 (TOC), r14-r31, f14-f31, v20-v31, cr2-cr4,
 * VRSAVE and the FPSCR control bits. Everything else is caller-saved, so the
 * C caller has already spilled it. f14-f31 are doubleword 0 of vs14-vs31; the
 * ABI leaves the rest of those VSX registers volatile.
 * TOC: every context of a thread runs code of the same module at a swap
 * (libgreenlet's glet_backend_switch), so r2 is the same value, but it is saved
 * anyway and made from the creator's r2. swap needs no TOC, so it has a single
 * entry point; make uses the TOC and has the usual ELFv2 global entry
 * (r2 from r12) followed by a local entry. The start stub calls start() the
 * ELFv2 way for an indirect call: target in r12 and ctr.
 * Red zone: the ABI's 288 bytes below r1 belong to the running function;
 * swap allocates a real frame (stdu) and never uses the area below r1.
 */

#if defined(__powerpc64__) && defined(_CALL_ELF) && _CALL_ELF == 2

#define FRAME_SIZE 544

        .abiversion 2
        .text

/* void glet_native_swap(void **save_sp (r3), void *load_sp (r4)) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, @function
        .p2align 4
glet_native_swap:
        .cfi_startproc
        mflr    %r0                     /* our return address */
        std     %r0, 16(%r1)            /* into the caller's LR save slot */
        .cfi_offset 65, 16
        stdu    %r1, -FRAME_SIZE(%r1)   /* allocate the frame, storing the back chain */
        .cfi_def_cfa_offset FRAME_SIZE
        std     %r14, 32(%r1)           /* save callee-saved integer registers */
        .cfi_offset %r14, -512
        std     %r15, 40(%r1)           
        .cfi_offset %r15, -504
        std     %r16, 48(%r1)           
        .cfi_offset %r16, -496
        std     %r17, 56(%r1)           
        .cfi_offset %r17, -488
        std     %r18, 64(%r1)           
        .cfi_offset %r18, -480
        std     %r19, 72(%r1)           
        .cfi_offset %r19, -472
        std     %r20, 80(%r1)           
        .cfi_offset %r20, -464
        std     %r21, 88(%r1)           
        .cfi_offset %r21, -456
        std     %r22, 96(%r1)           
        .cfi_offset %r22, -448
        std     %r23, 104(%r1)          
        .cfi_offset %r23, -440
        std     %r24, 112(%r1)          
        .cfi_offset %r24, -432
        std     %r25, 120(%r1)          
        .cfi_offset %r25, -424
        std     %r26, 128(%r1)          
        .cfi_offset %r26, -416
        std     %r27, 136(%r1)          
        .cfi_offset %r27, -408
        std     %r28, 144(%r1)          
        .cfi_offset %r28, -400
        std     %r29, 152(%r1)          
        .cfi_offset %r29, -392
        std     %r30, 160(%r1)          
        .cfi_offset %r30, -384
        std     %r31, 168(%r1)          
        .cfi_offset %r31, -376
        stfd    %f14, 176(%r1)          /* save callee-saved FP registers */
        .cfi_offset %f14, -368
        stfd    %f15, 184(%r1)          
        .cfi_offset %f15, -360
        stfd    %f16, 192(%r1)          
        .cfi_offset %f16, -352
        stfd    %f17, 200(%r1)          
        .cfi_offset %f17, -344
        stfd    %f18, 208(%r1)          
        .cfi_offset %f18, -336
        stfd    %f19, 216(%r1)          
        .cfi_offset %f19, -328
        stfd    %f20, 224(%r1)          
        .cfi_offset %f20, -320
        stfd    %f21, 232(%r1)          
        .cfi_offset %f21, -312
        stfd    %f22, 240(%r1)          
        .cfi_offset %f22, -304
        stfd    %f23, 248(%r1)          
        .cfi_offset %f23, -296
        stfd    %f24, 256(%r1)          
        .cfi_offset %f24, -288
        stfd    %f25, 264(%r1)          
        .cfi_offset %f25, -280
        stfd    %f26, 272(%r1)          
        .cfi_offset %f26, -272
        stfd    %f27, 280(%r1)          
        .cfi_offset %f27, -264
        stfd    %f28, 288(%r1)          
        .cfi_offset %f28, -256
        stfd    %f29, 296(%r1)          
        .cfi_offset %f29, -248
        stfd    %f30, 304(%r1)          
        .cfi_offset %f30, -240
        stfd    %f31, 312(%r1)          
        .cfi_offset %f31, -232
        li      %r0, 320                /* save callee-saved vector registers: offset ... */
        stvx    %v20, %r1, %r0          /* ... in r0, as stvx takes no displacement */
        .cfi_offset 97, -224
        li      %r0, 336                
        stvx    %v21, %r1, %r0          
        .cfi_offset 98, -208
        li      %r0, 352                
        stvx    %v22, %r1, %r0          
        .cfi_offset 99, -192
        li      %r0, 368                
        stvx    %v23, %r1, %r0          
        .cfi_offset 100, -176
        li      %r0, 384                
        stvx    %v24, %r1, %r0          
        .cfi_offset 101, -160
        li      %r0, 400                
        stvx    %v25, %r1, %r0          
        .cfi_offset 102, -144
        li      %r0, 416                
        stvx    %v26, %r1, %r0          
        .cfi_offset 103, -128
        li      %r0, 432                
        stvx    %v27, %r1, %r0          
        .cfi_offset 104, -112
        li      %r0, 448                
        stvx    %v28, %r1, %r0          
        .cfi_offset 105, -96
        li      %r0, 464                
        stvx    %v29, %r1, %r0          
        .cfi_offset 106, -80
        li      %r0, 480                
        stvx    %v30, %r1, %r0          
        .cfi_offset 107, -64
        li      %r0, 496                
        stvx    %v31, %r1, %r0          
        .cfi_offset 108, -48
        mffs    %f0                     /* read FPSCR (f0 is volatile) */
        stfd    %f0, 512(%r1)           /* and save it */
        std     %r2, 520(%r1)           /* save the TOC pointer */
        mfcr    %r0                     /* read CR */
        stw     %r0, 528(%r1)           /* and save it */
        mfvrsave %r0                    /* read VRSAVE */
        stw     %r0, 532(%r1)           /* and save it */

        std     %r1, 0(%r3)             /* *save_sp = our stack pointer */
        mr      %r1, %r4                /* switch to the other stack */

        lfd     %f0, 512(%r1)           /* its FPSCR */
        mtfsf   0xff, %f0               /* restore all eight FPSCR fields */
        ld      %r2, 520(%r1)           /* its TOC pointer */
        lwz     %r0, 528(%r1)           /* its CR */
        mtcrf   0x38, %r0               /* restore the callee-saved fields cr2, cr3, cr4 */
        lwz     %r0, 532(%r1)           /* its VRSAVE */
        mtvrsave %r0                    /* restore it */
        li      %r0, 320                /* restore its callee-saved vector registers */
        lvx     %v20, %r1, %r0
        li      %r0, 336                
        lvx     %v21, %r1, %r0
        li      %r0, 352                
        lvx     %v22, %r1, %r0
        li      %r0, 368                
        lvx     %v23, %r1, %r0
        li      %r0, 384                
        lvx     %v24, %r1, %r0
        li      %r0, 400                
        lvx     %v25, %r1, %r0
        li      %r0, 416                
        lvx     %v26, %r1, %r0
        li      %r0, 432                
        lvx     %v27, %r1, %r0
        li      %r0, 448                
        lvx     %v28, %r1, %r0
        li      %r0, 464                
        lvx     %v29, %r1, %r0
        li      %r0, 480                
        lvx     %v30, %r1, %r0
        li      %r0, 496                
        lvx     %v31, %r1, %r0
        lfd     %f14, 176(%r1)          /* restore its callee-saved FP registers */
        lfd     %f15, 184(%r1)          
        lfd     %f16, 192(%r1)          
        lfd     %f17, 200(%r1)          
        lfd     %f18, 208(%r1)          
        lfd     %f19, 216(%r1)          
        lfd     %f20, 224(%r1)          
        lfd     %f21, 232(%r1)          
        lfd     %f22, 240(%r1)          
        lfd     %f23, 248(%r1)          
        lfd     %f24, 256(%r1)          
        lfd     %f25, 264(%r1)          
        lfd     %f26, 272(%r1)          
        lfd     %f27, 280(%r1)          
        lfd     %f28, 288(%r1)          
        lfd     %f29, 296(%r1)          
        lfd     %f30, 304(%r1)          
        lfd     %f31, 312(%r1)          
        ld      %r14, 32(%r1)           /* restore its callee-saved integer registers */
        ld      %r15, 40(%r1)           
        ld      %r16, 48(%r1)           
        ld      %r17, 56(%r1)           
        ld      %r18, 64(%r1)           
        ld      %r19, 72(%r1)           
        ld      %r20, 80(%r1)           
        ld      %r21, 88(%r1)           
        ld      %r22, 96(%r1)           
        ld      %r23, 104(%r1)          
        ld      %r24, 112(%r1)          
        ld      %r25, 120(%r1)          
        ld      %r26, 128(%r1)          
        ld      %r27, 136(%r1)          
        ld      %r28, 144(%r1)          
        ld      %r29, 152(%r1)          
        ld      %r30, 160(%r1)          
        ld      %r31, 168(%r1)          
        ld      %r0, FRAME_SIZE+16(%r1) /* its return address, from its caller's LR slot */
        mtlr    %r0                     /* into LR */
        addi    %r1, %r1, FRAME_SIZE    /* drop the frame */
        .cfi_def_cfa_offset 0
        .cfi_restore %r14               /* every register holds its caller's value again */
        .cfi_restore %r15               
        .cfi_restore %r16               
        .cfi_restore %r17               
        .cfi_restore %r18               
        .cfi_restore %r19               
        .cfi_restore %r20               
        .cfi_restore %r21               
        .cfi_restore %r22               
        .cfi_restore %r23               
        .cfi_restore %r24               
        .cfi_restore %r25               
        .cfi_restore %r26               
        .cfi_restore %r27               
        .cfi_restore %r28               
        .cfi_restore %r29               
        .cfi_restore %r30               
        .cfi_restore %r31               
        .cfi_restore %f14               
        .cfi_restore %f15               
        .cfi_restore %f16               
        .cfi_restore %f17               
        .cfi_restore %f18               
        .cfi_restore %f19               
        .cfi_restore %f20               
        .cfi_restore %f21               
        .cfi_restore %f22               
        .cfi_restore %f23               
        .cfi_restore %f24               
        .cfi_restore %f25               
        .cfi_restore %f26               
        .cfi_restore %f27               
        .cfi_restore %f28               
        .cfi_restore %f29               
        .cfi_restore %f30               
        .cfi_restore %f31               
        .cfi_restore 97                 
        .cfi_restore 98                 
        .cfi_restore 99                 
        .cfi_restore 100                
        .cfi_restore 101                
        .cfi_restore 102                
        .cfi_restore 103                
        .cfi_restore 104                
        .cfi_restore 105                
        .cfi_restore 106                
        .cfi_restore 107                
        .cfi_restore 108                
        .cfi_restore 65                 
        blr                             /* resume where it called swap (or the start stub) */
        .cfi_endproc
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (r3), void (*start)(void) (r4)) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, @function
        .p2align 4
glet_native_make:
        .cfi_startproc
0:      addis   %r2, %r12, (.TOC.-0b)@ha /* global entry: r2 = TOC, from our address in r12 */
        addi    %r2, %r2, (.TOC.-0b)@l
        .localentry glet_native_make, .-glet_native_make /* local callers enter here, r2 set */
        clrrdi  %r3, %r3, 4             /* align the top of the new stack down to 16 */
        addi    %r5, %r3, -64           /* r5 = the stub's frame: 32-byte header + 32 of slack */
        addi    %r3, %r5, -FRAME_SIZE   /* r3 = swap's frame below it */
        li      %r0, 0                  /* zero both frames: (544 + 32) / 8 doublewords */
        li      %r6, (FRAME_SIZE + 32) / 8
        mtctr   %r6                     /* loop count */
        addi    %r6, %r3, -8            /* store-with-update pre-increments */
1:      stdu    %r0, 8(%r6)             /* one zero doubleword */
        bdnz    1b                      /* until ctr reaches 0 */
        std     %r5, 0(%r3)             /* back chain to the stub's frame, whose own is 0: the end */
        std     %r4, 32(%r3)            /* r14 = start, for the stub */
        mffs    %f0                     /* inherit our FPSCR (R22) */
        stfd    %f0, 512(%r3)           /* FPSCR slot */
        std     %r2, 520(%r3)           /* r2 = our TOC pointer */
        mfcr    %r0                     /* inherit our CR (only cr2-cr4 are loaded) */
        stw     %r0, 528(%r3)           /* CR slot */
        mfvrsave %r0                    /* inherit our VRSAVE */
        stw     %r0, 532(%r3)           /* VRSAVE slot */
        addis   %r6, %r2, .Lstart_entry@toc@ha /* r6 = the stub, TOC-relative */
        addi    %r6, %r6, .Lstart_entry@toc@l
        std     %r6, 16(%r5)            /* where swap's blr goes: LR slot of the frame above */
        blr                             /* r3 = the new context's stack pointer */
        .cfi_endproc
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's blr with r1 = the stub's
 * frame (16-byte aligned, back chain 0, room for start() to save LR/TOC),
 * start in r14. */
        .type   glet_native_start, @function
        .p2align 4
glet_native_start:
        .cfi_startproc
        .cfi_undefined 65               /* backtraces end here: LR has no caller */
        nop                             /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address: the stub proper */
        mr      %r12, %r14              /* ELFv2 indirect call: the target's address in r12 ... */
        mtctr   %r12                    /* ... and in ctr */
        bctrl                           /* start(): never returns; it sets up its TOC from r12 */
        trap                            /* trap if it ever does */
        .cfi_endproc
        .size   glet_native_start, .-glet_native_start

#endif

        .section .note.GNU-stack, "", @progbits /* no executable stack */
