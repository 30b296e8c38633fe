extension WatchJournal.Key: Comparable {
  static func < (a: Self, b: Self) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

extension WatchJournal {
  /// What the journal says of each path (by `Key`), as memory keeps it: the entries read
  /// when it was opened in one array sorted by key (~72 bytes an entry; a dictionary of
  /// them took 2.5 times that at 100,000 paths, and twice again while it grew), and those
  /// recorded since in a dictionary, where `forgotten` hides an entry read at opening.
  /// Not thread-safe: `WatchJournal` keeps it behind its mutex.
  struct SettledPaths {
    /// One entry a line of the journal as read: its path's key, the line's index, what it
    /// settled with these settings (nil: forgotten, or other settings), and whether it
    /// forgot the path.
    struct Record {
      var key: Key
      var line: Int
      var settled: Settled?
      var forgotten: Bool
    }

    /// The last record of each key that settled something, in key order.
    private let opened: [Record]
    /// Where in `opened` the keys whose first `bucketBits` bits are `b` start (`starts[b]`)
    /// and end (`starts[b + 1]`): ~4 keys a bucket (keys are hashes), so a lookup reads
    /// two places of memory, not a binary search's 17 at 100,000 keys.
    private let starts: [Int]
    private let bucketBits: Int
    private var since: [Key: Settled] = [:]

    /// The store of the last record of each key among `records` (in line order, taken:
    /// sorted in place, then left empty), and which lines (of `lines`) a compacted journal
    /// keeps: each path's last, unless it forgot it.
    static func lastOfEach(_ records: inout [Record], lines: Int) -> (Self, kept: [Bool]) {
      defer { records = [] }
      records.sort { ($0.key, $0.line) < ($1.key, $1.line) }
      var kept = [Bool](repeating: false, count: lines)
      var count = 0
      for index in records.indices {
        let record = records[index]
        guard index + 1 == records.endIndex || records[index + 1].key != record.key else {
          continue
        }
        kept[record.line] = !record.forgotten
        guard record.settled != nil else { continue }
        records[count] = record
        count += 1
      }
      records.removeSubrange(count...)
      return (Self(opened: records), kept)
    }

    private init(opened: [Record]) {
      self.opened = opened
      bucketBits = max(0, (Int.bitWidth - (opened.count / 4).leadingZeroBitCount))
      var starts = [Int](repeating: opened.count, count: (1 << bucketBits) + 1)
      for index in opened.indices.reversed() {
        starts[Self.bucket(of: opened[index].key, bits: bucketBits)] = index
      }
      // An empty bucket starts where the next one does.
      for bucket in starts.indices.dropLast().reversed() {
        starts[bucket] = min(starts[bucket], starts[bucket + 1])
      }
      self.starts = starts
    }

    init() { self.init(opened: []) }

    private static func bucket(of key: Key, bits: Int) -> Int {
      bits == 0 ? 0 : Int(key.high >> UInt64(UInt64.bitWidth - bits))
    }

    subscript(key: Key) -> Settled? {
      get {
        if let recorded = since[key] { return recorded.status == .forgotten ? nil : recorded }
        return find(key)?.settled
      }
      set {
        since[key] =
          newValue
          ?? Settled(version: 0, digest: nil, status: .forgotten)
      }
    }

    /// What was read at opening of `key`, if nothing was recorded of it since.
    func unchangedSinceOpening(_ key: Key) -> Settled? {
      since[key] == nil ? find(key)?.settled : nil
    }

    private func find(_ key: Key) -> Record? {
      let bucket = Self.bucket(of: key, bits: bucketBits)
      return opened[starts[bucket]..<starts[bucket + 1]].first { $0.key == key }
    }
  }
}
