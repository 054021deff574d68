"""Quiet hours in Dutch local time: no messages in the evening, at night or on Sunday.

Local times are computed here, in Europe/Amsterdam with zoneinfo, and stored in UTC. Beat runs on a
fixed UTC interval, so a daylight-saving change never moves or repeats a reminder.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SUNDAY = 6


@dataclass(frozen=True)
class QuietHours:
    start: datetime.time = datetime.time(21, 0)
    end: datetime.time = datetime.time(7, 30)
    sunday: bool = True  # the whole of Sunday is quiet

    def encode(self) -> str:
        return f"{self.start:%H%M}-{self.end:%H%M}-{'z' if self.sunday else ''}"

    @classmethod
    def decode(cls, text: str) -> QuietHours:
        if not text:
            return DEFAULT
        start, end, sunday = text.split("-")
        return cls(
            datetime.time(int(start[:2]), int(start[2:])),
            datetime.time(int(end[:2]), int(end[2:])),
            sunday == "z",
        )

    def is_quiet(self, moment: datetime.datetime) -> bool:
        local = moment.astimezone(AMSTERDAM)
        if self.sunday and local.weekday() == SUNDAY:
            return True
        clock = local.time()
        if self.start > self.end:  # the quiet time crosses midnight
            return clock >= self.start or clock < self.end
        return self.start <= clock < self.end

    def postpone(self, moment: datetime.datetime) -> datetime.datetime:
        """``moment`` itself, or the first moment after it where messages may go out."""
        local = moment.astimezone(AMSTERDAM)
        while self.is_quiet(local):
            day = local.date()
            if (
                self.sunday
                and local.weekday() == SUNDAY
                or self.start > self.end
                and local.time() >= self.start
            ):
                day += datetime.timedelta(days=1)
            # The end of quiet hours is never inside a daylight-saving gap (02:00-03:00).
            local = datetime.datetime.combine(day, self.end, tzinfo=AMSTERDAM)
        return local.astimezone(datetime.UTC)


DEFAULT = QuietHours()
