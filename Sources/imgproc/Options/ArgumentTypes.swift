import ArgumentParser
import ImgprocCodecs
import ImgprocCore
import ImgprocPipeline

extension Fit: ExpressibleByArgument {}
extension Kernel: ExpressibleByArgument {}
extension MetadataPolicy: ExpressibleByArgument {}
extension OutputProfile: ExpressibleByArgument {}
extension FailOn: ExpressibleByArgument {}
extension ChromaSubsampling: ExpressibleByArgument {}

extension RGBColor: ExpressibleByArgument {
  public init?(argument: String) {
    self.init(parsing: argument)
  }

  public var defaultValueDescription: String { description == "#ffffff" ? "white" : description }
}
