//! Timestamp and duration accessors (`getFullYear()`, `getHours('+02:00')`, ...) and the
//! ranges CEL keeps them in, as cel-go does with the API server's `DefaultUTCTimeZone(true)`:
//! without a time zone argument the fields are UTC's.

use crate::eval::{EvalError, Result};
use crate::value::Value;

const NANOS: i128 = 1_000_000_000;
/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z, in nanoseconds since the epoch.
const MIN_TIMESTAMP: i128 = -62_135_596_800 * NANOS;
const MAX_TIMESTAMP: i128 = 253_402_300_800 * NANOS - 1;

/// A timestamp inside CEL's range (years 1 to 9999), else the range error.
pub fn timestamp(ns: i128) -> Result<Value> {
    if (MIN_TIMESTAMP..=MAX_TIMESTAMP).contains(&ns) {
        Ok(Value::Timestamp(ns))
    } else {
        Err(EvalError::runtime("timestamp out of range"))
    }
}

/// A duration that fits cel-go's (Go's `time.Duration`, 64-bit nanoseconds), else the range
/// error.
pub fn duration(ns: i128) -> Result<Value> {
    if i64::try_from(ns).is_ok() { Ok(Value::Duration(ns)) } else { Err(EvalError::runtime("duration out of range")) }
}

/// A time zone argument: `UTC`, or a fixed offset `+05:30`, `-02:00`, `02:00`. IANA names
/// (`Europe/Paris`) need a time zone database, which the engine does not carry: an error.
fn offset_seconds(zone: &str) -> Result<i64> {
    if zone == "UTC" || zone == "Z" {
        return Ok(0);
    }
    let (sign, rest) = match zone.as_bytes().first() {
        Some(b'+') => (1, zone.get(1..).unwrap_or("")),
        Some(b'-') => (-1, zone.get(1..).unwrap_or("")),
        _ => (1, zone),
    };
    let parsed = rest.split_once(':').and_then(|(h, m)| {
        let ok = h.len() == 2 && m.len() == 2;
        Some((h.parse::<i64>().ok().filter(|_| ok)?, m.parse::<i64>().ok().filter(|m| *m < 60)?))
    });
    match parsed {
        Some((h, m)) if h < 24 => Ok(sign * (h * 3600 + m * 60)),
        _ => Err(EvalError::runtime(format!("unknown time zone {zone}: only UTC and fixed offsets are supported"))),
    }
}

/// The accessors of a timestamp (`zone` given or UTC) and of a duration.
pub fn call(name: &str, member: bool, args: &[Value]) -> Result<Option<Value>> {
    if !member {
        return Ok(None);
    }
    match args {
        [Value::Timestamp(ns)] => field(name, *ns, 0),
        [Value::Timestamp(ns), Value::String(zone)] => field(name, *ns, offset_seconds(zone)?),
        [Value::Duration(ns)] => Ok(Some(Value::Int(match name {
            "getHours" => (ns / (3600 * NANOS)) as i64,
            "getMinutes" => (ns / (60 * NANOS)) as i64,
            "getSeconds" => (ns / NANOS) as i64,
            // The milliseconds within the second, as Go's `Duration.Milliseconds() % 1000`.
            "getMilliseconds" => (ns / 1_000_000 % 1000) as i64,
            _ => return Ok(None),
        }))),
        _ => Ok(None),
    }
}

fn field(name: &str, ns: i128, offset: i64) -> Result<Option<Value>> {
    let local = ns + i128::from(offset) * NANOS;
    let secs = local.div_euclid(NANOS) as i64;
    let days = secs.div_euclid(86_400);
    let in_day = secs.rem_euclid(86_400);
    let (year, month, day) = super::stdlib::civil_from_days(days);
    let jan1 = super::stdlib::days_from_civil(year, 1, 1);
    Ok(Some(Value::Int(match name {
        "getFullYear" => year,
        // Months and days of the month and year count from 0, `getDate` from 1.
        "getMonth" => i64::from(month) - 1,
        "getDayOfMonth" => i64::from(day) - 1,
        "getDate" => i64::from(day),
        "getDayOfYear" => days - jan1,
        // 1970-01-01 was a Thursday (4); Sunday is 0.
        "getDayOfWeek" => (days + 4).rem_euclid(7),
        "getHours" => in_day / 3600,
        "getMinutes" => in_day % 3600 / 60,
        "getSeconds" => in_day % 60,
        "getMilliseconds" => (local.rem_euclid(NANOS) / 1_000_000) as i64,
        _ => return Ok(None),
    })))
}
