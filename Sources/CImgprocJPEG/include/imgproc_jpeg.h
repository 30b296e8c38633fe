/// C boundary for libjpeg(-turbo). Every libjpeg call, and the setjmp/longjmp error
/// handling it needs, lives inside the functions of jpeg_shim.c: no longjmp ever crosses
/// a Swift frame. Each function returns 0 on success or a non-zero status and fills a
/// `imgproc_jpeg_message` with a one-line reason.
#ifndef IMGPROC_JPEG_H
#define IMGPROC_JPEG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  IMGPROC_JPEG_OK = 0,
  IMGPROC_JPEG_ERROR = 1,           ///< libjpeg reported a fatal error (corrupt or unsupported data)
  IMGPROC_JPEG_WARNING = 2,         ///< a warning (e.g. truncated data) while warnings are fatal
  IMGPROC_JPEG_BAD_ARGUMENT = 3,    ///< caller error: buffer too small, bad geometry
  IMGPROC_JPEG_OUT_OF_MEMORY = 4
};

/// Colour model of the stored JPEG, as libjpeg reports it.
enum {
  IMGPROC_JPEG_GRAY = 1,
  IMGPROC_JPEG_RGB = 3,   ///< YCbCr or RGB
  IMGPROC_JPEG_CMYK = 4,  ///< CMYK or YCCK (converted to RGB on decode)
};

typedef struct {
  char text[200];
  int warnings;  ///< number of libjpeg warnings seen
} imgproc_jpeg_message;

/// Header facts. `icc`/`exif` are malloc'd copies owned by the caller
/// (release with `imgproc_jpeg_free`), NULL when absent.
typedef struct {
  int width, height;              ///< stored size in pixels
  int output_width, output_height;///< size after DCT scaling by 1/scale_denom
  int color_model;                ///< IMGPROC_JPEG_GRAY / _RGB / _CMYK
  int output_channels;            ///< 1 (gray) or 3 (RGB)
  int progressive, arithmetic;
  unsigned char *icc;  unsigned int icc_length;
  unsigned char *exif; unsigned int exif_length;  ///< TIFF bytes after "Exif\0\0"
} imgproc_jpeg_header;

/// Reads markers up to the first scan. `scale_denom` is 1, 2, 4 or 8.
int imgproc_jpeg_probe(const unsigned char *data, size_t size, int scale_denom,
                       imgproc_jpeg_header *header, imgproc_jpeg_message *message);

/// Decodes into `pixels` (8-bit gray or RGB, rows `stride` bytes apart, `capacity` bytes).
/// The geometry must equal what `imgproc_jpeg_probe` reported for the same `scale_denom`.
/// CMYK and YCCK files become RGB with a naive formula, or with `raw_cmyk` 4 samples per
/// pixel as ink amounts (0 = no ink; Adobe's inverted samples turned back).
/// With `fail_on_warning`, the first libjpeg warning aborts with IMGPROC_JPEG_WARNING.
int imgproc_jpeg_decode(const unsigned char *data, size_t size, int scale_denom,
                        int fail_on_warning, int raw_cmyk, unsigned char *pixels, size_t stride,
                        size_t capacity, imgproc_jpeg_message *message);

typedef struct {
  int quality;          ///< 1...100
  int progressive;      ///< 0 or 1
  int subsampling;      ///< 444, 422 or 420 (ignored for gray)
} imgproc_jpeg_settings;

/// Encodes 8-bit gray (channels 1) or RGB (channels 3) rows with optimised Huffman tables.
/// On success `*out` is a malloc'd buffer of `*out_size` bytes (release with `imgproc_jpeg_free`).
int imgproc_jpeg_encode(const unsigned char *pixels, int width, int height, size_t stride,
                        int channels, imgproc_jpeg_settings settings,
                        const unsigned char *icc, unsigned int icc_length,
                        const unsigned char *exif, unsigned int exif_length,
                        unsigned char **out, unsigned long *out_size,
                        imgproc_jpeg_message *message);

void imgproc_jpeg_free(void *pointer);

/* libjpeg-turbo's version as built against, e.g. 2001005 for 2.1.5 (0 when unknown). */
int imgproc_jpeg_version_number(void);

#ifdef __cplusplus
}
#endif
#endif
