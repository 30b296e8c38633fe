// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "imgproc",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "imgproc", targets: ["imgproc"]),
    // scripts/fuzz.sh builds it with libFuzzer; a normal build replays saved inputs.
    .executable(name: "imgproc-fuzz", targets: ["imgproc-fuzz"]),
  ],
  // HEIF/HEIC and AVIF through libheif, on by default. The Lambda package is built without
  // it (`--disable-default-traits`): Debian ships libheif and its codecs as shared objects
  // only, built against a newer glibc than Amazon Linux 2023's.
  traits: [
    .default(enabledTraits: ["HEIF"]),
    .trait(name: "HEIF", description: "Read HEIF/HEIC and AVIF, write AVIF (libheif)"),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // MARK: C boundaries (each library is called from exactly one Swift file)
    .target(
      name: "CImgprocJPEG",
      linkerSettings: [.linkedLibrary("jpeg")]
    ),
    .target(
      name: "CImgprocPNG",
      linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("z")]
    ),
    .systemLibrary(
      name: "CImgprocDeflate",
      pkgConfig: "libdeflate",
      providers: [.apt(["libdeflate-dev"])]
    ),
    .systemLibrary(
      name: "CImgprocZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .systemLibrary(
      name: "CImgprocLCMS",
      pkgConfig: "lcms2",
      providers: [.apt(["liblcms2-dev"])]
    ),
    .systemLibrary(
      name: "CImgprocHEIF",
      pkgConfig: "libheif",
      providers: [.apt(["libheif-dev"])]
    ),
    .systemLibrary(
      name: "CImgprocWebP",
      pkgConfig: "libwebp",
      providers: [.apt(["libwebp-dev"])]
    ),

    // MARK: Libraries
    .target(name: "ImgprocCore"),
    .target(
      name: "ImgprocCodecs",
      dependencies: [
        "ImgprocCore", "CImgprocJPEG", "CImgprocPNG", "CImgprocWebP", "CImgprocDeflate",
        "CImgprocZlib", "CImgprocLCMS",
        .target(name: "CImgprocHEIF", condition: .when(traits: ["HEIF"])),
      ]
    ),
    // Shared machinery that belongs to no format and no service.
    .target(name: "ImgprocConcurrency"),
    .target(
      name: "ImgprocHTTP",
      dependencies: [
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    // One image → its variants, and the engine that runs many to any store.
    .target(
      name: "ImgprocPipeline",
      dependencies: [
        "ImgprocCore", "ImgprocCodecs", "ImgprocConcurrency",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    // What people and log search see: swift-log's handler (text or JSON lines), the progress
    // line, the summary, the HTML report.
    .target(
      name: "ImgprocConsole",
      dependencies: [
        "ImgprocPipeline", "ImgprocCodecs", "ImgprocCore", "ImgprocConcurrency",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),

    .target(
      name: "SigV4",
      dependencies: [.product(name: "Crypto", package: "swift-crypto")]
    ),

    .target(
      name: "ImgprocS3",
      dependencies: [
        "SigV4", "ImgprocHTTP", "ImgprocConcurrency",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),

    // The jobs the commands run: the engine with local and S3 stores.
    .target(
      name: "ImgprocJobs",
      dependencies: ["ImgprocPipeline", "ImgprocCodecs", "ImgprocS3", "ImgprocConcurrency"]
    ),
    // imgproc watch: inotify, settling, the journal.
    .target(
      name: "ImgprocWatch",
      dependencies: [
        "ImgprocJobs", "ImgprocPipeline", "ImgprocCodecs", "ImgprocS3", "ImgprocConcurrency",
      ]
    ),

    // imgproc lambda: the Runtime API loop, events, the per-object handler.
    .target(
      name: "ImgprocLambda",
      dependencies: [
        "ImgprocJobs", "ImgprocPipeline", "ImgprocCodecs", "ImgprocS3", "ImgprocHTTP",
        "ImgprocConcurrency", "ImgprocConsole",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),

    // MARK: The command-line tool
    .executableTarget(
      name: "imgproc",
      dependencies: [
        "ImgprocJobs", "ImgprocWatch", "ImgprocLambda", "ImgprocPipeline", "ImgprocConsole",
        "ImgprocCore", "ImgprocCodecs", "ImgprocS3", "SigV4",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),

    // MARK: Fuzzing (scripts/fuzz.sh builds imgproc-fuzz with libFuzzer)
    .target(
      name: "ImgprocFuzzing",
      dependencies: ["ImgprocCodecs", "ImgprocCore", "ImgprocPipeline", "ImgprocS3", "ImgprocHTTP"]
    ),
    .executableTarget(
      name: "imgproc-fuzz",
      dependencies: ["ImgprocFuzzing"]
    ),

    // MARK: Benchmarks (Benchmarks/run.sh builds it in release mode)
    .executableTarget(
      name: "imgproc-codec-bench",
      dependencies: ["ImgprocPipeline", "ImgprocCodecs", "ImgprocCore"],
      path: "Benchmarks/CodecBench"
    ),

    // MARK: Tests
    .target(
      name: "ImgprocTestSupport",
      dependencies: ["ImgprocCore", "ImgprocCodecs", "ImgprocS3", "ImgprocHTTP", "SigV4"],
      path: "Tests/ImgprocTestSupport",
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "ImgprocCoreTests",
      dependencies: ["ImgprocCore", "ImgprocTestSupport"]
    ),
    .testTarget(
      name: "ImgprocCodecsTests",
      dependencies: ["ImgprocCodecs", "ImgprocCore", "ImgprocTestSupport"]
    ),
    .testTarget(
      name: "ImgprocPipelineTests",
      dependencies: [
        "ImgprocPipeline", "ImgprocCodecs", "ImgprocCore", "ImgprocConcurrency",
        "ImgprocTestSupport",
      ]
    ),
    .testTarget(
      name: "ImgprocWatchTests",
      dependencies: ["ImgprocWatch", "ImgprocPipeline", "ImgprocJobs", "ImgprocTestSupport"]
    ),
    .testTarget(
      name: "ImgprocConcurrencyTests",
      dependencies: ["ImgprocConcurrency"]
    ),
    .testTarget(
      name: "ImgprocS3Tests",
      dependencies: [
        "ImgprocS3", "ImgprocHTTP", "ImgprocConcurrency", "ImgprocTestSupport", "SigV4",
      ]
    ),
    .testTarget(
      name: "ImgprocJobsTests",
      dependencies: [
        "ImgprocJobs", "ImgprocS3", "ImgprocHTTP", "ImgprocPipeline", "ImgprocCodecs",
        "ImgprocConcurrency", "ImgprocTestSupport", "SigV4",
      ]
    ),
    .testTarget(
      name: "ImgprocLambdaTests",
      dependencies: [
        "ImgprocLambda", "ImgprocJobs", "ImgprocS3", "ImgprocPipeline", "ImgprocTestSupport",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "ImgprocFuzzingTests",
      dependencies: ["ImgprocFuzzing", "ImgprocCodecs", "ImgprocCore", "ImgprocTestSupport"],
      exclude: ["Findings"]
    ),
    .testTarget(
      name: "SigV4Tests",
      dependencies: ["SigV4"],
      exclude: ["Vectors"]
    ),
    .testTarget(
      name: "imgprocCLITests",
      dependencies: ["ImgprocCodecs", "ImgprocCore", "ImgprocTestSupport"]
    ),
  ]
)
