# Quick start: `make run` then `make test`. Both install what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
SAMPLES ?= samples/corpus
OUT ?= out
export OMP_THREAD_LIMIT := 1

APT_PACKAGES := tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai poppler-utils chromium chromium-driver

# Generator-only: the Word/LibreOffice sample producer (never needed by `make run` or `make test`).
WORD_APT_PACKAGES := libreoffice-writer-nogui fonts-lxgw-wenkai fonts-arphic-gbsn00lp fonts-arphic-gkai00mp
DEV_DIR ?= /work/data/dev
HOLDOUT_DIR ?= /work/data/holdout
STRESS_DIR ?= /work/data/dev6
STRESS2_DIR ?= /work/data/dev7
# Made after a round's changes and scored before anything in them is looked at (then dev sets).
FRESH_DIR ?= /work/data/dev8
FRESH_STRESS_DIR ?= /work/data/dev9
FRESH_HOLDOUT_DIR ?= /work/data/dev10
FRESH_HOLDOUT2_DIR ?= /work/data/dev11
WORD_DATA ?= /work/data

.PHONY: run test lint system venv eval bench samples word-system word-corpora clean

# Installs the Debian packages named in $(1) that are missing (root, or sudo).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system:
	$(call apt_install,$(APT_PACKAGES))

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

# The eval runs even when a file failed (batch exits 1 then); `make run` still reports that failure.
run: system venv
	@status=0; $(VENV)/bin/dtpc batch $(SAMPLES) -o $(OUT) || status=$$?; \
	$(VENV)/bin/dtpc eval --truth $(SAMPLES) --pred $(OUT) && exit $$status

test: system venv
	$(PY) -m pytest -q -n 2

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy models pipeline dtpc samples bench

eval: venv
	$(VENV)/bin/dtpc eval --truth $(SAMPLES) --pred $(OUT)

bench: system venv
	$(PY) -m bench.page_reading
	$(PY) -m bench.batch

samples: venv
	$(VENV)/bin/dtpc samples --count 12 --seed 2026 -o $(SAMPLES)

word-system:
	$(call apt_install,$(WORD_APT_PACKAGES))

# The dev and hold-out corpora (outside the repository): see samples/README.md.
word-corpora: system word-system venv
	$(PY) -m samples.word --count 14 --seed 101 --mix dev -o $(DEV_DIR)
	$(PY) -m samples.word --count 14 --seed 202 --mix holdout -o $(HOLDOUT_DIR)
	$(PY) -m samples.word --count 18 --seed 707 --mix stress -o $(STRESS_DIR)
	$(PY) -m samples.word --count 18 --seed 909 --mix stress -o $(STRESS2_DIR)
	$(PY) -m samples.word --count 14 --seed 808 --mix holdout -o $(FRESH_DIR)
	$(PY) -m samples.word --count 18 --seed 818 --mix stress -o $(FRESH_STRESS_DIR)
	$(PY) -m samples.word --count 14 --seed 828 --mix holdout -o $(FRESH_HOLDOUT_DIR)
	$(PY) -m samples.word --count 14 --seed 848 --mix holdout -o $(FRESH_HOLDOUT2_DIR)
	@# Later rounds' sets under $(WORD_DATA): name seed mix count (dev12, dev13, dev15–dev18, dev21–dev27, dev30–dev42,
	@# dev44–dev60, dev62, dev70 and s28h dev sets; dev14, dev19, dev20, dev28, dev29, dev43, dev57 and dev61 hold-outs; dev20, dev21,
	@# dev23–dev25, dev27, dev29–dev32, dev35, dev37, dev39, dev41, dev42, dev45, dev47, dev48, dev49, dev51, dev56 and dev70
	@# through drawn scanner profiles; dev36, dev60, dev61 and dev62 phone photos only).
	@for spec in "dev2 303 word 14" "dev4 505 holdout 14" "dev5 606 holdout 14" "dev12 868 holdout 14" \
		"dev13 878 stress 18" "dev14 888 holdout 14" "dev15 898 holdout 14" "dev16 918 stress 18" \
		"dev17 938 holdout 14" "dev18 958 stress 18" "dev19 968 holdout 14" "dev20 1001 drawn 14" \
		"dev21 1021 drawn 14" "dev22 988 holdout 14" "dev23 1041 drawn 14" "dev24 1061 drawn 14" \
		"dev25 1081 drawn 14" "dev26 1091 stress 14" "dev27 1101 drawn 14" "dev28 1111 holdout 14" \
		"dev29 1121 drawn 14" "dev30 1131 drawn 14" "dev31 1141 drawn 14" \
		"dev32 1151 drawn 14" "dev33 1161 holdout 14" "dev34 1171 holdout 14" "dev35 1181 drawn 14" \
		"dev36 1191 phone 14" "dev37 1201 drawn 14" "dev38 1211 holdout 14" "dev39 1221 drawn 14" \
		"dev40 1231 holdout 14" "dev41 1241 drawn 14" "dev42 1251 drawn 14" "dev43 1261 holdout 14" \
		"dev44 1271 holdout 14" "dev45 1281 drawn 14" "dev46 1291 holdout 14" \
		"dev47 1301 drawn 14" "dev48 1311 drawn 14" \
		"dev49 1321 drawn 14" "dev50 1331 holdout 14" "dev51 1341 drawn 14" "dev52 1351 holdout 14" \
		"dev53 1361 holdout 14" "dev54 1371 holdout 14" "dev55 1381 stress 14" "dev56 1391 drawn 14" \
		"dev57 1401 holdout 14" "dev58 1411 holdout 14" "dev59 1421 stress 14" "dev60 1431 phone 14" \
		"dev61 1441 phone 14" "dev62 1451 phone 14" "dev70 2001 drawn 14" "s28h 2851 holdout 14"; do \
		set -- $$spec; $(PY) -m samples.word --count $$4 --seed $$2 --mix $$3 -o $(WORD_DATA)/$$1 || exit 1; done

clean:
	rm -rf $(OUT) .cache
