import Foundation

/// The most memory this process has held resident so far (the kernel's high-water mark,
/// `VmHWM` in /proc/self/status), in bytes; nil where the kernel does not say. Unlike
/// `getrusage`'s `ru_maxrss`, it starts afresh at `exec`, so a process started by a large
/// one reports its own peak. In `--json`'s summary as `peakMemory` (what a Lambda function
/// needs for such a batch).
public enum PeakMemory {
  public static func residentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return nil
    }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.count >= 3, let kilobytes = Int(fields[1]), fields[2] == "kB" else { return nil }
      return kilobytes * 1024
    }
    return nil
  }
}
