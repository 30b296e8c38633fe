// zlib: the DEFLATE search Pillow's optimize=True runs, used for PNG data that is mostly
// long repeats (gradients, flat graphics), where it beats libdeflate's levels, and by
// `level=10` and up. Its stream API returns status codes and never jumps, so Swift calls
// it, through the one-shot helpers below, from Sources/ImgprocCodecs/PNG/Zlib.swift only.
#ifndef IMGPROC_ZLIB_SHIM_H
#define IMGPROC_ZLIB_SHIM_H
#include <limits.h>
#include <string.h>
#include <zlib.h>

/// Pillow's PNG stream settings (libImaging/ZipEncode.c): a 32 KiB window, memory level 9 and
/// a strategy: Pillow's Z_FILTERED (short matches dropped for literals: filtered photo rows)
/// or Z_DEFAULT_STRATEGY (flat graphics, whose short repeats matter).
static inline int imgproc_zlib_init(z_stream *stream, int level, int strategy) {
  memset(stream, 0, sizeof *stream);
  return deflateInit2(stream, level, Z_DEFLATED, 15, 9, strategy);
}

/// The most bytes `source_length` input can take with those settings, or 0 on failure.
static inline unsigned long imgproc_zlib_bound(unsigned long source_length, int level) {
  z_stream stream;
  if (imgproc_zlib_init(&stream, level, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
  unsigned long bound = deflateBound(&stream, source_length);
  deflateEnd(&stream);
  return bound;
}

/// Compresses `source` into `destination` (room for `*destination_length` bytes, set to the
/// bytes written) as one zlib stream with those settings; returns Z_OK or zlib's status.
static inline int imgproc_zlib_compress(
    unsigned char *destination, unsigned long *destination_length,
    const unsigned char *source, unsigned long source_length, int level, int strategy) {
  z_stream stream;
  int status = imgproc_zlib_init(&stream, level, strategy);
  if (status != Z_OK) return status;
  stream.next_in = (Bytef *)source;
  stream.next_out = destination;
  unsigned long input_left = source_length, output_left = *destination_length;
  do {
    uInt input = input_left > UINT_MAX ? UINT_MAX : (uInt)input_left;
    uInt output = output_left > UINT_MAX ? UINT_MAX : (uInt)output_left;
    stream.avail_in = input;
    stream.avail_out = output;
    status = deflate(&stream, input_left > input ? Z_NO_FLUSH : Z_FINISH);
    input_left -= input - stream.avail_in;
    output_left -= output - stream.avail_out;
  } while (status == Z_OK && output_left > 0);
  deflateEnd(&stream);
  *destination_length -= output_left;
  return status == Z_STREAM_END ? Z_OK : (status == Z_OK ? Z_BUF_ERROR : status);
}
#endif
