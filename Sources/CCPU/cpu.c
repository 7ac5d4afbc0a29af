#define _GNU_SOURCE
#include "lenet_cpu.h"
#if __STDC_HOSTED__
#include <sched.h>
#include <unistd.h>
#endif

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

/* The int8 quad kernels' vpdpbusd: on zmm (AVX-512 VNNI, with BW) and on ymm (AVX-VNNI). */
int lenetcpu_has_avx512_vnni(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni");
#else
    return 0;
#endif
}

int lenetcpu_has_avx_vnni(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avxvnni");
#else
    return 0;
#endif
}

/* The online-core count overstates what a process pinned with taskset or confined to a
 * cpuset can use; spinning helpers on cores it may not run on only steal its own time. */
int lenetcpu_usable_cores(void) {
#if __STDC_HOSTED__
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
#else
    return 1; /* no OS to ask (the freestanding syntax check of other architectures) */
#endif
}
