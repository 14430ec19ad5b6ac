//! Bytes to text, as go-yaml (and so the nais deploy) reads them: UTF-8, with
//! or without a byte order mark, or UTF-16 (little or big endian) with a byte
//! order mark, which PowerShell 5 writes by default. Positions in the
//! decoded text count characters, whatever the encoding of the file.

use crate::source::pos_of_offset;
use crate::yaml::Pos;
use std::borrow::Cow;

/// Why bytes are not text, and what of them could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    /// Where the first bad byte is, in characters of the text before it.
    pub pos: Pos,
    /// The text with every bad sequence replaced by U+FFFD.
    pub lossy: String,
}

/// The text of `bytes`, without its byte order mark.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes, "UTF-16LE").map(Cow::Owned),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes, "UTF-16BE").map(Cow::Owned),
        _ => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
                DecodeError {
                    message: "not valid UTF-8 text; manifests must be UTF-8, or UTF-16 with a byte order mark"
                        .into(),
                    pos: pos_of_offset(bytes, e.valid_up_to()),
                    lossy: String::from_utf8_lossy(bytes).into_owned(),
                }
            })
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &str) -> Result<String, DecodeError> {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut bad = None;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(e) => {
                bad.get_or_insert_with(|| {
                    (
                        format!(
                            "not valid {name} text: an unpaired surrogate 0x{:04X} (the file starts with a {name} byte order mark)",
                            e.unpaired_surrogate()
                        ),
                        text.len(),
                    )
                });
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    if bad.is_none() && bytes.len() % 2 == 1 {
        bad = Some((
            format!(
                "not valid {name} text: an odd number of bytes (the file starts with a {name} byte order mark)"
            ),
            text.len(),
        ));
    }
    match bad {
        None => Ok(text),
        Some((message, at)) => Err(DecodeError {
            message,
            pos: pos_of_offset(text.as_bytes(), at),
            lossy: text,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(s: &str) -> Vec<u8> {
        let mut b = vec![0xFF, 0xFE];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    }

    fn be(s: &str) -> Vec<u8> {
        let mut b = vec![0xFE, 0xFF];
        b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        b
    }

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        assert_eq!(decode(b"a: 1\n").unwrap(), "a: 1\n");
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1\n").unwrap(), "a: 1\n");
        let e = decode(b"a: 1\nb: s\xf8k\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.column), (2, 5));
        assert!(e.message.starts_with("not valid UTF-8"), "{}", e.message);
    }

    #[test]
    fn utf16_both_ways_with_a_byte_order_mark() {
        let text = "a: søknad 𝄞\nb: 2\n";
        assert_eq!(decode(&le(text)).unwrap(), text);
        assert_eq!(decode(&be(text)).unwrap(), text);
    }

    #[test]
    fn bad_utf16_says_where() {
        let mut b = le("a: 1\nbb");
        b.extend([0x00, 0xD8]); // a high surrogate with no low one
        b.extend(le("x").into_iter().skip(2));
        let e = decode(&b).unwrap_err();
        assert!(
            e.message.contains("unpaired surrogate 0xD800"),
            "{}",
            e.message
        );
        assert_eq!((e.pos.line, e.pos.column), (2, 3));
        let mut odd = be("a: 1\n");
        odd.push(0x00);
        let e = decode(&odd).unwrap_err();
        assert!(e.message.contains("odd number of bytes"), "{}", e.message);
        assert!(e.message.contains("UTF-16BE"), "{}", e.message);
    }
}
