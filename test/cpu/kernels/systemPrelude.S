# systemPrelude: shared start of the system-level differential kernels (test/cpu/qemuSystem*.test.ts).
# The test prepends it to each kernel body. It provides a multiboot header (a.out kludge), a GDT
# with rings 0, 1 and 3, three TSSs, a call gate, a task gate and an LDT, an IDT whose vectors
# 0-47 go to stubs that record the vector and error code and resume at `resume_eip`, and `exit`.
# Every GDT descriptor is created with its accessed bit set, so that no segment load writes the
# GDT (QEMU does not set the accessed bit on every kind of load; hardware does).
# The kernel body provides `main` and may use everything below. Written for GNU as --32.

    .set KCODE, 0x08
    .set KDATA, 0x10
    .set UCODE, 0x1b
    .set UDATA, 0x23
    .set R1CODE, 0x29
    .set R1DATA, 0x31
    .set TSS0_SEL, 0x38
    .set TSS1_SEL, 0x40
    .set TSS2_SEL, 0x48
    .set CALLGATE_SEL, 0x50
    .set TASKGATE_SEL, 0x58
    .set NOTPRESENT_SEL, 0x60
    .set LDT_SEL, 0x68
    .set CONFORMING_SEL, 0x78
    .set R1CODE16_SEL, 0x80
    .set CODE_NOTREADABLE_SEL, 0x88

    .set TSS0, 0x180000
    .set TSS1, 0x181000
    .set TSS2, 0x182000
    .set LDT_BASE, 0x183000
    .set IDT_BASE, 0x184000
    .set STACK0_TOP, 0x190000
    .set STACK1_TOP, 0x1a0000
    .set STACK3_TOP, 0x1b0000
    .set STACKB_TOP, 0x1c0000
    .set STACKDF_TOP, 0x1d0000

    .macro SEGDESC base, limit, access, flags
    .word (\limit) & 0xffff
    .word (\base) & 0xffff
    .byte ((\base) >> 16) & 0xff
    .byte \access
    .byte (((\limit) >> 16) & 0x0f) | ((\flags) << 4)
    .byte ((\base) >> 24) & 0xff
    .endm

    .include "multibootHeader.inc"
    .weak task_b, df_task               # kernels without tasks leave them at 0

entry:
    mov $STACK0_TOP, %esp
    lgdt gdt_descriptor
    ljmp $KCODE, $1f
1:  mov $KDATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    call build_idt
    lidt idt_descriptor
    call build_tss
    mov $TSS0_SEL, %ax
    ltr %ax
    jmp main

# The TSSs: TSS0 is the main task (ring stacks 0 and 1, no I/O bitmap as in lguest's guest TSS);
# TSS1 a second task starting at task_b; TSS2 the double-fault task starting at df_task.
build_tss:
    movl $STACK0_TOP, TSS0+4
    movl $KDATA, TSS0+8
    movl $STACK1_TOP, TSS0+12
    movl $R1DATA, TSS0+16
    movw $104, TSS0+0x66
    movl $task_b, TSS1+0x20
    movl $0x2, TSS1+0x24
    movl $STACKB_TOP, TSS1+0x38
    movl $KCODE, TSS1+0x4c
    movl $KDATA, TSS1+0x48
    movl $KDATA, TSS1+0x50
    movl $KDATA, TSS1+0x54
    movl $KDATA, TSS1+0x58
    movl $KDATA, TSS1+0x5c
    movl $df_task, TSS2+0x20
    movl $0x2, TSS2+0x24
    movl $STACKDF_TOP, TSS2+0x38
    movl $KCODE, TSS2+0x4c
    movl $KDATA, TSS2+0x48
    movl $KDATA, TSS2+0x50
    movl $KDATA, TSS2+0x54
    ret

build_idt:                       # vectors 0-47 -> stubs (interrupt gates, DPL 0)
    xor %ecx, %ecx
2:  mov stub_table(,%ecx,4), %eax
    mov $0x8e00, %edx
    call set_gate
    inc %ecx
    cmp $48, %ecx
    jb 2b
    ret

# set_gate: ecx = vector, eax = handler offset, edx = gate attribute word (0x8e00 interrupt gate
# DPL 0, 0xee00 DPL 3, 0x8f00 trap gate ...), selector KCODE unless set_gate_sel is used (bx).
set_gate:
    mov $KCODE, %bx
set_gate_sel:
    mov %ax, IDT_BASE(,%ecx,8)
    mov %bx, IDT_BASE+2(,%ecx,8)
    mov %dx, IDT_BASE+4(,%ecx,8)
    shr $16, %eax
    mov %ax, IDT_BASE+6(,%ecx,8)
    ret

# The common trap: the stub pushed the vector (and a zero when the CPU pushes no error code).
# It leaves the vector in last_vector, the error code in last_error, the EFLAGS image in
# last_eflags (without RF, the one bit where QEMU departs from the SDM), loads each into EAX so
# that the lockstep comparison sees them, then resumes at resume_eip in the interrupted ring with
# TF clear.
common_trap:
    movl %eax, %ss:saved_eax
    movl (%esp), %eax
    movl %eax, %ss:last_vector
    movl 4(%esp), %eax
    movl %eax, %ss:last_error
    andl $0xfffeffff, %ss:16(%esp)       # RF: real CPUs set it in fault images, QEMU does not
    movl 16(%esp), %eax
    movl %eax, %ss:last_eflags
    movl 12(%esp), %eax
    movl %eax, %ss:last_cs
    movl %ss:resume_eip, %eax
    movl %eax, 8(%esp)
    andl $0xfffffeff, 16(%esp)           # TF off in the image (single-step tests)
    incl %ss:trap_count
    movl %ss:saved_eax, %eax
    addl $8, %esp
    iret

    .irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
stub_\v:
    pushl $0
    pushl $\v
    jmp common_trap
    .endr
    .irp v, 8,10,11,12,13,14,17
stub_\v:
    pushl $\v
    jmp common_trap
    .endr

# exit: al = value for isa-debug-exit (QEMU exits with status (al << 1) | 1).
exit:
    out %al, $0xf4
3:  hlt
    jmp 3b

# fail: reached when a check in a kernel body finds a wrong value.
fail:
    mov $0x7f, %al
    jmp exit

    .data
    .p2align 3
gdt:
    .quad 0
    SEGDESC 0, 0xfffff, 0x9b, 0xc          # 0x08 ring 0 code
    SEGDESC 0, 0xfffff, 0x93, 0xc          # 0x10 ring 0 data
    SEGDESC 0, 0xfffff, 0xfb, 0xc          # 0x18 ring 3 code
    SEGDESC 0, 0xfffff, 0xf3, 0xc          # 0x20 ring 3 data
    SEGDESC 0, 0xfffff, 0xbb, 0xc          # 0x28 ring 1 code
    SEGDESC 0, 0xfffff, 0xb3, 0xc          # 0x30 ring 1 data
    SEGDESC TSS0, 0x67, 0x89, 0x0          # 0x38 TSS0 (available)
    SEGDESC TSS1, 0x67, 0x89, 0x0          # 0x40 TSS1
    SEGDESC TSS2, 0x67, 0x89, 0x0          # 0x48 TSS2 (double-fault task)
gdt_callgate:
    .word 0, KCODE, 0xec02, 0              # 0x50 call gate DPL 3, 2 parameters (offset set by code)
    .word 0, TSS1_SEL, 0x8500, 0           # 0x58 task gate DPL 0 -> TSS1
    SEGDESC 0, 0xfffff, 0x13, 0xc          # 0x60 ring 0 data, not present
    SEGDESC LDT_BASE, 0x17, 0x82, 0x0      # 0x68 LDT (3 entries)
    SEGDESC 0, 0xfffff, 0x93, 0xc          # 0x70 ring 0 data (spare)
    SEGDESC 0, 0xfffff, 0x9f, 0xc          # 0x78 conforming code, DPL 0
    SEGDESC 0, 0xfffff, 0xbb, 0x4          # 0x80 ring 1 code, byte granular (limit 1 MiB)
    SEGDESC 0, 0xfffff, 0x99, 0xc          # 0x88 ring 0 code, execute-only
gdt_end:
gdt_descriptor:
    .word gdt_end - gdt - 1
    .long gdt
idt_descriptor:
    .word 48 * 8 - 1
    .long IDT_BASE
stub_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long stub_\v
    .endr
saved_eax: .long 0
last_vector: .long 0
last_error: .long 0
last_eflags: .long 0
last_cs: .long 0
resume_eip: .long 0
trap_count: .long 0
    .text
