/*
 * Context switch for RISC-V 64-bit, LP64D ABI (Linux; RV64GC: the F and D
 * extensions are required, as for every lp64d program).
 *
 * A suspended context is its stack pointer; the stack holds, from that
 * pointer upward (208 bytes, 16-byte aligned as the ABI requires):
 *
 *   offset  contents
 *   +0      ra (where swap returns)
 *   +8      s0 (frame pointer)
 *   +16     s1
 *   +24     s2 ... +96 s11
 *   +104    fs0 ... +192 fs11 (64 bits each)
 *   +200    frm (dynamic rounding mode, 3 bits in a 64-bit slot)
 *
 * Callee-saved per the ABI: s0-s11, sp and fs0-fs11. fcsr's rounding mode
 * (frm) is kept per context (R22); its accrued exception flags (fflags) are
 * status, which the ABI does not preserve, and are left alone. gp and tp are
 * the same in every context of a thread and are not touched. Everything else
 * is caller-saved, so the C caller has already spilled it.
 * There is no red zone: nothing below sp is ours to keep.
 */

#if defined(__riscv) && __riscv_xlen == 64 && defined(__riscv_float_abi_double)

#define FRAME_SIZE 208

        .text

/* void glet_native_swap(void **save_sp (a0), void *load_sp (a1)) */
        .globl  glet_native_swap
        .hidden glet_native_swap
        .type   glet_native_swap, @function
        .p2align 2
glet_native_swap:
        .cfi_startproc
        addi    sp, sp, -FRAME_SIZE     /* room for the saved state */
        .cfi_def_cfa_offset FRAME_SIZE
        sd      ra, 0(sp)               /* save the return address ... */
        .cfi_offset ra, -208
        sd      s0, 8(sp)               /* ... and callee-saved integer registers */
        .cfi_offset s0, -200
        sd      s1, 16(sp)              
        .cfi_offset s1, -192
        sd      s2, 24(sp)              
        .cfi_offset s2, -184
        sd      s3, 32(sp)              
        .cfi_offset s3, -176
        sd      s4, 40(sp)              
        .cfi_offset s4, -168
        sd      s5, 48(sp)              
        .cfi_offset s5, -160
        sd      s6, 56(sp)              
        .cfi_offset s6, -152
        sd      s7, 64(sp)              
        .cfi_offset s7, -144
        sd      s8, 72(sp)              
        .cfi_offset s8, -136
        sd      s9, 80(sp)              
        .cfi_offset s9, -128
        sd      s10, 88(sp)             
        .cfi_offset s10, -120
        sd      s11, 96(sp)             
        .cfi_offset s11, -112
        fsd     fs0, 104(sp)            /* save callee-saved FP registers (64 bits each) */
        .cfi_offset fs0, -104
        fsd     fs1, 112(sp)            
        .cfi_offset fs1, -96
        fsd     fs2, 120(sp)            
        .cfi_offset fs2, -88
        fsd     fs3, 128(sp)            
        .cfi_offset fs3, -80
        fsd     fs4, 136(sp)            
        .cfi_offset fs4, -72
        fsd     fs5, 144(sp)            
        .cfi_offset fs5, -64
        fsd     fs6, 152(sp)            
        .cfi_offset fs6, -56
        fsd     fs7, 160(sp)            
        .cfi_offset fs7, -48
        fsd     fs8, 168(sp)            
        .cfi_offset fs8, -40
        fsd     fs9, 176(sp)            
        .cfi_offset fs9, -32
        fsd     fs10, 184(sp)           
        .cfi_offset fs10, -24
        fsd     fs11, 192(sp)           
        .cfi_offset fs11, -16
        frrm    t0                      /* read the rounding mode */
        sd      t0, 200(sp)             /* and save it */

        sd      sp, 0(a0)               /* *save_sp = our stack pointer */
        mv      sp, a1                  /* switch to the other stack */

        ld      t0, 200(sp)             /* its rounding mode */
        fsrm    t0                      /* restore it */
        fld     fs0, 104(sp)            /* restore its callee-saved FP registers */
        fld     fs1, 112(sp)            
        fld     fs2, 120(sp)            
        fld     fs3, 128(sp)            
        fld     fs4, 136(sp)            
        fld     fs5, 144(sp)            
        fld     fs6, 152(sp)            
        fld     fs7, 160(sp)            
        fld     fs8, 168(sp)            
        fld     fs9, 176(sp)            
        fld     fs10, 184(sp)           
        fld     fs11, 192(sp)           
        ld      s0, 8(sp)               /* restore its callee-saved integer registers */
        ld      s1, 16(sp)              
        ld      s2, 24(sp)              
        ld      s3, 32(sp)              
        ld      s4, 40(sp)              
        ld      s5, 48(sp)              
        ld      s6, 56(sp)              
        ld      s7, 64(sp)              
        ld      s8, 72(sp)              
        ld      s9, 80(sp)              
        ld      s10, 88(sp)             
        ld      s11, 96(sp)             
        ld      ra, 0(sp)               /* its return address */
        addi    sp, sp, FRAME_SIZE      /* drop the frame */
        .cfi_def_cfa_offset 0
        .cfi_restore ra                 /* every register holds its caller's value again */
        .cfi_restore s0                 
        .cfi_restore s1                 
        .cfi_restore s2                 
        .cfi_restore s3                 
        .cfi_restore s4                 
        .cfi_restore s5                 
        .cfi_restore s6                 
        .cfi_restore s7                 
        .cfi_restore s8                 
        .cfi_restore s9                 
        .cfi_restore s10                
        .cfi_restore s11                
        .cfi_restore fs0                
        .cfi_restore fs1                
        .cfi_restore fs2                
        .cfi_restore fs3                
        .cfi_restore fs4                
        .cfi_restore fs5                
        .cfi_restore fs6                
        .cfi_restore fs7                
        .cfi_restore fs8                
        .cfi_restore fs9                
        .cfi_restore fs10               
        .cfi_restore fs11               
        ret                             /* resume where it called swap (or the start stub) */
        .cfi_endproc
        .size   glet_native_swap, .-glet_native_swap

/* void *glet_native_make(void *stack_top (a0), void (*start)(void) (a1)) */
        .globl  glet_native_make
        .hidden glet_native_make
        .type   glet_native_make, @function
        .p2align 2
glet_native_make:
        .cfi_startproc
        andi    a0, a0, -16             /* align the top of the new stack down to 16 */
        addi    a0, a0, -(FRAME_SIZE + 16) /* 16 bytes of slack + the frame */
        frrm    t0                      /* inherit our rounding mode (R22) */
        sd      t0, 200(a0)             /* frm slot */
        lla     t0, .Lstart_entry /* where swap's ret goes (pc-relative) */
        sd      t0, 0(a0)               /* ra slot */
        sd      zero, 8(a0)             /* s0 = 0: frame-pointer chains end here */
        sd      a1, 16(a0)              /* s1 = start, for the stub */
        sd      zero, 24(a0)            /* s2 */
        sd      zero, 32(a0)            /* s3 */
        sd      zero, 40(a0)            /* s4 */
        sd      zero, 48(a0)            /* s5 */
        sd      zero, 56(a0)            /* s6 */
        sd      zero, 64(a0)            /* s7 */
        sd      zero, 72(a0)            /* s8 */
        sd      zero, 80(a0)            /* s9 */
        sd      zero, 88(a0)            /* s10 */
        sd      zero, 96(a0)            /* s11 */
        sd      zero, 104(a0)           /* fs0 */
        sd      zero, 112(a0)           /* fs1 */
        sd      zero, 120(a0)           /* fs2 */
        sd      zero, 128(a0)           /* fs3 */
        sd      zero, 136(a0)           /* fs4 */
        sd      zero, 144(a0)           /* fs5 */
        sd      zero, 152(a0)           /* fs6 */
        sd      zero, 160(a0)           /* fs7 */
        sd      zero, 168(a0)           /* fs8 */
        sd      zero, 176(a0)           /* fs9 */
        sd      zero, 184(a0)           /* fs10 */
        sd      zero, 192(a0)           /* fs11 */
        sd      zero, FRAME_SIZE(a0)    /* a zero frame record above: a fake end of stack */
        sd      zero, FRAME_SIZE+8(a0)
        ret                             /* a0 = the new context's stack pointer */
        .cfi_endproc
        .size   glet_native_make, .-glet_native_make

/* First code of every new context, reached by swap's ret with sp = frame+208
 * (16-byte aligned), start in s1, s0 = 0. */
        .type   glet_native_start, @function
        .p2align 2
glet_native_start:
        .cfi_startproc
        .cfi_undefined ra               /* backtraces end here: no caller */
        nop                             /* debuggers look up (return address - 1): keep it in here */
.Lstart_entry:                          /* make's return address: the stub proper */
        mv      s0, zero                /* no frame-pointer parent either */
        jalr    s1                      /* start(): never returns */
        unimp                           /* trap if it ever does */
        .cfi_endproc
        .size   glet_native_start, .-glet_native_start

#endif

        .section .note.GNU-stack, "", @progbits /* no executable stack */
