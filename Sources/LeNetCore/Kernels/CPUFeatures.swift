import CCPU

/// What this CPU (and its OS) runs, asked once: every dispatch decision reads these.
package enum CPUFeatures {
    /// AVX2 + FMA + BMI1/2: what the AVX2 kernel build (-target-cpu haswell) may use.
    package static let avx2 = lenetcpu_has_avx2_fma() != 0
    /// AVX-512 F, BW, DQ, VL, CD (and AVX2): what the AVX-512 build (skylake-avx512) may use.
    package static let avx512 = lenetcpu_has_avx512() != 0
    package static let avx512VNNI = avx512 && lenetcpu_has_avx512_vnni() != 0
    package static let avxVNNI = avx2 && lenetcpu_has_avx_vnni() != 0
}
