/// C boundary for libpng (decoding only). Every libpng call, with the setjmp its error handling needs,
/// lives inside the functions of png_shim.c: no longjmp ever crosses a Swift frame.
/// Functions return 0 on success or a non-zero status and fill `imgproc_png_message`.
#ifndef IMGPROC_PNG_H
#define IMGPROC_PNG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  IMGPROC_PNG_OK = 0,
  IMGPROC_PNG_ERROR = 1,         ///< libpng reported a fatal error (corrupt or unsupported data)
  IMGPROC_PNG_BAD_ARGUMENT = 3,  ///< caller error: buffer too small, bad geometry
  IMGPROC_PNG_OUT_OF_MEMORY = 4
};

typedef struct {
  char text[200];     ///< the error, or the first warning when the call succeeded
  int warnings;       ///< number of libpng warnings (never fatal)
} imgproc_png_message;

/// Header facts. `icc`/`exif` are malloc'd copies owned by the caller (release with
/// `imgproc_png_free`), NULL when absent.
typedef struct {
  unsigned int width, height;  ///< pixels
  int bit_depth;               ///< stored bit depth: 1, 2, 4, 8 or 16
  int color_type;              ///< PNG colour type as stored (0, 2, 3, 4, 6)
  int interlaced;
  int channels;                ///< decoded channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  int depth;                   ///< decoded bits per sample: 8, or 16 (native byte order)
  int image_complete;          ///< decode only: 1 once every row has been read
  int damaged_trailer;         ///< decode only: 1 if chunks after the image data were damaged (ignored)
  int truncated;               ///< decode only: 1 if the data ended inside the image data; the
                               ///< rows not read are zero (the call still succeeds)
  unsigned char *icc;  unsigned int icc_length;
  unsigned char *exif; unsigned int exif_length;  ///< eXIf payload (TIFF bytes)
} imgproc_png_header;

/// Reads chunks up to the first IDAT.
int imgproc_png_probe(const unsigned char *data, size_t size, imgproc_png_header *header,
                      imgproc_png_message *message);

/// Decodes every colour type and bit depth to `header->channels` × `header->depth`
/// samples, rows `stride` bytes apart, into `pixels` (`capacity` bytes). Also collects
/// metadata found after the image data.
int imgproc_png_decode(const unsigned char *data, size_t size, unsigned char *pixels,
                       size_t stride, size_t capacity, imgproc_png_header *header,
                       imgproc_png_message *message);

void imgproc_png_free(void *pointer);

/* The version of the libpng imgproc runs with, e.g. "1.6.39". */
const char *imgproc_png_version(void);

#ifdef __cplusplus
}
#endif
#endif
