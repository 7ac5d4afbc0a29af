/* LD_PRELOAD shim: the process and every thread it starts see the CPU without AVX-512,
 * AMX or any VNNI, as on an AVX2 + FMA machine such as AMD's Zen 3.
 *
 * Why: ONNX Runtime picks its kernels from CPUID and has no setting to hold it back, so on
 * an AVX-512 machine its AVX2 speed cannot otherwise be measured next to ours. Linux's
 * CPUID faulting (ARCH_SET_CPUID, the `cpuid_fault` flag) makes each CPUID instruction
 * raise SIGSEGV; the handler runs the real CPUID with faulting lifted for a moment and
 * clears the bits. Everything that asks after this library's constructor (ONNX Runtime's
 * MLAS, oneDNN, PyTorch, lenet's __builtin_cpu_supports) gets the masked answer. glibc's
 * own string functions chose theirs before and keep them: they are not what is measured.
 *
 * A program that installs its own SIGSEGV handler later (Python's faulthandler, so pytest)
 * and then runs CPUID dies of it: run such programs without the shim.
 *
 * If faulting is unavailable the shim refuses to run the program (exit 97) rather than
 * leave the wider instructions visible: a benchmark would otherwise be mislabelled. */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static struct sigaction previous;

static void set_faulting(int on) { syscall(SYS_arch_prctl, ARCH_SET_CPUID, on ? 0 : 1); }

static void mask(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    if (leaf == 7 && subleaf == 0) {
        /* EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31 */
        *b &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31));
        /* ECX: VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14 */
        *c &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
        /* EDX: 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, AMX-BF16 22, FP16 23, AMX-TILE 24, AMX-INT8 25 */
        *d &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24) | (1u << 25));
    } else if (leaf == 7 && subleaf == 1) {
        /* EAX: AVX-VNNI 4, AVX512-BF16 5, AVX-IFMA 23; EDX: AVX-VNNI-INT8 4, AVX10 19 */
        *a &= ~((1u << 4) | (1u << 5) | (1u << 23));
        *d &= ~((1u << 4) | (1u << 19));
    } else if (leaf == 0xd && subleaf == 0) {
        /* XCR0 components the OS may save: drop opmask/ZMM (5-7) and AMX tiles (17, 18) */
        *a &= ~((1u << 5) | (1u << 6) | (1u << 7) | (1u << 17) | (1u << 18));
    } else if (leaf == 0x1d || leaf == 0x1e || leaf == 0x24) {
        *a = *b = *c = *d = 0; /* AMX palettes, TMUL, AVX10 */
    }
}

static void on_segv(int sig, siginfo_t *info, void *context) {
    ucontext_t *uc = context;
    greg_t *r = uc->uc_mcontext.gregs;
    const unsigned char *ip = (const unsigned char *)r[REG_RIP];
    if (info->si_code == SI_KERNEL && ip[0] == 0x0f && ip[1] == 0xa2) {
        uint32_t leaf = (uint32_t)r[REG_RAX], subleaf = (uint32_t)r[REG_RCX], a, b, c, d;
        set_faulting(0);
        __cpuid_count(leaf, subleaf, a, b, c, d);
        set_faulting(1);
        mask(leaf, subleaf, &a, &b, &c, &d);
        r[REG_RAX] = a;
        r[REG_RBX] = b;
        r[REG_RCX] = c;
        r[REG_RDX] = d;
        r[REG_RIP] += 2;
        return;
    }
    /* A real fault: hand it to whoever handled SIGSEGV before, or die of it as usual. */
    if (previous.sa_flags & SA_SIGINFO) {
        previous.sa_sigaction(sig, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
    } else {
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
}

__attribute__((constructor)) static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &previous);
    if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0) {
        fprintf(stderr, "avx2_only: this kernel or CPU has no CPUID faulting (cpuid_fault); "
                        "cannot hide AVX-512, refusing to run\n");
        _exit(97);
    }
}
