"""rnncore: RNN and LSTM cells in numpy that record every intermediate (a Trace)."""

from .data import NumericData, load_data, load_numeric, text_data
from .errors import RnnError, SystemFault, system_fault
from .export import trace_arrays, write_trace
from .forward import forward, lstm_step, rnn_step
from .model import Model, expected_shapes, init_model
from .trace import LayerTrace, Trace
from .weights import load_model, save_model

__all__ = [
    "LayerTrace",
    "Model",
    "NumericData",
    "RnnError",
    "SystemFault",
    "Trace",
    "expected_shapes",
    "forward",
    "init_model",
    "load_data",
    "load_model",
    "load_numeric",
    "lstm_step",
    "rnn_step",
    "save_model",
    "system_fault",
    "text_data",
    "trace_arrays",
    "write_trace",
]
