/*
 * Shared pieces of the benchmark kernels (k1, k2, k3): a multiboot v1 header with the a.out
 * kludge (so the flat image loads the same way in lguest-debug, QEMU and v86), a flat GDT with
 * ring 0 and ring 3 segments and a TSS, an IDT, identity paging of the first 8 MiB, COM1 output,
 * the iteration count from the command line, and exit through isa-debug-exit.
 * The image is linked at KERNEL_BASE as one .text section; data and tables live in it too.
 */
#define KERNEL_BASE 0x00100000
#define CODE0 0x08
#define DATA0 0x10
#define CODE3 0x1b
#define DATA3 0x23
#define TSS_SELECTOR 0x28
#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define MULTIBOOT_MAGIC 0x1badb002
#define MULTIBOOT_FLAGS 0x00010003

	.text
	.globl kernel_entry
image_start:
	.p2align 2
multiboot_header:
	.long MULTIBOOT_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
	.long multiboot_header
	.long KERNEL_BASE
	.long image_end
	.long image_end
	.long kernel_entry

/* Entry from the loader: EAX = 0x2BADB002, EBX = multiboot information. */
kernel_entry:
	cli
	movl $boot_stack_top, %esp
	movl %ebx, multiboot_info
	call setup_descriptors
	call setup_paging
	call read_iterations
	jmp kernel_main

setup_descriptors:
	/* TSS descriptor: base = tss, limit = 0x67, present, DPL 0, available 32-bit TSS. */
	movl $tss, %eax
	movw %ax, gdt + TSS_SELECTOR + 2
	shrl $16, %eax
	movb %al, gdt + TSS_SELECTOR + 4
	movb %ah, gdt + TSS_SELECTOR + 7
	lgdt gdt_descriptor
	ljmp $CODE0, $1f
1:	movl $DATA0, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs
	movl %eax, %gs
	movl %eax, %ss
	movl $ring0_stack_top, tss + 4
	movl $DATA0, tss + 8
	movw $0x68, tss + 0x66
	movl $TSS_SELECTOR, %eax
	ltr %ax
	/* Every vector goes to unexpected_interrupt until a kernel installs its own. */
	xorl %ecx, %ecx
2:	movl $unexpected_interrupt, %eax
	movl $0x8e00, %edx
	call set_gate
	incl %ecx
	cmpl $256, %ecx
	jne 2b
	lidt idt_descriptor
	ret

/* set_gate: vector %ecx, handler %eax, type/DPL word %edx (0x8e00 ring-0 interrupt gate, 0xee00 ring-3). */
set_gate:
	pushl %ebx
	leal idt(,%ecx,8), %ebx
	movw %ax, (%ebx)
	movw $CODE0, 2(%ebx)
	movw %dx, 4(%ebx)
	shrl $16, %eax
	movw %ax, 6(%ebx)
	popl %ebx
	ret

/* Identity-map the first 8 MiB with 4 KiB pages, user-accessible and writable, then enable paging with WP. */
setup_paging:
	movl $page_tables, %edi
	movl $0x007, %eax
	movl $2048, %ecx
3:	movl %eax, (%edi)
	addl $4096, %eax
	addl $4, %edi
	decl %ecx
	jnz 3b
	movl $page_tables + 0x007, page_directory
	movl $page_tables + 0x1007, page_directory + 4
	movl $page_directory, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $0x80010000, %eax
	movl %eax, %cr0
	ret

/* The decimal number after the first '=' on the multiboot command line ("n=1000") goes to %edi
 * (default 1000). Loaders put the image name first, so a bare number is not enough. */
read_iterations:
	movl $1000, %edi
	movl multiboot_info, %ebx
	testl $4, (%ebx)
	jz 6f
	movl 16(%ebx), %esi
4:	movzbl (%esi), %eax
	incl %esi
	testl %eax, %eax
	jz 6f
	cmpl $'=', %eax
	jne 4b
	xorl %edi, %edi
7:	movzbl (%esi), %eax
	subl $'0', %eax
	cmpl $9, %eax
	ja 6f
	imull $10, %edi, %edi
	addl %eax, %edi
	incl %esi
	jmp 7b
6:	ret

/* print_string: NUL-terminated string at %esi to COM1. */
print_string:
	pushl %eax
	pushl %edx
	movw $COM1, %dx
8:	lodsb
	testb %al, %al
	jz 9f
	outb %al, %dx
	jmp 8b
9:	popl %edx
	popl %eax
	ret

/* print_hex: %eax as eight hex digits to COM1. */
print_hex:
	pushl %ecx
	pushl %edx
	pushl %ebx
	movl %eax, %ebx
	movl $8, %ecx
	movw $COM1, %dx
10:	roll $4, %ebx
	movl %ebx, %eax
	andl $15, %eax
	movb hex_digits(%eax), %al
	outb %al, %dx
	decl %ecx
	jnz 10b
	popl %ebx
	popl %edx
	popl %ecx
	ret

/* finish: print "<name> done <hex %eax>\n" then leave through isa-debug-exit with status (0 << 1) | 1. */
finish:
	pushl %eax
	movl $kernel_name, %esi
	call print_string
	movl $done_text, %esi
	call print_string
	popl %eax
	call print_hex
	movl $newline, %esi
	call print_string
	xorl %eax, %eax
	outb %al, $DEBUG_EXIT_PORT
11:	cli
	hlt
	jmp 11b

unexpected_interrupt:
	movl $unexpected_text, %esi
	call print_string
	movb $1, %al
	outb %al, $DEBUG_EXIT_PORT
	jmp 11b

hex_digits:	.ascii "0123456789abcdef"
done_text:	.asciz " done "
newline:	.asciz "\n"
unexpected_text: .asciz "unexpected interrupt\n"

	.p2align 3
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* CODE0 */
	.quad 0x00cf92000000ffff	/* DATA0 */
	.quad 0x00cffa000000ffff	/* CODE3 */
	.quad 0x00cff2000000ffff	/* DATA3 */
	.quad 0x0000890000000067	/* TSS, base patched at boot */
gdt_end:
	.p2align 2
	.word 0
gdt_descriptor:
	.word gdt_end - gdt - 1
	.long gdt
	.word 0
idt_descriptor:
	.word 256 * 8 - 1
	.long idt
multiboot_info:
	.long 0
	.p2align 2
tss:
	.fill 0x68, 1, 0
