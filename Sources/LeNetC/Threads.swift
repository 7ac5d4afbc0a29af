import CLeNetTypes
import LeNetCore

/// Sets how many threads inference and training use in this process: a positive count,
/// or 0 for the default (the LENET_NUM_THREADS environment variable, else all cores).
/// Returns LENET_ERR_INVALID_ARGUMENT for a negative count or one above 256.
@_cdecl("lenet_set_num_threads")
public func lenet_set_num_threads(_ threads: Int32) -> lenet_status {
    withStatus {
        guard threads >= 0, threads <= 256 else { throw LeNetError.invalidArgument("thread count must be 0 to 256, got \(threads)") }
        lenetc_set_threads(threads)
    }
}

/// The number of threads calls will use now (resolving the default).
@_cdecl("lenet_get_num_threads")
public func lenet_get_num_threads() -> Int32 {
    Int32(threadCount())
}
