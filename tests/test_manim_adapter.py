"""What rnn3d uses of Manim's insides (scenes/manim_adapter.py, and the drawing methods
DepthCamera overrides in scenes/camera.py), each checked against Manim itself: after moving to
a new Manim, what fails here is what to fix there."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import (  # noqa: E402
    BLUE,
    IN,
    OUT,
    RED,
    RIGHT,
    Animation,
    Circle,
    Dot,
    FadeOut,
    MathTex,
    Scene,
    Square,
    Text,
    ThreeDScene,
    tempconfig,
)
from manim.camera.three_d_camera import ThreeDCamera  # noqa: E402
from manim.mobject.svg.svg_mobject import SVGMobject  # noqa: E402

from scenes import framing  # noqa: E402
from scenes import manim_adapter as adapter  # noqa: E402
from scenes.camera import DepthCamera  # noqa: E402

SMALL = {
    "pixel_width": 64,
    "pixel_height": 36,
    "frame_rate": 15,
    "write_to_movie": False,
    "save_last_frame": False,
    "disable_caching": True,
    "verbosity": "ERROR",
    "progress_bar": "none",
}


def run(construct, tmp_path, scene_class: type = ThreeDScene, **kwargs):
    """Render a scene whose construct is construct(scene); returns the scene."""

    class Probe(scene_class):  # type: ignore[misc, valid-type]
        def construct(self) -> None:
            construct(self)

    with tempconfig({**SMALL, "media_dir": str(tmp_path)}):
        scene = Probe(**kwargs)
        scene.render()
    return scene


def test_section_skipped_follows_next_section(tmp_path) -> None:
    seen = []

    def construct(scene) -> None:
        seen.append(adapter.section_skipped(scene))
        scene.next_section("skipped", skip_animations=True)
        seen.append(adapter.section_skipped(scene))
        scene.next_section("shown")
        seen.append(adapter.section_skipped(scene))

    run(construct, tmp_path)
    assert seen == [False, True, False]


def test_draw_only_frames_shown_skips_the_drawing_of_skipped_plays(tmp_path) -> None:
    drawn: list[bool] = []

    def construct(scene) -> None:
        adapter.draw_only_frames_shown(scene.renderer)
        capture = scene.renderer.camera.capture_mobjects

        def counting(*args, **kwargs) -> None:
            drawn.append(scene.renderer.skip_animations)
            capture(*args, **kwargs)

        scene.renderer.camera.capture_mobjects = counting
        square = Square()
        scene.add(square)
        scene.next_section("skipped", skip_animations=True)
        scene.play(square.animate.shift(RIGHT))
        assert not drawn  # not a single frame of the skipped play
        scene.next_section("shown")
        scene.play(square.animate.shift(RIGHT), run_time=0.2)
        assert drawn and not any(drawn)

    run(construct, tmp_path)


def test_grab_frame_draws_the_scene_even_while_skipping(tmp_path) -> None:
    frames = []

    def construct(scene) -> None:
        adapter.draw_only_frames_shown(scene.renderer, full_frames=False)
        scene.next_section("skipped", skip_animations=True)
        scene.add(Square(4, fill_color=RED, fill_opacity=1, stroke_width=0))
        scene.wait()
        frames.append(adapter.grab_frame(scene))

    run(construct, tmp_path, Scene)
    frame = frames[0]
    assert frame.shape == (36, 64, 3)
    assert tuple(frame[18, 32]) == tuple(int(255 * c + 0.5) for c in RED.to_rgb())
    assert frame[0, 0].max() == 0  # the background, outside the square


def test_prepare_animation_and_run_to_end(tmp_path) -> None:
    square, circle = Square(), Circle()
    anim = adapter.prepare_animation(square.animate.shift(2 * RIGHT))
    assert isinstance(anim, Animation)

    def construct(scene) -> None:
        scene.add(square, circle)
        adapter.run_to_end(scene, anim)
        adapter.run_to_end(scene, FadeOut(circle))
        assert circle not in scene.mobjects and square in scene.mobjects

    run(construct, tmp_path)
    assert np.allclose(square.get_center(), 2 * RIGHT)


def test_camera_trackers_move_the_camera() -> None:
    camera = DepthCamera()
    adapter.frame_center_tracker(camera).move_to(RIGHT + OUT)
    assert np.allclose(camera.frame_center, RIGHT + OUT)
    adapter.zoom_tracker(camera).set_value(2.5)
    assert camera.get_zoom() == 2.5


def test_mobjects_to_display_keeps_the_scene_order() -> None:
    near, far = Square().shift(OUT), Square().shift(IN)
    camera = DepthCamera()
    assert adapter.mobjects_to_display(camera, [near, far]) == [near, far]
    assert adapter.mobjects_to_display(camera, [far, near]) == [far, near]


def test_rgba_arrays_are_the_colours_drawn() -> None:
    square = Square(fill_color=RED, fill_opacity=1).set_stroke(BLUE, opacity=1)
    fill, stroke, background = adapter.rgba_arrays(square)
    fill[:, 3] = 0.25
    stroke[:, 3] = 0.5
    assert square.get_fill_opacity() == 0.25 and square.get_stroke_opacity() == 0.5
    assert background.shape[1] == 4


def test_keep_first_stroke_colour() -> None:
    square = Square().set_stroke([RED, BLUE])
    adapter.keep_first_stroke_colour(square)
    stroke = adapter.rgba_arrays(square)[1]
    assert len(stroke) == 1 and np.allclose(stroke[0, :3], RED.to_rgb())


def test_plain_vmobjects_are_what_vmobject_builds() -> None:
    from manim import VMobject
    from manim.utils.color import ManimColor

    points = [np.random.default_rng(k).random((8, 3)) for k in range(2)]
    fill = np.array([[0.1, 0.2, 0.3, 1.0], [0.4, 0.5, 0.6, 0.5]])
    stroke = np.array([[0.7, 0.8, 0.9, 1.0], [0.0, 0.0, 0.0, 0.0]])
    widths = np.array([0.0, 2.0])
    made = adapter.plain_vmobjects(points, fill, stroke, widths)
    for leaf, pts, f, s, w in zip(made, points, fill, stroke, widths, strict=True):
        built = VMobject(
            fill_color=ManimColor.from_rgb(f[:3]),
            fill_opacity=f[3],
            stroke_color=ManimColor.from_rgb(s[:3]),
            stroke_opacity=s[3],
            stroke_width=w,
        )
        built.points = pts
        assert set(vars(leaf)) == set(vars(built))
        for name, value in vars(built).items():
            assert np.array_equal(vars(leaf)[name], value), name
    made[0].submobjects.append(made[1])  # lists and arrays of its own
    made[0].fill_rgbas[0, 0] = 1.0
    assert made[1].submobjects == [] and made[1].fill_rgbas[0, 0] == 0.4


def test_family_is_manim_s_get_family() -> None:
    from manim import VGroup, VMobject

    rng = np.random.default_rng(0)
    for _ in range(100):
        pool: list = [VMobject() for _ in range(int(rng.integers(1, 20)))]
        for _ in range(int(rng.integers(1, 10))):  # groups sharing members, groups of groups
            picks = rng.integers(0, len(pool), int(rng.integers(0, 6)))
            pool.append(VGroup().add(*{id(pool[k]): pool[k] for k in picks}.values()))
        top = pool[-1]
        assert adapter.family(top) == adapter.manim_get_family(top)


def test_mobjects_to_display_are_manim_s() -> None:
    from manim import VGroup, VMobject
    from manim.camera.camera import Camera

    camera = Camera()
    rng = np.random.default_rng(0)
    for _ in range(100):  # leaves with and without points, shared, in layers, in groups
        pool: list = [VMobject() for _ in range(int(rng.integers(1, 20)))]
        for m in pool:
            m.points = rng.random((4, 3)) if rng.random() < 0.7 else np.zeros((0, 3))
            m.z_index = int(rng.integers(0, 2)) if rng.random() < 0.3 else 0
        for _ in range(int(rng.integers(1, 10))):
            picks = rng.integers(0, len(pool), int(rng.integers(0, 6)))
            pool.append(VGroup().add(*{id(pool[k]): pool[k] for k in picks}.values()))
        shown = [pool[k] for k in rng.integers(0, len(pool), 4)]
        for camera.use_z_index in (True, False):
            mine = adapter.mobjects_to_display(camera, shown)
            assert mine == Camera.get_mobjects_to_display(camera, shown)


def test_subpaths_are_manim_s() -> None:
    from manim import Circle, VMobject

    def same(a: list, b: list) -> bool:
        if len(a) != len(b):
            return False
        return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b, strict=True))

    rng = np.random.default_rng(0)
    plain = VMobject()
    for _ in range(1000):  # curves whose ends meet or not, nearly, or with NaN and inf in them
        points = rng.integers(0, 3, size=(int(rng.integers(0, 40)), 3)).astype(float)
        if len(points) and rng.random() < 0.3:
            points[rng.integers(0, len(points))] = rng.choice([np.nan, np.inf, -np.inf])
        if rng.random() < 0.3:
            points += rng.normal(0, 1e-9, points.shape)
        mine = adapter.subpaths_from_points(plain, points)
        assert same(mine, adapter.manim_subpaths_from_points(plain, points))
    for leaf in [Circle(), *Text("Subpaths: 0.52").family_members_with_points()]:
        mine = adapter.subpaths_from_points(leaf, leaf.points)
        assert same(mine, adapter.manim_subpaths_from_points(leaf, leaf.points))


def test_svg_parser_is_replaceable_and_svgs_identifiable(monkeypatch) -> None:
    # whatever parser is installed (the glyph cache) comes back after the test
    monkeypatch.setattr(SVGMobject, "generate_mobject", SVGMobject.generate_mobject)
    calls = []

    def parse(svg):
        calls.append(adapter.svg_identity(svg))
        return adapter.manim_parse_svg(svg)

    adapter.use_svg_parser(parse)
    plain, again, other = Text("adapter"), Text("adapter"), Text("adapted")
    adapter.use_svg_parser(adapter.manim_parse_svg)
    assert len(calls) == 3
    assert calls[0] == calls[1] != calls[2]
    assert plain.family_members_with_points() and again.width == plain.width != other.width
    Text("not counted")
    assert len(calls) == 3


def test_svg_id_groups_find_a_formula_s_parts() -> None:
    formula = MathTex("a", "b")
    groups = adapter.svg_id_groups(formula)
    assert groups and all(hasattr(g, "submobjects") for g in groups.values())
    adapter.set_svg_id_groups(formula, {"root": groups["root"]})
    assert list(adapter.svg_id_groups(formula)) == ["root"]


def test_depth_camera_projects_as_manim_does() -> None:
    camera = DepthCamera()
    camera.set_phi(68 * np.pi / 180)
    camera.set_theta(-28 * np.pi / 180)
    adapter.zoom_tracker(camera).set_value(1.7)
    adapter.frame_center_tracker(camera).move_to(RIGHT * 0.5)
    points = np.array([[1.0, 2.0, -0.5], [-3.0, 0.2, 1.5]])
    assert np.allclose(camera.project_points(points), ThreeDCamera.project_points(camera, points))
    # screen_points projects many mobjects at once as each alone (a facing one about its centre)
    dots = [Dot(p) for p in points]
    camera.add_fixed_orientation_mobjects(dots[1])
    alone = np.vstack([camera.transform_points_pre_display(d, d.points) for d in dots])
    assert np.allclose(np.sort(camera.screen_points(dots), axis=0), np.sort(alone, axis=0))


def test_box_as_seen_measures_as_screen_box_to_the_last_bit() -> None:
    # fit_view's measure, found once, as the camera moves: in the world, facing, fixed
    camera = DepthCamera()
    world, facing, fixed = Circle().shift(IN + RIGHT), Text("ab").shift(OUT * 2), Square(0.5)
    camera.add_fixed_orientation_mobjects(facing)
    camera.add_fixed_in_frame_mobjects(fixed)
    mobs = [world, facing, fixed]
    measured = framing.box_as_seen(camera, mobs)
    for phi, theta, zoom in [(0.0, -90.0, 1.0), (68.0, -28.0, 1.7), (80.0, 10.0, 0.4)]:
        camera.set_phi(phi * np.pi / 180)
        camera.set_theta(theta * np.pi / 180)
        adapter.zoom_tracker(camera).set_value(zoom)
        adapter.frame_center_tracker(camera).move_to(RIGHT * zoom)
        assert np.array_equal(measured(), framing.screen_box(camera, mobs))


def test_a_facing_mobject_s_anchor_is_its_own_centre_only_by_default() -> None:
    camera = DepthCamera()
    own, static, parent = Dot(), Dot(), Circle()
    child = Dot()
    parent.add(child)
    camera.add_fixed_orientation_mobjects(own, parent)
    camera.add_fixed_orientation_mobjects(static, use_static_center_func=True)
    assert adapter.anchored_at_own_centre(camera, own)
    assert adapter.anchored_at_own_centre(camera, parent)
    assert not adapter.anchored_at_own_centre(camera, static)
    assert not adapter.anchored_at_own_centre(camera, child)  # it turns about its parent's


def test_x264_options_reach_the_encoder_and_a_wait_keeps_its_frames(tmp_path, monkeypatch) -> None:
    import av
    from manim.scene.scene_file_writer import SceneFileWriter, _PartialMovieEncodeJob

    for owner, name in [
        (SceneFileWriter, "open_partial_movie_stream"),
        (_PartialMovieEncodeJob, "_encode_and_write_frame"),
    ]:
        monkeypatch.setattr(owner, name, getattr(owner, name))  # restored after the test

    def construct(scene) -> None:
        square = Square(color=BLUE)
        scene.add(square)
        scene.wait(1)  # one frame written 15 times: converted once, encoded 15 times
        scene.play(FadeOut(square), run_time=1)

    def encode(folder) -> tuple[bytes, int]:
        class Probe(Scene):
            def construct(self) -> None:
                construct(self)

        with tempconfig({**SMALL, "write_to_movie": True, "media_dir": str(folder)}):
            Probe().render()
        (movie,) = [p for p in folder.rglob("Probe.mp4") if "partial" not in str(p)]
        with av.open(str(movie)) as container:
            frames = sum(1 for _ in container.decode(video=0))
        return movie.read_bytes(), frames

    manims, manims_frames = encode(tmp_path / "manim")
    adapter.use_x264_options({"preset": "veryfast", "x264-params": "mbtree=0"})
    ours, our_frames = encode(tmp_path / "ours")
    # x264 writes the options it ran with into the stream (an SEI message)
    assert b"mbtree=1" in manims and b"mbtree=0" not in manims
    assert b"mbtree=0" in ours
    assert our_frames == manims_frames == 30
