// Unix seconds as ISO 8601 UTC ("2024-05-01T12:00:00Z"); the plugin has no
// clock, the host sends the current time with every request.

function pad(value: i64, width: i32): string {
  let text = value.toString();
  while (text.length < width) text = '0' + text;
  return text;
}

export function isoTime(seconds: i64): string {
  let days = seconds / 86400;
  let rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days--;
  }
  // Howard Hinnant's civil_from_days.
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const day = doy - (153 * mp + 2) / 5 + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return (
    pad(year, 4) +
    '-' +
    pad(month, 2) +
    '-' +
    pad(day, 2) +
    'T' +
    pad(rest / 3600, 2) +
    ':' +
    pad((rest / 60) % 60, 2) +
    ':' +
    pad(rest % 60, 2) +
    'Z'
  );
}

/** The date alone, for messages ("the key expired on 2024-05-01"). */
export function isoDate(seconds: i64): string {
  return isoTime(seconds).substring(0, 10);
}
