"""What a user does with a trained model: save, load, export, quantize, evaluate and predict.

Qt-free and importable without torch side effects; every function works on a CPU deep copy of
the model, never on a live training model. The entry points:

- ``model_io.load_model(path, trusted=False)`` -> ``LoadedModel`` (a model rebuilt from a checkpoint,
  a weights file with its metadata, a TorchScript or ``.pt2`` archive, or a trusted pickled model)
- ``save.save_model(loaded, fmt, out)`` -> ``SaveResult``
- ``load.load_weights_into(model, path, strict=..., device=...)`` -> ``LoadReport``
- ``export.export_model(loaded, fmt, out, ...)`` -> ``ExportReport``
- ``quantize.quantization_methods(loaded)``, ``quantize.compare_methods(loaded, ...)`` -> ``QuantReport``
- ``evaluate.evaluate_model(loaded, ...)`` -> ``EvaluationReport``
- ``predict.Predictor.open(path)`` / ``predict.predict_files(path, inputs, top_k)`` -> ``[Prediction]``

Long functions take an optional ``task=TaskHooks(progress, cancel)``; a cancel raises ``Cancelled``.
"""
