// SigV4's timestamp (20150830T123600Z) from Unix seconds or ISO 8601 UTC.

function pad(value: i64, width: i32): string {
  let text = value.toString();
  while (text.length < width) text = '0' + text;
  return text;
}

/** Unix seconds as YYYYMMDDTHHMMSSZ (proleptic Gregorian, UTC). */
export function amzDate(unix: i64): string {
  let days = unix / 86400;
  let seconds = unix % 86400;
  if (seconds < 0) {
    seconds += 86400;
    days -= 1;
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
    pad(month, 2) +
    pad(day, 2) +
    'T' +
    pad(seconds / 3600, 2) +
    pad((seconds % 3600) / 60, 2) +
    pad(seconds % 60, 2) +
    'Z'
  );
}

function digitsAt(text: string, from: i32, count: i32): i32 {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * "2015-08-30T12:36:00Z" (fractions of a second allowed and dropped, "+00:00"
 * for "Z") or "20150830T123600Z" as YYYYMMDDTHHMMSSZ; "" when it is neither.
 */
export function amzDateOf(text: string): string {
  let t = text.trim();
  if (t.endsWith('+00:00')) t = t.slice(0, t.length - 6) + 'Z';
  if (t.length == 16 && t.charAt(8) == 'T' && t.endsWith('Z')) {
    if (digitsAt(t, 0, 8) < 0 || digitsAt(t, 9, 6) < 0) return '';
    return checked(t);
  }
  if (t.length < 20 || !t.endsWith('Z')) return '';
  if (t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T') return '';
  if (t.charAt(13) != ':' || t.charAt(16) != ':') return '';
  if (t.length > 20) {
    if (t.charAt(19) != '.' || digitsAt(t, 20, t.length - 21) < 0) return '';
  }
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 2);
  const day = digitsAt(t, 8, 2);
  const hour = digitsAt(t, 11, 2);
  const minute = digitsAt(t, 14, 2);
  const second = digitsAt(t, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return '';
  return checked(
    pad(year, 4) +
      pad(month, 2) +
      pad(day, 2) +
      'T' +
      pad(hour, 2) +
      pad(minute, 2) +
      pad(second, 2) +
      'Z',
  );
}

function checked(stamp: string): string {
  const month = digitsAt(stamp, 4, 2);
  const day = digitsAt(stamp, 6, 2);
  const hour = digitsAt(stamp, 9, 2);
  const minute = digitsAt(stamp, 11, 2);
  const second = digitsAt(stamp, 13, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return '';
  if (hour > 23 || minute > 59 || second > 59) return '';
  return stamp;
}
