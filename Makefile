# The two commands in the README: `make site` builds the website from Content/ into Output/;
# `make test` runs every test. Each installs what it needs first.
SWIFT ?= swift
CONFIG ?= release
# `make site` builds careers in a scratch folder of its own: its flags (CAREERS_FLAGS) differ from the preview
# server's, and SwiftPM rebuilds every module when the flags change, so sharing .build/ would rebuild everything
# at each switch between `make site` and `make serve`.
SITE_SCRATCH = .build-site
CAREERS = $(SITE_SCRATCH)/$(CONFIG)/careers
# Release builds on Linux link the Swift runtime and Foundation into the programs, so `careers` starts in about
# 8 ms instead of 14 ms (dynamic loading and relocation); a no-op rebuild is mostly start-up. (macOS has no
# static Swift runtime.) The preview server keeps these flags.
STATIC = $(if $(and $(filter release,$(CONFIG)),$(filter Linux,$(shell uname -s))),--static-swift-stdlib)
# `careers` itself goes further: on Linux one static executable, with glibc, libstdc++ and libcmark inside, which
# starts in about two thirds of the time (STATIC_EXECUTABLE=0 to load them as shared libraries), and everywhere
# generic types made by accessor rather than from their mangled names (see the script).
CAREERS_FLAGS = $(shell Scripts/release-flags.sh $(CONFIG))

.PHONY: site serve test unit-test browser-test release-check deps build format lint clean tsan fuzz

site: build
	$(CAREERS) build --content Content --templates Templates --output Output

# Builds, serves Output/ on http://127.0.0.1:8000/ and rebuilds on every change (PORT=… to change it).
# `careers serve` starts the careers-serve program next to it, so both are built in .build/ with the same flags.
serve: deps
	@Scripts/ensure-build-deps.sh serve
	$(SWIFT) build -c $(CONFIG) $(STATIC) --product careers
	$(SWIFT) build -c $(CONFIG) $(STATIC) --product careers-serve
	.build/$(CONFIG)/careers serve --content Content --templates Templates --output Output --port $(or $(PORT),8000)

build: deps
	$(SWIFT) build -c $(CONFIG) --scratch-path $(SITE_SCRATCH) $(CAREERS_FLAGS) --product careers

deps:
	@Scripts/ensure-build-deps.sh

test: deps
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) Scripts/swift-test.sh
	$(MAKE) browser-test
	$(MAKE) release-check
	$(MAKE) tsan
	$(MAKE) fuzz

# Swift tests under Thread Sanitizer, and a build with warnings as errors (own build folders; see Scripts/tsan.sh).
tsan: deps
	Scripts/tsan.sh

# The content loader under libFuzzer for FUZZ_SECONDS (default 60); fails on a crash, hang or unpositioned error.
fuzz: deps
	Scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

# The release careers that `make site` runs (a static executable on Linux) against the debug build the tests use.
release-check: deps
	Scripts/check-release.sh

# The generated site in a real browser (axe, keyboard, no network) and the Nu HTML checker.
browser-test: deps
	$(SWIFT) build --product careers
	rm -rf .build/test-site .build/previous-content
	cp -R Content .build/previous-content
	sed -i 's/^title: .*/title: "An earlier title"/' .build/previous-content/roles/district-nurse.md
	sed -i 's/^summary: "/summary: "Earlier wording: /' .build/previous-content/capabilities/assessment.md
	# --previous adds changes.html and the "changed in this revision" marks, so they are checked too.
	.build/debug/careers build --content Content --templates Templates --output .build/test-site --previous .build/previous-content
	Scripts/check-browser.sh .build/test-site

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean:
	rm -rf .build $(SITE_SCRATCH) Output
