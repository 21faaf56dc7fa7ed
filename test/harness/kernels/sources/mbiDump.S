# mbiDump: a multiboot kernel that prints what the loader gave it over COM1 and exits through
# isa-debug-exit. Line formats: "E eax ebx esp" once, then "R addr len hexbytes" per region
# (the MBI, the command line, the module list, each module's string and first bytes, the memory
# map, the boot loader name, and the page at 0x9000), then "D". Written for the MBI differential
# test (Multiboot 0.6.96 §3.3). Assemble with --defsym AOUT=1 for the a.out kludge header.
    .code32
    .text
    .globl _start, entry
_start:
mb_header:
    .long 0x1BADB002
.ifdef AOUT
    .long 0x00010003
    .long -(0x1BADB002 + 0x00010003)
    .long mb_header
    .long _start
    .long _edata
    .long _end
    .long entry
.else
    .long 0x00000003
    .long -(0x1BADB002 + 0x00000003)
.endif
entry:
    mov %eax, saved_eax
    mov %ebx, saved_ebx
    mov %esp, saved_esp
    mov $stack_top, %esp
    mov $'E', %al
    call putc
    mov saved_eax, %eax
    call puthex
    mov saved_ebx, %eax
    call puthex
    mov saved_esp, %eax
    call puthex
    call newline
    mov saved_ebx, %ebx
    mov %ebx, %esi
    mov $0x58, %ecx
    call dump
    testl $4, (%ebx)            # cmdline
    jz 1f
    mov 16(%ebx), %esi
    call dumpstring
1:  testl $8, (%ebx)            # modules
    jz 3f
    mov 24(%ebx), %esi
    mov 20(%ebx), %ecx
    shl $4, %ecx
    jz 3f
    call dump
    mov 24(%ebx), %edi
    mov 20(%ebx), %ebp
2:  mov 8(%edi), %esi
    call dumpstring
    mov (%edi), %esi
    mov 4(%edi), %ecx
    sub %esi, %ecx
    cmp $64, %ecx
    jbe 4f
    mov $64, %ecx
4:  test %ecx, %ecx
    jz 5f
    call dump
5:  add $16, %edi
    dec %ebp
    jnz 2b
3:  testl $0x40, (%ebx)         # memory map
    jz 6f
    mov 48(%ebx), %esi
    mov 44(%ebx), %ecx
    call dump
6:  testl $0x200, (%ebx)        # boot loader name
    jz 7f
    mov 64(%ebx), %esi
    call dumpstring
7:  mov $0x9000, %esi
    mov $0x1000, %ecx
    call dump
    mov $'D', %al
    call putc
    call newline
    mov $0x10, %al
    out %al, $0xf4
    cli
    hlt

# dumpstring(esi): dumps the NUL-terminated string at esi including its NUL.
dumpstring:
    mov %esi, %edx
    xor %ecx, %ecx
8:  inc %ecx
    cmpb $0, (%edx)
    lea 1(%edx), %edx
    jne 8b
# dump(esi=addr, ecx=len): prints "R addr len hex\n"; preserves ebx, edi, ebp.
dump:
    mov $'R', %al
    call putc
    mov %esi, %eax
    call puthex
    mov %ecx, %eax
    call puthex
9:  lodsb
    call puthex8
    loop 9b
newline:
    mov $'\n', %al
    jmp putc
puthex:                          # eax as 8 digits and a space; preserves ecx
    push %ecx
    mov $8, %ecx
10: rol $4, %eax
    push %eax
    and $15, %eax
    mov hexdigits(%eax), %al
    call putc
    pop %eax
    loop 10b
    pop %ecx
    mov $' ', %al
    jmp putc
puthex8:                         # al as 2 digits
    push %eax
    shr $4, %al
    and $15, %eax
    mov hexdigits(%eax), %al
    call putc
    pop %eax
    and $15, %eax
    mov hexdigits(%eax), %al
putc:                            # al to COM1 once the transmitter holding register is empty
    push %edx
    push %eax
    mov $0x3fd, %dx
11: in %dx, %al
    test $0x20, %al
    jz 11b
    pop %eax
    mov $0x3f8, %dx
    out %al, %dx
    pop %edx
    ret
hexdigits:
    .ascii "0123456789abcdef"
    .data
saved_eax: .long 0
saved_ebx: .long 0
saved_esp: .long 0
_edata:
    .bss
    .space 1024
stack_top:
_end:
