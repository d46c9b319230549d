"""L6's training replay: the loss axis uses its height and says its scale, and the gate grids
follow the training step counter."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from scenes.settings import Settings  # noqa: E402
from scenes.story_lstm import LSTMView, replay_gates, training_history  # noqa: E402
from scenes.training_replay import GRIDS_GAP, LossAxis, TrainingReplay  # noqa: E402


def test_a_loss_falling_by_decades_is_drawn_on_a_log_axis() -> None:
    loss = np.geomspace(1.36, 0.0007, 300)
    axis = LossAxis.of(loss)
    assert axis.log
    ticks = axis.ticks()
    assert [label for _, label in ticks] == ["0.0001", "0.001", "0.01", "0.1", "1"]
    assert np.allclose(np.diff([y for y, _ in ticks]), 1.0)  # evenly spaced decades
    y = axis.at(loss)
    # the curve spans the axis: from its bottom decade to its top
    assert y.min() >= 0 and y.max() == pytest.approx(axis.height)
    assert (y.max() - y.min()) / axis.height > 0.75


def test_a_loss_within_a_decade_stands_on_a_linear_axis_from_zero() -> None:
    axis = LossAxis.of(np.linspace(1.3, 0.4, 50))
    assert not axis.log
    ticks = axis.ticks()
    assert ticks[0] == (0.0, "0.0")
    assert np.allclose(np.diff([y for y, _ in ticks]), axis.step)
    assert axis.height >= 1.3


def test_a_flat_loss_gets_an_axis_of_some_height() -> None:
    """A loss of 0 at every step (a perfect model) made an axis of no height: Manim divided
    by zero drawing it."""
    for loss in ([0.0, 0.0, 0.0], [-1.0, -1.0]):
        axis = LossAxis.of(np.array(loss))
        labels = [label for _, label in axis.ticks()]
        assert axis.height > 0 and len(labels) >= 2 and len(set(labels)) == len(labels)


def test_a_loss_over_hundreds_of_decades_gets_a_few_ticks() -> None:
    """One tick per decade was 601 ticks (a render of minutes, a pile of numbers)."""
    for loss in ([1e300, 1e-300, 1.0], [1e40, 1e-40], [1.0, 1e-7], [1e308, 5e-324]):
        axis = LossAxis.of(np.array(loss))
        ticks = axis.ticks()
        assert axis.log and 2 <= len(ticks) <= 6
        y = axis.at(np.array(loss))
        assert y.min() >= 0 and y.max() == pytest.approx(axis.height)
        assert len({label for _, label in ticks}) == len(ticks)


def test_the_gate_grids_are_redrawn_with_the_step_counter() -> None:
    """Manim redraws only from the first updating mobject of a scene on: each grid must be in
    a mobject that updates during the replay (they stayed frozen when they were not)."""
    view = LSTMView.load(Settings())
    hist = training_history(Settings(), view.story.model).history
    replay = TrainingReplay(hist, replay_gates(view, hist), view, "en", lambda *m: None)
    replay.readout.add_updater(replay.follow)  # as shot L6 does
    updating = {f for m in replay.moving if m.get_family_updaters() for f in m.get_family()}
    grids = [g[1] for g in replay.grids]
    assert all(g in updating for g in grids)
    before = [g.bgr.copy() for g in grids]
    replay.at.set_value(hist.snapshot_steps[len(hist.snapshot_steps) // 2])
    replay.readout.update()
    assert any(not np.array_equal(b, g.bgr) for b, g in zip(before, grids, strict=True))


def test_every_step_is_named_under_its_column_on_one_baseline() -> None:
    """Under each gate grid, "h e l l" stand on one baseline (they were top-aligned, so "e"
    stood higher than "h"), one name under every column when the names fit the cells."""
    view = LSTMView.load(Settings())
    hist = training_history(Settings(), view.story.model).history
    replay = TrainingReplay(hist, replay_gates(view, hist), view, "en", lambda *m: None)
    for part in replay.grids:
        grid, names = part[1], part[2]
        assert len(names) == view.K
        bottoms = [name.get_bottom()[1] for name in names]
        assert max(bottoms) - min(bottoms) < 0.02  # "e" overshoots the baseline a little
        centres = [name.get_x() - grid.cell(t, 0)[0] for t, name in enumerate(names)]
        assert np.allclose(centres, 0.0, atol=1e-6)


@pytest.mark.parametrize("steps", ["2:4", None])
def test_the_seed_names_stand_over_their_grids_within_their_share(steps: str | None) -> None:
    """f_1 over f_t and f_2 = i_t * C~_t over i_t. Over a grid narrower than it (a step or
    two), f_2 reached over towards the o_t grid: the gaps grow, so that it reaches no further
    past its grid than half the gap beside it, and stays GRIDS_GAP from f_1. Grids as wide
    as f_2 (the default's 4 steps) keep GRIDS_GAP between them."""
    settings = Settings(steps=steps)
    view = LSTMView.load(settings)
    hist = training_history(settings, view.story.model).history
    replay = TrainingReplay(hist, replay_gates(view, hist), view, "en", lambda *m: None)
    f, i, o = replay.grids
    (f1, f2), cells = (f[3], i[3]), [g[1] for g in replay.grids]
    assert f1.get_x() == pytest.approx(cells[0].get_x())
    assert f2.get_x() == pytest.approx(cells[1].get_x())
    gaps = [b.get_left()[0] - a.get_right()[0] for a, b in zip(cells, cells[1:], strict=False)]
    assert f2.get_right()[0] - cells[1].get_right()[0] <= gaps[1] / 2 + 1e-6
    assert cells[1].get_left()[0] - f2.get_left()[0] <= gaps[0] / 2 + 1e-6
    assert f1.get_right()[0] + GRIDS_GAP <= f2.get_left()[0] + 1e-6
    if steps is None:
        assert gaps == pytest.approx([GRIDS_GAP, GRIDS_GAP])
    else:
        assert f2.width > cells[1].width and min(gaps) > GRIDS_GAP
