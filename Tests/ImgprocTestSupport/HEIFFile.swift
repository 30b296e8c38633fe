/// A HEIF file taken apart just far enough to add what Debian's `heif-enc` cannot write —
/// `irot`/`imir` transformations (as phones write them) and a `grid` image assembled from
/// tiles (as iPhones store their photos) — and put back together. Pure Swift, for fixtures:
/// the boxes are ISO/IEC 14496-12 (`iloc`, `iinf`, `iref`, `pitm`) and 23008-12 (`ipco`,
/// `ipma`, `irot`, `imir`, `ispe`, the grid's ImageGrid data).
///
/// Expects `heif-enc`'s layout: `ftyp`, `meta`, then the media data, items located by file
/// offset. Everything after `meta` moves as one block; `iloc` offsets follow it.
public struct HEIFFile {
  public struct EditError: Error, CustomStringConvertible {
    public let description: String
  }

  private let ftyp: [UInt8]
  private let metaHeader: (version: UInt8, flags: UInt32)
  private var children: [(type: String, bytes: [UInt8])]
  private var locations: ItemLocations
  private var infos: ItemInfos
  private var properties: [[UInt8]]
  private var associations: PropertyAssociations
  private var references: [(type: String, from: Int, to: [Int])] = []
  private var primary: Int
  private let media: [UInt8]
  private var gridData: [UInt8] = []

  public init(_ bytes: [UInt8]) throws {
    var top = try Box.children(of: bytes[...])
    guard top.count >= 3, top[0].type == "ftyp", top[1].type == "meta" else {
      throw EditError(description: "expected ftyp, meta, then media data")
    }
    ftyp = Array(top[0].whole)
    media = Array(bytes[top[1].whole.endIndex...])
    var meta = Reader(top[1].payload)
    let version = try meta.u8()
    metaHeader = (version, UInt32(try meta.unsigned(3)))
    top = try Box.children(of: meta.remaining)
    children = top.map { ($0.type, Array($0.whole)) }
    func payload(_ type: String) throws -> ArraySlice<UInt8> {
      guard let box = top.first(where: { $0.type == type }) else {
        throw EditError(description: "meta has no \(type)")
      }
      return box.payload
    }
    locations = try ItemLocations(try payload("iloc"))
    infos = try ItemInfos(try payload("iinf"))
    var pitm = Reader(try payload("pitm"))
    let pitmVersion = try pitm.u8()
    try pitm.skip(3)
    primary = try pitm.unsigned(pitmVersion == 0 ? 2 : 4)
    let iprp = try Box.children(of: try payload("iprp"))
    guard let ipco = iprp.first(where: { $0.type == "ipco" }),
      let ipma = iprp.first(where: { $0.type == "ipma" })
    else { throw EditError(description: "iprp without ipco or ipma") }
    properties = try Box.children(of: ipco.payload).map { Array($0.whole) }
    associations = try PropertyAssociations(ipma.payload)
    if let iref = top.first(where: { $0.type == "iref" }) {
      var reader = Reader(iref.payload)
      let wide = try reader.u8() == 1
      try reader.skip(3)
      for box in try Box.children(of: reader.remaining) {
        var entry = Reader(box.payload)
        let from = try entry.unsigned(wide ? 4 : 2)
        let count = try entry.unsigned(2)
        let to = try (0..<count).map { _ in try entry.unsigned(wide ? 4 : 2) }
        references.append((box.type, from, to))
      }
    }
  }

  /// The primary item's ID.
  public var primaryItem: Int { primary }
  /// IDs of the coded images (`hvc1`, `av01`), in file order.
  public var codedImages: [Int] {
    infos.items.filter { ["hvc1", "av01"].contains($0.type) }.map(\.id)
  }

  /// Appends a rotation by `quarterTurns` × 90° anti-clockwise (`irot`) to `item`.
  public mutating func rotate(item: Int, quarterTurns: Int) {
    associate(item, Box.make("irot", [UInt8(quarterTurns & 3)]), essential: true)
  }

  /// Appends a mirroring (`imir`) about `axis` (0 or 1, as the box stores it) to `item`.
  public mutating func mirror(item: Int, axis: Int) {
    associate(item, Box.make("imir", [UInt8(axis & 1)]), essential: true)
  }

  /// Adds a `grid` item of `tiles` (row by row, all the same size and depth) showing
  /// `width` × `height` pixels, makes it the primary item and hides the tiles. Returns its ID.
  @discardableResult
  public mutating func makeGrid(tiles: [Int], rows: Int, columns: Int, width: Int, height: Int)
    -> Int
  {
    let id = (infos.items.map(\.id).max() ?? 0) + 1
    infos.append(id: id, type: "grid")
    for tile in tiles { infos.hide(tile) }
    gridData = [0, 0, UInt8(rows - 1), UInt8(columns - 1)] + Box.be(width, 2) + Box.be(height, 2)
    locations.appendItem(id: id, length: gridData.count)
    references.append(("dimg", id, tiles))
    associate(
      id, Box.makeFull("ispe", 0, 0, Box.be(width, 4) + Box.be(height, 4)), essential: false)
    primary = id
    return id
  }

  /// The edited file.
  public func bytes() throws -> [UInt8] {
    let draft = try meta(shift: 0)
    let extra = gridData.isEmpty ? [] : Box.make("mdat", gridData)
    let shift = draft.count + extra.count - originalMetaSize
    let gridOffset = ftyp.count + draft.count + 8
    return ftyp + (try meta(shift: shift, gridOffset: gridOffset)) + extra + media
  }

  private var originalMetaSize: Int {
    12 + children.reduce(0) { $0 + $1.bytes.count }
  }

  private mutating func associate(_ item: Int, _ property: [UInt8], essential: Bool) {
    properties.append(property)
    associations.add(item: item, property: properties.count, essential: essential)
  }

  private func meta(shift: Int, gridOffset: Int = 0) throws -> [UInt8] {
    var boxes: [UInt8] = []
    for child in children {
      switch child.type {
      case "iloc": boxes += try locations.box(shift: shift, appendedOffset: gridOffset)
      case "iinf": boxes += infos.box()
      case "pitm": boxes += Box.makeFull("pitm", 1, 0, Box.be(primary, 4))
      case "iprp":
        boxes += Box.make("iprp", Box.make("ipco", properties.flatMap { $0 }) + associations.box())
      case "iref": continue
      default: boxes += child.bytes
      }
    }
    if !references.isEmpty {
      let entries = references.flatMap { reference in
        Box.make(
          reference.type,
          Box.be(reference.from, 4) + Box.be(reference.to.count, 2)
            + reference.to.flatMap { Box.be($0, 4) })
      }
      boxes += Box.makeFull("iref", 1, 0, entries)
    }
    return Box.makeFull("meta", metaHeader.version, metaHeader.flags, boxes)
  }
}

/// `iloc`: where each item's bytes are.
private struct ItemLocations {
  struct Extent {
    var index: Int
    var offset: Int
    var length: Int
  }
  struct Item {
    var id: Int
    var method: Int
    var dataReference: Int
    var baseOffset: Int
    var extents: [Extent]
    var appended = false
  }
  var version: UInt8
  var flags: UInt32
  var offsetSize, lengthSize, baseOffsetSize, indexSize: Int
  var items: [Item] = []

  init(_ payload: ArraySlice<UInt8>) throws {
    var reader = Reader(payload)
    version = try reader.u8()
    flags = UInt32(try reader.unsigned(3))
    let sizes = try reader.u8()
    let more = try reader.u8()
    offsetSize = Int(sizes >> 4)
    lengthSize = Int(sizes & 15)
    baseOffsetSize = Int(more >> 4)
    indexSize = version >= 1 ? Int(more & 15) : 0
    let count = try reader.unsigned(version < 2 ? 2 : 4)
    for _ in 0..<count {
      let id = try reader.unsigned(version < 2 ? 2 : 4)
      let method = version >= 1 ? Int(try reader.unsigned(2) & 15) : 0
      let dataReference = try reader.unsigned(2)
      let base = try reader.unsigned(baseOffsetSize)
      let extentCount = try reader.unsigned(2)
      let extents = try (0..<extentCount).map { _ in
        Extent(
          index: try reader.unsigned(indexSize), offset: try reader.unsigned(offsetSize),
          length: try reader.unsigned(lengthSize))
      }
      items.append(
        Item(
          id: id, method: method, dataReference: dataReference, baseOffset: base, extents: extents))
    }
  }

  mutating func appendItem(id: Int, length: Int) {
    version = max(version, 1)
    items.append(
      Item(
        id: id, method: 0, dataReference: 0, baseOffset: 0,
        extents: [Extent(index: 0, offset: 0, length: length)], appended: true))
  }

  /// The box, file offsets moved by `shift`; the appended item at `appendedOffset`.
  func box(shift: Int, appendedOffset: Int) throws -> [UInt8] {
    guard offsetSize > 0 else {
      throw HEIFFile.EditError(description: "iloc stores no offsets to move")
    }
    var payload = [UInt8(offsetSize << 4 | lengthSize), UInt8(baseOffsetSize << 4 | indexSize)]
    payload += Box.be(items.count, version < 2 ? 2 : 4)
    for item in items {
      payload += Box.be(item.id, version < 2 ? 2 : 4)
      if version >= 1 { payload += Box.be(item.method, 2) }
      payload += Box.be(item.dataReference, 2)
      let moves = item.method == 0 && !item.appended
      let base = item.baseOffset + (moves && baseOffsetSize > 0 ? shift : 0)
      payload += Box.be(base, baseOffsetSize) + Box.be(item.extents.count, 2)
      for extent in item.extents {
        var offset = extent.offset
        if item.appended {
          offset = appendedOffset
        } else if moves && baseOffsetSize == 0 {
          offset += shift
        }
        payload += Box.be(extent.index, indexSize) + Box.be(offset, offsetSize)
        payload += Box.be(extent.length, lengthSize)
      }
    }
    return Box.makeFull("iloc", version, flags, payload)
  }
}

/// `iinf`: each item's ID and type, kept as `infe` boxes.
private struct ItemInfos {
  var items: [(id: Int, type: String, box: [UInt8])] = []

  init(_ payload: ArraySlice<UInt8>) throws {
    var reader = Reader(payload)
    let version = try reader.u8()
    try reader.skip(3)
    _ = try reader.unsigned(version == 0 ? 2 : 4)
    for box in try Box.children(of: reader.remaining) where box.type == "infe" {
      var entry = Reader(box.payload)
      let entryVersion = try entry.u8()
      guard entryVersion >= 2 else { throw HEIFFile.EditError(description: "infe version < 2") }
      try entry.skip(3)
      let id = try entry.unsigned(entryVersion == 2 ? 2 : 4)
      try entry.skip(2)
      items.append((id, try entry.fourCC(), Array(box.whole)))
    }
  }

  mutating func append(id: Int, type: String) {
    let payload = Box.be(id, 4) + [0, 0] + Array(type.utf8) + [0]
    items.append((id, type, Box.makeFull("infe", 3, 0, payload)))
  }

  /// Sets the `infe`'s hidden flag (bit 0 of its flags).
  mutating func hide(_ id: Int) {
    guard let index = items.firstIndex(where: { $0.id == id }) else { return }
    items[index].box[11] |= 1
  }

  func box() -> [UInt8] {
    Box.makeFull("iinf", 1, 0, Box.be(items.count, 4) + items.flatMap(\.box))
  }
}

/// `ipma`: which properties (1-based indices into `ipco`) each item has, in order.
private struct PropertyAssociations {
  var entries: [(item: Int, properties: [(index: Int, essential: Bool)])] = []

  init(_ payload: ArraySlice<UInt8>) throws {
    var reader = Reader(payload)
    let version = try reader.u8()
    let wideIndices = try reader.unsigned(3) & 1 == 1
    for _ in 0..<(try reader.unsigned(4)) {
      let item = try reader.unsigned(version < 1 ? 2 : 4)
      let count = Int(try reader.u8())
      let properties = try (0..<count).map { _ in
        let value = try reader.unsigned(wideIndices ? 2 : 1)
        let top = wideIndices ? 0x8000 : 0x80
        return (index: value & (top - 1), essential: value & top != 0)
      }
      entries.append((item, properties))
    }
  }

  mutating func add(item: Int, property: Int, essential: Bool) {
    if let index = entries.firstIndex(where: { $0.item == item }) {
      entries[index].properties.append((property, essential))
    } else {
      entries.append((item, [(property, essential)]))
    }
  }

  func box() -> [UInt8] {
    var payload = Box.be(entries.count, 4)
    for entry in entries {
      payload += Box.be(entry.item, 4) + [UInt8(entry.properties.count)]
      for property in entry.properties {
        payload += Box.be(property.index | (property.essential ? 0x8000 : 0), 2)
      }
    }
    return Box.makeFull("ipma", 1, 1, payload)
  }
}

/// Box framing.
private enum Box {
  struct Found {
    let type: String
    let whole: ArraySlice<UInt8>
    let payload: ArraySlice<UInt8>
  }

  static func children(of bytes: ArraySlice<UInt8>) throws -> [Found] {
    var found: [Found] = []
    var start = bytes.startIndex
    while start < bytes.endIndex {
      var reader = Reader(bytes[start...])
      var size = try reader.unsigned(4)
      let type = try reader.fourCC()
      var header = 8
      if size == 1 {
        size = try reader.unsigned(8)
        header = 16
      } else if size == 0 {
        size = bytes.endIndex - start
      }
      guard size >= header, start + size <= bytes.endIndex else {
        throw HEIFFile.EditError(description: "box \(type) overruns its parent")
      }
      found.append(
        Found(
          type: type, whole: bytes[start..<(start + size)],
          payload: bytes[(start + header)..<(start + size)]))
      start += size
    }
    return found
  }

  static func make(_ type: String, _ payload: [UInt8]) -> [UInt8] {
    be(payload.count + 8, 4) + Array(type.utf8) + payload
  }

  static func makeFull(_ type: String, _ version: UInt8, _ flags: UInt32, _ payload: [UInt8])
    -> [UInt8]
  {
    make(type, [version] + be(Int(flags), 3) + payload)
  }

  /// `value` as `count` big-endian bytes.
  static func be(_ value: Int, _ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * (count - 1 - $0))) }
  }
}

/// Big-endian fields from a slice.
private struct Reader {
  private var bytes: ArraySlice<UInt8>

  init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

  var remaining: ArraySlice<UInt8> { bytes }

  mutating func u8() throws -> UInt8 { UInt8(try unsigned(1)) }

  mutating func unsigned(_ count: Int) throws -> Int {
    guard count <= 8, bytes.count >= count else {
      throw HEIFFile.EditError(description: "truncated box")
    }
    var value: UInt64 = 0
    for byte in bytes.prefix(count) { value = value << 8 | UInt64(byte) }
    bytes = bytes.dropFirst(count)
    return Int(truncatingIfNeeded: value)
  }

  mutating func skip(_ count: Int) throws {
    guard bytes.count >= count else { throw HEIFFile.EditError(description: "truncated box") }
    bytes = bytes.dropFirst(count)
  }

  mutating func fourCC() throws -> String {
    let code = try (0..<4).map { _ in try u8() }
    return String(decoding: code, as: UTF8.self)
  }
}
