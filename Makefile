# Thin wrapper around CMake. `make run` and `make test` do all set-up on a fresh Debian 12.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)
LISTEN ?= 127.0.0.1:8080
PY ?= python3
# make install: PREFIX (/usr/local), DESTDIR (staging root), SYSCONFDIR (default
# PREFIX/etc, /etc when PREFIX is /usr); built in INSTALL_BUILD with the installed
# defaults (the configuration file SYSCONFDIR/ncpd/ncpd.conf is read when present).
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?=
INSTALL_BUILD ?= build-install
DEB_OUT ?= build-deb

.PHONY: all setup build run test unit e2e test-pg browser test-libvirt test-asan asan-build clean release-build bench soak fuzz-build fuzz fuzz-regress tsan-build test-tsan test-valgrind test-reliability install deb test-package

all: build

setup:
	@sh scripts/setup.sh

# $(call need,GROUP): when Debian packages of GROUP (build, deb) are missing, stop with
# one line that names them and `make setup` (before CMake's pkg-config errors).
need = $(if $(shell sh scripts/setup.sh --check $(1) >/dev/null 2>&1 || echo missing),\
	$(error $(shell sh scripts/setup.sh --check $(1) 2>&1)))

$(BUILD)/Makefile: CMakeLists.txt
	$(call need,build)
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: $(BUILD)/Makefile
	$(call need,build)
	cmake --build $(BUILD) -j $(JOBS)

install:
	$(call need,build)
	cmake -S . -B $(INSTALL_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) \
		$(if $(SYSCONFDIR),-DCMAKE_INSTALL_SYSCONFDIR=$(SYSCONFDIR)) \
		-DNCPD_INSTALL_LAYOUT=ON -DNCPD_TESTS=OFF >/dev/null
	cmake --build $(INSTALL_BUILD) -j $(JOBS)
	DESTDIR=$(DESTDIR) cmake --install $(INSTALL_BUILD)

# The Debian package, with dpkg-buildpackage on a copy of the tree: $(DEB_OUT)/ncpd_VERSION_amd64.deb
deb:
	$(call need,deb)
	JOBS=$(JOBS) sh scripts/deb-build.sh $(DEB_OUT)

# make install DESTDIR=... and the installed binaries, man pages, unit file; the .deb built,
# inspected (dpkg-deb, lintian), installed with dpkg -i (as root), started, removed.
test-package:
	cd tests/ops && NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd JOBS=$(JOBS) $(PY) -m unittest -v test_install test_deb

run: setup build
	@mkdir -p var
	./$(BUILD)/ncpd --listen $(LISTEN) --db var/ncpd.db --fixture seed

unit: build
	cd $(BUILD) && ctest --output-on-failure

# End-to-end modules run E2E_JOBS at a time (tests/run_suites.py: one process per module,
# longest first from the durations of the previous run; a failed module's output is shown).
E2E_JOBS ?= 2
SUITES = $(PY) tests/run_suites.py -j $(E2E_JOBS)

e2e: build
	NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd $(SUITES) --times $(BUILD)/e2e-times.json tests/e2e

# The whole end-to-end suite again with every daemon on PostgreSQL (a throwaway cluster
# in PG_DIR, scripts/pg-test.sh: unix socket only, run by an unprivileged user, removed
# at the end), plus the suites of several nodes on one database (test_m_nodes.py).
PG_DIR ?= /tmp/ncpd-pg-test
test-pg: build
	@scripts/pg-test.sh stop $(PG_DIR) >/dev/null 2>&1 || true
	@uri=$$(scripts/pg-test.sh start $(PG_DIR)) || exit 1; \
	NCPD_TEST_PG="$$uri" NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd $(SUITES) \
		--times $(BUILD)/pg-times.json tests/e2e; st=$$?; scripts/pg-test.sh stop $(PG_DIR); exit $$st

# Browser tests of the web console (tests/browser, issue 15): Debian's chromium
# (/usr/bin/chromium, scripts/setup.sh) driven by playwright-core from the npm
# registry, pinned by tests/browser/package-lock.json; no browser is downloaded.
browser: build
	@cd tests/browser && { [ -f node_modules/playwright-core/package.json ] || \
		npm ci --no-audit --no-fund --loglevel=error; }
	cd tests/browser && NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd node --test --test-concurrency=1

# Everything CI runs (.ci/run): unit, end-to-end, browser, PostgreSQL, real machines
# (libvirt, as root), ASan+UBSan, fuzz targets
# (FUZZ_SECONDS each, plus every kept crasher), the install and the Debian package,
# ThreadSanitizer. libFuzzer keeps one core busy for FUZZ_SECONDS per target, so the
# package suite (two compiles and dpkg) runs beside it on the other core.
test: setup
	$(MAKE) build
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) browser
	$(MAKE) test-pg
	$(MAKE) test-libvirt
	$(MAKE) test-asan
	$(MAKE) fuzz-regress
	$(MAKE) -j2 --output-sync=target fuzz test-package
	$(MAKE) test-tsan

# Real machines: a private libvirtd (QEMU, TCG unless KVM really works) and a tiny guest
# built from Debian packages (tests/vm/), one daemon for two suites: the libvirt driver
# alone (vm_drv_libvirt, block storage hotplug included), then ncpd --driver libvirt over
# HTTP (tests/vm/test_ncpd_guest.py). Needs root (the daemon); skipped otherwise.
LIBVIRT_PKGS = libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 busybox-static
test-libvirt:
	@NCPD_SETUP_EXTRA="$(LIBVIRT_PKGS)" sh scripts/setup.sh
	$(MAKE) build
	@if [ "$$(id -u)" -ne 0 ]; then \
		echo "test-libvirt: SKIPPED: needs root (it runs a private libvirtd)"; exit 0; fi; \
	sh tests/vm/run.sh $(CURDIR)/$(BUILD)/vm_drv_libvirt \
		"NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd $(PY) $(CURDIR)/tests/vm/test_ncpd_guest.py"

asan-build:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNCPD_SANITIZE=address >/dev/null
	cmake --build build-asan -j $(JOBS)

test-asan: setup asan-build
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 NCPD_BIN=$(CURDIR)/build-asan/ncpd NCPD_ASAN=1 \
		$(SUITES) --times build-asan/e2e-times.json tests/e2e

# Benchmarks: never part of `make test` (bench/README.md).
release-build:
	cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-release -j $(JOBS)

bench:
	@NCPD_SETUP_EXTRA="wrk nginx-light gnuplot-nox" sh scripts/setup.sh
	$(MAKE) release-build
	$(PY) bench/run.py

# memory under a long read load (10 minutes; SOAK_SECONDS to change)
soak:
	@NCPD_SETUP_EXTRA="wrk" sh scripts/setup.sh
	$(MAKE) release-build
	$(PY) bench/soak.py

clean:
	rm -rf $(BUILD) build-asan build-tsan build-release build-fuzz $(INSTALL_BUILD) $(DEB_OUT)

# ---- fuzzing (libFuzzer, clang, ASan+UBSan; see fuzz/README.md) ----------------
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= form auth emit validate dispatch
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

fuzz-build:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
		-DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DNCPD_SANITIZE=fuzz -DNCPD_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))

# Each target for FUZZ_SECONDS on a working copy of its seed corpus (the repo's
# corpus is never written); new crashers land in $(FUZZ_BUILD)/artifacts/<target>/.
fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
		cp fuzz/corpus/$$t/* $(FUZZ_BUILD)/corpus/$$t/; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s (log $(FUZZ_BUILD)/fuzz_$$t.log)"; \
		if $(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=60 \
			-dict=fuzz/ncp.dict -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ $(FUZZ_BUILD)/corpus/$$t \
			>$(FUZZ_BUILD)/fuzz_$$t.log 2>&1; then \
			echo "fuzz: $$t ok: $$(grep -h 'stat::number_of_executed_units' $(FUZZ_BUILD)/fuzz_$$t.log)"; \
		else \
			echo "fuzz: $$t FAILED; crasher in $(FUZZ_BUILD)/artifacts/$$t/:"; \
			grep -a -h -m5 -E 'ERROR|invariant failed|runtime error|SUMMARY' $(FUZZ_BUILD)/fuzz_$$t.log; \
			fail=1; \
		fi; \
	done; exit $$fail

# Replays every seed and every kept crasher once (no fuzzing).
fuzz-regress: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
		files=$$(ls fuzz/corpus/$$t/* fuzz/crashers/$$t/* 2>/dev/null); \
		for f in $$files; do \
			if ! $(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz_$$t -runs=1 $$f >$(FUZZ_BUILD)/regress.log 2>&1; then \
				echo "fuzz-regress: $$t $$f FAILED:"; \
				grep -a -h -m5 -E 'ERROR|invariant failed|runtime error|SUMMARY' $(FUZZ_BUILD)/regress.log; \
				fail=1; \
			fi; \
		done; \
		echo "fuzz-regress: $$t: $$(echo $$files | wc -w) inputs replayed"; \
	done; exit $$fail

# ---- reliability: crash consistency, races, hostile input (tests/e2e/test_r_*.py) ---
test-reliability: build
	cd tests/e2e && NCPD_BIN=$(CURDIR)/$(BUILD)/ncpd $(PY) -m unittest -v $(basename $(notdir $(wildcard tests/e2e/test_r_*.py)))

# ThreadSanitizer build; the race suite and the concurrency suite against it. The harness
# fails a test when the daemon log holds a ThreadSanitizer report (halt_on_error stops
# the daemon at the first one; NCPD_ASAN=1 makes the harness stop daemons with SIGTERM so
# that the shutdown path is checked too).
# test_h_libvirt: the hypervisor engine's threads (libvirt's own are suppressed, they
# are not instrumented: tests/e2e/tsan-libvirt.supp).
TSAN_TESTS ?= test_r_race.RaceTest test_concurrency test_h_libvirt
tsan-build:
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DNCPD_SANITIZE=thread >/dev/null
	cmake --build build-tsan -j $(JOBS) --target ncpd

test-tsan: tsan-build
	cd tests/e2e && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 history_size=4 suppressions=$(CURDIR)/tests/e2e/tsan-libvirt.supp" \
		NCPD_BIN=$(CURDIR)/build-tsan/ncpd NCPD_ASAN=1 $(PY) -m unittest -v $(TSAN_TESTS)

# valgrind memcheck on some e2e modules: ncpd runs through tests/e2e/valgrind-ncpd.sh;
# daemon logs are kept under $(VALGRIND_DIR) and summarised (definite leaks and memory
# errors fail the target; possible leaks are listed as notes).
VALGRIND_TESTS ?= test_seed test_auth test_lifecycle test_list test_errors test_badinput \
	test_isolation test_r_hostile.HostileParamsTest test_r_hostile.SignatureAttackTest
VALGRIND_DIR ?= $(CURDIR)/$(BUILD)/valgrind
test-valgrind: build
	rm -rf $(VALGRIND_DIR) && mkdir -p $(VALGRIND_DIR)/tmp
	cd tests/e2e && st=0; TMPDIR=$(VALGRIND_DIR)/tmp NCPD_E2E_KEEP=1 NCPD_ASAN=1 \
		NCPD_VALGRIND_DIR=$(VALGRIND_DIR) NCPD_VALGRIND_TARGET=$(CURDIR)/$(BUILD)/ncpd \
		NCPD_BIN=$(CURDIR)/tests/e2e/valgrind-ncpd.sh $(PY) -m unittest $(VALGRIND_TESTS) || st=1; \
		$(PY) reliability_util.py valgrind-report $(VALGRIND_DIR) || st=1; exit $$st
