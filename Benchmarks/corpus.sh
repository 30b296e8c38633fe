#!/usr/bin/env bash
# Builds the benchmark corpus from Debian's wallpaper packages, checked against corpus.sha256:
# photos/ (24 photos, 640 to 6028 px wide, all JPEG, 13 progressive), smooth/ (5 smooth
# 5120x2880 photos) and transparent/ (4 RGBA cut-outs made from corpus photos).
# usage: Benchmarks/corpus.sh DEST PYTHON   (PYTHON: a python with Pillow 13.0.0, for the
#        three small photos, which are Lanczos downscales of packaged photos saved at q90)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$(realpath -m "$1")"
python="$2"

packages="lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 mate-backgrounds plasma-workspace-wallpapers"
missing=""
for package in $packages; do dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"; done
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends $missing >/dev/null
fi

backgrounds=/usr/share/backgrounds
mate=/usr/share/backgrounds/mate/nature
plasma=/usr/share/wallpapers
mkdir -p "$dest/photos"
while read -r name source; do
  cp "$source" "$dest/photos/$name"
done <<LIST
p01_kleiber_6028x3391.jpg $backgrounds/Kleiber_by_Lukas_Baubkus.jpg
p02_seeding_5312x2988.jpg $backgrounds/seeding_by_Clements_Engelhardt.jpg
p03_bridge_4352x2448.jpg $backgrounds/Bridge_by_Sander_Klootwijk.jpg
p04_sunset_4272x2848.jpg $backgrounds/sunset_by_Aitzol_Berasategi.jpg
p05_dragonfly_4224x3168.jpg $backgrounds/Dragonfly_by_Bolly.jpg
p06_picos_3264x2448.jpg $backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg
p07_aitzgorri_3088x2056.jpg $backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg
p08_life_3088x2056.jpg $backgrounds/life_by_Aitzol_Berasategi.jpg
p09_friends_2056x3088.jpg $backgrounds/friends_by_Aitzol_Berasategi.jpg
p10_wine_2560x3837.jpg $backgrounds/Wine_by_Jakkub_Mede.jpg
p11_free_2880x2160.jpg $backgrounds/free_by_Peter_Nerlich.jpg
p12_greentock_2880x2160.jpg $backgrounds/greentock_by_Peter_Nerlich.jpg
p13_picture0b_2572x1740.jpg $backgrounds/Picture_0B_by_freespace.jpg
p14_ladybird_2560x1600.jpg $mate/LadyBird.jpg
p15_onestandsout_2560x1600.jpg $plasma/OneStandsOut/contents/images/2560x1600.jpg
p16_eveningglow_2560x1600.jpg $plasma/EveningGlow/contents/images/2560x1600.jpg
p17_storm_1920x1280.jpg $mate/Storm.jpg
p18_raindrops_1920x1200.jpg $mate/RainDrops.jpg
p19_dune_1680x1050.jpg $mate/Dune.jpg
p20_picture1a_1365x1074.jpg $backgrounds/Picture_1A_by_freespace.jpg
p21_greenmeadow_1280x1024.jpg $mate/GreenMeadow.jpg
LIST

"$python" - "$dest/photos" "$mate" <<'PY'
import sys
from PIL import Image
out, mate = sys.argv[1], sys.argv[2]
for source, name, size in [("TwoWings.jpg", "p22_twowings_960x600.jpg", (960, 600)),
                           ("Garden.jpg", "p23_garden_800x500.jpg", (800, 500)),
                           ("YellowFlower.jpg", "p24_yellowflower_640x400.jpg", (640, 400))]:
    image = Image.open(f"{mate}/{source}").convert("RGB")
    image.resize(size, Image.Resampling.LANCZOS).save(f"{out}/{name}", quality=90)
PY

# Smooth photos (issue 36): night sky, ice, fog-like gradients of light, from
# plasma-workspace-wallpapers (KDE, CC-BY-SA / LGPL as each wallpaper's metadata says).
mkdir -p "$dest/smooth"
while read -r name source; do
  cp "$source" "$dest/smooth/$name"
done <<LIST
s01_milkyway_5120x2880.png $plasma/MilkyWay/contents/images/5120x2880.png
s02_icecold_5120x2880.png $plasma/IceCold/contents/images/5120x2880.png
s03_altai_5120x2880.png $plasma/Altai/contents/images/5120x2880.png
s04_flow_5120x2880.jpg $plasma/Flow/contents/images/5120x2880.jpg
s05_volna_5120x2880.jpg $plasma/Volna/contents/images/5120x2880.jpg
LIST

# Photos with transparency (issue 36): cut-outs of corpus photos, fitted into 3700 px, with a
# generated alpha mask (a feathered ellipse, as a product shot), saved by Pillow 13.0.0.
mkdir -p "$dest/transparent"
"$python" - "$dest/photos" "$dest/transparent" <<'PY'
import sys
from PIL import Image, ImageDraw, ImageFilter
photos, out = sys.argv[1], sys.argv[2]
for index, name in enumerate(["p05_dragonfly_4224x3168.jpg", "p10_wine_2560x3837.jpg",
                              "p14_ladybird_2560x1600.jpg", "p19_dune_1680x1050.jpg"]):
    image = Image.open(f"{photos}/{name}").convert("RGB")
    image.thumbnail((3700, 3700), Image.Resampling.LANCZOS)
    w, h = image.size
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).ellipse((w * 0.12, h * 0.1, w * 0.88, h * 0.9), fill=255)
    image.putalpha(mask.filter(ImageFilter.GaussianBlur(max(8, w // 90))))
    image.save(f"{out}/t{index + 1:02d}_cutout_{name.split('_')[1]}_{w}x{h}.png", compress_level=6)
PY

(cd "$dest" && sha256sum --quiet -c "$here/corpus.sha256")
echo "corpus: $(ls "$dest/photos" | wc -l) photos in $dest/photos," \
  "$(ls "$dest/smooth" | wc -l) smooth photos, $(ls "$dest/transparent" | wc -l) cut-outs"
