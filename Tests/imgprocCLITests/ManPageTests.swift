import Foundation
import ImgprocTestSupport
import Testing

/// The checked-in man pages (`make man`, swift-argument-parser's generate-manual) against
/// the command definitions the built binary reports (`--experimental-dump-help`). Their date
/// line changes every day, so the comparison is of what they say: each command's page exists,
/// its one-line description and text are the command's, and its options are exactly the
/// command's, each with its help line.
@Suite("Man pages are current")
struct ManPageTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../man").standardized

  /// generate-manual writes ASCII only: it drops other characters.
  static func ascii(_ text: String) -> String {
    String(text.unicodeScalars.filter(\.isASCII).map(Character.init))
  }

  static func commands() throws -> [(page: String, command: [String: Any])] {
    let dump = try CLIRunner.run(["--experimental-dump-help"])
    let root = try #require(
      (try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any])?["command"]
        as? [String: Any])
    let subcommands = (root["subcommands"] as? [[String: Any]] ?? []).filter {
      $0["commandName"] as? String != "help"
    }
    return [("imgproc.1", root)]
      + subcommands.map { ("imgproc.\($0["commandName"] as? String ?? "").1", $0) }
  }

  @Test("every command has a page saying what its definition says; run `make man` if not")
  func current() throws {
    for (page, command) in try Self.commands() {
      let url = Self.folder.appendingPathComponent(page)
      let text = try #require(try? String(contentsOf: url, encoding: .utf8), "\(page) missing")
      let abstract = Self.ascii(command["abstract"] as? String ?? "")
      let described = text.contains(".Nd \"\(abstract)\"")
      #expect(described, "\(page): the description")
      let discussion = Self.ascii(command["discussion"] as? String ?? "")
      let explained = text.contains(discussion)
      #expect(explained, "\(page): the text")
      var documented = Set(
        text.split(separator: "\n").filter { $0.hasPrefix(".It Fl ") }.flatMap { line in
          line.split(separator: " ").filter { $0.hasPrefix("-") || $0.count == 1 }.map(String.init)
        }.filter { $0 != "," })
      for argument in command["arguments"] as? [[String: Any]] ?? [] {
        guard argument["shouldDisplay"] as? Bool != false,
          argument["kind"] as? String != "positional"
        else { continue }
        let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
          guard let value = name["name"] as? String else { return nil }
          return name["kind"] as? String == "long" ? "-\(value)" : value
        }
        #expect(names.contains { documented.contains($0) }, "\(page): \(names) undocumented")
        documented.subtract(names)
        let help = Self.ascii(argument["abstract"] as? String ?? "")
        let helped = text.contains(help)
        #expect(helped, "\(page): the help of \(names)")
      }
      #expect(documented.isEmpty, "\(page) documents options the command lacks: \(documented)")
    }
  }
}
