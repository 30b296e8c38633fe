// The whole libjpeg call sequence of each operation lives in one function here, with its
// setjmp, so a longjmp from libjpeg's error handler never crosses a Swift frame.
#include "imgproc_jpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

// MARK: - Error manager

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  imgproc_jpeg_message *message;
  int fail_on_warning;
  int status;
} shim_error;

static void shim_record(j_common_ptr cinfo) {
  shim_error *err = (shim_error *)cinfo->err;
  char buffer[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, buffer);
  snprintf(err->message->text, sizeof(err->message->text), "%s", buffer);
}

static void shim_error_exit(j_common_ptr cinfo) {
  shim_error *err = (shim_error *)cinfo->err;
  shim_record(cinfo);
  err->status = cinfo->err->msg_code == JERR_OUT_OF_MEMORY ? IMGPROC_JPEG_OUT_OF_MEMORY
                                                           : IMGPROC_JPEG_ERROR;
  longjmp(err->jump, 1);
}

static void shim_emit_message(j_common_ptr cinfo, int level) {
  shim_error *err = (shim_error *)cinfo->err;
  if (level >= 0) return;  // trace messages: ignored
  cinfo->err->num_warnings++;
  err->message->warnings++;
  if (err->message->warnings == 1) shim_record(cinfo);  // keep the first warning's text
  if (err->fail_on_warning) {
    err->status = IMGPROC_JPEG_WARNING;
    longjmp(err->jump, 1);
  }
}

static void shim_output_message(j_common_ptr cinfo) { (void)cinfo; }  // never print to stderr

static struct jpeg_error_mgr *shim_error_init(shim_error *err, imgproc_jpeg_message *message,
                                              int fail_on_warning) {
  memset(message, 0, sizeof(*message));
  jpeg_std_error(&err->pub);
  err->pub.error_exit = shim_error_exit;
  err->pub.emit_message = shim_emit_message;
  err->pub.output_message = shim_output_message;
  err->message = message;
  err->fail_on_warning = fail_on_warning;
  err->status = IMGPROC_JPEG_OK;
  return &err->pub;
}

/// Puts `text` in the message the Swift side reports (for failures found before libjpeg runs).
static void shim_fail(imgproc_jpeg_message *message, const char *text) {
  snprintf(message->text, sizeof(message->text), "%s", text);
}

/// What libjpeg changes after setjmp and the handler reads (the codec object, the error
/// manager's status) lives on the heap, behind a pointer set before setjmp and never changed:
/// an automatic object changed between setjmp and longjmp is indeterminate after the longjmp
/// (C11 7.13.2.1). libjpeg's own example keeps them on the stack; this does not rely on the
/// compiler keeping them in memory.
typedef struct {
  struct jpeg_decompress_struct cinfo;
  shim_error err;
} decompress_state;

/// A zeroed decompress state with its error manager set up; NULL (and the message says so)
/// when memory is short. The caller frees it.
static decompress_state *new_decompress_state(imgproc_jpeg_message *message, int fail_on_warning) {
  decompress_state *state = calloc(1, sizeof(decompress_state));
  if (state == NULL) {
    shim_fail(message, "out of memory");
    return NULL;
  }
  state->cinfo.err = shim_error_init(&state->err, message, fail_on_warning);
  return state;
}

// MARK: - Decoding

static int valid_scale(int scale_denom) {
  return scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8;
}

static void configure_output(j_decompress_ptr cinfo, int scale_denom) {
  switch (cinfo->jpeg_color_space) {
    case JCS_CMYK:
    case JCS_YCCK: cinfo->out_color_space = JCS_CMYK; break;
    case JCS_GRAYSCALE: cinfo->out_color_space = JCS_GRAYSCALE; break;
    default: cinfo->out_color_space = JCS_RGB; break;
  }
  cinfo->scale_num = 1;
  cinfo->scale_denom = (unsigned int)scale_denom;
  cinfo->dct_method = JDCT_ISLOW;
}

static unsigned char *copy_exif(j_decompress_ptr cinfo, unsigned int *length) {
  static const unsigned char prefix[6] = {'E', 'x', 'i', 'f', 0, 0};
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next) {
    if (m->marker != JPEG_APP0 + 1 || m->data_length <= 6) continue;
    if (memcmp(m->data, prefix, 6) != 0) continue;
    unsigned char *copy = malloc(m->data_length - 6);
    if (copy == NULL) return NULL;
    memcpy(copy, m->data + 6, m->data_length - 6);
    *length = m->data_length - 6;
    return copy;
  }
  return NULL;
}

int imgproc_jpeg_probe(const unsigned char *data, size_t size, int scale_denom,
                       imgproc_jpeg_header *header, imgproc_jpeg_message *message) {
  memset(header, 0, sizeof(*header));
  memset(message, 0, sizeof(*message));
  if (!valid_scale(scale_denom)) {
    shim_fail(message, "scale denominator must be 1, 2, 4 or 8");
    return IMGPROC_JPEG_BAD_ARGUMENT;
  }
  decompress_state *const state = new_decompress_state(message, 0);
  if (state == NULL) return IMGPROC_JPEG_OUT_OF_MEMORY;
  if (setjmp(state->err.jump)) {
    jpeg_destroy_decompress(&state->cinfo);
    free(header->icc);
    free(header->exif);
    header->icc = header->exif = NULL;
    int status = state->err.status;
    free(state);
    return status;
  }
  jpeg_create_decompress(&state->cinfo);
  jpeg_mem_src(&state->cinfo, data, (unsigned long)size);
  jpeg_save_markers(&state->cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_save_markers(&state->cinfo, JPEG_APP0 + 2, 0xFFFF);
  jpeg_read_header(&state->cinfo, TRUE);
  configure_output(&state->cinfo, scale_denom);
  jpeg_calc_output_dimensions(&state->cinfo);

  header->width = (int)state->cinfo.image_width;
  header->height = (int)state->cinfo.image_height;
  header->output_width = (int)state->cinfo.output_width;
  header->output_height = (int)state->cinfo.output_height;
  header->color_model = state->cinfo.out_color_space == JCS_CMYK        ? IMGPROC_JPEG_CMYK
                        : state->cinfo.out_color_space == JCS_GRAYSCALE ? IMGPROC_JPEG_GRAY
                                                                 : IMGPROC_JPEG_RGB;
  header->output_channels = state->cinfo.out_color_space == JCS_GRAYSCALE ? 1 : 3;
  header->progressive = state->cinfo.progressive_mode ? 1 : 0;
  header->arithmetic = state->cinfo.arith_code ? 1 : 0;

  JOCTET *icc = NULL;
  unsigned int icc_length = 0;
  if (jpeg_read_icc_profile(&state->cinfo, &icc, &icc_length)) {
    header->icc = icc;
    header->icc_length = icc_length;
  }
  header->exif = copy_exif(&state->cinfo, &header->exif_length);
  jpeg_destroy_decompress(&state->cinfo);
  free(state);
  return IMGPROC_JPEG_OK;
}

/// Naive CMYK → RGB. Adobe writes CMYK inverted (0 = full ink); such files carry an Adobe
/// APP14 marker, which libjpeg reports as `saw_Adobe_marker`.
static void cmyk_to_rgb(const JSAMPLE *cmyk, unsigned char *rgb, JDIMENSION width, int inverted) {
  for (JDIMENSION x = 0; x < width; x++) {
    unsigned c = cmyk[4 * x], m = cmyk[4 * x + 1], y = cmyk[4 * x + 2], k = cmyk[4 * x + 3];
    if (!inverted) {
      c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k;
    }
    rgb[3 * x] = (unsigned char)((c * k + 127) / 255);
    rgb[3 * x + 1] = (unsigned char)((m * k + 127) / 255);
    rgb[3 * x + 2] = (unsigned char)((y * k + 127) / 255);
  }
}

int imgproc_jpeg_decode(const unsigned char *data, size_t size, int scale_denom,
                        int fail_on_warning, int raw_cmyk, unsigned char *pixels, size_t stride,
                        size_t capacity, imgproc_jpeg_message *message) {
  memset(message, 0, sizeof(*message));
  if (!valid_scale(scale_denom)) {
    shim_fail(message, "scale denominator must be 1, 2, 4 or 8");
    return IMGPROC_JPEG_BAD_ARGUMENT;
  }
  decompress_state *const state = new_decompress_state(message, fail_on_warning);
  if (state == NULL) return IMGPROC_JPEG_OUT_OF_MEMORY;
  if (setjmp(state->err.jump)) {
    jpeg_destroy_decompress(&state->cinfo);
    int status = state->err.status;
    free(state);
    return status;
  }
  jpeg_create_decompress(&state->cinfo);
  jpeg_mem_src(&state->cinfo, data, (unsigned long)size);
  jpeg_read_header(&state->cinfo, TRUE);
  configure_output(&state->cinfo, scale_denom);
  jpeg_start_decompress(&state->cinfo);

  int cmyk = state->cinfo.out_color_space == JCS_CMYK;
  int channels = state->cinfo.out_color_space == JCS_GRAYSCALE ? 1 : (cmyk && raw_cmyk ? 4 : 3);
  size_t row_bytes = (size_t)state->cinfo.output_width * (size_t)channels;
  if (row_bytes > stride || state->cinfo.output_height == 0 ||
      (size_t)(state->cinfo.output_height - 1) * stride + row_bytes > capacity) {
    jpeg_destroy_decompress(&state->cinfo);
    free(state);
    shim_fail(message, "output buffer does not match the JPEG geometry");
    return IMGPROC_JPEG_BAD_ARGUMENT;
  }
  if (cmyk && raw_cmyk) {
    // CMYK as ink amounts (0 = none), for a colour transform with the file's profile:
    // Adobe's inverted samples are turned back.
    int inverted = state->cinfo.saw_Adobe_marker ? 1 : 0;
    JSAMPROW row[1];
    while (state->cinfo.output_scanline < state->cinfo.output_height) {
      unsigned char *dest = pixels + (size_t)state->cinfo.output_scanline * stride;
      row[0] = dest;
      jpeg_read_scanlines(&state->cinfo, row, 1);
      if (inverted) {
        for (size_t i = 0; i < row_bytes; i++) dest[i] = (unsigned char)(255 - dest[i]);
      }
    }
  } else if (cmyk) {
    JSAMPARRAY row = (*state->cinfo.mem->alloc_sarray)((j_common_ptr)&state->cinfo, JPOOL_IMAGE,
                                                state->cinfo.output_width * 4, 1);
    int inverted = state->cinfo.saw_Adobe_marker ? 1 : 0;
    while (state->cinfo.output_scanline < state->cinfo.output_height) {
      unsigned char *dest = pixels + (size_t)state->cinfo.output_scanline * stride;
      jpeg_read_scanlines(&state->cinfo, row, 1);
      cmyk_to_rgb(row[0], dest, state->cinfo.output_width, inverted);
    }
  } else {
    JSAMPROW rows[16];
    while (state->cinfo.output_scanline < state->cinfo.output_height) {
      JDIMENSION first = state->cinfo.output_scanline;
      JDIMENSION count = state->cinfo.output_height - first;
      if (count > 16) count = 16;
      for (JDIMENSION i = 0; i < count; i++) rows[i] = pixels + (size_t)(first + i) * stride;
      jpeg_read_scanlines(&state->cinfo, rows, count);
    }
  }
  jpeg_finish_decompress(&state->cinfo);
  jpeg_destroy_decompress(&state->cinfo);
  free(state);
  return IMGPROC_JPEG_OK;
}

// MARK: - Encoding

/// An encode's state: the codec object, its error manager, and the buffer jpeg_mem_dest grows
/// (libjpeg updates `buffer` and `size` through pointers). See `decompress_state`.
typedef struct {
  struct jpeg_compress_struct cinfo;
  shim_error err;
  unsigned char *buffer;
  unsigned long size;
} compress_state;

static void write_exif(j_compress_ptr cinfo, const unsigned char *exif, unsigned int length) {
  static const unsigned char prefix[6] = {'E', 'x', 'i', 'f', 0, 0};
  jpeg_write_m_header(cinfo, JPEG_APP0 + 1, length + 6);
  for (int i = 0; i < 6; i++) jpeg_write_m_byte(cinfo, prefix[i]);
  for (unsigned int i = 0; i < length; i++) jpeg_write_m_byte(cinfo, exif[i]);
}

static void set_subsampling(j_compress_ptr cinfo, int subsampling) {
  int h = 1, v = 1;
  if (subsampling == 420) { h = 2; v = 2; }
  if (subsampling == 422) { h = 2; v = 1; }
  cinfo->comp_info[0].h_samp_factor = h;
  cinfo->comp_info[0].v_samp_factor = v;
  for (int i = 1; i < cinfo->num_components; i++) {
    cinfo->comp_info[i].h_samp_factor = 1;
    cinfo->comp_info[i].v_samp_factor = 1;
  }
}

int imgproc_jpeg_encode(const unsigned char *pixels, int width, int height, size_t stride,
                        int channels, imgproc_jpeg_settings settings,
                        const unsigned char *icc, unsigned int icc_length,
                        const unsigned char *exif, unsigned int exif_length,
                        unsigned char **out, unsigned long *out_size,
                        imgproc_jpeg_message *message) {
  memset(message, 0, sizeof(*message));
  *out = NULL;
  *out_size = 0;
  if (width <= 0 || height <= 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION ||
      (channels != 1 && channels != 3) || stride < (size_t)width * (size_t)channels ||
      exif_length > 65533 - 6 || settings.quality < 1 || settings.quality > 100) {
    shim_fail(message, "invalid JPEG encoder arguments");
    return IMGPROC_JPEG_BAD_ARGUMENT;
  }
  compress_state *const state = calloc(1, sizeof(compress_state));
  if (state == NULL) {
    shim_fail(message, "out of memory");
    return IMGPROC_JPEG_OUT_OF_MEMORY;
  }
  state->cinfo.err = shim_error_init(&state->err, message, 0);
  if (setjmp(state->err.jump)) {
    jpeg_destroy_compress(&state->cinfo);
    free(state->buffer);
    int status = state->err.status;
    free(state);
    return status;
  }
  jpeg_create_compress(&state->cinfo);
  jpeg_mem_dest(&state->cinfo, &state->buffer, &state->size);
  state->cinfo.image_width = (JDIMENSION)width;
  state->cinfo.image_height = (JDIMENSION)height;
  state->cinfo.input_components = channels;
  state->cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&state->cinfo);
  jpeg_set_quality(&state->cinfo, settings.quality, TRUE);
  state->cinfo.optimize_coding = TRUE;
  state->cinfo.dct_method = JDCT_ISLOW;
  if (channels == 3) set_subsampling(&state->cinfo, settings.subsampling);
  if (settings.progressive) jpeg_simple_progression(&state->cinfo);
  jpeg_start_compress(&state->cinfo, TRUE);
  if (exif != NULL && exif_length > 0) write_exif(&state->cinfo, exif, exif_length);
  if (icc != NULL && icc_length > 0) jpeg_write_icc_profile(&state->cinfo, icc, icc_length);

  JSAMPROW rows[16];
  while (state->cinfo.next_scanline < state->cinfo.image_height) {
    JDIMENSION first = state->cinfo.next_scanline;
    JDIMENSION count = state->cinfo.image_height - first;
    if (count > 16) count = 16;
    for (JDIMENSION i = 0; i < count; i++)
      rows[i] = (JSAMPROW)(pixels + (size_t)(first + i) * stride);
    jpeg_write_scanlines(&state->cinfo, rows, count);
  }
  jpeg_finish_compress(&state->cinfo);
  jpeg_destroy_compress(&state->cinfo);
  *out = state->buffer;
  *out_size = state->size;
  free(state);
  return IMGPROC_JPEG_OK;
}

void imgproc_jpeg_free(void *pointer) { free(pointer); }

int imgproc_jpeg_version_number(void) {
#ifdef LIBJPEG_TURBO_VERSION_NUMBER
  return LIBJPEG_TURBO_VERSION_NUMBER;
#else
  return 0;
#endif
}
