# interrupts: a timer interrupt through the 8259 and the PIT (one-shot, taken in `sti; hlt`, so
# it arrives at a deterministic instruction), and NMIs sent to itself through the local APIC ICR,
# including a second NMI raised inside the NMI handler, which stays blocked until IRET. The loops
# that wait for an NMI sit in the section .outside, outside the traced range: QEMU takes a
# self-NMI a few instructions after the ICR write, this emulator right after it, and only the
# (untraced) loop position differs. Exits with 0x11.

    .set APIC_ICR_LOW, 0xfee00300
    .set ICR_SELF_NMI, 0x00044400

main:
    mov $0x20, %ecx                      # IRQ0 after the remap
    mov $irq0_handler, %eax
    mov $0x8e00, %edx
    call set_gate
    mov $2, %ecx                         # NMI: our own handler
    mov $nmi_handler, %eax
    mov $0x8e00, %edx
    call set_gate
    call remap_pic

    # Timer: PIT channel 0, mode 0 (interrupt on terminal count), one shot.
    mov $0x30, %al
    out %al, $0x43
    mov $200, %al
    out %al, $0x40
    xor %al, %al
    out %al, $0x40
    sti
    hlt
    cli
    mov ticks, %eax

    # NMI: wait for it outside the traced range; the handler resumes at after_nmi.
    movl $after_nmi, nmi_resume
    jmp nmi_wait
after_nmi:
    mov nmi_count, %eax
    # NMI while blocked: the handler sends another one; it arrives only after IRET.
    movl $1, nmi_again
    movl $after_second_nmi, nmi_resume
    jmp nmi_wait
after_second_nmi:
    mov nmi_count, %eax
    mov $0x11, %al
    jmp exit

remap_pic:
    mov $0x11, %al                       # ICW1
    out %al, $0x20
    out %al, $0xa0
    mov $0x20, %al                       # ICW2
    out %al, $0x21
    mov $0x28, %al
    out %al, $0xa1
    mov $0x04, %al                       # ICW3
    out %al, $0x21
    mov $0x02, %al
    out %al, $0xa1
    mov $0x01, %al                       # ICW4
    out %al, $0x21
    out %al, $0xa1
    mov $0xfe, %al                       # only IRQ0
    out %al, $0x21
    mov $0xff, %al
    out %al, $0xa1
    ret

irq0_handler:
    push %eax
    incl ticks
    mov $0xff, %al                       # mask IRQ0 again: exactly one interrupt
    out %al, $0x21
    mov $0x20, %al                       # EOI
    out %al, $0x20
    pop %eax
    iret

nmi_handler:
    push %eax
    incl nmi_count
    mov 4(%esp), %eax                    # where the NMI hit (outside the range: not compared)
    mov 12(%esp), %eax                   # EFLAGS image
    cmpl $0, nmi_again
    je 1f
    movl $0, nmi_again
    movl $ICR_SELF_NMI, APIC_ICR_LOW     # blocked until our IRET
    mov nmi_count, %eax
    movl $nmi_wait_loop, 4(%esp)         # return into the wait loop: the second NMI lands there
    pop %eax
    iret
1:  mov nmi_resume, %eax
    mov %eax, 4(%esp)
    pop %eax
    iret

    .data
ticks: .long 0
nmi_count: .long 0
nmi_again: .long 0
nmi_resume: .long 0

    .section .outside, "ax"
    .globl outside_start
outside_start:
nmi_wait:
    movl $ICR_SELF_NMI, APIC_ICR_LOW
nmi_wait_loop:
    nop
    jmp nmi_wait_loop
    .text
