# SPDX-License-Identifier: GPL-2.0
# mwan: build, test and install. `make help` lists the targets.
#
# Every output goes under build/. KVERS are the Debian kernels to build
# mwan.ko for: by default every installed one with /boot/vmlinuz-KVER and
# /lib/modules/KVER/build (scripts/kernels.sh).

VERSION := $(shell cat VERSION)
BUILD := $(CURDIR)/build
KVERS ?= $(shell scripts/kernels.sh)
PREFIX ?= /usr/local
DESTDIR ?=
MANDIR ?= $(PREFIX)/share/man

export BUILD

all: modules tools

help:
	@echo 'mwan $(VERSION): make TARGET'
	@echo
	@echo '  all             modules and tools (the default)'
	@echo '  modules         build/kmod/KVER/mwan.ko for every Debian kernel, W=1, warnings fail'
	@echo '  tools           build/bin/mwanctl'
	@echo '  selftests       the compiled selftest programs (build/selftests/)'
	@echo '  unit            host unit tests (ASan/UBSan), TAP'
	@echo '  fuzz            every fuzzer for FUZZ_SECONDS (default 10) each'
	@echo '  demo            the multi-WAN lab in a VM: balancing, a cut uplink, failover time'
	@echo '  check           deps, then every test; TAP in build/results/, summary last'
	@echo '  bench           the benchmarks, each in a VM but healthd-host (Documentation/performance.md; BENCH=NAME for one)'
	@echo '  deps            install the Debian packages needed to build and test'
	@echo '  install         module via DKMS (not with DESTDIR), tools and man pages to PREFIX (/usr/local)'
	@echo '  dkms-install    add, build and install the module with DKMS'
	@echo '  dkms-uninstall  remove the module from DKMS'
	@echo '  clean           remove build/'
	@echo
	@echo 'Kernels (KVERS): $(KVERS)'
	@echo 'Boot one and run a command in it: selftests/vm/run -h'

modules: $(addprefix modules-,$(KVERS))
ifeq ($(strip $(KVERS)),)
	@echo 'make: no Debian kernel with image and headers installed (make deps)' >&2
	@exit 1
endif

modules-%:
	@scripts/build-kmod.sh $*

tools:
	@test -f tools/Makefile || \
		{ echo 'make: tools/Makefile missing: nothing to build mwanctl from' >&2; exit 1; }
	@$(MAKE) --no-print-directory -C tools BUILD=$(BUILD)

selftests:
	@$(MAKE) --no-print-directory -C selftests BUILD=$(BUILD)

unit:
	@$(MAKE) --no-print-directory -C selftests/unit BUILD=$(BUILD) run

fuzz:
	@$(MAKE) --no-print-directory -C selftests/fuzz BUILD=$(BUILD) run

check:
	@scripts/check.sh

demo: deps
	@selftests/vm/run -- scripts/demo.sh $(DEMO_ARGS)

# Every benchmark of selftests/bench/ in a VM of its own (scripts/bench.sh);
# BENCH=NAME for one of them (fwd-rate, xlate-rate, failover, healthd-cpu,
# healthd-host: this one on the host, without the module)
# and BENCH_ARGS for its options, e.g. BENCH=fwd-rate BENCH_ARGS="-r 20".
bench: deps
	@scripts/bench.sh

deps:
	@scripts/deps.sh

# A staged install (DESTDIR) leaves DKMS alone: that registers with this system.
install: $(if $(DESTDIR),,dkms-install) tools
	@$(MAKE) --no-print-directory -C tools BUILD=$(BUILD) PREFIX=$(PREFIX) \
		MANDIR=$(MANDIR) DESTDIR=$(DESTDIR) install

dkms-install:
	@scripts/dkms.sh install

dkms-uninstall:
	@scripts/dkms.sh uninstall

clean:
	rm -rf $(BUILD)

.PHONY: demo bench all help modules tools selftests unit fuzz check deps install
.PHONY: dkms-install dkms-uninstall clean
