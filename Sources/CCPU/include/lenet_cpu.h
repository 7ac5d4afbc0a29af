/* CPU feature detection for choosing a kernel build at start-up, and the number of cores
 * this process may run on. Internal to the engine: hidden from liblenet.so's exports. */
#ifndef LENET_CPU_H
#define LENET_CPU_H

/* 1 when the CPU and the OS support AVX2 and FMA. */
__attribute__((visibility("hidden"))) int lenetcpu_has_avx2_fma(void);
/* 1 when the CPU and the OS support AVX-512 F, BW, DQ, VL and CD (and AVX2 + FMA). */
__attribute__((visibility("hidden"))) int lenetcpu_has_avx512(void);
/* 1 when the CPU and the OS support AVX-512 F, BW and VNNI. */
__attribute__((visibility("hidden"))) int lenetcpu_has_avx512_vnni(void);
/* 1 when the CPU and the OS support AVX2 and AVX-VNNI. */
__attribute__((visibility("hidden"))) int lenetcpu_has_avx_vnni(void);
/* The cores this process may run on (its affinity mask: taskset, cgroup cpusets), at least 1. */
__attribute__((visibility("hidden"))) int lenetcpu_usable_cores(void);

#endif
