/* The end of every benchmark kernel: page-aligned tables and stacks, then the image end. */
	.p2align 12
/* Data the loops write lives on its own page, away from code (writes to a code page cost
 * every emulator a retranslation). */
k1_cell:
	.fill 4096, 1, 0
page_directory:
	.fill 4096, 1, 0
page_tables:
	.fill 8192, 1, 0
idt:
	.fill 2048, 1, 0
	.p2align 4
	.fill 8192, 1, 0
boot_stack_top:
	.fill 8192, 1, 0
ring0_stack_top:
	.fill 8192, 1, 0
ring3_stack_top:
image_end:
