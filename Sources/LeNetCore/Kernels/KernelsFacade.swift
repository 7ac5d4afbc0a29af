/// The kernels of the active CPU level (`KernelLevel.active`), for callers outside the
/// model code: the CLI, the C ABI.
package enum Kernels {
    package static func softmax(_ count: Int, _ z: UnsafePointer<Float>, _ p: UnsafeMutablePointer<Float>) {
        KernelLevel.active.kernels.softmax(count, z, p)
    }
}
