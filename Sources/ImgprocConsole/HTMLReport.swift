import Foundation
import ImgprocCodecs
import ImgprocConcurrency
import ImgprocCore
import ImgprocPipeline
import Synchronization

/// `--report FILE.html`: one self-contained page showing each source beside its variants —
/// a thumbnail of each (the files themselves, referenced relative to the page), dimensions,
/// bytes, the ratio to the source's bytes and, for lossy outputs, SSIM against the pixels
/// they were encoded from; rows sortable by savings with an inline script (nothing is
/// fetched from the network). Forwards every event to `next`; what it collects is guarded
/// by `collected`. Local sources and outputs only.
public final class HTMLReport: ConvertReporter {
  struct Output {
    var variant: String
    var path: String
    var size: Size?
    var bytes: Int
    var ssim: Double?
  }

  struct Source {
    var name: String
    var bytes = 0
    var outputs: [Output] = []
    var failed = false
  }

  private let next: any ConvertReporter
  /// The recipe's variant names: each row shows its outputs in this order.
  private let variantOrder: [String]
  private let collected = Locked<[String: Source]>([:])
  private let order = Locked<[String]>([])

  public init(forwardingTo next: any ConvertReporter, variantOrder: [String]) {
    self.next = next
    self.variantOrder = variantOrder
  }

  public func report(_ event: ConvertEvent) {
    next.report(event)
    switch event {
    case .wrote(let source, let variant, let path, _, let size, let bytes, let ssim, _):
      update(source) {
        $0.outputs.append(
          Output(variant: variant, path: path, size: size, bytes: bytes, ssim: ssim))
      }
    case .upToDate(let source, let variant, let path):
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      let bytes = attributes?[.size] as? Int ?? 0
      let info = try? FileIO.describe(path)
      let size = info.map { Size(width: $0.width, height: $0.height) }
      update(source) {
        $0.outputs.append(Output(variant: variant, path: path, size: size, bytes: bytes))
      }
    case .finished(let source, _, let outcome, _):
      update(source) {
        $0.bytes = outcome.bytesIn
        $0.failed = outcome.failed
      }
    default: break
    }
  }

  /// The formats (by identifier) every current browser shows in an `<img>`.
  static let browserFormats: Set<String> = ["jpeg", "png", "webp", "avif"]

  private func update(_ source: String, _ change: (inout Source) -> Void) {
    collected.withLock { sources in
      if sources[source] == nil {
        sources[source] = Source(name: source)
        order.withLock { $0.append(source) }
      }
      if var entry = sources[source] {
        change(&entry)
        sources[source] = entry
      }
    }
  }

  /// Writes the page to `path` (temporary name, then rename).
  public func write(to path: String) throws(PipelineError) {
    let folder = Self.absolute(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    let names = order.withLock { $0 }
    let sources = collected.withLock { sources in names.compactMap { sources[$0] } }
    var rows: [String] = []
    var totalIn = 0
    var totalOut = 0
    for source in sources where !source.failed {
      let info = try? FileIO.describe(source.name)
      let outputBytes = source.outputs.reduce(0) { $0 + $1.bytes }
      totalIn += source.bytes
      totalOut += outputBytes
      let saving =
        source.bytes > 0 && !source.outputs.isEmpty
        ? 1 - Double(outputBytes) / Double(source.bytes * source.outputs.count) : 0
      var cells: [String] = []
      let variants = variantOrder
      let rank = { (name: String) in variants.firstIndex(of: name) ?? variants.count }
      for output in source.outputs.sorted(by: { rank($0.variant) < rank($1.variant) }) {
        var caption = [Self.escape(output.variant)]
        if let size = output.size { caption.append("\(size.width)×\(size.height)") }
        caption.append(ByteCount.human(output.bytes))
        if source.bytes > 0 {
          caption.append(
            String(format: "%.2f× source", Double(output.bytes) / Double(source.bytes)))
        }
        if let ssim = output.ssim { caption.append(String(format: "SSIM %.4f", ssim)) }
        cells.append(
          "<figure><img src=\"\(Self.link(output.path, from: folder))\" alt=\"\(Self.escape(output.variant))\">"
            + "<figcaption>\(caption.joined(separator: " · "))</figcaption></figure>")
      }
      let dimensions = info.map { "\($0.width)×\($0.height), " } ?? ""
      let link = Self.link(source.name, from: folder)
      // A source browsers cannot show (HEIC) is linked, and its largest output shown.
      var picture = "<img src=\"\(link)\" alt=\"source\">"
      var note = ""
      if let format = info?.format, !Self.browserFormats.contains(format) {
        let area = { (output: Output) in (output.size?.width ?? 0) * (output.size?.height ?? 0) }
        let largest = source.outputs.max { area($0) < area($1) }
        picture =
          largest.map {
            "<img src=\"\(Self.link($0.path, from: folder))\" alt=\"\(Self.escape($0.variant)) output\">"
          } ?? ""
        note =
          "<br>\(format.uppercased()): browsers do not show it; "
          + (largest.map { "shown: its \(Self.escape($0.variant)) output; " } ?? "")
          + "<a href=\"\(link)\">the source</a>"
      }
      rows.append(
        "<tr data-saving=\"\(String(format: "%.4f", saving))\"><td class=\"source\">"
          + "<figure>\(picture)"
          + "<figcaption>\(Self.escape(source.name))<br>\(dimensions)\(ByteCount.human(source.bytes))\(note)"
          + "</figcaption></figure></td><td class=\"variants\">\(cells.joined())</td>"
          + "<td class=\"saving\">\(String(format: "%.0f %%", saving * 100))</td></tr>")
    }
    let page = Self.page(
      rows: rows,
      summary:
        "\(sources.count) sources, \(ByteCount.human(totalIn)) in → \(ByteCount.human(totalOut)) out"
    )
    try FileIO.writeAtomically(Array(page.utf8), to: path)
  }

  private static func page(rows: [String], summary: String) -> String {
    """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>imgproc report</title>
    <style>
    body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
    table { border-collapse: collapse; width: 100%; }
    td, th { border-top: 1px solid #ddd; padding: 8px; vertical-align: top; text-align: left; }
    figure { display: inline-block; margin: 0 12px 8px 0; width: 180px; }
    img { max-width: 180px; max-height: 140px; background: #eee; display: block; }
    figcaption { font-size: 12px; color: #555; overflow-wrap: anywhere; }
    button { font: inherit; cursor: pointer; }
    </style></head><body>
    <h1>imgproc report</h1>
    <p>\(escape(summary)). Ratios are output bytes over source bytes; SSIM compares each lossy
    output with the pixels it was encoded from.</p>
    <table><thead><tr><th>source</th><th>variants</th>
    <th><button id="sort" type="button">saved ⇅</button></th></tr></thead>
    <tbody id="rows">
    \(rows.joined(separator: "\n"))
    </tbody></table>
    <script>
    document.getElementById("sort").addEventListener("click", function () {
      var body = document.getElementById("rows");
      var rows = Array.prototype.slice.call(body.rows);
      var down = body.dataset.order !== "down";
      rows.sort(function (a, b) {
        return (down ? -1 : 1) * (parseFloat(a.dataset.saving) - parseFloat(b.dataset.saving));
      });
      rows.forEach(function (row) { body.appendChild(row); });
      body.dataset.order = down ? "down" : "up";
    });
    window.addEventListener("load", function () {
      var images = document.images, loaded = 0;
      for (var i = 0; i < images.length; i++) {
        var ok = images[i].complete && images[i].naturalWidth > 0;
        images[i].dataset.loaded = ok ? "yes" : "no";
        if (ok) loaded++;
      }
      document.body.dataset.images = loaded + "/" + images.length;
    });
    </script>
    </body></html>

    """
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  static func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: full).standardized.path
  }

  /// `path` relative to `folder` (both made absolute), percent-encoded for `src`.
  static func link(_ path: String, from folder: String) -> String {
    let target = absolute(path).split(separator: "/", omittingEmptySubsequences: true)
    let base = folder.split(separator: "/", omittingEmptySubsequences: true)
    var common = 0
    while common < min(target.count, base.count) && target[common] == base[common] { common += 1 }
    let parts =
      Array(repeating: "..", count: base.count - common) + target[common...].map(String.init)
    let relative = parts.joined(separator: "/")
    return escape(
      relative.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? relative)
  }
}
