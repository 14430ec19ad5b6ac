//! What a plain scalar means: once as Kubernetes reads it (YAML 1.1, the rules of
//! go-yaml v2 behind `sigs.k8s.io/yaml`), once as a YAML 1.2 reader does.
//!
//! The two disagree on words such as `yes`/`on`/`off`, on numbers with a leading
//! zero and on `_` in numbers; the API server decides with the first.

use super::{Scalar, Style};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str,
}

impl Resolved {
    pub fn type_name(self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "boolean",
            Resolved::Int(_) => "integer",
            Resolved::Float(_) => "number",
            Resolved::Str => "string",
        }
    }
}

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// The scalar as the Kubernetes API server receives it.
pub fn resolve_k8s(s: &Scalar) -> Resolved {
    resolve_with(s, resolve_plain_11)
}

/// The scalar as a YAML 1.2 (core schema) reader sees it.
pub fn resolve_core(s: &Scalar) -> Resolved {
    resolve_with(s, resolve_plain_12)
}

/// Why go-yaml v2 refuses this scalar, if it does: an explicit core tag its
/// text does not fit (`!!int x`; an integer fits `!!float`). The deploy fails
/// on it.
pub fn tag_mismatch(s: &Scalar) -> Option<String> {
    let tag = s.tag.as_deref()?.strip_prefix(TAG_PREFIX)?;
    let plain = Scalar {
        text: s.text.clone(),
        style: Style::Plain,
        tag: None,
    };
    let resolved = resolve_k8s(&plain);
    let fits = match tag {
        "int" => matches!(resolved, Resolved::Int(_)),
        "float" => matches!(resolved, Resolved::Int(_) | Resolved::Float(_)),
        "bool" => matches!(resolved, Resolved::Bool(_)),
        "null" => matches!(resolved, Resolved::Null),
        _ => true,
    };
    if fits {
        return None;
    }
    let found = match resolved {
        Resolved::Null => "null",
        Resolved::Bool(_) => "bool",
        Resolved::Int(_) => "int",
        Resolved::Float(_) => "float",
        Resolved::Str => "str",
    };
    Some(format!("cannot decode !!{found} `{}` as a !!{tag}", s.text))
}

/// Whether YAML 1.1 and YAML 1.2 read this scalar differently.
pub fn is_yaml11_ambiguous(s: &Scalar) -> bool {
    if !s.style.is_plain() || s.tag.is_some() {
        return false;
    }
    let (a, b) = (resolve_k8s(s), resolve_core(s));
    match (a, b) {
        (Resolved::Float(x), Resolved::Float(y)) => x.to_bits() != y.to_bits(),
        _ => a != b,
    }
}

fn resolve_with(s: &Scalar, plain: fn(&str) -> Resolved) -> Resolved {
    if let Some(tag) = &s.tag {
        return match tag.strip_prefix(TAG_PREFIX) {
            Some("str") => Resolved::Str,
            Some("null") => Resolved::Null,
            Some("bool") | Some("int") | Some("float") => plain(&s.text),
            _ => Resolved::Str,
        };
    }
    if !s.style.is_plain() {
        return Resolved::Str;
    }
    plain(&s.text)
}

fn resolve_plain_11(t: &str) -> Resolved {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false);
        }
        _ => {}
    }
    if let Some(i) = parse_int_11(t) {
        return Resolved::Int(i);
    }
    parse_float(&t.replace('_', "")).map_or(Resolved::Str, Resolved::Float)
}

fn resolve_plain_12(t: &str) -> Resolved {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        _ => {}
    }
    if let Some(i) = parse_int_12(t) {
        return Resolved::Int(i);
    }
    parse_float(t).map_or(Resolved::Str, Resolved::Float)
}

fn split_sign(t: &str) -> (bool, &str) {
    match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    }
}

fn signed(neg: bool, v: i64) -> i64 {
    if neg { -v } else { v }
}

fn parse_radix(digits: &str, radix: u32) -> Option<i64> {
    if digits.is_empty() {
        return None;
    }
    i64::from_str_radix(digits, radix).ok()
}

/// go-yaml v2: `_` is ignored, `0x`/`0b` prefixes, a leading `0` means octal.
fn parse_int_11(t: &str) -> Option<i64> {
    let cleaned = t.replace('_', "");
    let (neg, body) = split_sign(&cleaned);
    if body.is_empty() || body.starts_with(['-', '+']) {
        return None;
    }
    // go-yaml v2 reads integers with Go's `ParseInt(s, 0, 64)`, which takes
    // `0x`, `0o`, `0b` in either case as well as a leading `0`.
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        parse_radix(h, 16)?
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        parse_radix(b, 2)?
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        parse_radix(o, 8)?
    } else if body.len() > 1 && body.starts_with('0') {
        parse_radix(&body[1..], 8)?
    } else if body.bytes().all(|b| b.is_ascii_digit()) {
        parse_radix(body, 10)?
    } else {
        return None;
    };
    Some(signed(neg, v))
}

fn parse_int_12(t: &str) -> Option<i64> {
    if let Some(o) = t.strip_prefix("0o") {
        return parse_radix(o, 8);
    }
    if let Some(h) = t.strip_prefix("0x") {
        return parse_radix(h, 16);
    }
    let (neg, body) = split_sign(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_radix(body, 10).map(|v| signed(neg, v))
}

fn parse_float(t: &str) -> Option<f64> {
    match t {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let (_, body) = split_sign(t);
    let mut digits = 0;
    let mut chars = body.chars().peekable();
    while chars.peek().is_some_and(char::is_ascii_digit) {
        chars.next();
        digits += 1;
    }
    if chars.peek() == Some(&'.') {
        chars.next();
        while chars.peek().is_some_and(char::is_ascii_digit) {
            chars.next();
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if matches!(chars.peek(), Some('e' | 'E')) {
        chars.next();
        if matches!(chars.peek(), Some('-' | '+')) {
            chars.next();
        }
        let mut exp = 0;
        while chars.peek().is_some_and(char::is_ascii_digit) {
            chars.next();
            exp += 1;
        }
        if exp == 0 {
            return None;
        }
    }
    if chars.next().is_some() {
        return None;
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Style;

    fn plain(t: &str) -> Scalar {
        Scalar {
            text: t.into(),
            style: Style::Plain,
            tag: None,
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(resolve_k8s(&plain("yes")), Resolved::Bool(true));
        assert_eq!(resolve_core(&plain("yes")), Resolved::Str);
        assert_eq!(resolve_k8s(&plain("off")), Resolved::Bool(false));
        assert!(is_yaml11_ambiguous(&plain("on")));
        assert!(!is_yaml11_ambiguous(&plain("true")));
    }

    #[test]
    fn numbers() {
        assert_eq!(resolve_k8s(&plain("889640782")), Resolved::Int(889640782));
        assert_eq!(resolve_k8s(&plain("0755")), Resolved::Int(0o755));
        assert_eq!(resolve_core(&plain("0755")), Resolved::Int(755));
        assert!(is_yaml11_ambiguous(&plain("0755")));
        assert!(is_yaml11_ambiguous(&plain("1_000")));
        assert!(!is_yaml11_ambiguous(&plain("120")));
        assert_eq!(resolve_k8s(&plain("1.5")), Resolved::Float(1.5));
        assert_eq!(resolve_k8s(&plain("some.scope")), Resolved::Str);
        assert_eq!(resolve_k8s(&plain("-")), Resolved::Str);
    }

    #[test]
    fn quoting_and_tags() {
        let q = Scalar {
            text: "true".into(),
            style: Style::DoubleQuoted,
            tag: None,
        };
        assert_eq!(resolve_k8s(&q), Resolved::Str);
        let t = Scalar {
            text: "123".into(),
            style: Style::Plain,
            tag: Some(format!("{TAG_PREFIX}str")),
        };
        assert_eq!(resolve_k8s(&t), Resolved::Str);
    }
}
