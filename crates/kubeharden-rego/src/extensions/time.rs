//! The `time.*` builtins in UTC and fixed offsets, without a time-zone database (regorus'
//! `time` feature brings chrono and chrono-tz, about 180 KB gzip in wasm): `now_ns` (from the
//! clock the front end installs, fixed for one evaluation as in OPA), `parse_rfc3339_ns`,
//! `parse_duration_ns`, `date`, `clock`, `weekday`, `add_date`, `diff` and `format` (RFC 3339
//! and Go reference layouts). A time-zone name other than `UTC`, `""` or `Local` (read as UTC,
//! so that findings do not depend on the machine) is an error.

use core::cell::Cell;
use std::sync::OnceLock;

use regorus::Value;

use super::add;

const NS: i128 = 1_000_000_000;
const DAY: i128 = 86_400;

static CLOCK: OnceLock<fn() -> i64> = OnceLock::new();

thread_local! {
    static NOW: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Installs the wall clock `time.now_ns` reads (nanoseconds since the Unix epoch). Native
/// front ends pass the system clock, the wasm facade the JavaScript one.
pub fn set_clock(clock: fn() -> i64) {
    let _ = CLOCK.set(clock);
}

pub(crate) fn begin_evaluation() {
    NOW.with(|n| n.set(None));
}

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "time.now_ns", 0, now_ns);
    add(engine, "time.parse_rfc3339_ns", 1, parse_rfc3339_ns);
    add(engine, "time.parse_duration_ns", 1, parse_duration_ns);
    add(engine, "time.date", 1, date);
    add(engine, "time.clock", 1, clock);
    add(engine, "time.weekday", 1, weekday);
    add(engine, "time.add_date", 4, add_date);
    add(engine, "time.diff", 2, diff);
    add(engine, "time.format", 1, format);
}

fn now_ns(_: Vec<Value>) -> anyhow::Result<Value> {
    let Some(clock) = CLOCK.get() else { return Err(anyhow::anyhow!("time.now_ns: no clock in this front end")) };
    let now = NOW.with(|n| {
        let v = n.get().unwrap_or_else(clock);
        n.set(Some(v));
        v
    });
    Ok(Value::from(now))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A time as (nanoseconds since the epoch, offset in seconds east of UTC).
type Instant = (i128, i64);

fn ns_arg(v: &Value) -> Option<i128> {
    if let Value::Number(n) = v { n.as_i64().map(i128::from) } else { None }
}

/// `ns` or `[ns, tz]` (and `[ns, tz, layout]` for `format`).
fn instant(v: &Value) -> anyhow::Result<(Instant, Option<String>)> {
    match v {
        Value::Array(a) => {
            let ns =
                a.first().and_then(ns_arg).ok_or_else(|| anyhow::anyhow!("time: expected a number of nanoseconds"))?;
            let offset = match a.get(1) {
                None => 0,
                Some(Value::String(tz)) if matches!(&**tz, "" | "UTC" | "Local") => 0,
                Some(Value::String(tz)) => {
                    return Err(anyhow::anyhow!("time: the time zone {tz:?} is not available offline (only UTC)"));
                }
                Some(_) => return Err(anyhow::anyhow!("time: the time zone must be a string")),
            };
            let layout = match a.get(2) {
                Some(Value::String(l)) => Some(l.to_string()),
                _ => None,
            };
            Ok(((ns, offset), layout))
        }
        v => Ok(((ns_arg(v).ok_or_else(|| anyhow::anyhow!("time: expected a number of nanoseconds"))?, 0), None)),
    }
}

/// (year, month, day, hour, minute, second, nanosecond, weekday 0 = Sunday) of an instant.
pub(crate) fn fields((ns, offset): Instant) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
    let secs = ns.div_euclid(NS) + i128::from(offset);
    let nanos = ns.rem_euclid(NS) as i64;
    let days = secs.div_euclid(DAY) as i64;
    let sod = secs.rem_euclid(DAY) as i64;
    let (y, m, d) = civil_from_days(days);
    (y, m, d, sod / 3600, sod / 60 % 60, sod % 60, nanos, (days + 4).rem_euclid(7))
}

fn date(args: Vec<Value>) -> anyhow::Result<Value> {
    let (t, _) = instant(args.first().unwrap_or(&Value::Undefined))?;
    let (y, m, d, ..) = fields(t);
    Ok(Value::from(vec![Value::from(y), Value::from(m), Value::from(d)]))
}

fn clock(args: Vec<Value>) -> anyhow::Result<Value> {
    let (t, _) = instant(args.first().unwrap_or(&Value::Undefined))?;
    let (_, _, _, h, mi, s, ..) = fields(t);
    Ok(Value::from(vec![Value::from(h), Value::from(mi), Value::from(s)]))
}

const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday(args: Vec<Value>) -> anyhow::Result<Value> {
    let (t, _) = instant(args.first().unwrap_or(&Value::Undefined))?;
    let wd = fields(t).7;
    Ok(Value::from(WEEKDAYS.get(wd as usize).copied().unwrap_or("")))
}

fn int_arg(v: Option<&Value>) -> anyhow::Result<i64> {
    match v {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(|| anyhow::anyhow!("time: expected an integer")),
        _ => Err(anyhow::anyhow!("time: expected an integer")),
    }
}

/// Go's `Time.AddDate`: fields added, then normalised (October 31 + 1 month = December 1).
fn add_date(args: Vec<Value>) -> anyhow::Result<Value> {
    let ns = args.first().and_then(ns_arg).ok_or_else(|| anyhow::anyhow!("time.add_date: expected nanoseconds"))?;
    let (years, months, days) = (int_arg(args.get(1))?, int_arg(args.get(2))?, int_arg(args.get(3))?);
    let (y, m, d, ..) = fields((ns, 0));
    let total_months = (y + years) * 12 + (m - 1) + months;
    let (ny, nm) = (total_months.div_euclid(12), total_months.rem_euclid(12) + 1);
    let day_number = days_from_civil(ny, nm, 1) + (d - 1) + days;
    let within_day = ns.rem_euclid(DAY * NS);
    let out = i128::from(day_number) * DAY * NS + within_day;
    i64::try_from(out).map(Value::from).map_err(|_| anyhow::anyhow!("time.add_date: the result is out of range"))
}

/// OPA's `time.diff`: years, months, days, hours, minutes, seconds from the earlier to the
/// later time, each borrowing from the next larger unit.
fn diff(args: Vec<Value>) -> anyhow::Result<Value> {
    let (a, _) = instant(args.first().unwrap_or(&Value::Undefined))?;
    let (b, _) = instant(args.get(1).unwrap_or(&Value::Undefined))?;
    let (t1, t2) = if a.0 > b.0 { (b, a) } else { (a, b) };
    let (y1, m1, d1, h1, mi1, s1, ..) = fields(t1);
    let (y2, m2, d2, h2, mi2, s2, ..) = fields(t2);
    let (mut year, mut month, mut day, mut hour, mut min, mut sec) =
        (y2 - y1, m2 - m1, d2 - d1, h2 - h1, mi2 - mi1, s2 - s1);
    if sec < 0 {
        sec += 60;
        min -= 1;
    }
    if min < 0 {
        min += 60;
        hour -= 1;
    }
    if hour < 0 {
        hour += 24;
        day -= 1;
    }
    if day < 0 {
        // Days in t1's month: Go normalises day 32 of it into the next month.
        let (_, _, d32) = civil_from_days(days_from_civil(y1, m1, 1) + 31);
        day += 32 - d32;
        month -= 1;
    }
    if month < 0 {
        month += 12;
        year -= 1;
    }
    Ok(Value::from([year, month, day, hour, min, sec].into_iter().map(Value::from).collect::<Vec<_>>()))
}

fn parse_rfc3339_ns(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(Value::String(s)) = args.first() else { return Ok(Value::Undefined) };
    let ns = parse_rfc3339(s).ok_or_else(|| anyhow::anyhow!("time.parse_rfc3339_ns: {s:?} is not an RFC 3339 time"))?;
    i64::try_from(ns).map(Value::from).map_err(|_| anyhow::anyhow!("time.parse_rfc3339_ns: out of range"))
}

/// `2006-01-02T15:04:05[.999999999](Z|±07:00)`, as Go's `time.Parse(time.RFC3339, s)`.
pub(crate) fn parse_rfc3339(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (h, mi, se) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let days_in_month = civil_from_days(days_from_civil(y, mo, 1) + 31).2;
    if !(1..=12).contains(&mo) || d < 1 || d > 32 - days_in_month || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0i128;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = s.get(start..i)?;
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        nanos = format!("{digits:0<9}").parse().ok()?;
    }
    let offset: i64 = match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if sign == b'-' { -o } else { o }
        }
        _ => return None,
    };
    let secs = i128::from(days_from_civil(y, mo, d)) * DAY + i128::from(h * 3600 + mi * 60 + se) - i128::from(offset);
    Some(secs * NS + nanos)
}

/// Go's `time.ParseDuration`: `[-+]` then numbers with units `ns us µs μs ms s m h`.
fn parse_duration_ns(args: Vec<Value>) -> anyhow::Result<Value> {
    let Some(Value::String(s)) = args.first() else { return Ok(Value::Undefined) };
    let bad = || anyhow::anyhow!("time.parse_duration_ns: invalid duration {s:?}");
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, &s[..]),
    };
    if rest == "0" {
        return Ok(Value::from(0));
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let n = rest.bytes().take_while(|c| c.is_ascii_digit() || *c == b'.').count();
        let (number, tail) = rest.split_at(n);
        if number.is_empty() || number == "." {
            return Err(bad());
        }
        let u = tail.bytes().take_while(|c| !c.is_ascii_digit() && *c != b'.').count();
        let (unit, tail) = tail.split_at(u);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(bad()),
        };
        total += number.parse::<f64>().map_err(|_| bad())? * scale;
        rest = tail;
    }
    if total > 9.223_372_036_854_775e18 {
        return Err(bad());
    }
    let ns = total.round() as i64;
    Ok(Value::from(if neg { -ns } else { ns }))
}

/// `time.format(ns | [ns, tz] | [ns, tz, layout])`: RFC 3339 with nanoseconds by default.
fn format(args: Vec<Value>) -> anyhow::Result<Value> {
    let (t, layout) = instant(args.first().unwrap_or(&Value::Undefined))?;
    let layout = layout.unwrap_or_else(|| "2006-01-02T15:04:05.999999999Z07:00".into());
    Ok(Value::from(go_format(t, named_layout(&layout))))
}

fn named_layout(name: &str) -> &str {
    match name {
        "ANSIC" => "Mon Jan _2 15:04:05 2006",
        "UnixDate" => "Mon Jan _2 15:04:05 MST 2006",
        "RFC822" => "02 Jan 06 15:04 MST",
        "RFC822Z" => "02 Jan 06 15:04 -0700",
        "RFC850" => "Monday, 02-Jan-06 15:04:05 MST",
        "RFC1123" => "Mon, 02 Jan 2006 15:04:05 MST",
        "RFC1123Z" => "Mon, 02 Jan 2006 15:04:05 -0700",
        "RFC3339" => "2006-01-02T15:04:05Z07:00",
        "RFC3339Nano" => "2006-01-02T15:04:05.999999999Z07:00",
        "Kitchen" => "3:04PM",
        "DateTime" => "2006-01-02 15:04:05",
        "DateOnly" => "2006-01-02",
        "TimeOnly" => "15:04:05",
        other => other,
    }
}

/// Go's `Time.Format` for the reference-layout elements (UTC: zone `UTC`, offset `Z`/`+00:00`).
fn go_format(t: Instant, layout: &str) -> String {
    let (y, mo, d, h, mi, s, ns, wd) = fields(t);
    let month = MONTHS.get((mo - 1) as usize).copied().unwrap_or("");
    let day = WEEKDAYS.get(wd as usize).copied().unwrap_or("");
    let h12 = if h % 12 == 0 { 12 } else { h % 12 };
    let mut out = String::new();
    let mut rest = layout;
    // Longest elements first, as Go's nextStdChunk reads them.
    let elements: &[&str] = &[
        "January",
        "Monday",
        "2006",
        "-07:00:00",
        "Z07:00:00",
        "-07:00",
        "Z07:00",
        "-0700",
        "Z0700",
        "-07",
        "Z07",
        "MST",
        "Jan",
        "Mon",
        "002",
        "__2",
        "_2",
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
        "15",
        "PM",
        "pm",
        "1",
        "2",
        "3",
        "4",
        "5",
    ];
    'outer: while !rest.is_empty() {
        if let Some(frac) = fraction(rest) {
            let (digits, len, trim) = frac;
            let text = format!("{ns:09}");
            let mut part = text.get(..digits).unwrap_or("").to_string();
            if trim {
                while part.ends_with('0') {
                    part.pop();
                }
            }
            if !part.is_empty() {
                out.push('.');
                out.push_str(&part);
            }
            rest = rest.get(len..).unwrap_or("");
            continue;
        }
        for e in elements {
            if let Some(tail) = rest.strip_prefix(e) {
                let piece = match *e {
                    "January" => month.to_string(),
                    "Monday" => day.to_string(),
                    "Jan" => month.get(..3).unwrap_or("").to_string(),
                    "Mon" => day.get(..3).unwrap_or("").to_string(),
                    "2006" => format!("{y:04}"),
                    "06" => format!("{:02}", y.rem_euclid(100)),
                    "01" => format!("{mo:02}"),
                    "1" => mo.to_string(),
                    "02" => format!("{d:02}"),
                    "2" => d.to_string(),
                    "_2" => format!("{d:>2}"),
                    "002" | "__2" => format!("{:03}", days_from_civil(y, mo, d) - days_from_civil(y, 1, 1) + 1),
                    "15" => format!("{h:02}"),
                    "03" => format!("{h12:02}"),
                    "3" => h12.to_string(),
                    "04" => format!("{mi:02}"),
                    "4" => mi.to_string(),
                    "05" => format!("{s:02}"),
                    "5" => s.to_string(),
                    "PM" => (if h >= 12 { "PM" } else { "AM" }).to_string(),
                    "pm" => (if h >= 12 { "pm" } else { "am" }).to_string(),
                    "MST" => "UTC".to_string(),
                    z if z.starts_with('Z') => "Z".to_string(),
                    "-07" => "+00".to_string(),
                    "-0700" => "+0000".to_string(),
                    "-07:00:00" => "+00:00:00".to_string(),
                    _ => "+00:00".to_string(),
                };
                out.push_str(&piece);
                rest = tail;
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// `.000` (fixed digits) or `.999` (trailing zeros trimmed) at the start of a layout.
fn fraction(s: &str) -> Option<(usize, usize, bool)> {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'.' | b',')) {
        return None;
    }
    let d = *b.get(1)?;
    if d != b'0' && d != b'9' {
        return None;
    }
    let n = b.iter().skip(1).take_while(|&&c| c == d).count();
    // Go treats `.000` as a fraction only when no digit follows it.
    if b.get(1 + n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((n.min(9), n + 1, d == b'9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: i64) -> Value {
        Value::from(x)
    }

    #[test]
    fn civil_dates_round_trip() {
        for days in [-719_468, -1, 0, 1, 11_016, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn parses_and_formats_like_go() {
        let ns = parse_rfc3339("2024-02-29T23:59:58.5+01:00").unwrap_or(0);
        assert_eq!(ns, 1_709_247_598_500_000_000);
        assert!(parse_rfc3339("2023-02-29T00:00:00Z").is_none());
        assert_eq!(go_format((ns, 0), "2006-01-02T15:04:05.999999999Z07:00"), "2024-02-29T22:59:58.5Z");
        assert_eq!(go_format((ns, 0), "Mon, 02 Jan 2006 15:04:05 MST"), "Thu, 29 Feb 2024 22:59:58 UTC");
        assert_eq!(date(vec![v(0)]).ok(), Some(Value::from(vec![v(1970), v(1), v(1)])));
        assert_eq!(weekday(vec![v(0)]).ok(), Some(Value::from("Thursday")));
        assert_eq!(parse_duration_ns(vec![Value::from("1h30m")]).ok(), Some(v(5_400_000_000_000)));
        assert_eq!(parse_duration_ns(vec![Value::from("-1.5s")]).ok(), Some(v(-1_500_000_000)));
        assert!(parse_duration_ns(vec![Value::from("5 days")]).is_err());
    }

    #[test]
    fn dates_add_and_differ_like_go() {
        let oct31 = parse_rfc3339("2023-10-31T12:00:00Z").unwrap_or(0) as i64;
        let added = add_date(vec![v(oct31), v(0), v(1), v(0)]).ok();
        let dec1 = parse_rfc3339("2023-12-01T12:00:00Z").unwrap_or(0) as i64;
        assert_eq!(added, Some(v(dec1)));
        let a = parse_rfc3339("2020-01-31T10:00:00Z").unwrap_or(0) as i64;
        let b = parse_rfc3339("2021-03-01T09:30:00Z").unwrap_or(0) as i64;
        assert_eq!(diff(vec![v(a), v(b)]).ok(), Some(Value::from(vec![v(1), v(1), v(0), v(23), v(30), v(0)])));
    }
}
