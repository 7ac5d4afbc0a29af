/* CPU feature detection for choosing a kernel build at start-up. Internal to the engine:
 * hidden from liblenet.so's exports. */
#ifndef LENET_CPU_H
#define LENET_CPU_H

/* 1 when the CPU and the OS support AVX2 and FMA. */
__attribute__((visibility("hidden"))) int lenetcpu_has_avx2_fma(void);
/* 1 when the CPU and the OS support AVX-512 F, BW, DQ, VL and CD (and AVX2 + FMA). */
__attribute__((visibility("hidden"))) int lenetcpu_has_avx512(void);

#endif
