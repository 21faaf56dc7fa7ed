# paging: two-level paging with page faults of each cause and their error codes and CR2 (not
# present read/write, supervisor write to a read-only page with CR0.WP set and clear, user access
# to a supervisor page, user write to a read-only page, user access to a missing page), accessed
# and dirty bits, a 4 MiB page (CR4.PSE), INVLPG, and CR3 switches while executing from a page
# mapped in both directories. Exits with 0x11.

    .set PD_A, 0x1e0000
    .set PD_B, 0x1e1000
    .set PT_LOW, 0x1e2000                # 0-4 MiB identity, user, read/write
    .set PT_HIGH_A, 0x1e3000             # 4-8 MiB in directory A
    .set PT_HIGH_B, 0x1e4000             # 4-8 MiB in directory B
    .set TEST_PAGES, 0x300000            # three special pages in the low table
    .set FRAME_A, 0x1f0000
    .set FRAME_B, 0x1f1000

main:
    lidt idt_descriptor_full
    mov $0x91, %ecx
    mov $ring0_again, %eax
    mov $0xee00, %edx
    call set_gate
    # The low table: identity, present | RW | user.
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $12, %eax
    or $7, %eax
    mov %eax, PT_LOW(,%ecx,4)
    inc %ecx
    cmp $1024, %ecx
    jb 1b
    movl $0, PT_LOW + (TEST_PAGES >> 12) * 4                  # 0x300000: not present
    movl $(TEST_PAGES + 0x1000) | 5, PT_LOW + ((TEST_PAGES >> 12) + 1) * 4   # user, read-only
    movl $(TEST_PAGES + 0x2000) | 3, PT_LOW + ((TEST_PAGES >> 12) + 2) * 4   # supervisor, RW
    movl $FRAME_A | 7, PT_HIGH_A
    movl $FRAME_B | 7, PT_HIGH_B
    movl $PT_LOW | 7, PD_A
    movl $PT_HIGH_A | 7, PD_A + 4
    movl $0x800000 | 0x87, PD_A + 8                            # a 4 MiB page at 8 MiB
    movl $PT_LOW | 7, PD_B
    movl $PT_HIGH_B | 7, PD_B + 4
    movl $0xaaaa, FRAME_A
    movl $0xbbbb, FRAME_B
    movl $0x12345678, 0x800010

    mov %cr4, %eax
    or $0x10, %eax                       # PSE
    mov %eax, %cr4
    mov $PD_A, %eax
    mov %eax, %cr3
    mov %cr0, %eax
    or $0x80010000, %eax                 # PG | WP
    mov %eax, %cr0

    mov 0x400000, %eax                   # through directory A: 0xaaaa
    mov 0x800010, %ebx                   # the 4 MiB page
    mov PD_A + 8, %ecx                   # its accessed bit
    mov $PD_B, %edx
    mov %edx, %cr3                       # this code is mapped the same in both
    mov 0x400000, %eax                   # 0xbbbb
    movl $1, 0x400004
    mov PT_HIGH_B, %ebx                  # accessed and dirty
    mov $PD_A, %edx
    mov %edx, %cr3
    mov 0x400000, %eax

    # Supervisor faults.
    movl $1f, resume_eip
    mov TEST_PAGES, %eax                 # not present, read: error 0
1:  mov %cr2, %eax
    mov last_error, %ebx
    movl $1f, resume_eip
    movl $1, TEST_PAGES + 8              # not present, write: 2
1:  mov %cr2, %eax
    mov last_error, %ebx
    movl $1f, resume_eip
    movl $1, TEST_PAGES + 0x1010         # read-only with WP: 3
1:  mov %cr2, %eax
    mov last_error, %ebx
    mov %cr0, %eax                       # WP off: the supervisor may write
    and $~0x10000, %eax
    mov %eax, %cr0
    movl $0x5555, TEST_PAGES + 0x1010
    mov TEST_PAGES + 0x1010, %ecx
    or $0x10000, %eax
    mov %eax, %cr0
    # INVLPG after changing a mapping.
    movl $FRAME_B | 7, PT_HIGH_A
    invlpg 0x400000
    mov 0x400000, %eax

    # User faults, from ring 3.
    pushl $UDATA
    pushl $STACK3_TOP
    pushl $0x2
    pushl $UCODE
    pushl $ring3
    iret
ring3:
    movl $1f, %ss:resume_eip
    mov %ss:TEST_PAGES + 0x2000, %eax    # supervisor page, read: 5 (CR2 is compared in the state)
1:  mov %ss:last_error, %ebx
    movl $1f, %ss:resume_eip
    movl $2, %ss:TEST_PAGES + 0x1000     # read-only: 7
1:  mov %ss:last_error, %ebx
    movl $1f, %ss:resume_eip
    movl $2, %ss:TEST_PAGES              # missing: 6
1:  mov %ss:last_error, %ebx
    mov %ss:TEST_PAGES + 0x1000, %eax    # a user read-only page reads fine
    int $0x91

ring0_again:
    mov $KDATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %cr2, %eax
    mov $0x11, %al
    jmp exit

    .data
idt_descriptor_full:
    .word 256 * 8 - 1
    .long IDT_BASE
    .text
