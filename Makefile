# SPDX-License-Identifier: GPL-2.0-only
# The two commands of the README. Each installs what is missing, builds and runs.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
# make V=1 shows the build as it goes; by default only its errors show, so
# that `make run` prints the table and little else.
V ?= 0
MAKEFLAGS += --no-print-directory

.PHONY: all deps build run test check-long bench format clean

all: build

deps:
	@scripts/bootstrap

build: deps
ifeq ($(V),0)
	@mkdir -p $(BUILD)
	@echo "building in $(BUILD)/ (log: $(BUILD)/build.log; make V=1 shows it)"
	@{ cmake -S . -B $(BUILD) $(CMAKE_FLAGS) && cmake --build $(BUILD) -j$(JOBS); } \
		>$(BUILD)/build.log 2>&1 || { grep -B2 -A6 -i 'error' $(BUILD)/build.log | head -60; \
		echo "build failed: see $(BUILD)/build.log"; exit 1; }
else
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)
endif

# The main job: the strategies side by side on the series' workload (scale 0.01).
run: build
	./$(BUILD)/bbmsim compare --plot $(BUILD)/compare.svg

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Clean scenarios over many schedules (nightly, not in make test).
check-long: build
	BBMSIM=./$(BUILD)/bbmsim scripts/check-long

bench: build
	@for b in $(BUILD)/bench_*; do echo "== $$b"; $$b; done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
