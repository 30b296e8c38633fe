// zlib: the DEFLATE search Pillow's optimize=True runs, used for PNG data that is mostly
// long repeats (gradients, flat graphics), where it beats libdeflate's levels. Its one-shot
// API returns status codes and never jumps, so Swift calls it directly, from
// Sources/ImgprocCodecs/PNG/Zlib.swift only.
#ifndef IMGPROC_ZLIB_SHIM_H
#define IMGPROC_ZLIB_SHIM_H
#include <zlib.h>
#endif
