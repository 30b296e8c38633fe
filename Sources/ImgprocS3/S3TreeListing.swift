/// One page of ListObjectsV2.
public struct ListingPage: Sendable {
  public var objects: [S3Object]
  /// With a delimiter: the folders directly under the listed prefix (common prefixes), each
  /// ending in the delimiter, in key order.
  public var folders: [String]
  /// The continuation token; nil on the last page.
  public var next: String?
}

extension S3Client {
  /// The most folders directly under one prefix that `listTree` lists one by one; a prefix
  /// with more is listed flat (one stream of pages), which then costs fewer requests.
  public static let treeFolderLimit = 1000

  /// Every object under `prefix` ("" or ending in `/`), in key order, as `list` returns
  /// them; a big prefix listed folder by folder, as rclone walks a bucket, disjoint folders
  /// at once. A prefix whose first page is its only one is that page (one LIST). Otherwise
  /// its folders come from a listing with `/` as the delimiter, and each is listed the same
  /// way, at most `configuration.concurrency` folders of one prefix in flight (and every
  /// request within the client's limit); the keys directly under it are that listing's. A
  /// prefix without folders is thus one stream of pages, as `list` (after its first page,
  /// asked twice); one with more than `treeFolderLimit` folders directly under it is listed
  /// flat instead.
  ///
  /// Requests: one per page, plus, for each prefix of more than one page, its first page
  /// again and the pages of its folder listing. Many small folders under a big prefix cost
  /// one LIST each, in far fewer rounds one after another than the flat listing's pages.
  public func listTree(bucket: String, prefix: String) async throws(S3Error) -> [S3Object] {
    let first = try await listPage(bucket: bucket, prefix: prefix, continuationToken: nil)
    guard first.next != nil else { return first.objects }
    let folder = try await listFolder(bucket: bucket, prefix: prefix)
    let (objects, folders) = (folder.objects, folder.folders)
    if folders.count > Self.treeFolderLimit {
      return try await list(bucket: bucket, prefix: prefix)
    }
    guard !folders.isEmpty else { return objects }
    let below = try await listEach(folders, bucket: bucket)
    return Self.merged(objects, folders: folders, below: below)
  }

  /// One folder: the objects directly under `prefix` and its folders (common prefixes with
  /// `/` as the delimiter), every page, one after another.
  public func listFolder(bucket: String, prefix: String) async throws(S3Error) -> ListingPage {
    var listing = ListingPage(objects: [], folders: [], next: nil)
    var token: String?
    repeat {
      let page = try await listPage(
        bucket: bucket, prefix: prefix, delimiter: "/", continuationToken: token)
      listing.objects += page.objects
      listing.folders += page.folders
      token = page.next
    } while token != nil
    return listing
  }

  /// `listTree` of each of `folders`, in their order, `configuration.concurrency` at once.
  private func listEach(_ folders: [String], bucket: String) async throws(S3Error)
    -> [[S3Object]]
  {
    do {
      return try await withThrowingTaskGroup(of: (Int, [S3Object]).self) { group in
        var found = [[S3Object]](repeating: [], count: folders.count)
        var started = 0
        func start() {
          let index = started
          group.addTask { (index, try await self.listTree(bucket: bucket, prefix: folders[index])) }
          started += 1
        }
        while started < min(folders.count, configuration.concurrency) { start() }
        for try await (index, listed) in group {
          found[index] = listed
          if started < folders.count { start() }
        }
        return found
      }
    } catch let error as S3Error {
      throw error
    } catch {
      throw S3Error(.connection, "listing failed: \(error)", bucket: bucket, underlying: error)
    }
  }

  /// The objects directly under a prefix and those of each of its `folders` (`below`, in
  /// the same order) as one list in key order (UTF-8 byte order, as S3 lists). No key
  /// directly under the prefix starts with a folder, so each folder's objects go where the
  /// folder sorts.
  static func merged(_ objects: [S3Object], folders: [String], below: [[S3Object]])
    -> [S3Object]
  {
    var all: [S3Object] = []
    all.reserveCapacity(objects.count + below.reduce(0) { $0 + $1.count })
    var next = 0
    for (folder, listed) in zip(folders, below) {
      while next < objects.count, objects[next].key.utf8.lexicographicallyPrecedes(folder.utf8) {
        all.append(objects[next])
        next += 1
      }
      all += listed
    }
    all += objects[next...]
    return all
  }
}
