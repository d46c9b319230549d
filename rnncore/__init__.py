"""rnncore: RNN and LSTM cells in numpy that record every intermediate (a Trace)."""

from .errors import RnnError
from .forward import forward, lstm_step, rnn_step
from .model import Model, expected_shapes, init_model
from .trace import LayerTrace, Trace

__all__ = ["LayerTrace", "Model", "RnnError", "Trace", "expected_shapes", "forward",
           "init_model", "lstm_step", "rnn_step"]
