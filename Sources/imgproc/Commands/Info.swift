import ArgumentParser
import Foundation
import ImgprocCodecs
import ImgprocPipeline

extension IMGProc {
  /// `imgproc info`: what an image is, from its headers alone.
  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Describe images from their headers: format, size, depth, colour, metadata.",
      discussion: """
        Reads headers only (no pixel is decoded, so it is fast on huge files): format, width \
        x height, channels, bit depth and colour type, EXIF orientation, the ICC profile's \
        description and size, JPEG progressive/arithmetic coding, chroma subsampling and \
        estimated quality (the IJG quality whose tables match; exact for libjpeg's), PNG \
        interlacing, WebP lossy/lossless and frames, and the memory a decode takes. One line \
        per file, or with --json one JSON object per line. Exit status: 0 when every file \
        was read, 1 when any was not (one line each on standard error), 2 for usage errors.

        Examples:
          imgproc info photo.jpg
          imgproc info --json shots/*.jpg | jq .estimatedQuality
          imgproc convert a.png --variant w:webp:q=80 -o - | imgproc info -
        """)

    @Argument(help: "Image files, or - for standard input.")
    var files: [String]

    @Flag(help: "One JSON object per file and line on standard output.")
    var json = false

    func run() throws {
      var failed = false
      for file in files {
        let line: String
        do {
          let info = try Self.read(file)
          line = json ? try Self.jsonLine(file, info) : Self.line(file, info)
        } catch {
          failed = true
          FileHandle.standardError.write(Data("imgproc: \(file): \(error)\n".utf8))
          continue
        }
        // Standard output that cannot be written (a full disk, a closed pipe): one line and
        // exit 3, as coreutils do.
        do throws(PipelineError) {
          try FileIO.writeToStandardOutput(Array((line + "\n").utf8))
        } catch {
          FileHandle.standardError.write(Data("imgproc: \(error.message)\n".utf8))
          throw ExitCode(3)
        }
      }
      if failed { throw ExitCode(1) }
    }

    /// Reads `file`'s headers (all of standard input for `-`).
    static func read(_ file: String) throws -> ImageInfo {
      if file == "-" {
        return try ImageInfo.read(
          ByteSource(Array(FileHandle.standardInput.readDataToEndOfFile())))
      }
      return try FileIO.describe(file)
    }

    static func line(_ file: String, _ info: ImageInfo) -> String {
      var parts = ["\(info.format) \(info.width)×\(info.height)"]
      var color = "\(info.colorType)"
      if let subsampling = info.chromaSubsampling { color += " \(subsampling)" }
      parts.append(
        "\(color), \(info.bitDepth)-bit, \(info.channels) channel\(info.channels == 1 ? "" : "s") decoded"
      )
      if info.progressive == true { parts.append("progressive") }
      if info.arithmeticCoding == true { parts.append("arithmetic coding") }
      if info.interlaced == true { parts.append("interlaced") }
      if let quality = info.estimatedQuality { parts.append("quality ≈ \(quality)") }
      if let compression = info.compression { parts.append(compression) }
      if info.animated { parts.append("animated, \(info.frames) frames") }
      if let orientation = info.orientation { parts.append("orientation \(orientation)") }
      if let bytes = info.iccBytes {
        parts.append("ICC \"\(info.iccDescription ?? "unnamed")\" (\(ByteCount.human(bytes)))")
      }
      parts.append("\(ByteCount.human(info.fileBytes)) file")
      parts.append("decodes to \(ByteCount.human(info.decodedBytes))")
      return "\(file): " + parts.joined(separator: ", ")
    }

    static func jsonLine(_ file: String, _ info: ImageInfo) throws -> String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return String(decoding: try encoder.encode(Described(file: file, info: info)), as: UTF8.self)
    }
  }
}

/// `info`'s JSON object: the file, then the fields of `ImageInfo`.
private struct Described: Encodable {
  let file: String
  let info: ImageInfo

  enum Key: String, CodingKey { case file }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(file, forKey: .file)
    try info.encode(to: encoder)
  }
}
