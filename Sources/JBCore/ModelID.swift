/// What a model id says about itself, for every module: the one rule for "is this simulated?".
public enum ModelID {
    /// The prefix of simulated models (`sim/good`, `sim/acc=0.7`, `sim/judge`): answered by
    /// jb's simulators, never sent anywhere, free.
    public static let simulatedPrefix = "sim/"

    /// True when `id` names a simulated model.
    public static func isSimulated(_ id: String) -> Bool { id.hasPrefix(simulatedPrefix) }
}
