/// A queue from one producer to one consumer that holds at most `capacity` elements: `send`
/// waits while it is full, so a producer never runs more than `capacity` elements ahead of
/// its consumer and its memory stays bounded, however long the sequence. `finish` ends the
/// sequence after what is queued; `close` (the consumer stopped) drops what is queued and
/// makes every later `send` return at once. Its state is actor-isolated.
public actor BoundedChannel<Element: Sendable> {
  private let capacity: Int
  private var queue: [Element] = []
  /// The next element to receive is `queue[head]`.
  private var head = 0
  private var finished = false
  private var closed = false
  private var sender: CheckedContinuation<Void, Never>?
  private var receiver: CheckedContinuation<Element?, Never>?

  public init(capacity: Int) { self.capacity = max(1, capacity) }

  /// Queues `element`, waiting while `capacity` are queued.
  public func send(_ element: Element) async {
    while queue.count - head >= capacity && !closed {
      await withCheckedContinuation { sender = $0 }
    }
    guard !closed, !finished else { return }
    if let waiting = receiver {
      receiver = nil
      waiting.resume(returning: element)
    } else {
      queue.append(element)
    }
  }

  /// No more elements: the consumer gets what is queued, then nil.
  public func finish() {
    finished = true
    if head == queue.count, let waiting = receiver {
      receiver = nil
      waiting.resume(returning: nil)
    }
  }

  /// The consumer is gone: what is queued is dropped and `send` no longer waits.
  public func close() {
    closed = true
    queue = []
    head = 0
    sender?.resume()
    sender = nil
    receiver?.resume(returning: nil)
    receiver = nil
  }

  /// The next element, waiting for one; nil once finished and drained, or closed.
  public func receive() async -> Element? {
    if head < queue.count {
      let element = queue[head]
      head += 1
      if head >= capacity {
        queue.removeFirst(head)
        head = 0
      }
      sender?.resume()
      sender = nil
      return element
    }
    if finished || closed { return nil }
    return await withCheckedContinuation { receiver = $0 }
  }

  /// The elements as an async sequence, for the one consumer.
  public nonisolated var elements: Elements { Elements(channel: self) }

  public struct Elements: AsyncSequence, Sendable {
    let channel: BoundedChannel

    public func makeAsyncIterator() -> Iterator { Iterator(channel: channel) }

    public struct Iterator: AsyncIteratorProtocol {
      let channel: BoundedChannel

      public mutating func next() async -> Element? { await channel.receive() }
    }
  }
}
