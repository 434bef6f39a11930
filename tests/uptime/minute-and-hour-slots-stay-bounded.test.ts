import t from 'tap';
import { UPTIME_HOUR_SLOTS, UPTIME_MINUTE_SLOTS } from '../../src/config/defaults.js';
import { closeMinute, emptyRecord } from '../../src/control/uptime/uptime-record.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

t.test(
  'a day of minute slots and 90 days of hour slots, sliding: the record never grows past them',
  async (t) => {
    const start = Date.UTC(2026, 11, 1);
    const record = emptyRecord('simpus.paserkab.go.id', 'dinkes', start);
    // Down from 00:10 to 00:12:30 of the first day; an upstream error met at 00:20.
    record.incidents.push({
      start: start + 10 * MINUTE,
      end: start + 12 * MINUTE + 30_000,
      cause: 'refused',
    });
    for (let m = 0; m < 60; m++)
      closeMinute(record, start + m * MINUTE, MINUTE, m === 20 ? 1 : 0, start + HOUR);
    t.equal(record.minutes.slice(9, 14), 'udddu', 'minutes 10, 11 and 12 down');
    t.equal(record.minutes[20], 'e', 'traffic errors mark a minute that was up');
    t.equal(record.hours, String.fromCharCode(48 + 3), 'three down minutes in the first hour');

    // A gap (nobody recording) of 100 days, then one more minute: both windows slide, bounded.
    const later = start + 100 * 24 * HOUR;
    closeMinute(record, later, MINUTE, 0, later + MINUTE);
    t.ok(record.minutes.length <= UPTIME_MINUTE_SLOTS, `minutes ${record.minutes.length}`);
    t.ok(record.hours.length <= UPTIME_HOUR_SLOTS, `hours ${record.hours.length}`);
    t.equal(record.minutes.at(-1), 'u');
    t.equal(record.hours.at(-1), '0');
    t.equal(
      record.minutesFrom + (record.minutes.length - 1) * MINUTE,
      later,
      'the last minute slot is the one closed',
    );
    t.match(record.hours.slice(0, -1), /^\.*$/, 'the gap reads as not recorded');
  },
);
