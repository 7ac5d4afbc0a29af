#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The C library's maths, environment and clock, for the engine outside `Support/`: the
/// one place (with the file and thread code of this folder) that imports Glibc or Musl,
/// since LeNetCore does without Foundation.
package enum LibC {
    package static func cos(_ x: Double) -> Double {
        #if canImport(Glibc)
        Glibc.cos(x)
        #else
        Musl.cos(x)
        #endif
    }

    package static func cos(_ x: Float) -> Float { cosf(x) }
    package static func sin(_ x: Float) -> Float { sinf(x) }

    package static func log(_ x: Double) -> Double {
        #if canImport(Glibc)
        Glibc.log(x)
        #else
        Musl.log(x)
        #endif
    }

    package static func exp(_ x: Double) -> Double {
        #if canImport(Glibc)
        Glibc.exp(x)
        #else
        Musl.exp(x)
        #endif
    }

    /// Gives up the rest of this thread's time slice, for a spin that finds its lock's
    /// holder descheduled.
    package static func yield() { sched_yield() }

    /// The calling thread's identity, to tell which thread last used something.
    package static func currentThread() -> UInt {
        #if canImport(Glibc)
        UInt(pthread_self())
        #else
        UInt(bitPattern: Int(bitPattern: pthread_self()))  // musl's pthread_t is a pointer
        #endif
    }

    /// An environment variable's value, nil when unset.
    package static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

/// Seconds on a monotonic clock: for the worker pool's spin deadline and the timings the
/// CLI and the C ABI report.
package func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
