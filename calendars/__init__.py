"""Dates for the committee's meetings: candidate days, blackout periods and holiday sources.

`calendars.dates` lists the days a meeting may fall on, `calendars.blackouts`
turns a committee's blackout rules into dated periods (Dutch public and school
holidays from the `holidays` package, study days, the committee's own periods).
"""
