import Foundation
import Testing

/// The README and the pages under `docs/`: short enough to read, and every relative link
/// (a file, or a heading in one) leads somewhere.
@Suite("Documentation")
struct DocumentationTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// README.md and every Markdown page under docs/.
  static func pages() throws -> [URL] {
    let docs = repository.appendingPathComponent("docs")
    let names = try FileManager.default.contentsOfDirectory(atPath: docs.path)
      .filter { $0.hasSuffix(".md") }.sorted()
    return [repository.appendingPathComponent("README.md")]
      + names.map { docs.appendingPathComponent($0) }
  }

  /// The lines of `text` outside fenced code blocks.
  static func prose(_ text: String) -> [Substring] {
    var inFence = false
    return text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
      if line.hasPrefix("```") {
        inFence.toggle()
        return false
      }
      return !inFence
    }
  }

  /// The targets of the Markdown links and images on `lines` (`[text](target)`).
  static func links(_ lines: [Substring]) -> [String] {
    lines.flatMap { line in
      line.matches(of: /\]\(([^)\s]+)\)/).map { String($0.output.1) }
    }
  }

  /// GitHub's anchor for a heading: lower case, without punctuation other than `-` and `_`,
  /// spaces as `-`.
  static func anchor(_ heading: some StringProtocol) -> String {
    String(
      heading.lowercased().compactMap { character -> Character? in
        if character == " " { return "-" }
        if character.isLetter || character.isNumber || character == "-" || character == "_" {
          return character
        }
        return nil
      })
  }

  static func anchors(in text: String) -> Set<String> {
    Set(
      prose(text).compactMap { line -> String? in
        guard line.hasPrefix("#") else { return nil }
        return anchor(line.drop { $0 == "#" }.drop { $0 == " " })
      })
  }

  @Test("the README is at most 150 lines")
  func readmeIsShort() throws {
    let text = try String(
      contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    #expect(lines <= 150, "README.md has \(lines) lines")
  }

  @Test("every relative link in the README and docs/ leads to a file, and to a heading in it")
  func linksResolve() throws {
    var checked = 0
    for page in try Self.pages() {
      let text = try String(contentsOf: page, encoding: .utf8)
      for link in Self.links(Self.prose(text)) where !link.contains("://") {
        checked += 1
        let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0])
        let target =
          path.isEmpty ? page : page.deletingLastPathComponent().appendingPathComponent(path)
        let name = "\(page.lastPathComponent): \(link)"
        guard FileManager.default.fileExists(atPath: target.path) else {
          Issue.record("\(name): no such file")
          continue
        }
        guard parts.count == 2 else { continue }
        let heading = try String(contentsOf: target, encoding: .utf8)
        #expect(Self.anchors(in: heading).contains(String(parts[1])), "\(name): no such heading")
      }
    }
    #expect(checked > 20, "only \(checked) links found")
  }

  @Test("headings become GitHub's anchors")
  func anchorsAsGitHubMakesThem() {
    #expect(Self.anchor("How `s3-sync` decides") == "how-s3-sync-decides")
    #expect(Self.anchor("`--json`") == "--json")
    #expect(Self.anchor("Naming and identity") == "naming-and-identity")
  }
}
