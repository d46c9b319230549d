"""A realistic long numeric series for tests and benchmarks: hourly weather-like readings.

Two features per hour, a temperature and a relative humidity, each the sum of a yearly and a
daily cycle and of weather: an AR(1) process (today's anomaly persists, coefficient 0.9 an
hour) shared by both (warm spells are dry), plus sensor noise. Like real readings, the next
hour is mostly the last one (predicting the last value is a strong baseline) but not only:
the daily cycle and the pull of the anomaly back to the mean are what a model can learn.
"""

from __future__ import annotations

import numpy as np

HOURS_PER_DAY, HOURS_PER_YEAR = 24, 24 * 365


def hourly_readings(steps: int, seed: int = 0) -> np.ndarray:
    """(steps, 2): temperature (°C, around 11) and relative humidity (%, around 70)."""
    rng = np.random.default_rng(seed)
    t = np.arange(steps)
    day = np.sin(2 * np.pi * (t - 9) / HOURS_PER_DAY)  # warmest mid-afternoon
    year = np.sin(2 * np.pi * (t - 2500) / HOURS_PER_YEAR)  # warmest in summer
    shocks = rng.normal(0.0, 0.6, size=steps)
    weather = np.empty(steps)
    level = 0.0
    for k in range(steps):  # AR(1): a loop, as the recursion is sequential (0.1 s per 100,000)
        level = 0.9 * level + shocks[k]
        weather[k] = level
    temperature = 11 + 8 * year + 4 * day + weather + rng.normal(0, 0.2, size=steps)
    humidity = 70 - 12 * day - 3 * weather + rng.normal(0, 1.5, size=steps)
    return np.stack([temperature, humidity], axis=1)
