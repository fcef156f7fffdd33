"""Reads an iCalendar file with the icalendar package (PyPI), to check DevWorkflow's writer against.

  icalendar_read.py FILE    prints JSON: the calendar's properties and each event's UID, dates,
                            texts, categories and URL as icalendar parsed them
"""
import json
import sys

from icalendar import Calendar

with open(sys.argv[1], "rb") as file:
    calendar = Calendar.from_ical(file.read())

events = []
for event in calendar.walk("VEVENT"):
    categories = event.get("categories")
    if categories is None:
        names = []
    else:
        names = [name for group in (categories if isinstance(categories, list) else [categories]) for name in group.cats]
    events.append({
        "uid": str(event.get("uid")),
        "dtstamp": event.decoded("dtstamp").isoformat(),
        "dtstart": event.decoded("dtstart").isoformat(),
        "dtend": event.decoded("dtend").isoformat(),
        "summary": str(event.get("summary")),
        "description": str(event["description"]) if "description" in event else None,
        "categories": [str(name) for name in names],
        "url": str(event["url"]) if "url" in event else None,
        "transp": str(event.get("transp")),
    })
print(json.dumps({
    "version": str(calendar.get("version")),
    "prodid": str(calendar.get("prodid")),
    "calscale": str(calendar.get("calscale")),
    "method": str(calendar.get("method")),
    "name": str(calendar.get("x-wr-calname")),
    "events": events,
}, ensure_ascii=False))
