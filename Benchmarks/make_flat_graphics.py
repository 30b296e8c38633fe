#!/usr/bin/env python3
"""Writes two synthetic flat graphics (PNG, RGB) for PNG size comparisons.

usage: make_flat_graphics.py OUTPUT_DIR
- chart.png (1200x800): flat bars, grid lines and blocks: 9 colours.
- screen.png (1280x720): a UI-like screenshot: a vertical gradient header, flat panels, a
  checkerboard icon strip (under 256 colours).
- diagram.png (1200x900): shapes and lines drawn at 4x and reduced with Lanczos, so edges
  are anti-aliased: thousands of colours on flat areas.
"""
import os
import sys

from PIL import Image, ImageDraw

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

chart = Image.new("RGB", (1200, 800), (250, 250, 250))
draw = ImageDraw.Draw(chart)
for y in range(100, 800, 100):
    draw.line([(80, y), (1160, y)], fill=(220, 220, 220), width=1)
colors = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]
for i in range(20):
    height = 80 + (i * 37) % 560
    draw.rectangle([100 + i * 52, 760 - height, 140 + i * 52, 760], fill=colors[i % 5])
draw.rectangle([80, 20, 600, 70], fill=(40, 40, 40))
chart.save(os.path.join(out, "chart.png"))

screen = Image.new("RGB", (1280, 720), (255, 255, 255))
draw = ImageDraw.Draw(screen)
for y in range(120):
    shade = 60 + y
    draw.line([(0, y), (1279, y)], fill=(shade // 2, shade, min(255, shade * 2)))
draw.rectangle([0, 120, 260, 719], fill=(236, 239, 244))
for i in range(8):
    draw.rectangle([300, 150 + i * 70, 1240, 200 + i * 70], fill=(255, 255, 255), outline=(200, 205, 210))
    draw.rectangle([320, 165 + i * 70, 520 + (i * 97) % 600, 185 + i * 70], fill=(90, 100, 110))
for x in range(0, 240, 8):
    for y in range(160, 700, 8):
        if (x // 8 + y // 8) % 2 == 0:
            draw.rectangle([10 + x, y, 17 + x, y + 7], fill=(180, 190, 200))
screen.save(os.path.join(out, "screen.png"))

big = Image.new("RGB", (4800, 3600), (255, 255, 255))
draw = ImageDraw.Draw(big)
for i in range(12):
    x, y = 200 + (i % 4) * 1150, 300 + (i // 4) * 1100
    draw.ellipse([x, y, x + 800, y + 700], fill=colors[i % 5], outline=(30, 30, 30), width=12)
    draw.line([(x + 400, y + 700), (x + 1500, y + 1300)], fill=(60, 60, 60), width=10)
draw.rectangle([0, 0, 4799, 200], fill=(52, 73, 94))
big.resize((1200, 900), Image.Resampling.LANCZOS).save(os.path.join(out, "diagram.png"))
