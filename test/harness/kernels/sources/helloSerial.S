# helloSerial: the smallest useful multiboot kernel. Prints a greeting on COM1 (polling the line
# status register for an empty transmitter) and exits through isa-debug-exit with value 0x10, so
# QEMU and `lguest-debug boot` both end with status 33. Multiboot header with the a.out kludge
# (Multiboot 0.6.96 §3.1.3); link at 0x100000 and use the flat binary or the ELF.
    .include "multibootHeader.inc"
entry:
    mov $stack_top, %esp
    mov $message, %esi
1:  lodsb
    test %al, %al
    jz 2f
    call putc
    jmp 1b
2:  mov $0x10, %al
    out %al, $0xf4
    cli
3:  hlt
    jmp 3b

putc:                            # al to COM1 once THR is empty
    push %edx
    push %eax
    mov $0x3fd, %dx
4:  in %dx, %al
    test $0x20, %al
    jz 4b
    pop %eax
    mov $0x3f8, %dx
    out %al, %dx
    pop %edx
    ret

    .data
message:
    .asciz "Hello from a multiboot kernel\n"
_edata:
    .bss
    .space 1024
stack_top:
_end:
