# privilegeTour: ring 0 -> 3 -> 1 -> 0 through the TSS, lguest style. Far call through a far
# pointer in memory, PUSH/POP of segment registers, LTR and the busy-bit trick, IRET to outer
# rings with data segments nulled, interrupt and trap gates from rings 0, 1 and 3 (a DPL 3 trap
# gate to ring 1 as lguest's direct traps, a DPL 1 gate as LGUEST_TRAP_ENTRY), POPF/IRET IF and
# IOPL rules at CPL 1, port I/O at CPL 1 (#GP(0): no I/O bitmap), a call gate with parameters
# from ring 3, a far call to conforming code, RET far imm16 to ring 3, and SYSENTER/SYSEXIT. Exits with 0x11 when done.

main:
    lidt idt_descriptor_full
    mov $0x80, %ecx                      # trap gate DPL 3 -> ring 1 (a direct trap)
    mov $ring1_trap, %eax
    mov $0xef00, %edx
    mov $R1CODE, %bx
    call set_gate_sel
    mov $0x81, %ecx                      # interrupt gate DPL 3 -> ring 0
    mov $ring0_from3, %eax
    mov $0xee00, %edx
    call set_gate
    mov $0x1f, %ecx                      # interrupt gate DPL 1 -> ring 0 (LGUEST_TRAP_ENTRY)
    mov $ring0_from1, %eax
    mov $0xae00, %edx
    call set_gate
    mov $0x83, %ecx                      # trap gate DPL 0, same privilege
    mov $ring0_trap, %eax
    mov $0x8f00, %edx
    call set_gate
    mov $0x84, %ecx                      # interrupt gate DPL 3 -> ring 0: the end of the tour
    mov $finish, %eax
    mov $0xee00, %edx
    call set_gate
    mov $callgate_target, %eax           # call gate offset
    mov %ax, gdt_callgate
    shr $16, %eax
    mov %ax, gdt_callgate+6

    # lcall through a far pointer: same privilege, pushes CS then EIP.
    mov %esp, %esi
    lcall *far_pointer
    cmp %esi, %esp
    jne fail

    # PUSH/POP of segment registers: 32-bit slots.
    movl $0xdeadbeef, -4(%esp)
    pushl %ds
    movl (%esp), %eax
    popl %es
    pushw %fs
    movzwl (%esp), %ebx
    popw %gs

    # LTR and busy bits: TSS0 is busy since the prelude's ltr. Clear it by hand and load it again.
    str %eax
    movzbl gdt+TSS0_SEL+5, %ebx
    andb $0xfd, gdt+TSS0_SEL+5
    movzbl gdt+TSS0_SEL+5, %ecx
    mov $TSS0_SEL, %ax
    ltr %ax
    movzbl gdt+TSS0_SEL+5, %edx

    # A trap gate at the same privilege: IF unchanged, no stack switch.
    int $0x83

    # IRET to ring 3: DS/ES (DPL 0) are nulled, FS (DPL 3) stays.
    mov $UDATA, %ax
    mov %ax, %fs
    pushl $UDATA
    pushl $STACK3_TOP
    pushl $0x2
    pushl $UCODE
    pushl $ring3_code
    iret

far_target:
    mov %esp, %eax
    movl (%esp), %ebx
    movl 4(%esp), %ecx
    lret

ring0_trap:
    mov %esp, %eax
    pushf
    popl %ebx
    iret

ring3_code:
    mov %ds, %eax
    mov %es, %ebx
    mov %fs, %ecx
    mov $UDATA, %ax
    mov %ax, %ds
    mov %ax, %es
    int $0x80                            # -> ring 1 through TSS ss1/esp1
    mov %esp, %eax
    # A far call to conforming DPL 0 code keeps CPL 3 (CS.RPL = 3) and the ring 3 stack.
    lcall $CONFORMING_SEL, $conforming_target
    # A call gate to ring 0 with two parameters; RET 8 back to ring 3.
    pushl $0x2222
    pushl $0x1111
    lcall $CALLGATE_SEL | 3, $0
    mov %esp, %eax
    int $0x81                            # -> ring 0 through TSS ss0/esp0

ring1_trap:
    mov %esp, %eax
    movl 12(%esp), %ebx                  # the ring 3 ESP
    movl 16(%esp), %ecx                  # the ring 3 SS
    mov %ss, %edx
    iret                                 # ring 1 -> ring 3

conforming_target:
    mov %cs, %eax
    mov %esp, %ebx
    lret

callgate_target:
    mov %esp, %eax
    movl 8(%esp), %ebx                   # first parameter, copied
    movl 12(%esp), %ecx
    movl 16(%esp), %edx                  # the ring 3 ESP
    lret $8

ring0_from3:
    mov %esp, %eax
    movl 4(%esp), %ebx
    movl 16(%esp), %ecx
    # IRET to ring 1 with DS holding a DPL 0 segment: it is nulled.
    mov $KDATA, %ax
    mov %ax, %ds
    pushl $R1DATA
    pushl $STACK1_TOP
    pushl $0x2
    pushl $R1CODE
    pushl $ring1_code
    iret

ring1_code:
    mov %ds, %eax
    mov $R1DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    # POPF at CPL 1 with IOPL 0: IF and IOPL do not change, the rest does.
    pushl $0x32d7
    popf
    pushf
    popl %ebx
    pushl $0x2
    popf
    # Port I/O at CPL 1 with IOPL 0 and no I/O bitmap: #GP(0), resumed after it.
    movl $1f, resume_eip
    out %al, $0x80
1:  mov last_vector, %ecx
    mov last_error, %edx
    mov last_cs, %esi
    # LGUEST_TRAP_ENTRY: int $0x1f through the DPL 1 gate.
    int $0x1f

ring0_from1:
    mov %esp, %eax
    movl 4(%esp), %ebx
    movl 12(%esp), %ecx
    movl 16(%esp), %edx
    mov $KDATA, %ax
    mov %ax, %ds
    mov %ax, %es
    # SYSENTER/SYSEXIT: to ring 3 and back.
    mov $0x174, %ecx
    mov $KCODE, %eax
    xor %edx, %edx
    wrmsr
    mov $0x175, %ecx
    mov $STACK0_TOP - 0x100, %eax
    wrmsr
    mov $0x176, %ecx
    mov $sysenter_target, %eax
    wrmsr
    mov $STACK3_TOP - 0x40, %ecx
    mov $sysexit_target, %edx
    sysexit

sysexit_target:
    mov %esp, %eax
    mov %cs, %ebx
    sysenter

sysenter_target:
    mov %esp, %eax
    mov %ss, %ebx
    mov $0x174, %ecx
    rdmsr
    # Back to ring 3 once more and end through a DPL 3 gate.
    pushl $UDATA
    pushl $STACK3_TOP
    pushl $0x2
    pushl $UCODE
    pushl $ring3_last
    iret

ring3_last:
    int $0x84

finish:
    mov %esp, %eax
    mov $0x11, %al
    jmp exit

    .data
far_pointer:
    .long far_target
    .word KCODE
idt_descriptor_full:
    .word 256 * 8 - 1
    .long IDT_BASE
    .text
