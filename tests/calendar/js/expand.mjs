// Read an iCalendar feed on stdin and print every occurrence ical.js computes, as JSON:
// [{uid, start}] where start is "YYYY-MM-DD" for all-day events and a UTC ISO instant otherwise.
// Usage: node expand.mjs UNTIL_YEAR < feed.ics
import ICAL from "ical.js";

const until = Number(process.argv[2] || 2030);
let text = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) text += chunk;

const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const out = [];
for (const component of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  if (event.isRecurrenceException()) continue;
  const iterator = event.iterator();
  let next;
  let n = 0;
  while ((next = iterator.next()) && n < 500) {
    if (next.year > until) break;
    n += 1;
    const start = next.isDate ? next.toString() : next.toJSDate().toISOString();
    out.push({ uid: event.uid, start, summary: event.summary });
  }
}
process.stdout.write(JSON.stringify(out));
