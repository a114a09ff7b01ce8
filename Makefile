# Two commands do everything on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# CPU build of PyTorch (see README for GPU machines: set TORCH_SPEC).
TORCH_SPEC ?= torch==2.13.0
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.installed-ray

.PHONY: demo test install browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The tests also run the Ray executor on a local Ray (the optional extra `drift[ray]`).
$(RAY_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev,ray]"
	touch $(RAY_STAMP)

demo: $(STAMP)
	$(BIN)/drift report corpora/demo --store reports/demo.duckdb -o reports/demo.html

# Headless Chromium for the report's browser tests (Debian package; skipped when absent).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) 2>/dev/null \
	  || echo "chromium could not be installed: browser tests will be skipped"; }

test: $(STAMP) $(RAY_STAMP) browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) reports/*.html reports/*.json reports/*.md reports/*.duckdb .pytest_cache
