# tasks: hardware task switches. JMP to a TSS (busy bits move, no back link), CALL through a task
# gate (back link, NT, both busy), IRET with NT (task return), a task with its own LDT, and a
# double fault delivered through a task gate in the IDT to a separate task (error code on its
# stack, back link to the faulting task), which then returns with IRET. Exits with 0x11.

main:
    # An LDT for task B: entry 1 (selector 0x0c) is flat ring 0 data.
    movl $0x0000ffff, LDT_BASE + 8
    movl $0x00cf9300, LDT_BASE + 12
    movl $LDT_SEL, TSS1 + 0x60
    # Vector 8 is a task gate to the double-fault task (TSS2).
    movl $(TSS2_SEL << 16), IDT_BASE + 8*8
    movl $0x00008500, IDT_BASE + 8*8 + 4

    mov $0xaaaa, %eax
    mov $0xbbbb, %ebx
    ljmp $TSS1_SEL, $0                   # JMP: TSS0 becomes available, TSS1 busy
after_jmp:
    str %ecx
    movzbl gdt + TSS0_SEL + 5, %edx
    movzbl gdt + TSS1_SEL + 5, %esi
    mov %cr0, %edi
    clts
    lcall $TASKGATE_SEL, $0              # CALL through a task gate: nested
after_call:
    str %ecx
    movzbl gdt + TSS1_SEL + 5, %esi
    movzwl TSS1, %edi                    # back link left in TSS1
    pushf
    popl %eax
    clts
    sldt %edx

    # A double fault through the IDT task gate: delivering #NP finds the #NP gate not present.
    andb $0x7f, IDT_BASE + 11*8 + 5
    mov $NOTPRESENT_SEL, %ax
    mov %ax, %ds
after_df:
    str %ecx
    movzbl gdt + TSS2_SEL + 5, %esi
    movzbl gdt + TSS0_SEL + 5, %edi
    clts
    mov $0x11, %al
    jmp exit

task_b:
    str %ecx
    sldt %edx
    mov $0x0c, %ax                       # a selector in task B's LDT
    mov %ax, %fs
    movzbl gdt + TSS0_SEL + 5, %esi
    movzbl gdt + TSS1_SEL + 5, %edi
    pushf
    popl %ebx
    ljmp $TSS0_SEL, $0                   # back by JMP (TSS0 was made available by our JMP)
    # Entered again through the task gate (CALL): NT is set, TSS0 is our back link.
    pushf
    popl %eax
    movzwl TSS1, %ebx
    movzbl gdt + TSS0_SEL + 5, %esi
    iret                                 # task return
    jmp task_b

df_task:
    popl %eax                            # the #DF error code (0), pushed on this task's stack
    movzwl TSS2, %ebx                    # back link: TSS0
    str %ecx
    pushf
    popl %edx
    orb $0x80, IDT_BASE + 11*8 + 5       # make the #NP gate present again
    movl $after_df, TSS0 + 0x20          # resume the faulting task after the faulting instruction
    iret
