/*
 * worldSwitch.S: a miniature world switch, written for lguest-debug as a companion to lguest's
 * Switcher. A "host" at ring 0 runs a "guest" at ring 1. Going in, the host saves its segment
 * registers and stack, loads the guest's GDT, IDT, task register and page directory, and irets into
 * the guest. Coming out, the guest traps (a hypercall through a ring-1 gate, or a general
 * protection fault), the CPU switches to the stack named in the guest's TSS (which is the guest's
 * register block), a stub pushes the trap number, and the switch code saves the guest's registers
 * and restores everything the host had. The host then looks at the trap and decides what to do.
 *
 * It is a multiboot kernel (a.out kludge, linked at 1 MiB) and runs unchanged in lguest-debug and
 * in qemu-system-i386 -kernel. Set breakpoints on enter_guest, guest_entry and leave_guest, and
 * step across the iret and the int $0x1f to watch CS, SS, TR and CR3 change.
 */
#define KERNEL_BASE	0x00100000
#define HOST_CODE	0x08		/* GDT entry 1 of the host GDT: ring 0 code */
#define HOST_DATA	0x10		/* entry 2: ring 0 data */
#define SWITCH_CODE	0x50		/* entry 10 in both GDTs: the switch code runs here */
#define SWITCH_DATA	0x58		/* entry 11 in both GDTs */
#define GUEST_CODE	0x61		/* entry 12 of the guest GDT, DPL 1, selected with RPL 1 */
#define GUEST_DATA	0x69		/* entry 13, DPL 1 */
#define TSS_SELECTOR	0x80		/* entry 16 in both GDTs, each naming its own TSS */
#define HYPERCALL_VECTOR 0x1f
#define COM1		0x3f8

/* Offsets in the guest register block, which is also the guest TSS's ring-0 stack. */
#define REG_EAX		0
#define REG_EDX		12
#define REG_TRAPNUM	44
#define REG_ERRCODE	48
#define REG_EIP		52
#define REG_CS		56
#define REG_EFLAGS	60
#define REG_ESP		64
#define REG_SS		68
#define REGS_SIZE	72

/* Hypercalls: the number in %eax, the argument in %edx. */
#define HCALL_DONE	0
#define HCALL_PRINT	1
#define HCALL_REPORT	2

	.text
	.globl kernel_entry
multiboot_header:
	.long 0x1badb002
	.long 0x00010003
	.long -(0x1badb002 + 0x00010003)
	.long multiboot_header
	.long KERNEL_BASE
	.long image_end
	.long image_end
	.long kernel_entry

kernel_entry:
	cli
	movl $host_stack_top, %esp
	call setup_host
	call setup_guest
	movl $text_entering, %esi
	call print_string

/* The host's run loop: enter the guest, then handle whatever brought us back. */
host_loop:
	incl switch_count
	call run_guest
	movl guest_regs + REG_TRAPNUM, %eax
	cmpl $HYPERCALL_VECTOR, %eax
	je handle_hypercall
	cmpl $13, %eax
	je handle_general_protection
	movl $text_unexpected, %esi
	call print_string
	call print_hex
	jmp power_off

handle_hypercall:
	movl guest_regs + REG_EAX, %eax
	cmpl $HCALL_PRINT, %eax
	je hypercall_print
	cmpl $HCALL_REPORT, %eax
	je hypercall_report
	cmpl $HCALL_DONE, %eax
	je hypercall_done
	movl $text_bad_hypercall, %esi
	call print_string
	jmp power_off

hypercall_print:
	movl $text_guest_says, %esi
	call print_string
	movl guest_regs + REG_EDX, %esi
	call print_string
	jmp host_loop

hypercall_report:
	movl $text_report, %esi
	call print_string
	movl guest_regs + REG_EDX, %eax
	call print_hex
	movl $text_newline, %esi
	call print_string
	jmp host_loop

/* The guest tried port I/O at ring 1: the host skips the one-byte out instruction, as a
 * hypervisor that emulates it would. */
handle_general_protection:
	movl $text_gp, %esi
	call print_string
	movl guest_regs + REG_EIP, %eax
	call print_hex
	movl $text_newline, %esi
	call print_string
	incl guest_regs + REG_EIP
	jmp host_loop

hypercall_done:
	movl $text_done, %esi
	call print_string
	movl switch_count, %eax
	call print_hex
	movl $text_newline, %esi
	call print_string
power_off:
	xorl %eax, %eax
	outb %al, $0xf4
1:	hlt
	jmp 1b

/* run_guest: a call that looks like an interrupt from the switch code's point of view. The far
 * call goes through a pointer in memory to the switch code segment; pushf completes the frame
 * that leave_guest's final iret pops. */
run_guest:
	pushf
	lcall *switch_entry
	ret

/* Runs at CS = SWITCH_CODE. */
enter_guest:
	pushl %es
	pushl %ds
	pushl %fs
	pushl %gs
	pushl %ebp
	movl %esp, host_saved_esp
	/* From here the stack is the guest register block: popping it loads the guest. */
	movl $guest_regs, %esp
	lgdt guest_gdt_descriptor
	lidt guest_idt_descriptor
	movl $TSS_SELECTOR, %edx
	ltr %dx
	/* The host TSS descriptor is still marked busy; clear it so the way back can ltr it. */
	andb $0xfd, host_gdt + TSS_SELECTOR + 5
	movl guest_page_directory_pointer, %eax
	movl %eax, %cr3
	popl %eax
	popl %ebx
	popl %ecx
	popl %edx
	popl %esi
	popl %edi
	popl %ebp
	popl %ds
	popl %es
	popl %fs
	popl %gs
	addl $8, %esp		/* trap number and error code */
	iret			/* to ring 1: EIP, CS, EFLAGS, ESP, SS */

/* Every guest trap arrives here on the guest TSS's ring-0 stack (the register block), with the
 * trap number and an error code (real or zero) pushed. */
leave_guest:
	pushl %gs
	pushl %fs
	pushl %es
	pushl %ds
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %edx
	pushl %ecx
	pushl %ebx
	pushl %eax
	movl $SWITCH_DATA, %eax
	movl %eax, %ds
	movl host_page_directory_pointer, %eax
	movl %eax, %cr3
	andb $0xfd, guest_gdt + TSS_SELECTOR + 5
	lgdt host_gdt_descriptor
	lidt host_idt_descriptor
	movl host_saved_esp, %esp
	movl $TSS_SELECTOR, %edx
	ltr %dx
	popl %ebp
	popl %gs
	popl %fs
	popl %ds
	popl %es
	iret			/* back to run_guest, at ring 0 */

hypercall_stub:
	pushl $0
	pushl $HYPERCALL_VECTOR
	jmp leave_guest

general_protection_stub:
	pushl $13
	jmp leave_guest

/* ---------------------------------------------------------------- the guest, at ring 1 */

guest_entry:
	movl $HCALL_PRINT, %eax
	movl $text_hello, %edx
	int $HYPERCALL_VECTOR
	/* Some work to report: the 25th Fibonacci number. */
	movl $0, %ebx
	movl $1, %ecx
	movl $24, %esi
2:	leal (%ebx,%ecx), %edi
	movl %ecx, %ebx
	movl %edi, %ecx
	decl %esi
	jnz 2b
	movl $HCALL_REPORT, %eax
	movl %ecx, %edx
	int $HYPERCALL_VECTOR
	/* Port I/O needs IOPL or an I/O bitmap; at ring 1 it is a general protection fault. */
	movb $'!', %al
	movw $COM1, %dx
	outb %al, %dx
	movl $HCALL_PRINT, %eax
	movl $text_after_io, %edx
	int $HYPERCALL_VECTOR
	movl $HCALL_DONE, %eax
	int $HYPERCALL_VECTOR
3:	jmp 3b

/* ---------------------------------------------------------------- setup and helpers */

setup_host:
	movl $host_tss, %eax
	movl $host_gdt + TSS_SELECTOR, %ebx
	call set_tss_base
	lgdt host_gdt_descriptor
	ljmp $HOST_CODE, $4f
4:	movl $HOST_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl $TSS_SELECTOR, %eax
	ltr %ax
	lidt host_idt_descriptor
	/* Both page directories map the first 4 MiB one to one through the same page table. */
	movl $page_table, %edi
	movl $0x003, %eax
5:	movl %eax, (%edi)
	addl $4, %edi
	addl $0x1000, %eax
	cmpl $0x400003, %eax
	jne 5b
	movl $page_table + 0x003, host_page_directory
	movl $page_table + 0x003, guest_page_directory
	movl host_page_directory_pointer, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $0x80010000, %eax	/* PG and WP */
	movl %eax, %cr0
	ret

setup_guest:
	movl $guest_tss, %eax
	movl $guest_gdt + TSS_SELECTOR, %ebx
	call set_tss_base
	movl $guest_regs + REGS_SIZE, guest_tss + 4	/* esp0: the top of the register block */
	movl $SWITCH_DATA, guest_tss + 8		/* ss0 */
	movw $0x68, guest_tss + 0x66			/* no I/O permission bitmap */
	movl $hypercall_stub, %eax
	movl $HYPERCALL_VECTOR, %ecx
	movl $0xae00, %edx				/* present, DPL 1, 32-bit interrupt gate */
	call set_guest_gate
	movl $general_protection_stub, %eax
	movl $13, %ecx
	movl $0x8e00, %edx				/* present, DPL 0 */
	call set_guest_gate
	movl $guest_entry, guest_regs + REG_EIP
	movl $GUEST_CODE, guest_regs + REG_CS
	movl $0x2, guest_regs + REG_EFLAGS
	movl $guest_stack_top, guest_regs + REG_ESP
	movl $GUEST_DATA, guest_regs + REG_SS
	movl $GUEST_DATA, guest_regs + 28		/* ds */
	movl $GUEST_DATA, guest_regs + 32		/* es */
	ret

/* set_tss_base: TSS at %eax into the descriptor at %ebx (base bits 0-23 and 24-31). */
set_tss_base:
	movw %ax, 2(%ebx)
	shrl $16, %eax
	movb %al, 4(%ebx)
	movb %ah, 7(%ebx)
	ret

/* set_guest_gate: handler %eax, vector %ecx, type and DPL %edx, selector SWITCH_CODE. */
set_guest_gate:
	leal guest_idt(,%ecx,8), %ebx
	movw %ax, (%ebx)
	movw $SWITCH_CODE, 2(%ebx)
	movw %dx, 4(%ebx)
	shrl $16, %eax
	movw %ax, 6(%ebx)
	ret

print_string:
	pushl %eax
	pushl %edx
	movw $COM1, %dx
6:	lodsb
	testb %al, %al
	jz 7f
	outb %al, %dx
	jmp 6b
7:	popl %edx
	popl %eax
	ret

print_hex:
	pushl %ebx
	pushl %ecx
	pushl %edx
	movl %eax, %ebx
	movl $8, %ecx
	movw $COM1, %dx
8:	roll $4, %ebx
	movl %ebx, %eax
	andl $15, %eax
	movb hex_digits(%eax), %al
	outb %al, %dx
	decl %ecx
	jnz 8b
	popl %edx
	popl %ecx
	popl %ebx
	ret

/* ---------------------------------------------------------------- data */

hex_digits:	.ascii "0123456789abcdef"
text_entering:	.asciz "host: entering the guest at ring 1\n"
text_guest_says: .asciz "guest says: "
text_hello:	.asciz "hello from ring 1\n"
text_after_io:	.asciz "still here after the host skipped my out instruction\n"
text_report:	.asciz "host: the guest reports fib(25) = 0x"
text_gp:	.asciz "host: the guest tried port I/O (#GP) at eip 0x"
text_done:	.asciz "host: the guest is done; world switches: 0x"
text_unexpected: .asciz "host: unexpected trap 0x"
text_bad_hypercall: .asciz "host: unknown hypercall\n"
text_newline:	.asciz "\n"

	.p2align 2
switch_entry:
	.long enter_guest
	.word SWITCH_CODE
switch_count:	.long 0
host_saved_esp:	.long 0
host_page_directory_pointer:	.long host_page_directory
guest_page_directory_pointer:	.long guest_page_directory

	.p2align 3
host_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08 ring 0 code */
	.quad 0x00cf92000000ffff	/* 0x10 ring 0 data */
	.fill 7, 8, 0
	.quad 0x00cf9a000000ffff	/* 0x50 switch code */
	.quad 0x00cf92000000ffff	/* 0x58 switch data */
	.fill 4, 8, 0
	.quad 0x0000890000000067	/* 0x80 host TSS (base set at boot) */
host_gdt_end:
guest_gdt:
	.fill 10, 8, 0
	.quad 0x00cf9a000000ffff	/* 0x50 switch code, the same as the host's */
	.quad 0x00cf92000000ffff	/* 0x58 switch data */
	.quad 0x00cfba000000ffff	/* 0x60 guest code, DPL 1 */
	.quad 0x00cfb2000000ffff	/* 0x68 guest data, DPL 1 */
	.fill 2, 8, 0
	.quad 0x0000890000000067	/* 0x80 guest TSS (base set at boot) */
guest_gdt_end:

	.p2align 2
	.word 0
host_gdt_descriptor:
	.word host_gdt_end - host_gdt - 1
	.long host_gdt
	.word 0
guest_gdt_descriptor:
	.word guest_gdt_end - guest_gdt - 1
	.long guest_gdt
	.word 0
host_idt_descriptor:
	.word 0			/* the host takes no interrupts: any would triple-fault */
	.long 0
	.word 0
guest_idt_descriptor:
	.word 256 * 8 - 1
	.long guest_idt

	.p2align 2
host_tss:	.fill 0x68, 1, 0
guest_tss:	.fill 0x68, 1, 0
guest_regs:	.fill REGS_SIZE, 1, 0

	.p2align 12
host_page_directory:	.fill 4096, 1, 0
guest_page_directory:	.fill 4096, 1, 0
page_table:		.fill 4096, 1, 0
guest_idt:		.fill 2048, 1, 0
	.p2align 4
	.fill 4096, 1, 0
host_stack_top:
	.fill 4096, 1, 0
guest_stack_top:
image_end:
