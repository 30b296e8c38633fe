// libdeflate: whole-buffer DEFLATE/zlib compression and CRC-32, used to write PNG data.
// Its API returns sizes (0 = failure) and never jumps, so Swift calls it directly, from
// Sources/ImgprocCodecs/PNG/Deflate.swift only.
#ifndef IMGPROC_DEFLATE_SHIM_H
#define IMGPROC_DEFLATE_SHIM_H
#include <libdeflate.h>
#endif
