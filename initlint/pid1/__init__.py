"""PID 1 semantics: reading an argv the way the kernel and the shell will (inits, launchers,
``sh -c`` strings, entrypoint scripts), and turning each runtime into a
:class:`~initlint.model.Prediction` (:func:`initlint.pid1.predict.predict`).

Layer: above the model and the knowledge tables, below the loaders, evidence and rules.
"""
