// libheif reports errors as returned structs (no setjmp), so Swift calls it directly (from
// Sources/ImgprocCodecs/HEIF/LibHeif.swift only).
#ifndef IMGPROC_HEIF_SHIM_H
#define IMGPROC_HEIF_SHIM_H
#include <libheif/heif.h>
#endif
