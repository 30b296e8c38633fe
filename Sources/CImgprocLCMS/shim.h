// Little CMS 2 reports errors through return values and a log handler (no setjmp), so Swift
// calls it directly (from Sources/ImgprocCodecs/Color/ColorManagement.swift only). Its pixel
// format macros are built from function-like macros Swift cannot import; the formats imgproc
// uses are spelled out here as constants.
#ifndef IMGPROC_LCMS_SHIM_H
#define IMGPROC_LCMS_SHIM_H
#include <lcms2.h>

static const cmsUInt32Number IMGPROC_TYPE_GRAY_8 = TYPE_GRAY_8;
static const cmsUInt32Number IMGPROC_TYPE_GRAYA_8 = TYPE_GRAYA_8;
static const cmsUInt32Number IMGPROC_TYPE_RGB_8 = TYPE_RGB_8;
static const cmsUInt32Number IMGPROC_TYPE_RGBA_8 = TYPE_RGBA_8;
static const cmsUInt32Number IMGPROC_TYPE_GRAY_16 = TYPE_GRAY_16;
static const cmsUInt32Number IMGPROC_TYPE_GRAYA_16 = TYPE_GRAYA_16;
static const cmsUInt32Number IMGPROC_TYPE_RGB_16 = TYPE_RGB_16;
static const cmsUInt32Number IMGPROC_TYPE_RGBA_16 = TYPE_RGBA_16;
static const cmsUInt32Number IMGPROC_TYPE_CMYK_8 = TYPE_CMYK_8;
static const cmsUInt32Number IMGPROC_TYPE_Lab_16 = TYPE_Lab_16;
static const cmsUInt32Number IMGPROC_TYPE_CMYK_16 = TYPE_CMYK_16;
static const cmsUInt32Number IMGPROC_TYPE_RGB_DBL = TYPE_RGB_DBL;
static const cmsUInt32Number IMGPROC_TYPE_Lab_DBL = TYPE_Lab_DBL;

#endif
