// DEFLATE cost per candidate, for the PNG writer's cost model (IDATCompression.swift): the
// same libraries imgproc links (Debian's libdeflate and zlib), on the filtered rows imgproc
// itself makes. Each input is a PNG written by imgproc at level=0 (stored blocks), so its
// inflated IDAT data is exactly the stream the writer compresses.
//
// usage: deflate_costs PNG...
// Prints, per file, the filtered MB and level 6's compressed/raw ratio; per candidate, the
// compressed size over level 6's and the time per input
// byte (ns, best of 2); then per candidate the median over the files.
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

/// The candidates of the default's choice: libdeflate 6..9, then zlib 9.
enum { CANDIDATES = 5 };
static const char *names[CANDIDATES] = {"ld6", "ld7", "ld8", "ld9", "zlib9"};
static const int levels[CANDIDATES] = {6, 7, 8, 9, 0};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *bytes = malloc(n);
  if (bytes && fread(bytes, 1, n, f) != (size_t)n) { free(bytes); bytes = NULL; }
  fclose(f);
  *size = n;
  return bytes;
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/// The inflated IDAT data of a PNG (the filtered rows), or NULL.
static unsigned char *filtered_rows(const unsigned char *png, size_t size, size_t *out) {
  size_t zsize = 0, at = 8;
  unsigned char *z = malloc(size);
  uint32_t width = 0, height = 0, channels = 0, depth = 0;
  while (z && at + 12 <= size) {
    uint32_t length = be32(png + at);
    if (at + 12 + length > size) break;
    if (!memcmp(png + at + 4, "IHDR", 4)) {
      width = be32(png + at + 8);
      height = be32(png + at + 12);
      depth = png[at + 16];
      int type = png[at + 17];
      channels = type == 0 ? 1 : type == 2 ? 3 : type == 3 ? 1 : type == 4 ? 2 : 4;
    }
    if (!memcmp(png + at + 4, "IDAT", 4)) {
      memcpy(z + zsize, png + at + 8, length);
      zsize += length;
    }
    at += 12 + length;
  }
  uLongf raw = (uLongf)height * (1 + ((size_t)width * channels * depth + 7) / 8);
  unsigned char *rows = malloc(raw);
  if (!rows || uncompress(rows, &raw, z, zsize) != Z_OK) { free(rows); rows = NULL; }
  free(z);
  *out = raw;
  return rows;
}

/// Compressed size of `in` by candidate `c`, and the best time of three runs in `seconds`.
static size_t run_candidate(int c, const unsigned char *in, size_t n, unsigned char *out, size_t cap,
                       double *seconds) {
  size_t size = 0;
  *seconds = 1e9;
  for (int run = 0; run < 2; run++) {
    double start = now();
    if (levels[c] > 0) {
      struct libdeflate_compressor *d = libdeflate_alloc_compressor(levels[c]);
      size = libdeflate_zlib_compress(d, in, n, out, cap);
      libdeflate_free_compressor(d);
    } else {
      // Pillow's stream settings, as imgproc's zlib candidate (CImgprocZlib/shim.h).
      z_stream stream = {0};
      deflateInit2(&stream, 9, Z_DEFLATED, 15, 9, Z_FILTERED);
      stream.next_in = (unsigned char *)in;
      stream.avail_in = (uInt)n;
      stream.next_out = out;
      stream.avail_out = (uInt)cap;
      deflate(&stream, Z_FINISH);
      size = stream.total_out;
      deflateEnd(&stream);
    }
    double elapsed = now() - start;
    if (elapsed < *seconds) *seconds = elapsed;
  }
  return size;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int files = argc - 1;
  double *ns = calloc((size_t)files * CANDIDATES, sizeof(double));
  double *ratio = calloc((size_t)files * CANDIDATES, sizeof(double));
  printf("%-40s", "file, MB filtered, ld6 ratio");
  for (int c = 0; c < CANDIDATES; c++) printf(" %13s", names[c]);
  printf("\n");
  for (int f = 0; f < files; f++) {
    size_t size = 0, n = 0;
    unsigned char *png = read_file(argv[f + 1], &size);
    unsigned char *rows = png ? filtered_rows(png, size, &n) : NULL;
    if (!rows) { fprintf(stderr, "%s: cannot read its rows\n", argv[f + 1]); return 1; }
    size_t cap = compressBound(n) + 1024;
    unsigned char *out = malloc(cap);
    size_t sizes[CANDIDATES];
    double seconds[CANDIDATES];
    // DEFLATE_COSTS_LEVEL6_ONLY=1: level 6 alone (the ratios, quickly).
    int count = getenv("DEFLATE_COSTS_LEVEL6_ONLY") ? 1 : CANDIDATES;
    for (int c = 0; c < CANDIDATES; c++) {
      sizes[c] = c < count ? run_candidate(c, rows, n, out, cap, &seconds[c]) : sizes[0];
      if (c >= count) seconds[c] = seconds[0];
    }
    const char *base = strrchr(argv[f + 1], '/');
    printf("%-26.26s %6.1f %5.3f", base ? base + 1 : argv[f + 1], n / 1e6,
           (double)sizes[0] / n);
    for (int c = 0; c < CANDIDATES; c++) {
      ns[f * CANDIDATES + c] = seconds[c] * 1e9 / n;
      ratio[f * CANDIDATES + c] = (double)sizes[c] / sizes[0];
      printf(" %5.3f %5.1fns", ratio[f * CANDIDATES + c], ns[f * CANDIDATES + c]);
    }
    printf("\n");
    free(out);
    free(rows);
    free(png);
  }
  printf("%-40s", "median");
  double column[files > 0 ? files : 1];
  for (int c = 0; c < CANDIDATES; c++) {
    for (int f = 0; f < files; f++) column[f] = ratio[f * CANDIDATES + c];
    qsort(column, files, sizeof(double), by_value);
    double r = column[files / 2];
    for (int f = 0; f < files; f++) column[f] = ns[f * CANDIDATES + c];
    qsort(column, files, sizeof(double), by_value);
    printf(" %5.3f %5.1fns", r, column[files / 2]);
  }
  printf("\n");
  return 0;
}
