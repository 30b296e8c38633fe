import Foundation
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline

/// Starting inputs for each target, generated in code (scripts/fuzz.sh adds the public
/// conformance suites it fetches): small images in every layout each format stores, with and
/// without an ICC profile and EXIF; recipes and variant specifications; S3 answers.
public enum FuzzSeeds {
  /// (file name, bytes) for `target`.
  public static func seeds(for target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
    switch target {
    case .jpeg: images.filter { $0.name.hasSuffix(".jpg") }
    case .png: images.filter { $0.name.hasSuffix(".png") }
    case .webp: images.filter { $0.name.hasSuffix(".webp") }
    case .heif: images.filter { $0.name.hasSuffix(".avif") }
    case .info, .pipeline: images
    case .recipe: recipes
    case .s3xml: s3Answers
    }
  }

  /// A 24×16 image of `layout` whose every sample differs from its neighbours.
  static func picture(_ layout: PixelLayout, depth: SampleDepth = .eight) -> Image? {
    let (width, height) = (24, 16)
    let count = width * height * layout.channels * depth.bytes
    let samples = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 7) }
    return try? Image(width: width, height: height, layout: layout, depth: depth, pixels: samples)
  }

  static var images: [(name: String, bytes: [UInt8])] {
    var seeds: [(String, [UInt8])] = []
    let profile = ColorManagement.rgbProfile(
      white: (0.3127, 0.3290), red: (0.680, 0.320), green: (0.265, 0.690), blue: (0.150, 0.060),
      description: "imgproc fuzz seed Display P3")
    let exif: [UInt8] = [
      0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01,
      0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]
    let tagged = ImageMetadata(icc: profile, exif: exif)
    func add(_ name: String, _ image: Image?, _ settings: EncodeSettings, _ metadata: ImageMetadata)
    {
      guard let image, let bytes = try? Codecs.encode(image, settings, metadata: metadata) else {
        return
      }
      seeds.append((name, bytes))
    }
    for (layout, label) in [(PixelLayout.gray, "gray"), (.rgb, "rgb")] {
      add("\(label).jpg", picture(layout), .jpeg(JPEGSettings(quality: 90)), ImageMetadata())
      add(
        "\(label)-progressive-tagged.jpg", picture(layout),
        .jpeg(JPEGSettings(quality: 75, progressive: true)),
        layout == .rgb ? tagged : ImageMetadata())
    }
    // Files imgproc's encoder does not write (an arithmetic-coded JPEG with restart markers,
    // a YCCK JPEG): Tests/ImgprocTestSupport/Fixtures' arithmetic-restart-2.jpg and
    // ycck-flat.jpg (its README says how they were made), as base64.
    for (name, text) in [
      (
        "arithmetic-restarts.jpg",
        """
        /9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4R
        DgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU
        FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/yQARCABAAFADAREAAhEBAxEB/8wACgAQEAUBEBEF/90ABAAU/9oA
        DAMBAAIRAxEAPwD/AO031VHLB4G3aAW4aPljVTMuwYgWJ7uPy4jEOeVYFCvau1hMH7UZIxOmFQQxlXfH0y2X3ZAT
        +8rBLhgD8b+hmOR4pnJ3uZrCr1qtSB+rVO8g8CgXl0wIsTHIRV26Khlhtcw/APDs2JbhPcus6grtHbZPQiLoh03p
        83ZgCVDD7dmonSIDiCa1I9uUH4D/0P8A531j1yweCIvkzCwgTLSl5MMrDDXoR8WkAGKg9bfLCC0h8bcvpND2Z65y
        06cp+thtIfTKHkqpUvtovRMjclGLypa8B9x7s1I2EfEc3ahFHhZRd/oZ1C6MTCfv4kkroYFAOM3RPuhz1yM9bCek
        DMBUvV3DKFclC+oHVcBxofm8k3q/do74BOqA/9H/ALshU1yweCI7N22UMJ8mlLyYm8Ra58dANIAMlTt5IUEKtoOa
        /kWtro0LZHOi5Noeh/ntgsG2STP/AFCLvNN7VDxzjoSLABetOM35dLWoYBg3I0epvav+3MiOO8zi1hZHSMa/C38A
        uSggQdmMl5Nqg9wCJ26Bz7TRAgDQVJ0neslKRew352usllxI/9LSOZxt4Z2ESAfzttq2uzaI1iaITTzjd+Ejpys4
        wkW6Q0c3bF5869SO4JaWUCzApW9RwAXu98na1NTuqniKZaRCi0q4LD3eXsxIKxjnNnb0CSVxpv1TeleGafskD9Wr
        bJrlp/ZN3CfPXLUiizb3S64oUfWd9viLVT9hLcIBbV5oWtFNismVSvux53fw/9k=
        """
      ),
      (
        "ycck.jpg",
        """
        /9j/7gAOQWRvYmUAZAAAAAAC/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcG
        BggLCAkKCgoKCgYICwwLCgwJCgoK/9sAQwECAgICAgIFAwMFCgcGBwoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoK
        CgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoK/8AAFAgAEAAQBAEiAAIRAQMRAQQiAP/EABYAAQEBAAAAAAAAAAAAAAAA
        AAAHCf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/xAAUAQEAAAAAAAAAAAAAAAAAAAAJ/8QAFBEBAAAAAAAAAAAAAAAA
        AAAAAP/aAA4EAQACEQMRBAAAPwCPgFUGu0gAf//Z
        """
      ),
    ] {
      if let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) {
        seeds.append((name, Array(data)))
      }
    }
    for (layout, label) in [
      (PixelLayout.gray, "gray"), (.grayAlpha, "gray-alpha"), (.rgb, "rgb"), (.rgba, "rgba"),
    ] {
      add("\(label).png", picture(layout), .png(PNGSettings(palette: false)), ImageMetadata())
      add("\(label)-16.png", picture(layout, depth: .sixteen), .png(PNGSettings()), ImageMetadata())
    }
    add("rgb-tagged.png", picture(.rgb), .png(PNGSettings()), tagged)
    var fewColours = [UInt8](repeating: 0, count: 24 * 16 * 3)
    for index in fewColours.indices {
      let pixel: Int = index / 3
      fewColours[index] = UInt8(truncatingIfNeeded: pixel % 5 * 50)
    }
    if let flat = try? Image(width: 24, height: 16, layout: .rgb, pixels: fewColours) {
      add("palette.png", flat, .png(PNGSettings(palette: true)), ImageMetadata())
    }
    for (layout, label) in [(PixelLayout.rgb, "rgb"), (.rgba, "rgba")] {
      add("\(label).webp", picture(layout), .webp(WebPSettings(quality: 80)), ImageMetadata())
      add(
        "\(label)-lossless-tagged.webp", picture(layout), .webp(WebPSettings(lossless: true)),
        tagged)
    }
    #if HEIF
    add("rgb.avif", picture(.rgb), .avif(AVIFSettings(quality: 60, effort: 9)), ImageMetadata())
    #endif
    return seeds
  }

  static var recipes: [(name: String, bytes: [UInt8])] {
    [
      ("standard.json", Array(Recipe.standard.json().utf8)),
      (
        "variants.txt",
        Array(
          """
          thumb:jpeg:200x200
          hero:webp:q=80:1600x:effort=6
          icon:png:64x64:fit=cover:kernel=mitchell
          avatar:avif:q=50:256x256:lossless
          """.utf8)
      ),
    ]
  }

  static var s3Answers: [(name: String, bytes: [UInt8])] {
    let listing = """
      <?xml version="1.0" encoding="UTF-8"?>
      <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>\
      <Prefix>in/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>\
      <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
      <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>\
      <Contents><Key>in/a+b%01.jpg</Key><LastModified>2026-11-28T16:00:00.000Z</LastModified>\
      <ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;</ETag><Size>5</Size></Contents>\
      <Contents><Key>in/caf%C3%A9.png</Key><ETag>"abc-2"</ETag><Size>12345678</Size></Contents>\
      </ListBucketResult>
      """
    let error = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>\
      <BucketName>b</BucketName><Key>in/a.jpg</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>
      """
    let headers = """
      ETag: "5d41402abc4b2a76b9719d911017c592"
      Content-Type: image/jpeg
      x-amz-meta-source-key: =?UTF-8?B?Y2Fmw6kuanBn?=
      x-amz-meta-note: =?utf-8?Q?caf=C3=A9_au_lait?=
      x-amz-server-side-encryption: aws:kms
      """
    return [
      ("listing.xml", Array(listing.utf8)), ("error.xml", Array(error.utf8)),
      ("headers.txt", Array(headers.utf8)),
    ]
  }
}
