# timerInterrupt: proves the PIT -> 8259 -> CPU path. Loads its own GDT and IDT, remaps the 8259
# pair to vectors 0x20-0x2F (ICW1-ICW4), unmasks only IRQ0, programs PIT channel 0 for mode 2 at
# about 1 kHz, then waits with STI; HLT until five timer interrupts arrived. The IRQ0 handler
# counts and sends a non-specific EOI. Prints "tick" per interrupt and "done\n" on COM1, then
# exits through isa-debug-exit with value 0x11 (status 35). Any other vector prints "X<vector>"
# and exits with value 0x7f (status 255).
    .include "multibootHeader.inc"
entry:
    mov $stack_top, %esp
    lgdt gdt_descriptor
    ljmp $0x08, $1f
1:  mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    call build_idt
    lidt idt_descriptor
    call remap_pic
    mov $0x34, %al               # channel 0, lo/hi, mode 2, binary
    out %al, $0x43
    mov $1193, %ax               # ~1 kHz
    out %al, $0x40
    mov %ah, %al
    out %al, $0x40
    sti
2:  hlt
    cmpl $5, ticks
    jb 2b
    cli
    mov $done_message, %esi
    call puts
    mov $0x11, %al
    out %al, $0xf4
3:  hlt
    jmp 3b

remap_pic:
    mov $0x11, %al               # ICW1: edge, cascade, ICW4 follows
    out %al, $0x20
    out %al, $0xa0
    mov $0x20, %al               # ICW2: vector bases
    out %al, $0x21
    mov $0x28, %al
    out %al, $0xa1
    mov $0x04, %al               # ICW3: slave on IRQ2
    out %al, $0x21
    mov $0x02, %al
    out %al, $0xa1
    mov $0x01, %al               # ICW4: 8086 mode
    out %al, $0x21
    out %al, $0xa1
    mov $0xfe, %al               # OCW1: only IRQ0
    out %al, $0x21
    mov $0xff, %al
    out %al, $0xa1
    ret

build_idt:                       # every vector -> unexpected, vector 0x20 -> irq0
    xor %ecx, %ecx
4:  mov stub_table(,%ecx,4), %eax
    call set_gate
    inc %ecx
    cmp $48, %ecx
    jb 4b
    mov $irq0_handler, %eax
    mov $0x20, %ecx
set_gate:                        # ecx = vector, eax = handler: 32-bit interrupt gate, DPL 0
    mov %ax, idt(,%ecx,8)
    movw $0x08, idt+2(,%ecx,8)
    movw $0x8e00, idt+4(,%ecx,8)
    shr $16, %eax
    mov %ax, idt+6(,%ecx,8)
    ret

irq0_handler:
    push %eax
    push %esi
    incl ticks
    mov $tick_message, %esi
    call puts
    mov $0x20, %al               # non-specific EOI
    out %al, $0x20
    pop %esi
    pop %eax
    iret

unexpected:                      # the stub pushed its vector
    mov $'X', %al
    call putc
    pop %eax
    add $'0', %al
    call putc
    mov $0x7f, %al
    out %al, $0xf4
5:  hlt
    jmp 5b

    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
stub_\v:
    push $\v
    jmp unexpected
    .endr

puts:                            # NUL-terminated string at esi
    lodsb
    test %al, %al
    jz 6f
    call putc
    jmp puts
6:  ret

putc:
    push %edx
    push %eax
    mov $0x3fd, %dx
7:  in %dx, %al
    test $0x20, %al
    jz 7b
    pop %eax
    mov $0x3f8, %dx
    out %al, %dx
    pop %edx
    ret

    .data
    .p2align 3
gdt:
    .quad 0
    .quad 0x00cf9a000000ffff
    .quad 0x00cf92000000ffff
gdt_descriptor:
    .word gdt_descriptor - gdt - 1
    .long gdt
    .p2align 2
idt_descriptor:
    .word 48 * 8 - 1
    .long idt
stub_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long stub_\v
    .endr
ticks:
    .long 0
tick_message:
    .asciz "tick\n"
done_message:
    .asciz "done\n"
_edata:
    .bss
    .p2align 3
idt:
    .space 48 * 8
    .space 2048
stack_top:
_end:
