import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Linux inotify, one small throwing function per call (the NIO `Epoll` shape). The only
/// file that calls inotify.
enum Inotify {
  /// What a watch reports: a file closed after writing, an entry moved in, a folder created,
  /// an entry gone, the queue overflowed, the watched folder itself gone.
  static let mask = UInt32(
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_MOVED_FROM | IN_DELETE
      | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

  /// A non-blocking, close-on-exec inotify descriptor.
  static func initialize() throws(WatchError) -> Int32 {
    let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    guard fd >= 0 else {
      throw WatchError.system(
        .inotify, "cannot start inotify", errno: errno,
        hint: errno == EMFILE ? "raise fs.inotify.max_user_instances, or use --poll" : "use --poll")
    }
    return fd
  }

  /// Watches `folder` (not following a symlink); the watch descriptor.
  static func addWatch(_ fd: Int32, folder: String) throws(WatchError) -> Int32 {
    let wd = inotify_add_watch(fd, folder, mask)
    guard wd >= 0 else {
      let number = errno
      throw WatchError.system(
        .inotify, "cannot watch \(folder)", errno: number,
        hint: number == ENOSPC
          ? "the inotify watch limit is reached: raise fs.inotify.max_user_watches (sysctl), or use --poll"
          : nil)
    }
    return wd
  }

  /// Stops watching `wd` (it may be gone already: the kernel drops the watch of a deleted
  /// folder).
  static func removeWatch(_ fd: Int32, _ wd: Int32) {
    _ = inotify_rm_watch(fd, wd)
  }

  /// Waits up to `timeout` milliseconds for events, then reads what is there: nil on timeout.
  static func read(_ fd: Int32, timeout: Int32, into buffer: inout [UInt8]) -> Int? {
    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    guard poll(&poller, 1, timeout) > 0 else { return nil }
    let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
    return count > 0 ? count : nil
  }
}

/// One inotify event, taken out of the kernel's variable-length records.
struct InotifyEvent: Equatable, Sendable {
  var watch: Int32
  var mask: UInt32
  /// The entry's name within the watched folder ("" for events about the folder itself).
  var name: String

  var isFolder: Bool { mask & UInt32(IN_ISDIR) != 0 }
  func has(_ flag: Int32) -> Bool { mask & UInt32(flag) != 0 }

  /// The events in `bytes` (`struct inotify_event` records: wd, mask, cookie, len, then a
  /// NUL-padded name of `len` bytes). A record cut short ends the walk; a name that is not
  /// UTF-8 is kept with replacement characters (the walk that follows names it).
  static func parse(_ bytes: ArraySlice<UInt8>) -> [InotifyEvent] {
    var events: [InotifyEvent] = []
    var offset = bytes.startIndex
    let header = 16
    while bytes.endIndex - offset >= header {
      func word(_ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + at + $1]) << (8 * $1) }
      }
      let length = Int(word(12))
      guard bytes.endIndex - offset >= header + length else { break }
      let nameBytes = bytes[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
      events.append(
        InotifyEvent(
          watch: Int32(bitPattern: word(0)), mask: word(4),
          name: String(decoding: nameBytes, as: UTF8.self)))
      offset += header + length
    }
    return events
  }
}
