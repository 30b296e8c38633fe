// The whole libpng call sequence of each operation lives in one function here, with its
// setjmp, so a longjmp from libpng's error handler never crosses a Swift frame.
// libpng only decodes: PNG files are written by Sources/ImgprocCodecs/PNG/PNGWriter.swift.
#include "imgproc_png.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// MARK: - Messages

typedef struct {
  imgproc_png_message *message;
  int out_of_memory;
  int truncated;  ///< the reader ran out of data
} shim_context;

static void shim_error_fn(png_structp png, png_const_charp text) {
  shim_context *context = (shim_context *)png_get_error_ptr(png);
  snprintf(context->message->text, sizeof(context->message->text), "%s", text);
  if (strstr(text, "memory") != NULL) context->out_of_memory = 1;
  png_longjmp(png, 1);
}

static void shim_warning_fn(png_structp png, png_const_charp text) {
  shim_context *context = (shim_context *)png_get_error_ptr(png);
  // libpng reports a chunk longer than png_set_chunk_malloc_max allows as a benign error,
  // then allocates and zeroes all of it anyway: refuse the file before it does.
  if (strstr(text, "chunk data is too large") != NULL) png_error(png, text);
  context->message->warnings++;
  if (context->message->warnings == 1)
    snprintf(context->message->text, sizeof(context->message->text), "%s", text);
}

static void shim_fail(imgproc_png_message *message, const char *text) {
  snprintf(message->text, sizeof(message->text), "%s", text);
}

static int shim_status(shim_context *context) {
  return context->out_of_memory ? IMGPROC_PNG_OUT_OF_MEMORY : IMGPROC_PNG_ERROR;
}

static unsigned char *copy_bytes(const unsigned char *bytes, size_t length) {
  unsigned char *copy = malloc(length);
  if (copy != NULL) memcpy(copy, bytes, length);
  return copy;
}

// MARK: - Reading

typedef struct {
  const unsigned char *data;
  size_t size;
  size_t offset;
  shim_context *context;
} memory_reader;

static void read_from_memory(png_structp png, png_bytep out, size_t length) {
  memory_reader *reader = (memory_reader *)png_get_io_ptr(png);
  if (length > reader->size - reader->offset) {
    reader->context->truncated = 1;
    png_error(png, "unexpected end of file (truncated PNG)");
  }
  memcpy(out, reader->data + reader->offset, length);
  reader->offset += length;
}

static void release_metadata(imgproc_png_header *header) {
  free(header->icc);
  free(header->exif);
  header->icc = header->exif = NULL;
  header->icc_length = header->exif_length = 0;
}

/// Copies iCCP and eXIf from `info` when present and not yet taken.
static void collect_metadata(png_structp png, png_infop info, imgproc_png_header *header) {
  if (header->icc == NULL && png_get_valid(png, info, PNG_INFO_iCCP)) {
    png_charp name = NULL;
    int compression = 0;
    png_bytep profile = NULL;
    png_uint_32 length = 0;
    if (png_get_iCCP(png, info, &name, &compression, &profile, &length) && length > 0) {
      header->icc = copy_bytes(profile, length);
      header->icc_length = header->icc != NULL ? length : 0;
    }
  }
#ifdef PNG_eXIf_SUPPORTED
  if (header->exif == NULL && png_get_valid(png, info, PNG_INFO_eXIf)) {
    png_bytep exif = NULL;
    png_uint_32 length = 0;
    if (png_get_eXIf_1(png, info, &length, &exif) && length > 0) {
      header->exif = copy_bytes(exif, length);
      header->exif_length = header->exif != NULL ? length : 0;
    }
  }
#endif
}

/// Fills `header` from IHDR and tRNS alone: the size, and the channels and depth that
/// `configure_read`'s expansions will produce. Allocates nothing, so a header may claim any
/// size (the caller checks it against its pixel limit before decoding).
static void describe(png_structp png, png_infop info, imgproc_png_header *header) {
  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0, interlace = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
  int transparent = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  header->width = width;
  header->height = height;
  header->bit_depth = bit_depth;
  header->color_type = color_type;
  header->interlaced = interlace != PNG_INTERLACE_NONE;
  switch (color_type) {
    case PNG_COLOR_TYPE_PALETTE: header->channels = transparent ? 4 : 3; break;
    case PNG_COLOR_TYPE_GRAY: header->channels = transparent ? 2 : 1; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: header->channels = 2; break;
    case PNG_COLOR_TYPE_RGB: header->channels = transparent ? 4 : 3; break;
    default: header->channels = 4; break;
  }
  header->depth = bit_depth == 16 ? 16 : 8;
}

/// Sets the expansions that turn every PNG into 8- or 16-bit gray, gray+alpha, RGB or RGBA.
/// `png_read_update_info` allocates row buffers sized from the header: call it only for a
/// size the caller accepted. Returns the number of passes, or -1 when libpng's view of the
/// output disagrees with `describe`'s.
static int configure_read(png_structp png, png_infop info, imgproc_png_header *header) {
  if (header->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (header->color_type == PNG_COLOR_TYPE_GRAY && header->bit_depth < 8)
    png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (header->bit_depth == 16) png_set_swap(png);
#endif
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_channels(png, info) != header->channels ||
      png_get_bit_depth(png, info) != header->depth)
    return -1;
  return passes;
}

static png_structp create_reader(shim_context *context, png_infop *info) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, context, shim_error_fn,
                                           shim_warning_fn);
  if (png == NULL) return NULL;
  *info = png_create_info_struct(png);
  if (*info == NULL) {
    png_destroy_read_struct(&png, NULL, NULL);
    return NULL;
  }
  return png;
}

/// The most bytes an ancillary chunk may take, compressed or inflated: 16 MiB (ICC profiles
/// are rarely over 1 MiB; Pillow stops text chunks at 1 MiB).
#define IMGPROC_PNG_CHUNK_MAX (16u << 20)

/// What libpng's callbacks change while a file is read, after setjmp, and the error handler
/// reads after the longjmp: on the heap, not in read_png_into's frame, where such an object
/// would be indeterminate after the longjmp (C11 7.13.2.1).
typedef struct {
  shim_context context;
  memory_reader reader;
} read_state;

/// Reads the header and metadata and, when `pixels` is not NULL, every row into it.
static int read_png_into(read_state *state, const unsigned char *data, size_t size,
                         unsigned char *pixels, size_t stride, size_t capacity,
                         imgproc_png_header *header, imgproc_png_message *message) {
  shim_context *const context = &state->context;
  context->message = message;
  state->reader.data = data;
  state->reader.size = size;
  state->reader.context = context;
  png_infop info = NULL;
  // Rows of the first pass read so far (volatile: changed after setjmp, read after longjmp),
  // to zero what a truncated file leaves unread.
  volatile png_uint_32 rows_read = 0;
  memset(header, 0, sizeof(*header));
  memset(message, 0, sizeof(*message));
  png_structp png = create_reader(context, &info);
  if (png == NULL) {
    shim_fail(message, "out of memory");
    return IMGPROC_PNG_OUT_OF_MEMORY;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, NULL);
    if (header->image_complete) {  // only the chunks after the pixels were damaged
      header->damaged_trailer = 1;
      return IMGPROC_PNG_OK;
    }
    if (context->truncated && pixels != NULL && header->height > 0) {
      // The data ended inside the image: keep the rows read, zero the rest (the caller's
      // --fail-on decides whether that is acceptable).
      size_t from = header->interlaced ? capacity : (size_t)rows_read * stride;
      if (from < capacity) memset(pixels + from, 0, capacity - from);
      header->truncated = 1;
      return IMGPROC_PNG_OK;
    }
    release_metadata(header);
    return shim_status(context);
  }
  png_set_user_limits(png, 0x7fffffffU, 0x7fffffffU);
  // No chunk but IDAT may make libpng allocate more than this, nor inflate to more (iCCP,
  // zTXt, iTXt): a 57-byte file declaring a 1 GiB zTXt otherwise costs 1 GiB (libpng's
  // contrib/testpngs/crashers). Debian's libpng leaves the limit off.
  png_set_chunk_malloc_max(png, IMGPROC_PNG_CHUNK_MAX);
  png_set_read_fn(png, &state->reader, read_from_memory);
  png_read_info(png, info);
  describe(png, info, header);
  collect_metadata(png, info, header);
  if (pixels == NULL) {
    png_destroy_read_struct(&png, &info, NULL);
    return IMGPROC_PNG_OK;
  }
  int passes = configure_read(png, info, header);
  size_t row_bytes = png_get_rowbytes(png, info);
  if (passes < 0 || header->height == 0 || row_bytes > stride ||
      (size_t)(header->height - 1) * stride + row_bytes > capacity) {
    png_destroy_read_struct(&png, &info, NULL);
    release_metadata(header);
    shim_fail(message, "output buffer does not match the PNG geometry");
    return IMGPROC_PNG_BAD_ARGUMENT;
  }
  // Interlaced rows fill in over the passes: start from zero, so a truncated file leaves
  // zeros where no pass reached (memset on the truncation path would erase earlier passes).
  if (header->interlaced) memset(pixels, 0, capacity);
  for (int pass = 0; pass < passes; pass++)
    for (png_uint_32 y = 0; y < header->height; y++) {
      png_read_row(png, pixels + (size_t)y * stride, NULL);
      if (pass == 0) rows_read = y + 1;
    }
  header->image_complete = 1;
  png_read_end(png, info);
  collect_metadata(png, info, header);
  png_destroy_read_struct(&png, &info, NULL);
  return IMGPROC_PNG_OK;
}

static int read_png(const unsigned char *data, size_t size, unsigned char *pixels, size_t stride,
                    size_t capacity, imgproc_png_header *header, imgproc_png_message *message) {
  read_state *state = calloc(1, sizeof(read_state));
  if (state == NULL) {
    memset(header, 0, sizeof(*header));
    memset(message, 0, sizeof(*message));
    shim_fail(message, "out of memory");
    return IMGPROC_PNG_OUT_OF_MEMORY;
  }
  int status = read_png_into(state, data, size, pixels, stride, capacity, header, message);
  free(state);
  return status;
}

int imgproc_png_probe(const unsigned char *data, size_t size, imgproc_png_header *header,
                      imgproc_png_message *message) {
  return read_png(data, size, NULL, 0, 0, header, message);
}

int imgproc_png_decode(const unsigned char *data, size_t size, unsigned char *pixels,
                       size_t stride, size_t capacity, imgproc_png_header *header,
                       imgproc_png_message *message) {
  if (pixels == NULL) {
    memset(header, 0, sizeof(*header));
    memset(message, 0, sizeof(*message));
    shim_fail(message, "no output buffer");
    return IMGPROC_PNG_BAD_ARGUMENT;
  }
  return read_png(data, size, pixels, stride, capacity, header, message);
}

void imgproc_png_free(void *pointer) { free(pointer); }

const char *imgproc_png_version(void) { return png_get_libpng_ver(NULL); }
