//! Kubernetes quantities (k8s.io/apimachinery resource.Quantity) for the quantity library:
//! `1.5Gi`, `500m`, `2e3`, compared and added exactly (as a rational of an integer and a
//! power of ten), as the API server does.

use std::cmp::Ordering;

/// `mantissa × 10^scale`, exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    mantissa: i128,
    scale: i32,
}

const MAX_DIGITS: usize = 30;

impl Quantity {
    /// Parses the Kubernetes quantity syntax: sign, digits with an optional fraction, and a
    /// binary-SI (`Ki`…`Ei`), decimal-SI (`n u m k M G T P E`) or exponent (`e3`) suffix.
    pub fn parse(text: &str) -> Option<Quantity> {
        let s = text;
        if s.is_empty() {
            return None;
        }
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, s.get(1..)?),
            Some(b'+') => (false, s.get(1..)?),
            _ => (false, s),
        };
        let number_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        let digits = format!("{whole}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > MAX_DIGITS {
            return None;
        }
        let mut mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        let mut scale = -(frac.len() as i32);
        match suffix {
            "" => {}
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
                let power = match suffix {
                    "Ki" => 10,
                    "Mi" => 20,
                    "Gi" => 30,
                    "Ti" => 40,
                    "Pi" => 50,
                    _ => 60,
                };
                mantissa = mantissa.checked_mul(1i128 << power)?;
            }
            "n" => scale -= 9,
            "u" => scale -= 6,
            "m" => scale -= 3,
            "k" => scale += 3,
            "M" => scale += 6,
            "G" => scale += 9,
            "T" => scale += 12,
            "P" => scale += 15,
            "E" => scale += 18,
            _ => {
                let exp = suffix.strip_prefix(['e', 'E'])?;
                if exp.is_empty()
                    || !exp.trim_start_matches(['+', '-']).chars().all(|c| c.is_ascii_digit())
                    || exp.trim_start_matches(['+', '-']).is_empty()
                {
                    return None;
                }
                let e: i32 = exp.parse().ok()?;
                if e.abs() > 100 {
                    return None;
                }
                scale += e;
            }
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(Quantity { mantissa, scale }.normalized())
    }

    fn normalized(mut self) -> Self {
        if self.mantissa == 0 {
            return Quantity { mantissa: 0, scale: 0 };
        }
        while self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale += 1;
        }
        self
    }

    pub fn from_int(i: i64) -> Quantity {
        Quantity { mantissa: i128::from(i), scale: 0 }.normalized()
    }

    /// Both at the smaller scale (`None` when that overflows).
    fn aligned(a: Quantity, b: Quantity) -> Option<(i128, i128, i32)> {
        let scale = a.scale.min(b.scale);
        let up = |q: Quantity| -> Option<i128> {
            let mut m = q.mantissa;
            for _ in 0..(q.scale - scale) {
                m = m.checked_mul(10)?;
            }
            Some(m)
        };
        Some((up(a)?, up(b)?, scale))
    }

    pub fn cmp(self, other: Quantity) -> Ordering {
        match Quantity::aligned(self, other) {
            Some((a, b, _)) => a.cmp(&b),
            None => self.as_f64().partial_cmp(&other.as_f64()).unwrap_or(Ordering::Equal),
        }
    }

    pub fn add(self, other: Quantity) -> Option<Quantity> {
        let (a, b, scale) = Quantity::aligned(self, other)?;
        Some(Quantity { mantissa: a.checked_add(b)?, scale }.normalized())
    }

    pub fn neg(self) -> Quantity {
        Quantity { mantissa: -self.mantissa, scale: self.scale }
    }

    pub fn sign(self) -> i64 {
        self.mantissa.signum() as i64
    }

    pub fn is_integer(self) -> bool {
        self.as_integer().is_some()
    }

    /// The value as an int64 when it is a whole number that fits.
    pub fn as_integer(self) -> Option<i64> {
        if self.scale < 0 {
            return None;
        }
        let mut m = self.mantissa;
        for _ in 0..self.scale {
            m = m.checked_mul(10)?;
        }
        i64::try_from(m).ok()
    }

    pub fn as_f64(self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.scale)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.scale >= 0 {
            if let Some(i) = self.as_integer() {
                return write!(f, "{i}");
            }
            return write!(f, "{}e{}", self.mantissa, self.scale);
        }
        // Milli, micro or nano units, as Kubernetes prints small quantities.
        for (suffix, s) in [("m", -3), ("u", -6), ("n", -9)] {
            if self.scale >= s {
                let mut m = self.mantissa;
                for _ in 0..(self.scale - s) {
                    m = m.saturating_mul(10);
                }
                return write!(f, "{m}{suffix}");
            }
        }
        write!(f, "{}e{}", self.mantissa, self.scale)
    }
}
