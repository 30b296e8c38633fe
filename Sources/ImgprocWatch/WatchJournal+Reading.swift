import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension WatchJournal {
  /// What a journal file says, read one line at a time (never whole, never an entry per
  /// path in memory): the last entry of each path wins; lines that do not parse (cut short
  /// by a crash) are skipped.
  struct Contents {
    /// What memory keeps of each path whose last entry has these settings and is not
    /// forgotten.
    var settled = SettledPaths()
    var lines = 0
    /// Per line, whether a compacted journal keeps it: its path's last entry, not forgotten.
    var kept: [Bool] = []
    var keptCount: Int { kept.lazy.filter { $0 }.count }
  }

  /// The fields of a line that reading the journal uses (an entry without its outputs).
  struct LineFields: Equatable {
    var path: String
    var version: String
    var digest: String?
    var settings: String
    var status: Status
  }

  static func read(_ path: String, settings: String) -> Contents {
    var contents = Contents()
    var records: [SettledPaths.Record] = []
    records.reserveCapacity(lineCount(path))
    let decoder = JSONDecoder()
    eachLine(of: path) { line in
      let index = contents.lines
      contents.lines += 1
      guard let entry = fields(line, decoder: decoder) else { return }
      let key = Key(entry.path)
      let settled =
        entry.status == .forgotten || entry.settings != settings
        ? nil
        : Settled(
          version: fold(entry.version), digest: Digest(hex: entry.digest), status: entry.status)
      records.append(
        .init(key: key, line: index, settled: settled, forgotten: entry.status == .forgotten))
    }
    (contents.settled, contents.kept) = SettledPaths.lastOfEach(&records, lines: contents.lines)
    return contents
  }

  /// How many lines the file at `path` has (its newlines, and a last line without one).
  static func lineCount(_ path: String) -> Int {
    var count = 0
    eachLine(of: path) { _ in count += 1 }
    return count
  }

  /// The fields of one line: taken from its bytes when it is as `lines` writes it (see
  /// `JournalLineScanner`), else through `decoder`; nil when it is not an entry.
  static func fields(_ line: ArraySlice<UInt8>, decoder: JSONDecoder) -> LineFields? {
    if let quick = JournalLineScanner.fields(line) { return quick }
    guard let entry = try? decoder.decode(Entry.self, from: Data(line)) else { return nil }
    return LineFields(
      path: entry.path, version: entry.version, digest: entry.digest, settings: entry.settings,
      status: entry.status)
  }

  /// The lines of the file at `path` that `kept` marks, one after another.
  static func keptLines(_ path: String, _ kept: [Bool]) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = 0
    eachLine(of: path) { line in
      if index < kept.count, kept[index] { bytes += line + [0x0A] }
      index += 1
    }
    return bytes
  }

  /// Each line of the file at `path` (without its newline; empty lines left out), read 1 MiB
  /// at a time.
  static func eachLine(of path: String, _ body: (ArraySlice<UInt8>) -> Void) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { Glibc.close(fd) }
    var carried: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      var chunk = carried + buffer[0..<count]
      var start = chunk.startIndex
      while let end = chunk[start...].firstIndex(of: 0x0A) {
        if end > start { body(chunk[start..<end]) }
        start = end + 1
      }
      chunk.removeSubrange(..<start)
      carried = chunk
    }
    if !carried.isEmpty { body(carried[...]) }
  }
}

/// Reads a journal line as `WatchJournal.lines` writes it, without `JSONDecoder` (a third of
/// a restart's time over 100,000 lines went there): one object, no whitespace, whose values
/// are strings without escapes or arrays of them. A line it does not take (an escape, a
/// `null`, a space, one cut short, a missing field) is nil, and is left to `JSONDecoder`.
struct JournalLineScanner {
  private let bytes: ArraySlice<UInt8>
  private var index: Int

  private init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    index = bytes.startIndex
  }

  static func fields(_ line: ArraySlice<UInt8>) -> WatchJournal.LineFields? {
    var scanner = JournalLineScanner(line)
    var path: String?
    var version: String?
    var digest: String?
    var settings: String?
    var status: WatchJournal.Status?
    guard scanner.take(UInt8(ascii: "{")) else { return nil }
    repeat {
      guard let key = scanner.string(), scanner.take(UInt8(ascii: ":")) else { return nil }
      if scanner.take(UInt8(ascii: "[")) {
        guard scanner.skipStrings() else { return nil }
        continue
      }
      // Bytes that are not UTF-8 are refused, as `JSONDecoder` refuses them.
      guard let bytes = scanner.string(), let value = String(validating: bytes, as: UTF8.self)
      else { return nil }
      switch String(decoding: key, as: UTF8.self) {
      case "path": path = value
      case "version": version = value
      case "digest": digest = value
      case "settings": settings = value
      case "status":
        guard let known = WatchJournal.Status(rawValue: value) else { return nil }
        status = known
      default: break
      }
    } while scanner.take(UInt8(ascii: ","))
    guard scanner.take(UInt8(ascii: "}")), scanner.index == line.endIndex,
      let path, let version, let settings, let status
    else { return nil }
    return WatchJournal.LineFields(
      path: path, version: version, digest: digest, settings: settings, status: status)
  }

  /// Steps over `byte` when it is next.
  private mutating func take(_ byte: UInt8) -> Bool {
    guard index < bytes.endIndex, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  /// The bytes of the string that is next, between its quotes; nil for anything else, and
  /// for a string with an escape or a control character (valid JSON escapes those).
  private mutating func string() -> ArraySlice<UInt8>? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = index
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        return bytes[start..<(index - 1)]
      }
      guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { return nil }
      index += 1
    }
    return nil
  }

  /// Steps over the strings of an array whose `[` was taken, and its `]`.
  private mutating func skipStrings() -> Bool {
    if take(UInt8(ascii: "]")) { return true }
    repeat {
      guard string() != nil else { return false }
    } while take(UInt8(ascii: ","))
    return take(UInt8(ascii: "]"))
  }
}
