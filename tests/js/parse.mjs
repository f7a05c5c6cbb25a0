// Parse iCalendar files with Mozilla ical.js (the parser inside Thunderbird)
// and print, as JSON, every event's UTC start and end.
//
// Only the VTIMEZONE blocks of the file itself are registered, so the times are
// computed from the file's own zone rules: a missing or wrong VTIMEZONE shows.
//
//   node parse.mjs FILE.ics [FILE.ics ...]  ->  {"FILE.ics": {...}, ...}
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function utc(time, tzid, file) {
  if (tzid && (!time.zone || time.zone.tzid !== tzid)) {
    throw new Error(`${file}: time zone ${tzid} is not defined in the file`);
  }
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

const out = {};
for (const file of process.argv.slice(2)) {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  const zones = calendar.getAllSubcomponents("vtimezone");
  for (const zone of zones) {
    ICAL.TimezoneService.register(zone);
  }
  // Parse again now that the zones are known, so DTSTART resolves its TZID.
  const parsed = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  out[file] = {
    method: parsed.getFirstPropertyValue("method"),
    zones: zones.map((zone) => zone.getFirstPropertyValue("tzid")),
    events: parsed.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid") ?? null;
      return {
        uid: event.uid,
        sequence: event.sequence,
        summary: event.summary,
        status: vevent.getFirstPropertyValue("status"),
        tzid,
        start: utc(event.startDate, tzid, file),
        end: utc(event.endDate, tzid, file),
        attendees: vevent.getAllProperties("attendee").map((p) => p.getFirstValue()),
        organizer: vevent.getFirstPropertyValue("organizer"),
      };
    }),
  };
}
process.stdout.write(JSON.stringify(out));
