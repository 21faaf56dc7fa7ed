# exceptions: one of each exception class, with its error code, through the prelude's common trap
# (which loads vector, error code, EFLAGS image and CS into EAX so that the lockstep compares
# them): #DE #DB(single-step, DR6) #BP #OF #BR #UD #NM #TS #NP #SS #GP (several causes, from
# rings 0 and 3) #DF (a contributory fault while delivering one). Page faults, NMI and the timer have their
# own kernels. Exits with 0x11.

main:
    lidt idt_descriptor_full
    mov $0x90, %ecx                      # a DPL 0 gate: INT from ring 3 is #GP((0x90<<3)|2)
    mov $stub_32, %eax
    mov $0x8e00, %edx
    call set_gate
    mov $0x91, %ecx                      # a DPL 3 gate back to ring 0
    mov $ring0_again, %eax
    mov $0xee00, %edx
    call set_gate

    # #DE
    movl $1f, resume_eip
    xor %ecx, %ecx
    mov $5, %eax
    xor %edx, %edx
    div %ecx
1:  mov last_vector, %eax

    # #DB: single-step trap after the instruction following POPF; DR6.BS
    xor %eax, %eax
    mov %eax, %dr6
    movl $1f, resume_eip
    pushf
    orl $0x100, (%esp)
    popf
    nop
1:  mov %dr6, %eax
    mov last_eflags, %ebx

    # #BP and #OF (traps: the return EIP is after the instruction)
    movl $1f, resume_eip
    int3
1:  movl $1f, resume_eip
    mov $0x7fffffff, %eax
    add $1, %eax
    into
1:  mov last_vector, %eax

    # #BR
    movl $1f, resume_eip
    mov $10, %eax
    bound %eax, bounds
1:  mov last_vector, %eax

    # #UD
    movl $1f, resume_eip
    ud2
1:  mov last_vector, %eax

    # #NM: WAIT with CR0.MP and CR0.TS
    mov %cr0, %eax
    or $0xa, %eax
    mov %eax, %cr0
    movl $1f, resume_eip
    fwait
1:  clts
    mov %cr0, %eax
    and $~2, %eax
    mov %eax, %cr0

    # #TS: IRET with NT and a back link to a TSS that is not busy
    movw $TSS1_SEL, TSS0
    movl $1f, resume_eip
    pushf
    orl $0x4000, (%esp)
    popf
    iret
1:  pushl $2
    popf
    mov last_error, %eax

    # #NP and #SS with the selector as error code
    movl $1f, resume_eip
    mov $NOTPRESENT_SEL, %ax
    mov %ax, %ds
1:  mov last_error, %eax
    movl $1f, resume_eip
    mov $NOTPRESENT_SEL, %ax
    mov %ax, %ss
1:  mov last_error, %eax

    # #GP: a TSS into DS, a DPL 3 SS at CPL 0, a null SS, LTR of a busy TSS, beyond the GDT limit
    movl $1f, resume_eip
    mov $TSS0_SEL, %ax
    mov %ax, %ds
1:  mov last_error, %eax
    movl $1f, resume_eip
    mov $UDATA, %ax
    mov %ax, %ss
1:  mov last_error, %eax
    movl $1f, resume_eip
    xor %eax, %eax
    mov %ax, %ss
1:  mov last_error, %eax
    movl $1f, resume_eip
    mov $TSS0_SEL, %ax
    ltr %ax
1:  mov last_error, %eax
    movl $1f, resume_eip
    mov $0x1f8, %ax
    mov %ax, %es
1:  mov last_error, %eax
    movl $1f, resume_eip
    mov $CODE_NOTREADABLE_SEL, %ax
    mov %ax, %fs
1:  mov last_error, %eax
    xor %eax, %eax
    lldt %ax                             # LDTR null: unusable
    movl $1f, resume_eip
    mov $0xc, %ax                        # an LDT selector
    mov %ax, %gs
1:  mov last_error, %eax

    # From ring 3: INT through a DPL 0 gate, HLT, CLI, MOV to CR0, and a DPL 0 data segment.
    pushl $UDATA
    pushl $STACK3_TOP
    pushl $0x2
    pushl $UCODE
    pushl $ring3
    iret
ring3:
    movl $1f, %ss:resume_eip
    int $0x90
1:  mov %ss:last_error, %eax
    movl $1f, %ss:resume_eip
    hlt
1:  mov %ss:last_error, %eax
    movl $1f, %ss:resume_eip
    cli
1:  mov %ss:last_error, %eax
    movl $1f, %ss:resume_eip
    mov %eax, %cr0
1:  mov %ss:last_cs, %eax
    movl $1f, %ss:resume_eip
    mov $KDATA, %ax
    mov %ax, %ds
1:  mov %ss:last_error, %eax
    movl $1f, %ss:resume_eip
    pushl $0
    popl %ss
1:  mov %ss:last_error, %eax
    int $0x91

back_in_ring0:
    mov $KDATA, %ax
    mov %ax, %ds
    mov %ax, %es
    # #DF: the #NP gate is itself not present, so delivering #NP raises #NP: a double fault.
    andb $0x7f, IDT_BASE + 11*8 + 5
    movl $1f, resume_eip
    mov $NOTPRESENT_SEL, %ax
    mov %ax, %ds
1:  orb $0x80, IDT_BASE + 11*8 + 5
    mov last_vector, %eax
    mov last_error, %ebx
    mov $KDATA, %ax
    mov %ax, %ds

    mov trap_count, %ebx
    mov $0x11, %al
    jmp exit

# 0x91: the DPL 3 interrupt gate back to ring 0.
ring0_again:
    mov $KDATA, %ax
    mov %ax, %ds
    jmp back_in_ring0

    .data
bounds:
    .long 0, 5
idt_descriptor_full:
    .word 256 * 8 - 1
    .long IDT_BASE
    .text
