// The entry point, as top-level code rather than `@main`: in Swift 6 a `@main` type's
// main() checks that it runs on the main actor, which links the concurrency runtime and
// libdispatch (0.9 MB) into a command that never uses either.
LeNetCommand.main()
