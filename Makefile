# lenet: the front door. `make run` builds, trains on the vendored MNIST and shows the model
# working; `make test` runs every test. Both install the Debian packages they need first.

SWIFT ?= swift
BUILD := .build/release
PREFIX ?= /usr/local

# On a CPU with FMA (x86-64 AVX2/AVX-512), compile for the building machine and let the GEMM
# micro-kernel use fused multiply-add; elsewhere the portable default target. Override with
# `make CPU_FLAGS=` for a binary that runs on any x86-64.
CPU_FLAGS ?= $(shell grep -qw fma /proc/cpuinfo 2>/dev/null && echo "-Xswiftc -target-cpu -Xswiftc native -Xswiftc -DLENET_FMA")
SWIFT_FLAGS := -c release $(CPU_FLAGS)

# Debian packages the build needs, with a file each one provides.
DEB_PACKAGES := zlib1g-dev:/usr/include/zlib.h pkg-config:/usr/bin/pkg-config

.PHONY: all build run test test-swift deps clean bench-train help

all: build

help:
	@echo "make run    build, train LeNet-5 on data/mnist (10 epochs), evaluate and inspect it"
	@echo "make test   every test (Swift)"
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

test: test-swift

test-swift: deps
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build

bench-train: build
	benchmarks/train_compare.sh

clean:
	rm -rf .build models
