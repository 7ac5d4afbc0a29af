/// The library version, shared by the CLI, the C ABI and the packages built from them. The
/// Makefile and the header generator read these numbers from this line.
public let lenetVersion = (major: 0, minor: 6, patch: 0)
public let lenetVersionString = "\(lenetVersion.major).\(lenetVersion.minor).\(lenetVersion.patch)"
