//go:build amd64 && !purego

#include "textflag.h"

// The copy-and-compare loops of longstr_amd64.go: 128 bytes per round,
// four 32-byte loads, each compared with 0xED in every byte and the
// result OR-ed into Y8, then stored. Every load and store is within
// src[0:n] and dst[0:n]; nothing is prefetched past them.

// func copyED128(dst, src *byte, n int) bool
TEXT ·copyED128(SB), NOSPLIT, $0-25
	MOVQ	dst+0(FP), DI
	MOVQ	src+8(FP), SI
	MOVQ	n+16(FP), CX
	MOVL	$0xED, AX
	MOVD	AX, X7
	VPBROADCASTB	X7, Y7
	VPXOR	Y8, Y8, Y8

loop:
	VMOVDQU	(SI), Y0
	VMOVDQU	32(SI), Y1
	VMOVDQU	64(SI), Y2
	VMOVDQU	96(SI), Y3
	VPCMPEQB	Y7, Y0, Y4
	VPCMPEQB	Y7, Y1, Y5
	VPOR	Y4, Y8, Y8
	VPOR	Y5, Y8, Y8
	VPCMPEQB	Y7, Y2, Y4
	VPCMPEQB	Y7, Y3, Y5
	VPOR	Y4, Y8, Y8
	VPOR	Y5, Y8, Y8
	VMOVDQU	Y0, (DI)
	VMOVDQU	Y1, 32(DI)
	VMOVDQU	Y2, 64(DI)
	VMOVDQU	Y3, 96(DI)
	ADDQ	$128, SI
	ADDQ	$128, DI
	SUBQ	$128, CX
	JA	loop

	VPTEST	Y8, Y8
	SETNE	ret+24(FP)
	VZEROUPPER
	RET

// func copyED128NT(dst, src *byte, n int) bool
TEXT ·copyED128NT(SB), NOSPLIT, $0-25
	MOVQ	dst+0(FP), DI
	MOVQ	src+8(FP), SI
	MOVQ	n+16(FP), CX
	MOVL	$0xED, AX
	MOVD	AX, X7
	VPBROADCASTB	X7, Y7
	VPXOR	Y8, Y8, Y8

loopnt:
	VMOVDQU	(SI), Y0
	VMOVDQU	32(SI), Y1
	VMOVDQU	64(SI), Y2
	VMOVDQU	96(SI), Y3
	VPCMPEQB	Y7, Y0, Y4
	VPCMPEQB	Y7, Y1, Y5
	VPOR	Y4, Y8, Y8
	VPOR	Y5, Y8, Y8
	VPCMPEQB	Y7, Y2, Y4
	VPCMPEQB	Y7, Y3, Y5
	VPOR	Y4, Y8, Y8
	VPOR	Y5, Y8, Y8
	VMOVNTDQ	Y0, (DI)
	VMOVNTDQ	Y1, 32(DI)
	VMOVNTDQ	Y2, 64(DI)
	VMOVNTDQ	Y3, 96(DI)
	ADDQ	$128, SI
	ADDQ	$128, DI
	SUBQ	$128, CX
	JA	loopnt

	// The non-temporal stores are weakly ordered: make them visible
	// before the string is.
	SFENCE
	VPTEST	Y8, Y8
	SETNE	ret+24(FP)
	VZEROUPPER
	RET
