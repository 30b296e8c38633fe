// libwebp's status-code API needs no setjmp, so Swift calls it directly (from
// Sources/ImgprocCodecs/WebP/WebPLibrary.swift only). Its init functions are static inline
// in these headers and import as they are.
#ifndef IMGPROC_WEBP_SHIM_H
#define IMGPROC_WEBP_SHIM_H
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>
#endif
