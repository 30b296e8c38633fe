# imgproc: the two commands of the README, and helpers.
SWIFT ?= swift
OUT ?= out/samples
## make install: where (PREFIX), under which staging root (DESTDIR, for packages), and which
## binary (BIN; default: a release build with the Swift runtime linked in).
PREFIX ?= /usr/local
DESTDIR ?=
BIN ?=
# zsh looks in site-functions under /usr/local, in vendor-completions under Debian's /usr.
ZSH_COMPLETIONS = $(if $(filter /usr,$(PREFIX)),share/zsh/vendor-completions,share/zsh/site-functions)

.PHONY: deps build demo test rehearse-zip lambda-zip lint bench fuzz sanitize conformance completions man install uninstall deb check-deb clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

## Installs what is missing, builds, and converts the sample images into $(OUT).
demo: build
	"$$($(SWIFT) build --show-bin-path)/imgproc" convert Resources/samples -o $(OUT) --verbose
	@ls -l $(OUT)

## Installs what is missing and runs the whole test suite (debug build), with a real S3
## server (OpenStack Swift + s3api) started on 127.0.0.1 for the S3 tests and stopped after,
## and a local Lambda Runtime API inside the tests; then checks the Terraform files
## (python-hcl2, checkov) and rehearses the deployment against a local moto server, the
## debug build's `imgproc lambda` run as the function (scripts/rehearse-deploy.sh; skipped
## with a word where Terraform is not installed).
## The codecs are also compiled without the HEIF trait, as the Lambda package builds them.
## The build fails when a target imports a module it does not declare in Package.swift.
test: deps
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error
	$(SWIFT) build --target ImgprocCodecs --disable-default-traits --scratch-path .build-noheif
	scripts/with-s3-server.sh $(SWIFT) test
	scripts/check-terraform.sh
	scripts/rehearse-deploy.sh --function "$$($(SWIFT) build --show-bin-path)/imgproc"

## The deploy rehearsal with the Lambda zip's static bootstrap as the function (builds the zip).
rehearse-zip: deps
	Resources/aws/build.sh
	scripts/rehearse-deploy.sh --function dist/lambda/imgproc-lambda-x86_64.zip

## Builds the AWS Lambda package dist/lambda/imgproc-lambda-x86_64.zip (release, static).
lambda-zip: deps
	Resources/aws/build.sh

## Runs the benchmark against Pillow and libvips (about 20 minutes; see docs/benchmarks.md).
bench:
	Benchmarks/run.sh

## Hardening (see docs/hardening.md): every parser fuzzed for a minute (nightly; about 10
## minutes), the test suite under AddressSanitizer then ThreadSanitizer (about 20 minutes),
## and decoding compared with Pillow's on the public conformance images.
fuzz:
	scripts/fuzz.sh all 60

sanitize:
	scripts/sanitize.sh address
	scripts/sanitize.sh thread

conformance:
	scripts/conformance.sh

## Checks the code against .swift-format (swift-argument-parser's rules, 100 columns).
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

## Regenerates the shell completion scripts from the command definitions (zsh's is named
## _imgproc: zsh finds completion functions on its fpath by that name).
completions: build
	bin="$$($(SWIFT) build --show-bin-path)/imgproc"; \
	"$$bin" --generate-completion-script bash > completions/imgproc.bash; \
	"$$bin" --generate-completion-script fish > completions/imgproc.fish; \
	"$$bin" --generate-completion-script zsh > completions/_imgproc

## Regenerates the man pages (swift-argument-parser's generate-manual plugin).
man:
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page
	cd .build/plugins/GenerateManual/outputs/imgproc && cp imgproc.1 imgproc.convert.1 imgproc.info.1 imgproc.s3-sync.1 imgproc.watch.1 imgproc.lambda.1 $(CURDIR)/man/

## Installs the binary, the man pages and the completion scripts where man, bash, zsh and
## fish look: $(DESTDIR)$(PREFIX)/bin, share/man/man1, share/bash-completion/completions,
## share/zsh/site-functions (share/zsh/vendor-completions when PREFIX=/usr) and
## share/fish/vendor_completions.d.
install:
	@bin="$(BIN)"; \
	if [ -z "$$bin" ]; then \
	  $(SWIFT) build -c release --static-swift-stdlib --product imgproc >&2 || exit 1; \
	  bin="$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/imgproc"; \
	fi; \
	root="$(DESTDIR)$(PREFIX)"; \
	install -d "$$root/bin" "$$root/share/man/man1" "$$root/share/bash-completion/completions" \
	  "$$root/$(ZSH_COMPLETIONS)" "$$root/share/fish/vendor_completions.d" && \
	install -m 755 "$$bin" "$$root/bin/imgproc" && \
	install -m 644 man/*.1 "$$root/share/man/man1/" && \
	install -m 644 completions/imgproc.bash "$$root/share/bash-completion/completions/imgproc" && \
	install -m 644 completions/_imgproc "$$root/$(ZSH_COMPLETIONS)/_imgproc" && \
	install -m 644 completions/imgproc.fish "$$root/share/fish/vendor_completions.d/imgproc.fish" && \
	echo "installed imgproc in $$root"

## Removes what `make install` put under $(DESTDIR)$(PREFIX).
uninstall:
	root="$(DESTDIR)$(PREFIX)"; \
	rm -f "$$root/bin/imgproc" "$$root"/share/man/man1/imgproc.*1 \
	  "$$root/share/bash-completion/completions/imgproc" "$$root/$(ZSH_COMPLETIONS)/_imgproc" \
	  "$$root/share/fish/vendor_completions.d/imgproc.fish"

## Builds dist/imgproc_VERSION_ARCH.deb (dpkg-deb) from a release build with the Swift runtime
## linked in.
deb:
	$(SWIFT) build -c release --static-swift-stdlib --product imgproc >&2
	@scripts/build-deb.sh "$$($(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/imgproc"

## Builds the .deb, installs it with apt into a fresh Debian 12 root made by debootstrap and
## converts the samples there (scripts/check-deb.sh; as root; a few minutes after the build,
## so not part of `make test`).
check-deb: deb
	scripts/check-deb.sh

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan .build-conformance out
