import Foundation
import JBCore
import JBHTTP
import ZIPFoundation

/// A Kaggle dataset as a set of local files: found in the kagglehub cache, in jb's own
/// cache, or downloaded through Kaggle's public API with the user's credentials and unpacked
/// into jb's cache for next time.
public struct KaggleDataset: Sendable {
    /// The dataset jb targets by default.
    public static let defaultDataset = "aravindram11/jeopardy-dataset-updated"
    /// Kaggle's API host.
    public static let defaultBaseURL = "https://www.kaggle.com"

    /// Where credentials and the API come from.
    public struct Settings: Sendable {
        public var baseURL: String
        public var username: String?
        public var key: String?

        public init(baseURL: String = KaggleDataset.defaultBaseURL, username: String? = nil, key: String? = nil) {
            self.baseURL = baseURL
            self.username = username
            self.key = key
        }
    }

    public let owner: String
    public let name: String
    public let settings: Settings
    private let environment: [String: String]
    private let client: any HTTPClient

    /// `spec` is `OWNER/DATASET`.
    public init(_ spec: String, settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment,
                client: any HTTPClient = makeDefaultHTTPClient()) throws {
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && parts.allSatisfy { p in
            !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." } && p != ".." && p != "."
        }
        guard valid else { throw JBError.usage("dataset \"\(spec)\": expected OWNER/DATASET, e.g. \(KaggleDataset.defaultDataset)") }
        owner = String(parts[0])
        name = String(parts[1])
        self.settings = settings
        self.environment = environment
        self.client = client
    }

    private var home: String { CacheFolder.home(environment: environment) }

    /// kagglehub's cache root: `$KAGGLEHUB_CACHE`, else `~/.cache/kagglehub`.
    var kagglehubRoot: URL {
        URL(fileURLWithPath: environment["KAGGLEHUB_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache/kagglehub")
    }

    /// jb's copy: `$XDG_CACHE_HOME/jb/kaggle/OWNER/DATASET`, else `~/.cache/jb/kaggle/…`.
    public var cacheDirectory: URL {
        URL(fileURLWithPath: CacheFolder.path(environment: environment)).appendingPathComponent("kaggle/\(owner)/\(name)")
    }

    /// The data files of the dataset, downloading it if no cached copy exists.
    public func files(refresh: Bool, info: (String) -> Void, progress: (String) -> Void) async throws -> [String] {
        if !refresh, let dir = newestKagglehubVersion() {
            let found = try dataFiles(in: dir)
            if !found.isEmpty {
                info("using the kagglehub cache: \(dir.path)")
                return found
            }
        }
        let marker = cacheDirectory.appendingPathComponent(".complete")
        if !refresh && FileManager.default.fileExists(atPath: marker.path) {
            let found = try dataFiles(in: cacheDirectory)
            if !found.isEmpty {
                info("using jb's cache: \(cacheDirectory.path)")
                return found
            }
        }
        try await download(progress: progress, info: info)
        let found = try dataFiles(in: cacheDirectory)
        guard !found.isEmpty else {
            throw JBError.unavailable("Kaggle dataset \(owner)/\(name) holds no CSV, JSON, JSON Lines or TSV file")
        }
        return found
    }

    func newestKagglehubVersion() -> URL? {
        let versions = kagglehubRoot.appendingPathComponent("datasets/\(owner)/\(name)/versions")
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: versions.path) else { return nil }
        guard let newest = entries.compactMap(Int.init).max() else { return nil }
        return versions.appendingPathComponent(String(newest))
    }

    /// Supported data files under `dir`, sorted by path.
    func dataFiles(in dir: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [String] = []
        for case let url as URL in walker where IngestFormat.fromFileName(url.lastPathComponent) != nil {
            if !url.lastPathComponent.hasPrefix(".") { out.append(url.path) }
        }
        return out.sorted()
    }

    /// The credentials: the settings (`KAGGLE_USERNAME`/`KAGGLE_KEY`, .env or config), else
    /// `$KAGGLE_CONFIG_DIR/kaggle.json` or `~/.kaggle/kaggle.json`.
    func credentials() throws -> (String, String) {
        if let u = settings.username, let k = settings.key, !u.isEmpty, !k.isEmpty { return (u, k) }
        let dir = environment["KAGGLE_CONFIG_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.kaggle"
        let path = dir + "/kaggle.json"
        if let data = FileManager.default.contents(atPath: path) {
            guard case .object(let o)? = try? JSONParser.parse(Array(data)),
                  let u = o["username"]?.stringValue, let k = o["key"]?.stringValue, !u.isEmpty, !k.isEmpty
            else {
                throw JBError.badConfig(path: path, line: 0, column: 0, message: "expected {\"username\": …, \"key\": …}")
            }
            Redactor.shared.register(k)
            return (u, k)
        }
        throw JBError.usage("no Kaggle credentials: set KAGGLE_USERNAME and KAGGLE_KEY (environment or .env), or save kaggle.json in \(dir)/")
    }

    func download(progress: (String) -> Void, info: (String) -> Void) async throws {
        let (user, key) = try credentials()
        Redactor.shared.register(key)
        let base = settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL
        let url = "\(base)/api/v1/datasets/download/\(owner)/\(name)"
        let token = Data("\(user):\(key)".utf8).base64EncodedString()
        Redactor.shared.register(token)
        info("downloading \(owner)/\(name) from \(URL(string: base)?.host ?? base)…")
        let started = ContinuousClock.now
        let response = try await client.send(HTTPRequestSpec(
            url: url, headers: [("Authorization", "Basic \(token)"), ("User-Agent", "jb/\(JBVersion.string)")], timeout: 600))
        switch response.status {
        case 200: break
        case 401, 403:
            throw JBError.noPermission("Kaggle refused the credentials for user \"\(user)\" (HTTP \(response.status)); check KAGGLE_USERNAME/KAGGLE_KEY or kaggle.json")
        case 404:
            throw JBError.unavailable("Kaggle has no dataset \(owner)/\(name) (HTTP 404)")
        default:
            throw JBError.unavailable("Kaggle answered HTTP \(response.status) for \(owner)/\(name)")
        }
        let body = response.body
        let megabytes = Double(body.count) / 1_048_576
        progress(String(format: "downloaded %.1f MB", megabytes))
        guard body.starts(with: [0x50, 0x4B, 0x03, 0x04]) || body.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw JBError.unavailable("Kaggle's reply for \(owner)/\(name) is not a zip archive (\(body.count) bytes)")
        }
        try unpack(body)
        let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds)
        info(String(format: "downloaded %.1f MB in %.1f s into %@", megabytes, seconds, cacheDirectory.path))
    }

    /// Unpacks the archive into a fresh folder beside the cache, then swaps it in, so an
    /// interrupted download never leaves a half-filled cache behind.
    func unpack(_ zip: Data) throws {
        let fm = FileManager.default
        let parent = cacheDirectory.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw JBError.cannotCreate(path: parent.path, reason: "\(error.localizedDescription)")
        }
        let staging = parent.appendingPathComponent(".\(name).partial-\(getpid())")
        let archive = parent.appendingPathComponent(".\(name).zip-\(getpid())")
        try? fm.removeItem(at: staging)
        defer {
            try? fm.removeItem(at: archive)
            try? fm.removeItem(at: staging)
        }
        do {
            try zip.write(to: archive)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            try fm.unzipItem(at: archive, to: staging)
        } catch {
            throw JBError.io(path: archive.path, reason: "cannot unpack the dataset archive: \(error.localizedDescription)")
        }
        try Data(Timestamp.format(Date()).utf8).write(to: staging.appendingPathComponent(".complete"))
        try? fm.removeItem(at: cacheDirectory)
        do {
            try fm.moveItem(at: staging, to: cacheDirectory)
        } catch {
            throw JBError.cannotCreate(path: cacheDirectory.path, reason: "\(error.localizedDescription)")
        }
    }
}
