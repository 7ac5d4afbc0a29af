#include "lenet_cpu.h"

/* __builtin_cpu_supports consults CPUID and, for AVX and AVX-512, whether the OS saves
 * the wider registers (XGETBV), so a "yes" means the instructions will run. */
int lenetcpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    /* And the bit-manipulation extensions -target-cpu haswell, the AVX2 build's target, may use. */
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2");
#else
    return 0;
#endif
}

int lenetcpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    /* What -target-cpu skylake-avx512, the AVX-512 build's target, may use. */
    return lenetcpu_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd");
#else
    return 0;
#endif
}
