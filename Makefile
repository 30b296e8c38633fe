# imgproc: the two commands of the README, and helpers.
SWIFT ?= swift
OUT ?= out/samples

.PHONY: deps build demo test lambda-zip lint bench completions man clean

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
## (python-hcl2, checkov).
test: deps
	$(SWIFT) build --build-tests
	scripts/with-s3-server.sh $(SWIFT) test
	scripts/check-terraform.sh

## Builds the AWS Lambda package dist/lambda/imgproc-lambda-x86_64.zip (release, static).
lambda-zip: deps
	Resources/aws/build.sh

## Runs the benchmark against Pillow and libvips (about 20 minutes; see README).
bench:
	Benchmarks/run.sh

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

clean:
	rm -rf .build out
