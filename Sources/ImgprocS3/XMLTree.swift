import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A small read-only XML tree for S3's response documents (element names without
/// namespaces, text content, children in order).
struct XMLElement: Sendable {
  var name: String
  var text: String
  var children: [XMLElement]

  /// The first child called `name`.
  func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

  /// Every child called `name`.
  func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

  /// The text of the first child called `name`.
  func value(_ name: String) -> String? { child(name)?.text }

  /// Parses a document; nil when it is not well-formed XML.
  static func parse(_ bytes: [UInt8]) -> XMLElement? {
    let builder = TreeBuilder()
    let parser = XMLParser(data: Data(bytes))
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else { return nil }
    return root
  }
}

/// Builds an `XMLElement` tree from parser events.
private final class TreeBuilder: NSObject, XMLParserDelegate {
  var stack: [XMLElement] = []
  var root: XMLElement?

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    stack.append(XMLElement(name: elementName, text: "", children: []))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    guard !stack.isEmpty else { return }
    stack[stack.count - 1].text += string
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    guard let element = stack.popLast() else { return }
    if stack.isEmpty {
      root = element
    } else {
      stack[stack.count - 1].children.append(element)
    }
  }
}
