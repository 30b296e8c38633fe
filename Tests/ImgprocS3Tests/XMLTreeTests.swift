import Testing

@testable import ImgprocS3

@Suite("S3's XML documents")
struct XMLTreeTests {
  static func parse(_ text: String) -> XMLElement? { XMLElement.parse(Array(text.utf8)) }

  @Test("a listing: declaration, namespace attribute, entities, nested elements")
  func listing() throws {
    let root = try #require(
      Self.parse(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment --><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
        <Name>b</Name><Contents><Key>a &amp; b&lt;&#233;&#x1F600;.jpg</Key><Size>12</Size>\
        <ETag>&quot;abc&quot;</ETag></Contents><Contents><Key><![CDATA[x<y>.png]]></Key></Contents>\
        <Empty/><IsTruncated>false</IsTruncated></ListBucketResult>
        """))
    #expect(root.name == "ListBucketResult" && root.value("Name") == "b")
    #expect(
      root.children("Contents").compactMap { $0.value("Key") } == ["a & b<é😀.jpg", "x<y>.png"])
    #expect(root.child("Contents")?.value("ETag") == "\"abc\"")
    #expect(root.value("Empty") == "" && root.value("IsTruncated") == "false")
  }

  @Test("not well-formed: nil, never a crash")
  func malformed() {
    let deep = String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)
    for text in [
      "", "<a>", "<a></b>", "<a>x</a><b/>", "<a>&bogus;</a>", "<a>&#xFFFFFFFF;</a>", "<a b=c/>",
      "<a><!-- open", "text", "<a>&amp</a>", "<>", deep,
    ] {
      #expect(Self.parse(text) == nil, "\(text.prefix(40))")
    }
  }
}
