import ImgprocConcurrency

/// What becomes of outputs that are already in the store.
public enum ExistingOutputs: Sendable {
  /// Report them up to date and do not make them again (`convert`'s default).
  case skip
  /// Make and store them again (`--overwrite`; s3-sync, which decides from its manifests).
  case replace
}

/// What a run does with the outputs of other settings or versions of its sources.
public enum OtherVersions: Sendable {
  case ignore
  /// Report each, left in place.
  case report
  /// Delete each, and report it deleted.
  case delete
}

/// Everything an engine needs to know that does not depend on where sources come from or
/// where outputs go.
public struct EngineConfiguration: Sendable {
  public var settings: RenderSettings {
    didSet { settingsKeys = Self.settingsKeys(settings) }
  }
  /// `OutputIdentity.settingsKey` of each variant, in recipe order: made once, as every
  /// output name of every source needs one.
  private var settingsKeys: [String]
  public var naming: OutputNaming
  /// Sources converted at once; also the CPU thread budget (`--jobs`).
  public var jobs: Int
  public var existingOutputs: ExistingOutputs
  /// Report what would be done (`.planned`) and convert nothing.
  public var dryRun: Bool
  /// Decode each lossy output again and report its SSIM against the pixels it was encoded
  /// from (`--report`; one more decode per lossy output).
  public var measuresSimilarity = false
  /// Sources larger than this many bytes are refused while they are read
  /// (`--max-input-bytes`).
  public var maxInputBytes: Int
  /// What becomes, after a run, of the outputs the store's records attribute to one of the
  /// run's sources but this run did not make (other settings or another version of the
  /// source): `convert` reports them (`--delete` deletes them); s3-sync replaces them through
  /// its manifests, watch as it converts each source.
  public var otherVersions = OtherVersions.ignore
  /// Sources in flight beyond the CPU budget, waiting on reads or stores: 2 for files; for
  /// S3, the requests in flight (`--concurrency`), so that small images keep every request
  /// slot busy. Each holds its bytes read and its outputs encoded, never pixels
  /// (`sourcesDecoded` bounds those).
  public var waitingSources = 2

  /// 512 MiB: far above any photo, far below what would exhaust memory.
  public static let defaultMaxInputBytes = 512 << 20

  public init(
    settings: RenderSettings, naming: OutputNaming, jobs: Int,
    existingOutputs: ExistingOutputs = .skip, dryRun: Bool = false,
    maxInputBytes: Int = EngineConfiguration.defaultMaxInputBytes
  ) {
    self.settings = settings
    self.settingsKeys = Self.settingsKeys(settings)
    self.naming = naming
    self.jobs = max(1, jobs)
    self.existingOutputs = existingOutputs
    self.dryRun = dryRun
    self.maxInputBytes = maxInputBytes
  }

  /// Sources between their first byte read and their commit: the CPU budget plus
  /// `waitingSources`, so reading the next sources and storing the last outputs overlap with
  /// image work.
  var sourcesInFlight: Int { jobs + max(1, waitingSources) }

  private static func settingsKeys(_ settings: RenderSettings) -> [String] {
    settings.recipe.variants.map { OutputIdentity.settingsKey($0, settings) }
  }

  /// Sources whose pixels are in memory (decoding, resized variants, encodes waiting): one
  /// more than the threads, so a thread never waits for a decode to have work.
  var sourcesDecoded: Int { jobs + 1 }
}

/// One output of a source: which variant, and where it goes.
struct PlannedOutput: Sendable {
  let variant: Variant
  let destination: String
}

extension EngineConfiguration {
  /// The destination of every variant of `item`, in recipe order. Names come from the
  /// template and the output's identity (source bytes and settings), so the same source with
  /// the same settings always gets the same names and a re-run finds its outputs.
  func plannedOutputs(
    of item: SourceItem, digest: [UInt8], in store: any OutputStore
  ) -> [PlannedOutput] {
    zip(settings.recipe.variants, settingsKeys).map { variant, settingsKey in
      let hash = OutputIdentity.hash(sourceDigest: digest, settingsKey: settingsKey)
      let name = naming.name(
        base: item.base, variant: variant, hash: hash, recipe: settings.recipe.name)
      return PlannedOutput(
        variant: variant, destination: store.destination(folder: item.outputFolder, name: name))
    }
  }
}

extension Urgency {
  /// Encoding one variant: before any decode, the costliest first, so the longest work
  /// starts early and a run does not end waiting for one big encode.
  static func encode(cost: Double) -> Urgency { Urgency(tier: 1, weight: cost) }

  /// Decoding and resizing a source: only when no encode waits, the biggest first.
  static func prepare(bytes: Int) -> Urgency { Urgency(tier: 0, weight: Double(bytes)) }
}
