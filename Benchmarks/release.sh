# Sourced by the benchmark scripts: `imgproc` is the release build in .build-release (built
# when stale), `python` the peers' venv of Benchmarks/run.sh, and the corpus is made if
# missing. Expects the working folder to be the repository.
swift build -c release --static-swift-stdlib --scratch-path .build-release --product imgproc > /dev/null 2>&1
imgproc="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --product imgproc --show-bin-path)/imgproc"
python="$PWD/Benchmarks/data/venv/bin/python"
[ -x "$python" ] || { echo "$(basename "$0"): run Benchmarks/run.sh once (it builds the peers' venv)" >&2; exit 1; }
[ -d Benchmarks/data/corpus/photos ] || Benchmarks/corpus.sh
