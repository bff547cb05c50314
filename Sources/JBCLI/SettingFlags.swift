import ArgumentParser
import JBCore

extension Setting {
    /// The flag's name, for `@Option(name:)` and `@Flag(name:)`.
    public var name: NameSpecification {
        let long = NameSpecification.Element.customLong(flag ?? key)
        guard let short else { return [long] }
        return [.customShort(short), long]
    }

    /// The flag's `--help` text, for `@Option(help:)`.
    public var argumentHelp: ArgumentHelp {
        valueName.map { ArgumentHelp(help, valueName: $0) } ?? ArgumentHelp(help)
    }

    /// The value given on the command line (nil: not given), as the flag layer holds it.
    public func given(_ value: Value?) -> (key: String, text: String?) {
        (key, value.flatMap { $0.settingText })
    }

    /// The text given on the command line, as typed (the flag takes text; the declaration
    /// reads and checks it like any other layer's).
    public func given(text: String?) -> (key: String, text: String?) { (key, text) }
}
