#include "lenet_cpu.h"

/* __builtin_cpu_supports consults CPUID and, for AVX and AVX-512, whether the OS saves
 * the wider registers (XGETBV), so a "yes" means the instructions will run. */
int lenetcpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int lenetcpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return lenetcpu_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}
