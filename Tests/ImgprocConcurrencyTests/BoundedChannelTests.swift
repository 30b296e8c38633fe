import ImgprocConcurrency
import Synchronization
import Testing

@Suite("A bounded channel between one producer and one consumer")
struct BoundedChannelTests {
  @Test("the producer never runs more than its capacity ahead; every element arrives, in order")
  func backpressure() async {
    let channel = BoundedChannel<Int>(capacity: 3)
    let sent = Atomic(0)
    let producer = Task {
      for value in 0..<20 {
        await channel.send(value)
        sent.add(1, ordering: .relaxed)
      }
      await channel.finish()
    }
    // Nothing is taken: the producer fills the channel, then stops there.
    for _ in 0..<500 where sent.load(ordering: .relaxed) < 3 {
      try? await Task.sleep(nanoseconds: 10_000_000)
    }
    try? await Task.sleep(nanoseconds: 50_000_000)
    #expect(sent.load(ordering: .relaxed) == 3)
    var received: [Int] = []
    for await value in channel.elements {
      received.append(value)
      #expect(sent.load(ordering: .relaxed) <= received.count + 3)
    }
    await producer.value
    #expect(received == Array(0..<20))
  }

  @Test("once the consumer closes it, a waiting producer goes on and nothing more is queued")
  func close() async {
    let channel = BoundedChannel<Int>(capacity: 2)
    let producer = Task {
      for value in 0..<10 { await channel.send(value) }
      await channel.finish()
    }
    #expect(await channel.receive() == 0)
    await channel.close()
    await producer.value
    #expect(await channel.receive() == nil)
  }
}
