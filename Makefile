# Thin wrapper around CMake. `make run` and `make test` do all set-up on a fresh Debian 12.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
LISTEN ?= 127.0.0.1:8080
PY ?= python3

.PHONY: all setup build run test unit e2e test-asan asan-build clean

all: build

setup:
	@sh scripts/setup.sh

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

run: setup build
	@mkdir -p var
	./$(BUILD)/ncpd --listen $(LISTEN) --db var/ncpd.db --fixture seed

unit: build
	cd $(BUILD) && ctest --output-on-failure

e2e: build
	NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd $(PY) -m unittest discover -s tests/e2e -p 'test_*.py'

test: setup
	$(MAKE) build
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) test-asan

asan-build:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNCPD_SANITIZE=address >/dev/null
	cmake --build build-asan -j $(JOBS)

test-asan: setup asan-build
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 NCPD_BIN=$(CURDIR)/build-asan/ncpd NCPD_ASAN=1 \
		$(PY) -m unittest discover -s tests/e2e -p 'test_*.py'

clean:
	rm -rf $(BUILD) build-asan build-tsan
