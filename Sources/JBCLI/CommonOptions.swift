import ArgumentParser
import JBCore

/// Flags every jb tool takes.
public struct CommonOptions: ParsableArguments {
    /// Say nothing on stderr but errors.
    @Flag(name: [.customShort("q"), .long], help: "Print only errors on stderr.")
    public var quiet = false

    /// Say more on stderr.
    @Flag(name: [.customShort("v"), .long], help: "Print more detail on stderr.")
    public var verbose = false

    /// Print the effective configuration and exit.
    @Flag(name: .customLong("print-config"), help: "Print the effective configuration (secrets masked) and exit.")
    public var printConfig = false

    public init() {}

    /// The verbosity these flags ask for.
    public var verbosity: Verbosity { quiet ? .quiet : (verbose ? .verbose : .normal) }
}

/// Input files for tools that read records.
public struct InputOptions: ParsableArguments {
    /// Input files; none or `-` means stdin.
    @Argument(help: ArgumentHelp("Input files (JSON Lines, gzip allowed). Reads stdin when none or '-'.", valueName: "file"))
    public var inputs: [String] = []

    public init() {}
}

/// The seed flag shared by tools with randomness.
public struct SeedOptions: ParsableArguments {
    /// The random seed: the same seed, input and flags give the same output.
    @Option(name: .long, help: "Random seed; the same seed, input and flags give byte-identical output.")
    public var seed: UInt64?

    public init() {}
}
