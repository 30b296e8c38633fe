import ImgprocCodecs
import ImgprocCore
import ImgprocTestSupport
import Testing

@Suite("EXIF orientation")
struct ExifTests {
  @Test(
    "reads the orientation in both byte orders", arguments: Orientation.allCases, [false, true])
  func read(orientation: Orientation, bigEndian: Bool) {
    let exif = Fixtures.exif(orientation: orientation.rawValue, bigEndian: bigEndian)
    #expect(Exif.orientation(in: exif)?.orientation == orientation)
  }

  @Test("resetting sets the tag to 1 and changes nothing else")
  func reset() {
    let exif = Fixtures.exif(orientation: 8, bigEndian: true)
    let reset = Exif.resettingOrientation(exif)
    #expect(Exif.orientation(in: reset)?.orientation == .up)
    #expect(reset.count == exif.count)
    #expect(zip(exif, reset).filter { $0 != $1 }.count == 1)
  }

  @Test("garbage and out-of-range values give no orientation")
  func garbage() {
    #expect(Exif.orientation(in: [1, 2, 3]) == nil)
    #expect(Exif.orientation(in: Fixtures.exif(orientation: 9)) == nil)
    var offsetPastEnd = Fixtures.exif(orientation: 6)
    offsetPastEnd[4] = 0xFF
    #expect(Exif.orientation(in: offsetPastEnd) == nil)
  }
}
