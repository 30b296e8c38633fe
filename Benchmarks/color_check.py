#!/usr/bin/env python3
"""imgproc's conversion of Display P3 photos to sRGB against Pillow's ImageCms (Little CMS,
the same intent: perceptual with black-point compensation), in CIEDE2000; and what the
transform costs on a five-variant run of a profiled 12 MP photo.

The P3 profile is made here with the system's lcms2 through ctypes (sRGB's tone curve, the
P3 primaries, D65), not by imgproc. Run through Benchmarks/color_check.sh.
usage: color_check.py IMGPROC [--runs N]"""
import argparse
import ctypes
import io
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
from PIL import Image, ImageCms

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("imgproc")
parser.add_argument("--runs", type=int, default=5)
arguments = parser.parse_args()


def display_p3_profile():
    lcms = ctypes.CDLL("liblcms2.so.2")

    class xyY(ctypes.Structure):
        _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double), ("Y", ctypes.c_double)]

    lcms.cmsBuildParametricToneCurve.restype = ctypes.c_void_p
    lcms.cmsBuildParametricToneCurve.argtypes = [ctypes.c_void_p, ctypes.c_int32,
                                                 ctypes.POINTER(ctypes.c_double)]
    lcms.cmsCreateRGBProfile.restype = ctypes.c_void_p
    lcms.cmsCreateRGBProfile.argtypes = [ctypes.POINTER(xyY), ctypes.POINTER(xyY * 3),
                                         ctypes.POINTER(ctypes.c_void_p * 3)]
    lcms.cmsSaveProfileToMem.argtypes = [ctypes.c_void_p, ctypes.c_void_p,
                                         ctypes.POINTER(ctypes.c_uint32)]
    parameters = (ctypes.c_double * 5)(2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
    curve = lcms.cmsBuildParametricToneCurve(None, 4, parameters)
    white = xyY(0.3127, 0.3290, 1.0)
    primaries = (xyY * 3)(xyY(0.680, 0.320, 1), xyY(0.265, 0.690, 1), xyY(0.150, 0.060, 1))
    curves = (ctypes.c_void_p * 3)(curve, curve, curve)
    profile = lcms.cmsCreateRGBProfile(ctypes.byref(white), ctypes.byref(primaries),
                                       ctypes.byref(curves))
    size = ctypes.c_uint32(0)
    lcms.cmsSaveProfileToMem(profile, None, ctypes.byref(size))
    buffer = ctypes.create_string_buffer(size.value)
    lcms.cmsSaveProfileToMem(profile, buffer, ctypes.byref(size))
    return buffer.raw


def srgb_to_lab(rgb):
    """8-bit sRGB → CIELAB (D65 white), rgb an (..., 3) array."""
    c = rgb.astype(np.float64) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def ciede2000(lab1, lab2):
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    C1, C2 = np.hypot(a1, b1), np.hypot(a2, b2)
    Cm = (C1 + C2) / 2
    G = 0.5 * (1 - np.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1p, C2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dLp, dCp = L2 - L1, C2p - C1p
    dh = h2p - h1p
    dh = np.where(C1p * C2p == 0, 0, np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh)))
    dHp = 2 * np.sqrt(C1p * C2p) * np.sin(np.radians(dh / 2))
    Lpm, Cpm = (L1 + L2) / 2, (C1p + C2p) / 2
    hsum = h1p + h2p
    hpm = np.where(C1p * C2p == 0, hsum,
                   np.where(np.abs(h1p - h2p) <= 180, hsum / 2,
                            np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)))
    T = (1 - 0.17 * np.cos(np.radians(hpm - 30)) + 0.24 * np.cos(np.radians(2 * hpm))
         + 0.32 * np.cos(np.radians(3 * hpm + 6)) - 0.20 * np.cos(np.radians(4 * hpm - 63)))
    dtheta = 30 * np.exp(-(((hpm - 275) / 25) ** 2))
    Rc = 2 * np.sqrt(Cpm ** 7 / (Cpm ** 7 + 25 ** 7))
    Sl = 1 + 0.015 * (Lpm - 50) ** 2 / np.sqrt(20 + (Lpm - 50) ** 2)
    Sc, Sh = 1 + 0.045 * Cpm, 1 + 0.015 * Cpm * T
    Rt = -np.sin(np.radians(2 * dtheta)) * Rc
    return np.sqrt((dLp / Sl) ** 2 + (dCp / Sc) ** 2 + (dHp / Sh) ** 2
                   + Rt * (dCp / Sc) * (dHp / Sh))


p3 = display_p3_profile()
work = tempfile.mkdtemp(prefix="imgproc-color-")
rng = np.random.default_rng(7)
# 512×512: random colours over the whole P3 cube, then saturated ramps and grays.
pixels = rng.integers(0, 256, size=(512, 512, 3), dtype=np.uint8)
ramp = np.linspace(0, 255, 512).astype(np.uint8)
for row, (r, g, b) in enumerate([(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)]):
    pixels[row * 16:(row + 1) * 16, :, :] = np.stack([ramp * r, ramp * g, ramp * b], axis=-1)[None, :, :]
source = Image.fromarray(pixels, "RGB")
source_path = os.path.join(work, "p3.png")
source.save(source_path, icc_profile=p3)
subprocess.run([arguments.imgproc, "convert", source_path, "-o", os.path.join(work, "out"),
                "--variant", "s:png", "--name", "{base}.{ext}", "-q"], check=True)
converted = np.asarray(Image.open(os.path.join(work, "out", "p3.png")).convert("RGB"))
reference = ImageCms.profileToProfile(
    source, ImageCms.ImageCmsProfile(io.BytesIO(p3)), ImageCms.createProfile("sRGB"),
    renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB",
    flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
difference = ciede2000(srgb_to_lab(np.asarray(reference)), srgb_to_lab(converted))
untransformed = ciede2000(srgb_to_lab(np.asarray(reference)), srgb_to_lab(pixels))
print(f"P3 → sRGB, 512x512 (random + ramps), imgproc vs Pillow ImageCms (lcms {ImageCms.core.littlecms_version}):")
print(f"  CIEDE2000 mean {difference.mean():.3f}  p99 {np.percentile(difference, 99):.3f}  max {difference.max():.3f}"
      f"   (pixels left as stored would be: mean {untransformed.mean():.2f}, max {untransformed.max():.2f})")

# Cost: a 12 MP photo tagged Display P3, five default variants, with and without the transform.
photo = Image.open(os.path.join(here, "data/corpus/photos/p01_kleiber_6028x3391.jpg")).convert("RGB")
photo = photo.resize((4000, 3000), Image.Resampling.LANCZOS)
photo_path = os.path.join(work, "photo12mp.jpg")
photo.save(photo_path, quality=92, icc_profile=p3)
times = {"transform (default)": [], "--keep icc (no transform)": []}
for _ in range(arguments.runs):
    for label, extra in [("transform (default)", []), ("--keep icc (no transform)", ["--keep", "icc"])]:
        out = tempfile.mkdtemp(dir=work)
        start = time.perf_counter()
        subprocess.run([arguments.imgproc, "convert", photo_path, "-o", out, "-q"] + extra, check=True)
        times[label].append(time.perf_counter() - start)
base = statistics.median(times["--keep icc (no transform)"])
with_transform = statistics.median(times["transform (default)"])
print(f"12 MP P3 photo, five variants, median of {arguments.runs} (alternating):")
print(f"  --keep icc {base:.3f} s, default (transform) {with_transform:.3f} s: +{(with_transform / base - 1) * 100:.1f} %  (target <= 10 %)")
