import Synchronization

#if IMGPROC_TSAN
import Foundation
#endif

#if IMGPROC_TSAN
/// A value guarded by a lock: `Mutex`, except in ThreadSanitizer builds
/// (`scripts/sanitize.sh thread` defines IMGPROC_TSAN), where it is this class around an
/// `NSLock`. Synchronization's `Mutex` takes a futex inside the toolchain's own,
/// uninstrumented code, so ThreadSanitizer never sees it order anything and reports every
/// access it guards as a race; a pthread mutex it sees. The guarded value is reached only
/// inside `withLock`.
public final class Locked<Value>: @unchecked Sendable {
  /// The value, in memory of its own: a stored `var` would add Swift's exclusivity
  /// bookkeeping, whose accesses TSan reports apart from the lock that orders them.
  private let storage: UnsafeMutablePointer<Value>
  private let lock = NSLock()

  public init(_ value: Value) {
    storage = UnsafeMutablePointer<Value>.allocate(capacity: 1)
    storage.initialize(to: value)
  }

  deinit {
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  public func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E)
    -> Result
  {
    lock.lock()
    defer { lock.unlock() }
    return try body(&storage.pointee)
  }
}
#else
/// A value guarded by a lock: `Mutex` (see the ThreadSanitizer build's definition above).
public typealias Locked<Value> = Mutex<Value>
#endif
