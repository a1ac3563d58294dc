"""Clinic opening hours, so a patient is told truthfully when a nurse will reach her."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import FrozenSet, Optional
from zoneinfo import ZoneInfo

from bot.config import Settings, get_settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(spec: str) -> FrozenSet[int]:
    """"Mon-Fri", "Mon-Fri,Sat" or "Mon,Wed,Fri" -> weekday numbers (Monday = 0)."""
    days = set()
    for part in spec.lower().replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            start, end = (DAYS.index(p[:3]) for p in part.split("-", 1))
            i = start
            while True:
                days.add(i)
                if i == end:
                    break
                i = (i + 1) % 7
        else:
            days.add(DAYS.index(part[:3]))
    return frozenset(days)


def _clock(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


@dataclass(frozen=True)
class ClinicHours:
    days: FrozenSet[int]
    opens: time
    closes: time
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings: Optional[Settings] = None) -> ClinicHours:
        s = settings or get_settings()
        return cls(parse_days(s.clinic_open_days), _clock(s.clinic_open_time), _clock(s.clinic_close_time),
                   ZoneInfo(s.clinic_timezone))

    def local(self, now: Optional[datetime] = None) -> datetime:
        now = now or datetime.now(self.zone)
        return now.astimezone(self.zone) if now.tzinfo else now.replace(tzinfo=self.zone)

    def is_open(self, now: Optional[datetime] = None) -> bool:
        local = self.local(now)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, now: Optional[datetime] = None) -> datetime:
        local = self.local(now)
        for offset in range(8):
            day = (local + timedelta(days=offset)).date()
            opening = datetime.combine(day, self.opens, tzinfo=self.zone)
            if day.weekday() in self.days and opening > local:
                return opening
        raise ValueError("the clinic has no opening day configured")

    def describe_next_opening(self, now: Optional[datetime] = None) -> str:
        """Plain words: "today at 8:00 AM", "tomorrow at 8:00 AM" or "Monday at 8:00 AM"."""
        local = self.local(now)
        opening = self.next_opening(local)
        clock = opening.strftime("%I:%M %p").lstrip("0")
        days_ahead = (opening.date() - local.date()).days
        if days_ahead == 0:
            return f"today at {clock}"
        if days_ahead == 1:
            return f"tomorrow at {clock}"
        return f"{opening.strftime('%A')} at {clock}"
