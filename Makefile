# SPDX-License-Identifier: GPL-2.0-only
# The two commands of the README. Each installs what is missing, builds and runs.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps build run test check-long bench format clean

all: build

deps:
	@scripts/bootstrap

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

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
